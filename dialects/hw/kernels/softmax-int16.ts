/**
 * hw.softmax for int16: TFLite reference_ops::SoftmaxInt16 (kernels/internal/reference/softmax.h), the
 * kernel CMSIS-NN arm_softmax_s16 also implements, along the last axis. Two 513-entry Q0.15 tables read
 * with TFLite's interpolated lookup (`lut16Interpolated`, LUTLookup in kernels/internal/common.h):
 *
 *   diff = in − max(row)                                  in [−65535, 0]
 *   scaled = MultiplyByQuantizedMultiplier(diff, input_multiplier, input_left_shift)
 *            (input_multiplier·2^input_left_shift ≈ input_scale·β / (10/65535): [−65535, 0] ↔ [−10, 0])
 *   e = LUTLookup(clamp(scaled + 32767, −32768, 32767), exp table)            Q0.15 of exp(diff·scale·β)
 *   sum = Σ e                                             int32
 *   h = clz32(sum), so sum = (1 + x)·2^(31−h) with x in [0, 1)
 *   shifted = (sum·2^(h−1) + 2^13) >> 14  (int64)          2^16·(1 + x), in [2^16, 2^17]
 *   r = LUTLookup(clamp(shifted − 98304, −32768, 32767), 1/(1+x) table)      Q0.15 of 1/(1 + x)
 *   out = clamp((e·r + 2^(30−h)) >> (31 − h), 0, 32767)                       Q0.15 of e / sum
 *
 * Output quantization is fixed: scale 1/32768, zero point 0; the input's zero point must be 0 (TFLite's
 * Prepare enforces both).
 *
 * The tables are TFLite's Prepare (kernels/activations.cc, SoftmaxPrepare for kTfLiteInt16) in its newer
 * form, `LUTPopulate<int16_t>` with double as FloatT (kernels/internal/common.h, LUTPopulateInt16):
 * exp over input scale 10/65535 with zero point 32767 ([−10, 0]), 1/(1 + x) over input scale 1/65535
 * with zero point −32768 ([0, 1]), both to output scale 2/65535, zero point 0. For these two functions
 * it gives the same tables as the older `gen_lut(func, min, max, table, 513)` (double, ×32768); TFLite
 * Micro's `LUTPopulate` with float arithmetic (the tables CMSIS-NN is handed) differs from them in entries
 * 160 and 294 of the 1/(1 + x) table. `prepareSoftmaxInt16` computes input_multiplier and input_left_shift
 * from β and the input scale as that Prepare does.
 */

import { INT32_MAX, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierSingleRound, quantizeMultiplier } from "../../../src/interp/fixed-point.js";
import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import { lut16Interpolated } from "./lut.js";

export interface SoftmaxInt16Attrs {
  /** Q0.31 multiplier of the input differences (≥ 0), TFLite's QuantizeMultiplier. */
  readonly input_multiplier: number;
  /** Its exponent: positive shifts left, negative right (−31 … 30). */
  readonly input_left_shift: number;
  /** TFLite build: `gemmlowp` (default) or `single-round` (TFLITE_SINGLE_ROUNDING); changes the input scaling only. */
  readonly rounding?: "gemmlowp" | "single-round";
}

/** The fixed output quantization of TFLite's int16 softmax. */
export const SOFTMAX_INT16_OUTPUT = { scale: 1 / 32768, zeroPoint: 0 } as const;

/** Rows longer than this could overflow the int32 sum of Q0.15 exponentials (each ≤ 32767). */
export const SOFTMAX_INT16_MAX_DEPTH = Math.floor(INT32_MAX / 32767);

const LUT_STEPS = 512;
const INT16_RANGE = 65535; // int16 max − min, TFLite's `range`

/** std::round: ties away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * TFLite `LUTPopulateInt16<double>` (int16 → int16): 512 samples of `f` over the input range of
 * (inputScale, inputZp), each biased by half the interpolation error at its interval's midpoint, plus
 * the end point; values in units of the output range of (outputScale, outputZp), saturated to int16.
 * Every operation is a double operation in the C order.
 */
function populateInt16(inputScale: number, inputZp: number, outputScale: number, outputZp: number, f: (x: number) => number): Int16Array {
  const inputMin = inputScale * (-32768 - inputZp);
  const inputMax = inputScale * (32767 - inputZp);
  const outputMin = outputScale * (-32768 - outputZp);
  const outputMax = outputScale * (32767 - outputZp);
  const step = (inputMax - inputMin) / LUT_STEPS;
  const halfStep = step / 2;
  const outputScalingInv = 65536 / (outputMax - outputMin);
  const clamp = (v: number): number => Math.min(Math.max(v, -32768), 32767);
  const lut = new Int16Array(LUT_STEPS + 1);
  for (let i = 0; i < LUT_STEPS; i++) {
    const val = f(inputMin + i * step);
    const valMidpoint = f(inputMin + i * step + halfStep);
    const valNext = f(inputMin + (i + 1) * step);
    const sample = roundHalfAway(val * outputScalingInv);
    const midpointInterp = roundHalfAway((valNext * outputScalingInv + roundHalfAway(val * outputScalingInv)) / 2);
    const midpoint = roundHalfAway(valMidpoint * outputScalingInv);
    const bias = roundHalfAway((midpointInterp - midpoint) / 2);
    lut[i] = clamp(sample - bias);
  }
  lut[LUT_STEPS] = clamp(roundHalfAway(f(inputMax) * outputScalingInv));
  return lut;
}

// Fixed by the kernel, not by the op's parameters: built once, handed out only as copies.
const EXP_TABLE = populateInt16(10 / INT16_RANGE, 32767, 2 / INT16_RANGE, 0, Math.exp);
const ONE_OVER_ONE_PLUS_X_TABLE = populateInt16(1 / INT16_RANGE, -32768, 2 / INT16_RANGE, 0, (x) => 1 / (1 + x));

