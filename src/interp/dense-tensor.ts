/** Conversions between IR types / dense attributes and runtime tensors. */
import type { DenseAttr } from "../ir/attributes.js";
import type { Type } from "../ir/types.js";
import { elementType } from "../ir/types.js";
import type { DType, Tensor, TypedArray } from "./tensor.js";
import { allocate, elementCount } from "./tensor.js";

/** The runtime dtype of a type's elements (quantized types run on their storage integers). */
export function dtypeOf(t: Type): DType {
  const e = elementType(t);
  switch (e.kind) {
    case "float":
      return e.name === "f64" ? "f64" : e.name === "f32" ? "f32" : "f16";
    case "int": {
      const u = e.signedness === "unsigned";
      if (e.width === 1) return "i1";
      if (e.width <= 8) return u ? "u8" : "i8";
      if (e.width <= 16) return u ? "u16" : "i16";
      if (e.width <= 32) return u ? "u32" : "i32";
      return "i64";
    }
    case "index":
      return "i64";
    case "quant.uniform":
    case "quant.any": {
      const s = e.storage;
      const u = s.signedness === "unsigned";
      if (s.width <= 8) return u ? "u8" : "i8";
      if (s.width <= 16) return u ? "u16" : "i16";
      return u ? "u32" : "i32";
    }
    default:
      throw new TypeError(`no runtime representation for ${e.kind} values`);
  }
}

/** The runtime tensor of a dense attribute (splats expanded). */
export function denseToTensor(attr: DenseAttr): Tensor {
  const shape = attr.type.shape ?? [];
  const dtype = dtypeOf(attr.type);
  const count = elementCount(shape);
  if (!attr.splat && attr.data.length === count) return { dtype, shape, data: convertStorage(attr.data, dtype) };
  const out = allocate(dtype, count);
  const v = attr.data[0]!;
  if (out instanceof BigInt64Array) out.fill(BigInt(v));
  else (out as Float32Array).fill(Number(v));
  return { dtype, shape, data: out };
}

/** Dense storage already uses the runtime typed arrays except where signedness views differ. */
function convertStorage(data: DenseAttr["data"], dtype: DType): TypedArray {
  const want = allocate(dtype, 0);
  if (want.constructor === data.constructor) return data;
  const out = allocate(dtype, data.length);
  if (out instanceof BigInt64Array) for (let i = 0; i < data.length; i++) out[i] = BigInt(data[i]!);
  else for (let i = 0; i < data.length; i++) (out as Float32Array)[i] = Number(data[i]!);
  return out;
}

/** Shape of a tensor type with dynamic dims, checked against a runtime shape; returns an error or undefined. */
export function checkShape(t: Type, shape: readonly number[]): string | undefined {
  if (t.kind !== "tensor" || t.shape === null) return undefined;
  if (t.shape.length !== shape.length) return `expected rank ${t.shape.length} ([${t.shape.map((d) => (d < 0 ? "?" : d)).join(", ")}]), got [${shape.join(", ")}]`;
  for (let i = 0; i < shape.length; i++) {
    const d = t.shape[i]!;
    if (d >= 0 && d !== shape[i]) return `expected shape [${t.shape.map((x) => (x < 0 ? "?" : x)).join(", ")}], got [${shape.join(", ")}]`;
  }
  return undefined;
}
