/**
 * hw.softmax for int8: TFLite reference_ops::Softmax<int8_t, int8_t> (kernels/internal/reference/softmax.h),
 * the gemmlowp fixed-point algorithm that CMSIS-NN arm_softmax_s8 also implements, along the last axis:
 *
 *   diff = in − max(row); only diffs ≥ diff_min contribute (others output −128)
 *   x = MultiplyByQuantizedMultiplierGreaterThanOne(diff, input_multiplier, input_left_shift)   Q5.26
 *   e = exp_on_negative_values(x)                                                               Q0.31
 *   sum = Σ Rescale<12>(e) = Σ RoundingDivideByPOT(e, 12)   (int32 wrap)                        Q12.19
 *   (reciprocal, bits) = GetReciprocal(sum, 12)     one_over_one_plus_x on the normalised sum
 *   out = clamp(RoundingDivideByPOT(SRDHM(reciprocal, e), bits + 31 − 8) − 128, −128, 127)
 *
 * Output quantization is fixed by the TFLite spec: scale 1/256, zero point −128.
 * `prepareSoftmax` computes the three attributes from beta and the input scale as TFLite's Prepare does.
 */

import {
  INT32_MAX,
  INT32_MIN,
  multiplyByQuantizedMultiplierGreaterThanOne,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul as srdhm,
  saturatingRoundingMultiplyByPOT,
} from "../../../src/interp/fixed-point.js";
import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";

export interface SoftmaxAttrs {
  readonly input_multiplier: number;
  readonly input_left_shift: number;
  readonly diff_min: number;
  /** TFLite build: `gemmlowp` (default) or `single-round` (changes only the input scaling step). */
  readonly rounding?: "gemmlowp" | "single-round";
}

// gemmlowp fixedpoint.h constants (raw Q0.31 unless stated).
const EXP_MINUS_ONE_EIGHTH = 1895147668; // exp(−1/8)
const ONE_THIRD = 715827883; // 1/3
const Q0_ONE = INT32_MAX; // FixedPoint<int32, 0>::One() saturates to the largest raw value
const Q2_ONE = 1 << 29; // FixedPoint<int32, 2>::One()
const Q2_48_OVER_17 = 1515870810;
const Q2_NEG_32_OVER_17 = -1010580540;
/** exp(−2^k) for the barrel shifter, k = −2 … 4 (gemmlowp GEMMLOWP_EXP_BARREL_SHIFTER). */
const EXP_BARREL: readonly (readonly [number, number])[] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl, Q0.31 → Q0.31. */
function expOnIntervalNegQuarterTo0(a: number): number {
  const x = (a + (1 << 28)) | 0; // a + 1/8
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT((srdhm((x4Over4 + x3) | 0, ONE_THIRD) + x2) | 0, 1);
  return (EXP_MINUS_ONE_EIGHTH + srdhm(EXP_MINUS_ONE_EIGHTH, (x + poly) | 0)) | 0;
}

/**
 * gemmlowp exp_on_negative_values for a Q`integerBits` input (raw int32 a ≤ 0), result Q0.31.
 * Integer adds/subtracts wrap like the C int32 ops.
 */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusQuarter = ((a & mask) - oneQuarter) | 0;
  // Rescale<0> from Q(integerBits) to Q0: saturating multiply by 2^integerBits.
  let result = expOnIntervalNegQuarterTo0(saturatingRoundingMultiplyByPOT(aModQuarterMinusQuarter, integerBits));
  const remainder = (aModQuarterMinusQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) result = srdhm(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits)) | 0; // −32 in Q(integerBits)
    if (a < clamp) result = 0;
  }
  return a === 0 ? Q0_ONE : result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1 (Newton–Raphson), raw Q0.31 in and out. */
