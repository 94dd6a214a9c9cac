/**
 * Compile-time tensors: initializers, Constant nodes and folded shape computations, held as runtime
 * tensors in ONNX order until an op needs them as IR constants (in whatever layout it wants).
 */
import type { DenseAttr } from "../../ir/attributes.js";
import type { Type } from "../../ir/types.js";
import { tensorType } from "../../ir/types.js";
import type { DType, Tensor } from "../../interp/tensor.js";
import { allocate, elementCount, makeTensor, roundToF16 } from "../../interp/tensor.js";
import { transpose } from "../../../dialects/float/kernels/shape-ops.js";
import type { Perm } from "./layout.js";
import { isIdentity } from "./layout.js";

/** `t` in layout `perm` (dim i of the result is dim perm[i] of `t`). */
export function permuteTensor(t: Tensor, perm: Perm): Tensor {
  if (isIdentity(perm)) return t;
  return transpose(t, perm);
}

/** Same elements, new shape (the element count must match). */
export function reshapeTensor(t: Tensor, shape: readonly number[]): Tensor {
  return makeTensor(t.dtype, shape, t.data);
}

/** The elements as JS numbers (int64 values beyond 2^53 lose precision; shapes never get there). */
export function tensorNumbers(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** A tensor of `dtype` holding `values` (converted to the dtype's storage). */
export function tensorOfNumbers(dtype: DType, shape: readonly number[], values: readonly number[]): Tensor {
  const data = allocate(dtype, values.length);
  if (data instanceof BigInt64Array) values.forEach((v, i) => (data[i] = BigInt(Math.trunc(v))));
  else values.forEach((v, i) => ((data as Float32Array)[i] = v));
  return makeTensor(dtype, shape, data);
}

/** A tensor of `shape` with every element equal to the single element of `value`. */
export function filledTensor(value: Tensor, shape: readonly number[]): Tensor {
  const data = allocate(value.dtype, elementCount(shape));
  if (value.data.length > 0) {
    if (data instanceof BigInt64Array) data.fill(value.data[0] as bigint);
    else (data as Float32Array).fill(Number(value.data[0]));
  }
  return makeTensor(value.dtype, shape, data);
}

/** `dense<...>` holding `t` with element type `element`; a tensor whose elements are all equal becomes a splat. */
export function denseOf(t: Tensor, element: Type): DenseAttr {
  const type = tensorType([...t.shape], element);
  const d = t.data;
  let splat = d.length > 1;
  for (let i = 1; splat && i < d.length; i++) if (!Object.is(d[i], d[0])) splat = false;
  if (splat) {
    const one = allocate(t.dtype, 1);
    if (one instanceof BigInt64Array) one[0] = d[0] as bigint;
    else (one as Float32Array)[0] = Number(d[0]);
    return { kind: "dense", type, splat: true, data: one };
  }
  return { kind: "dense", type, splat: false, data: d };
}

/** `t · s` elementwise, rounded to `t`'s float type (f32 by its Float32Array, f16 explicitly). */
export function scaleTensor(t: Tensor, s: number): Tensor {
  if (t.dtype !== "f32" && t.dtype !== "f16" && t.dtype !== "f64") throw new RangeError(`cannot scale a ${t.dtype} tensor`);
  const src = t.data as Float32Array | Float64Array;
  const out = allocate(t.dtype, src.length) as Float32Array | Float64Array;
  for (let i = 0; i < src.length; i++) out[i] = t.dtype === "f16" ? roundToF16(src[i]! * s) : src[i]! * s;
  return makeTensor(t.dtype, t.shape, out);
}
