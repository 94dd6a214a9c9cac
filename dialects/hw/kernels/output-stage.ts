/**
 * The output stage of the accumulating hw kernels (conv2d, depthwise_conv2d, fully_connected):
 * `out = clamp(requantize(acc, multiplier[c], shift[c]) + output_zp, act_min, act_max)`
 * (TFLite reference_integer_ops; fused relu/relu6 are the clamp bounds).
 */

import { INT32_MAX, INT32_MIN, multiplyByQuantizedMultiplierInt64 } from "../../../src/interp/fixed-point.js";
import { integerRange, type DType, type Tensor, type TypedArray } from "../../../src/interp/tensor.js";
import { broadcastBinary } from "./broadcast.js";
import { allocate } from "../../../src/interp/tensor.js";
import { requantizer, roundHalfEven, type Requantizer, type RoundingMode } from "../../../src/interp/rounding.js";

/** Integer storage types an hw kernel can write. */
export type IntOutputType = "i8" | "u8" | "i16" | "u16" | "i32";

/** Requantization attributes as the hw ops carry them. */
export interface RequantAttrs {
  /** Q0.31 multipliers: one (per-tensor) or one per output channel. */
  readonly multiplier: ArrayLike<number>;
  /** TFLite shifts (positive = left), same length as `multiplier`. */
  readonly shift: ArrayLike<number>;
  /** Real multipliers (input_scale·weight_scale/output_scale), same length; needed by `half-even-float` only. */
  readonly scale?: ArrayLike<number>;
  readonly output_zp: number;
  /** Clamp bounds; default: the output type's range. */
  readonly act_min?: number;
  readonly act_max?: number;
  /** Default `gemmlowp` (TFLite reference). */
  readonly rounding?: RoundingMode;
}

/** Per-channel parameters expanded to `channels` entries, ready for the inner loop. */
export interface OutputStage {
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
  readonly scale: Float64Array;
  readonly zp: number;
  readonly min: number;
  readonly max: number;
  readonly rounding: RoundingMode;
  /** Requantizer of int32 accumulators (int8 activations). */
  readonly requant: Requantizer;
  /**
   * Requantizer of 64-bit accumulators (16x8 kernels). TFLite's int64 MultiplyByQuantizedMultiplier
   * (16-bit reduced multiplier, one rounding) is the same code in its single- and double-rounding
   * builds, and TOSA rescales an int48 accumulator with apply_scale_16, the same formula; so the three
   * integer modes share it. `half-even-float` rounds acc·scale as for int32.
   */
  readonly requantWide: Requantizer;
}

const wideIntegerRequantizer: Requantizer = (acc, multiplier, shift) => multiplyByQuantizedMultiplierInt64(acc, multiplier, shift);
const wideFloatRequantizer: Requantizer = (acc, _multiplier, _shift, scale) => {
  const r = roundHalfEven(Math.fround(Math.fround(acc) * Math.fround(scale)));
  return r < INT32_MIN ? INT32_MIN : r > INT32_MAX ? INT32_MAX : r;
};

function expand(values: ArrayLike<number> | undefined, channels: number, what: string, target: Int32Array | Float64Array, fill: number): void {
  if (values === undefined) {
    target.fill(fill);
    return;
  }
  if (values.length === 1) target.fill(values[0]!);
  else if (values.length === channels) for (let c = 0; c < channels; c++) target[c] = values[c]!;
  else throw new RangeError(`${what} must have 1 or ${channels} entries, got ${values.length}`);
}

export function outputStage(attrs: RequantAttrs, channels: number, outType: IntOutputType): OutputStage {
  const range = integerRange(outType);
  const min = attrs.act_min ?? range.min;
  const max = attrs.act_max ?? range.max;
  if (min < range.min || max > range.max || min > max) {
    throw new RangeError(`activation range [${min}, ${max}] is not inside the ${outType} range [${range.min}, ${range.max}]`);
  }
  const rounding = attrs.rounding ?? "gemmlowp";
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  const scale = new Float64Array(channels);
  expand(attrs.multiplier, channels, "multiplier", multiplier, 0);
  expand(attrs.shift, channels, "shift", shift, 0);
  if (attrs.shift.length !== attrs.multiplier.length) throw new RangeError("multiplier and shift must have the same length");
  expand(attrs.scale, channels, "scale", scale, Number.NaN);
  if (rounding === "half-even-float" && attrs.scale === undefined) {
    throw new RangeError("rounding = half-even-float needs the real `scale` per channel");
  }
  return {
    multiplier,
    shift,
    scale,
    zp: attrs.output_zp,
    min,
    max,
    rounding,
    requant: requantizer(rounding),
    requantWide: rounding === "half-even-float" ? wideFloatRequantizer : wideIntegerRequantizer,
  };
}

/** Largest |v − zp| over the values of an integer array type. */
function maxMagnitude(data: IntArray, zp: number): number {
  const range = integerRange(dtypeOfIntArray(data));
  return Math.max(Math.abs(range.min - zp), Math.abs(range.max - zp));
}

export function dtypeOfIntArray(data: IntArray): IntOutputType {
  if (data instanceof Int8Array) return "i8";
  if (data instanceof Uint8Array) return "u8";
  if (data instanceof Int16Array) return "i16";
  if (data instanceof Uint16Array) return "u16";
  return "i32";
}

