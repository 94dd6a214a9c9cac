/**
 * The tensor shape float kernels read and write: a row-major Float32Array plus its shape.
 *
 * Kernels accept any `F32Input` (a runtime `Tensor` whose data is a Float32Array fits) and
 * return an `F32Tensor`, which is also a valid runtime `Tensor` of dtype `f32`.
 */
import { elementCount, type Tensor } from "../../../src/interp/tensor.js";

export interface F32Input {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface F32Tensor extends Tensor {
  readonly dtype: "f32";
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Wraps `data` (or a fresh zeroed buffer) as an f32 tensor; the element count must match the shape. */
export function f32Tensor(shape: readonly number[], data?: Float32Array): F32Tensor {
  const count = elementCount(shape);
  const buffer = data ?? new Float32Array(count);
  if (buffer.length !== count) {
    throw new RangeError(`f32 tensor of shape [${shape.join(",")}] needs ${count} elements, got ${buffer.length}`);
  }
  return { dtype: "f32", shape: [...shape], data: buffer };
}

/**
 * Narrows a runtime tensor to the f32 view kernels take. f16 tensors qualify too: their values are
 * already stored in a Float32Array (tensor.ts), and float ops on them compute in f32.
 */
export function asF32(t: Tensor, what = "operand"): F32Input {
  if ((t.dtype !== "f32" && t.dtype !== "f16") || !(t.data instanceof Float32Array)) {
    throw new TypeError(`${what}: float kernel needs an f32 tensor, got ${t.dtype}`);
  }
  return { shape: t.shape, data: t.data };
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Resolves a possibly negative axis against `rank` (numpy/ONNX convention), throwing when out of range. */
export function normalizeAxis(axis: number, rank: number, what = "axis"): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new RangeError(`${what} ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * The shape as small integers. Shapes built by arithmetic or parsing may hold heap doubles, and a
 * kernel whose loop bounds and index math saw doubles gets slower float-indexed code from V8.
 */
export function intDims(shape: readonly number[]): number[] {
  return shape.map((d) => d | 0);
}

/**
 * Validates integer attributes (strides, pads, …): `count` values, each an integer ≥ `min`.
 * Returns them as small integers, like `intDims`.
 */
export function checkedInts(op: string, what: string, values: readonly number[], count: number, min: number): number[] {
  if (values.length !== count) throw new RangeError(`${op}: ${what} needs ${count} values, got [${values.join(",")}]`);
  for (const v of values) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`${op}: ${what} must be integers ≥ ${min}, got [${values.join(",")}]`);
    }
  }
  return values.map((v) => v | 0);
}
