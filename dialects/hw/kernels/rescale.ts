/**
 * hw.rescale: TOSA RESCALE.
 *   v = in − input_zp                                   (int48: exact in a JS number)
 *   r = scale32 ? apply_scale_32(v, multiplier[c], shift[c], double_round)
 *               : apply_scale_16(v, multiplier[c], shift[c])
 *   out = clamp(r + output_zp, output type range)
 * c is the index along the last dimension when `per_channel`, else 0. Signedness comes from the
 * storage arrays (Uint8Array/Uint16Array read zero-extended, as TOSA's input_unsigned/output_unsigned);
 * zero points are plain integers in that domain (e.g. 128 for a u8 tensor centred at 128).
 * TOSA's shifts are right shifts in [2, 62] (s_tosa = 31 − shift_tflite for 32-bit multipliers).
 * An i64 input holds TOSA's int48 accumulators and needs scale32 = false (spec: ERROR_IF(scale32 && int48)).
 */

import { applyScale16, applyScale32 } from "../../../src/interp/fixed-point.js";
import { integerRange, makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import { allocateInt, isIntArray, type IntArray, type IntOutputType } from "./output-stage.js";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads int64 storage as numbers without BigInt in the loop: each element is two int32 words
 * (low word unsigned), value = high·2^32 + low, exact for the int48 values TOSA puts there.
 */
function int48Reader(data: BigInt64Array): (i: number) => number {
  const words = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  const hi = 1 - lo;
  return (i) => words[2 * i + hi]! * 4294967296 + (words[2 * i + lo]! >>> 0);
}

export interface RescaleAttrs {
  readonly input_zp: number;
  readonly output_zp: number;
  /** Non-negative multipliers: int32 when scale32, else int16. One, or one per last-dim channel. */
  readonly multiplier: ArrayLike<number>;
  /** TOSA right shifts in [2, 62], same length as multiplier. */
  readonly shift: ArrayLike<number>;
  readonly scale32: boolean;
  /** TOSA DOUBLE_ROUND (only with scale32). */
  readonly double_round: boolean;
  readonly per_channel: boolean;
  readonly output_type: IntOutputType;
}

export function rescale(input: Tensor, attrs: RescaleAttrs): Tensor {
  const data = input.data;
  const isInt48 = data instanceof BigInt64Array;
  if (!isInt48 && !isIntArray(data)) throw new RangeError(`rescale: input must be an integer tensor, got ${input.dtype}`);
  if (isInt48 && attrs.scale32) throw new RangeError("rescale: an int48 (i64) input needs scale32 = false");
  if (attrs.double_round && !attrs.scale32) throw new RangeError("rescale: double_round needs scale32");
  const channels = attrs.per_channel ? (input.shape[input.shape.length - 1] ?? 1) : 1;
  if (attrs.multiplier.length !== channels || attrs.shift.length !== channels) {
    throw new RangeError(`rescale: expected ${channels} multiplier/shift entries, got ${attrs.multiplier.length}/${attrs.shift.length}`);
  }
  const multiplier = Float64Array.from(attrs.multiplier);
  const shift = Int32Array.from(attrs.shift);
  for (let c = 0; c < channels; c++) {
    // Validate once here so that the per-element calls cannot throw halfway through a tensor.
    if (attrs.scale32) applyScale32(0, multiplier[c]!, shift[c]!, attrs.double_round);
    else applyScale16(0, multiplier[c]!, shift[c]!);
  }
  const { min, max } = integerRange(attrs.output_type);
  const n = data.length;
  const out = allocateInt(attrs.output_type, n);
  const inZp = attrs.input_zp;
  const outZp = attrs.output_zp;
  const doubleRound = attrs.double_round;
  const scale32 = attrs.scale32;
  const read = isInt48 ? int48Reader(data) : (data as IntArray);
  for (let i = 0, c = 0; i < n; i++) {
    const value = (typeof read === "function" ? read(i) : read[i]!) - inZp;
    const r = scale32 ? applyScale32(value, multiplier[c]!, shift[c]!, doubleRound) : applyScale16(value, multiplier[c]!, shift[c]!);
    const v = r + outZp;
    out[i] = v < min ? min : v > max ? max : v;
    if (++c === channels) c = 0;
  }
  return makeTensor(attrs.output_type, input.shape, out);
}