/**
 * Accumulator width of a multiply-accumulate kernel. TFLite accumulates int8 activations in int32
 * (wrapping like C int32, which `| 0` and Int32Array stores reproduce) and int16 activations (16x8)
 * in int64. An int64 bias also selects the wide accumulator.
 */
export function isWideAccumulation(input: IntArray, bias: TypedArray | undefined): boolean {
  return input instanceof Int16Array || input instanceof Uint16Array || bias instanceof BigInt64Array;
}

/**
 * Bias per output channel as doubles (0 where there is no bias), and the proof obligation of the
 * accumulating kernels: they sum products in plain JS numbers, exact while |acc| ≤ 2^53. With `taps`
 * products per output, |acc| ≤ max|bias| + taps·max|in − in_zp|·max|w − w_zp| (every partial sum,
 * in any order, obeys the same bound); we check it here once, so the inner loops need no checks
 * (int8: 2^8·2^8 per product allows 2^37 taps; int16 × int8: 2^16·2^8 per product, a bias below 2^52
 * and up to 2^28 taps pass). The int64 accumulator of 16x8 kernels is then exact; the int32 one of
 * 8-bit kernels is this exact sum reduced once mod 2^32, which equals C's add-and-wrap at every step
 * because reduction mod 2^32 commutes with + and ·.
 */
export function biasValues(
  bias: TypedArray | undefined,
  channels: number,
  wide: boolean,
  input: IntArray,
  inputZp: number,
  weights: IntArray,
  weightZp: number,
  taps: number,
): Float64Array {
  const values = new Float64Array(channels);
  let maxBias = 0;
  if (bias !== undefined) {
    if (bias.length !== channels) throw new RangeError(`bias must have ${channels} entries, got ${bias.length}`);
    if (bias instanceof BigInt64Array) {
      if (!wide) throw new RangeError("an int64 bias needs a wide (int16-activation) kernel");
      for (let c = 0; c < channels; c++) values[c] = Number(bias[c]!);
    } else if (bias instanceof Int32Array) {
      values.set(bias);
    } else {
      throw new RangeError("bias must be int32 (Int32Array) or int64 (BigInt64Array)");
    }
    for (let c = 0; c < channels; c++) maxBias = Math.max(maxBias, Math.abs(values[c]!));
  }
  // Checked for the int32 path too: its kernels also sum exactly in doubles and wrap once at the end.
  const bound = maxBias + taps * maxMagnitude(input, inputZp) * maxMagnitude(weights, weightZp);
  if (!(bound <= 2 ** 53)) {
    throw new RangeError(`accumulator bound ${bound} exceeds 2^53: bias or reduction too large for exact evaluation`);
  }
  return values;
}


/** Typed array for an integer output type (tensor.ts's storage for that dtype). */
export function allocateInt(type: IntOutputType, count: number): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array {
  return allocate(type, count) as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;
}

/** Integer typed arrays the kernels read as activations or weights. */
export type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

export function isIntArray(data: unknown): data is IntArray {
  return (
    data instanceof Int8Array ||
    data instanceof Uint8Array ||
    data instanceof Int16Array ||
    data instanceof Uint16Array ||
    data instanceof Int32Array
  );
}

/** Output type matching an activation dtype (an hw op's result usually has its input's storage type). */
export function intOutputTypeOf(dtype: DType): IntOutputType {
  if (dtype === "i8" || dtype === "u8" || dtype === "i16" || dtype === "u16" || dtype === "i32") return dtype;
  throw new RangeError(`${dtype} is not an integer activation type`);
}

/** The integer rounding modes; ops whose attributes hold only integer multipliers accept these. */
export type IntegerRounding = Exclude<RoundingMode, "half-even-float">;

/** Requantizer for ops with integer multipliers only (add, mul): `half-even-float` has no meaning there. */
export function integerRequantizer(rounding: RoundingMode | undefined, op: string): Requantizer {
  const mode = rounding ?? "gemmlowp";
  if (mode === "half-even-float") throw new RangeError(`${op}: rounding = half-even-float needs real scales; this op carries integer multipliers only`);
  return requantizer(mode);
}

/** The set-up every quantized elementwise kernel (add, mul) shares: inputs, broadcast, output, clamp, requantizer. */
export function elementwiseStage(
  op: string,
  input1: Tensor,
  input2: Tensor,
  attrs: { readonly act_min?: number; readonly act_max?: number; readonly rounding?: IntegerRounding; readonly output_type?: IntOutputType },
) {
  if (!isIntArray(input1.data) || !isIntArray(input2.data)) throw new RangeError(`${op}: inputs must be integer tensors`);
  const outType = attrs.output_type ?? intOutputTypeOf(input1.dtype);
  const range = integerRange(outType);
  const bc = broadcastBinary(input1.shape, input2.shape);
  return {
    a: input1.data,
    b: input2.data,
    outType,
    min: attrs.act_min ?? range.min,
    max: attrs.act_max ?? range.max,
    requant: integerRequantizer(attrs.rounding, op),
    bc,
    out: allocateInt(outType, bc.size),
  };
}