function oneOverOnePlusX(a: number): number {
  // RoundingHalfSum(a, One) in int64: (a + One + sign) / 2, truncating.
  const sum = a + Q0_ONE;
  const halfDenominator = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
  let x = (Q2_48_OVER_17 + srdhm(halfDenominator, Q2_NEG_32_OVER_17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = srdhm(halfDenominator, x);
    const oneMinus = (Q2_ONE - halfDenominatorTimesX) | 0;
    // Rescale<2> of a Q2·Q2 = Q4 product back to Q2: saturating ×2^2.
    x = (x + saturatingRoundingMultiplyByPOT(srdhm(x, oneMinus), 2)) | 0;
  }
  // Rescale<0>(ExactMulByPot<−1>(x)): reinterpret as Q1, then saturating ×2^1 to Q0.
  return saturatingRoundingMultiplyByPOT(x, 1);
}

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

export function softmaxInt8(input: Tensor, attrs: SoftmaxAttrs): Tensor {
  if (!(input.data instanceof Int8Array)) throw new RangeError(`softmax: input must be i8, got ${input.dtype}`);
  const data = input.data;
  const depth = input.shape[input.shape.length - 1] ?? 1;
  if (depth === 0) return makeTensor("i8", input.shape, new Int8Array(0));
  const rows = data.length / depth;
  const out = new Int8Array(data.length);
  const { input_multiplier: multiplier, input_left_shift: leftShift, diff_min: diffMin } = attrs;
  const singleRound = (attrs.rounding ?? "gemmlowp") === "single-round";
  // Validate the shift once so that no call in the loops can throw.
  multiplyByQuantizedMultiplierGreaterThanOne(0, multiplier, leftShift, singleRound);
  const exps = new Int32Array(depth); // per-row scratch: exp of each scaled diff (Q0.31)

  for (let r = 0; r < rows; r++) {
    const base = r * depth;
    let maxInRow = -128;
    for (let c = 0; c < depth; c++) if (data[base + c]! > maxInRow) maxInRow = data[base + c]!;

    let sumOfExps = 0;
    for (let c = 0; c < depth; c++) {
      const diff = data[base + c]! - maxInRow;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift, singleRound);
        const e = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
        exps[c] = e;
        // Rescale<12> from Q0.31 to Q12.19 is a rounding right shift by 12.
        sumOfExps = (sumOfExps + roundingDivideByPOT(e, ACCUMULATION_INTEGER_BITS)) | 0;
      }
    }

    // GetReciprocal(sum, 12): normalise the sum into [1, 2) and invert 1 + x.
    const headroomPlusOne = Math.clz32(sumOfExps);
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne;
    const shiftedSumMinusOne = ((sumOfExps << headroomPlusOne) - INT32_MIN) | 0; // uint32 arithmetic, as in C
    const shiftedScale = oneOverOnePlusX(shiftedSumMinusOne);
    const exponent = numBitsOverUnit + 31 - 8;
    if (exponent < 0 || exponent > 31) throw new RangeError(`softmax: reciprocal exponent ${exponent} out of [0, 31] (TFLITE_CHECK)`);

    for (let c = 0; c < depth; c++) {
      const diff = data[base + c]! - maxInRow;
      if (diff >= diffMin) {
        const v = roundingDivideByPOT(srdhm(shiftedScale, exps[c]!), exponent) - 128;
        out[base + c] = v > 127 ? 127 : v < -128 ? -128 : v;
      } else {
        out[base + c] = -128;
      }
    }
  }
  return makeTensor("i8", input.shape, out);
}

/**
 * TFLite softmax Prepare for int8: `PreprocessSoftmaxScaling(beta, input_scale, 5)` then
 * `diff_min = −CalculateInputRadius(5, input_left_shift, 31)`.
 * real = min(beta·input_scale·2^(31−5), 2^31 − 1) (2^30 − 1 with single rounding), quantized by
 * QuantizeMultiplierGreaterThanOne; radius = floor((2^5 − 1)·2^26 / 2^left_shift).
 */
export function prepareSoftmax(beta: number, inputScale: number, rounding: "gemmlowp" | "single-round" = "gemmlowp"): SoftmaxAttrs {
  const maxReal = rounding === "single-round" ? 2 ** 30 - 1 : 2 ** 31 - 1;
  const real = Math.min(beta * inputScale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), maxReal);
  const q = quantizeMultiplier(real, { singleRounding: rounding === "single-round" });
  if (q.shift < 0) throw new RangeError(`softmax: beta·input_scale = ${beta * inputScale} is too small (left shift ${q.shift} < 0)`);
  const radius = Math.floor((((1 << SCALED_DIFF_INTEGER_BITS) - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** q.shift);
  return { input_multiplier: q.multiplier, input_left_shift: q.shift, diff_min: -radius, rounding };
}
