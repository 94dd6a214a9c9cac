/**
 * hw.dynamic_quantize: ONNX DynamicQuantizeLinear (uint8), computed in float32 as ONNX Runtime's
 * `GetQuantizationParameter` and MLAS `QuantizeLinear` do:
 *   min = min(0, min x), max = max(0, max x)
 *   scale = max == min ? 1 : f32(f32(max − min) / 255)
 *   zp = round_half_even(std::max(0, std::min(255, f32(0 − min / scale))))
 *   y = clamp(round_half_even(f32(x / scale)) + zp, 0, 255)
 * The ONNX formula divides by a zero scale when x is all zeros; ORT answers scale = 1, zp = 0 there,
 * and so does this kernel. The edge cases follow ORT (x86 CPU) too: a scale that underflows to 0 or overflows
 * to ∞ makes `−min / scale` NaN, which C++'s `std::min(255.f, NaN)` turns into zp = 255; a NaN
 * quotient (0/0, ∞/∞, a NaN element) quantizes to 0, as MLAS's max/min clamp does. NaN elements are
 * skipped when finding the range (ORT's scalar path; its vectorized min/max may propagate them).
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import { roundHalfEven, saturate } from "../../../src/interp/rounding.js";

const QMIN = 0;
const QMAX = 255;

export interface DynamicQuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** C++ `std::max(lo, std::min(hi, v))` on floats: a NaN `v` comes out as `hi`. */
function clampLikeCpp(v: number, lo: number, hi: number): number {
  const upper = v < hi ? v : hi;
  return lo < upper ? upper : lo;
}

/** ORT's quantization parameters of `data` (float32 values). */
export function dynamicQuantParams(data: ArrayLike<number>): DynamicQuantParams {
  let min = 0;
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const scale = max === min ? 1 : Math.fround(Math.fround(max - min) / (QMAX - QMIN));
  const initial = Math.fround(QMIN - Math.fround(min / scale));
  return { scale, zeroPoint: roundHalfEven(clampLikeCpp(initial, QMIN, QMAX)) };
}

/** `[y (u8, x's shape), y_scale (f32, shape []), y_zero_point (u8, shape [])]`. */
export function dynamicQuantize(x: Tensor): [Tensor, Tensor, Tensor] {
  if (x.dtype !== "f32") throw new RangeError(`dynamic_quantize: input must be f32, got ${x.dtype}`);
  const data = x.data as Float32Array;
  const { scale, zeroPoint } = dynamicQuantParams(data);
  const y = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const q = Math.fround(data[i]! / scale);
    y[i] = Number.isNaN(q) ? QMIN : saturate(roundHalfEven(q) + zeroPoint, QMIN, QMAX);
  }
  return [makeTensor("u8", x.shape, y), makeTensor("f32", [], Float32Array.of(scale)), makeTensor("u8", [], Uint8Array.of(zeroPoint))];
}
