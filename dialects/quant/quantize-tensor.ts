/** Quantize and dequantize whole tensors with a !quant.uniform type (per tensor or per axis). */
import type { UniformQuantType } from "../../src/ir/types.js";
import type { DType, Tensor } from "../../src/interp/tensor.js";
import { allocate, roundToF16 } from "../../src/interp/tensor.js";

/** The runtime dtype holding a quantized type's storage. */
export function storageDType(q: UniformQuantType): DType {
  const w = q.storage.width;
  const unsigned = q.storage.signedness === "unsigned";
  if (w <= 8) return unsigned ? "u8" : "i8";
  if (w <= 16) return unsigned ? "u16" : "i16";
  return unsigned ? "u32" : "i32";
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; move exact ties that landed on an odd number back to the even one.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Element i's channel along `axis` of a row-major shape. */
function channelStride(shape: readonly number[], axis: number): { inner: number; channels: number } {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return { inner, channels: shape[axis]! };
}

export function quantizeTensor(input: Tensor, q: UniformQuantType, rounding: "half-even" | "half-away"): Tensor {
  const dtype = storageDType(q);
  const out = allocate(dtype, input.data.length) as Int32Array;
  const src = input.data as Float32Array;
  const round = rounding === "half-even" ? roundHalfEven : roundHalfAway;
  const { storageMin: lo, storageMax: hi } = q;
  const perAxis = q.axis !== undefined;
  const { inner, channels } = perAxis ? channelStride(input.shape, q.axis!) : { inner: src.length || 1, channels: 1 };
  for (let i = 0; i < src.length; i++) {
    const c = perAxis ? Math.floor(i / inner) % channels : 0;
    // Divide in f32 as ONNX QuantizeLinear and MLIR's lowering of quant.qcast do (f64 differs near ties).
    const v = round(Math.fround(src[i]! / Math.fround(q.scales[c]!))) + q.zeroPoints[c]!;
    out[i] = v < lo ? lo : v > hi ? hi : Number.isNaN(v) ? q.zeroPoints[c]! : v;
  }
  return { dtype, shape: input.shape, data: out };
}

export function dequantizeTensor(input: Tensor, q: UniformQuantType, dtype: "f32" | "f16"): Tensor {
  const src = input.data as Int32Array;
  const out = new Float32Array(src.length);
  const perAxis = q.axis !== undefined;
  const { inner, channels } = perAxis ? channelStride(input.shape, q.axis!) : { inner: src.length || 1, channels: 1 };
  for (let i = 0; i < src.length; i++) {
    const c = perAxis ? Math.floor(i / inner) % channels : 0;
    const v = Math.fround((src[i]! - q.zeroPoints[c]!) * Math.fround(q.scales[c]!));
    out[i] = dtype === "f16" ? roundToF16(v) : v;
  }
  return { dtype, shape: input.shape, data: out };
}