/** Copies of the two tables TFLite's Prepare builds: exp on [−10, 0] and 1/(1 + x) on [0, 1], Q0.15, 513 entries each. */
export function softmaxInt16Tables(): { exp: Int16Array; oneOverOnePlusX: Int16Array } {
  return { exp: EXP_TABLE.slice(), oneOverOnePlusX: ONE_OVER_ONE_PLUS_X_TABLE.slice() };
}

function saturateInt16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

export function softmaxInt16(input: Tensor, attrs: SoftmaxInt16Attrs): Tensor {
  if (!(input.data instanceof Int16Array)) throw new RangeError(`softmax: the int16 kernel needs an i16 input, got ${input.dtype}`);
  const { input_multiplier: multiplier, input_left_shift: shift } = attrs;
  if (!Number.isInteger(multiplier) || multiplier < 0 || multiplier > INT32_MAX) throw new RangeError(`softmax: input_multiplier ${multiplier} is not in [0, ${INT32_MAX}]`);
  if (!Number.isInteger(shift) || shift < -31 || shift > 30) throw new RangeError(`softmax: input_left_shift ${shift} is not in [-31, 30]`);
  const scale =
    (attrs.rounding ?? "gemmlowp") === "single-round"
      ? (d: number) => multiplyByQuantizedMultiplierSingleRound(d, multiplier, shift)
      : (d: number) => multiplyByQuantizedMultiplier(d, multiplier, shift);
  const data = input.data;
  const depth = input.shape[input.shape.length - 1] ?? 1;
  if (depth === 0 || data.length === 0) return makeTensor("i16", input.shape, new Int16Array(data.length));
  if (depth > SOFTMAX_INT16_MAX_DEPTH) throw new RangeError(`softmax: a row of ${depth} int16 exponentials can overflow the int32 sum (at most ${SOFTMAX_INT16_MAX_DEPTH})`);
  const rows = data.length / depth;

  // exp of every scaled difference, in one interpolated lookup.
  const symmetricDiffs = new Int16Array(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * depth;
    let maxInRow = -32768;
    for (let c = 0; c < depth; c++) if (data[base + c]! > maxInRow) maxInRow = data[base + c]!;
    // Recentre [−65535, 0] ↦ [−32768, 32767], the exp table's input range.
    for (let c = 0; c < depth; c++) symmetricDiffs[base + c] = saturateInt16(scale(data[base + c]! - maxInRow) + 32767);
  }
  const exps = lut16Interpolated(makeTensor("i16", [data.length], symmetricDiffs), EXP_TABLE).data as Int16Array;

  // Per row: the sum normalised to 1 + x with x in [0, 1], recentred to the 1/(1 + x) table's input range.
  const headroomPlusOne = new Int32Array(rows);
  const symmetricSums = new Int16Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < depth; c++) sum += exps[r * depth + c]!;
    const h = Math.clz32(sum);
    headroomPlusOne[r] = h;
    // (sum << (h − 1)) lies in [2^30, 2^31): exact in a double; + 2^13, >> 14 rounds it to 17 bits.
    const shiftedSum = Math.floor((sum * 2 ** (h - 1) + (1 << 13)) / (1 << 14));
    // x = shiftedSum/2^16 − 1 in [0, 1], recentred from [0, 65536] to [−32768, 32768].
    symmetricSums[r] = saturateInt16(shiftedSum - ((1 << 15) + (1 << 16)));
  }
  const reciprocals = lut16Interpolated(makeTensor("i16", [rows], symmetricSums), ONE_OVER_ONE_PLUS_X_TABLE).data as Int16Array;

  const out = new Int16Array(data.length);
  for (let r = 0; r < rows; r++) {
    const rightShift = 31 - headroomPlusOne[r]!;
    const round = 2 ** (rightShift - 1);
    const divisor = 2 ** rightShift;
    const reciprocal = reciprocals[r]!;
    for (let c = 0; c < depth; c++) {
      // e·r < 2^30 and the rounding term ≤ 2^29: exact in a double; floor is the C >> on the int64.
      const v = Math.floor((exps[r * depth + c]! * reciprocal + round) / divisor);
      out[r * depth + c] = v > 32767 ? 32767 : v < 0 ? 0 : v;
    }
  }
  return makeTensor("i16", input.shape, out);
}

/**
 * TFLite softmax Prepare for int16 (kernels/activations.cc): the input zero point must be 0, and
 * `QuantizeMultiplier(input_scale·β / (10/65535))` gives input_multiplier and input_left_shift, mapping
 * differences of [−65535, 0] stored steps onto the exp table's [−10, 0]. `input_scale·β` is a float
 * product in TFLite (both are `float`), the division a double one. A left shift above 30 (scales above
 * about 1.6·10^5) would shift by 31 in C (undefined), so it is refused.
 */
export function prepareSoftmaxInt16(beta: number, input: { scale: number; zeroPoint: number }, rounding: "gemmlowp" | "single-round" = "gemmlowp"): SoftmaxInt16Attrs {
  if (input.zeroPoint !== 0) throw new RangeError(`softmax: TFLite's int16 softmax needs input zero point 0, got ${input.zeroPoint}`);
  const real = Math.fround(Math.fround(input.scale) * Math.fround(beta)) / (10 / 65535);
  const q = quantizeMultiplier(real, { singleRounding: rounding === "single-round" });
  if (q.shift > 30) throw new RangeError(`softmax: input_scale·β = ${input.scale * beta} needs an input left shift of ${q.shift} (more than 30)`);
  return { input_multiplier: q.multiplier, input_left_shift: q.shift, rounding };
}
