/**
 * hw.reshape / hw.transpose / hw.concat / hw.pad: data movement on stored integers (the quantization
 * parameters do not change, so values are copied bit for bit).
 */

import { allocate, elementCount, makeTensor, type Tensor, type TypedArray } from "../../../src/interp/tensor.js";

type NumberArray = Exclude<TypedArray, BigInt64Array>;

function numeric(t: Tensor, what: string): NumberArray {
  if (t.data instanceof BigInt64Array) throw new RangeError(`${what}: 64-bit tensors are not supported`);
  return t.data;
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/** The same data under another shape of equal element count. */
export function reshape(input: Tensor, shape: readonly number[]): Tensor {
  if (elementCount(shape) !== input.data.length) {
    throw new RangeError(`reshape: [${input.shape.join(",")}] has ${input.data.length} elements, [${shape.join(",")}] needs ${elementCount(shape)}`);
  }
  return makeTensor(input.dtype, shape, input.data);
}

/** `out[i_0, …] = in[i_perm⁻¹…]`: result dim d is input dim perm[d] (numpy/ONNX). */
export function transpose(input: Tensor, perm: readonly number[]): Tensor {
  const rank = input.shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new RangeError(`transpose: perm [${perm.join(",")}] is not a permutation of ${rank} dims`);
  }
  const data = numeric(input, "transpose");
  const outShape = perm.map((p) => input.shape[p]!);
  const inStrides = stridesOf(input.shape);
  const stepOf = perm.map((p) => inStrides[p]!);
  const out = allocate(input.dtype, data.length) as NumberArray;
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]! += 1;
      src += stepOf[d]!;
      if (counter[d]! < outShape[d]!) break;
      src -= stepOf[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return makeTensor(input.dtype, outShape, out);
}

/** Concatenation along `axis` (already resolved to 0 … rank − 1). */
export function concat(inputs: readonly Tensor[], axis: number): Tensor {
  if (inputs.length === 0) throw new RangeError("concat: needs at least one input");
  const first = inputs[0]!;
  const rank = first.shape.length;
  const outShape = [...first.shape];
  outShape[axis] = 0;
  for (const t of inputs) {
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      throw new RangeError(`concat: shapes [${first.shape.join(",")}] and [${t.shape.join(",")}] differ outside axis ${axis}`);
    }
    if (t.dtype !== first.dtype) throw new RangeError(`concat: dtypes ${first.dtype} and ${t.dtype} differ`);
    outShape[axis]! += t.shape[axis]!;
  }
  const outer = elementCount(first.shape.slice(0, axis));
  const inner = elementCount(first.shape.slice(axis + 1));
  const out = allocate(first.dtype, elementCount(outShape)) as NumberArray;
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (const t of inputs) {
      const chunk = t.shape[axis]! * inner;
      const data = numeric(t, "concat");
      out.set(data.subarray(i * chunk, (i + 1) * chunk) as never, o);
      o += chunk;
    }
  }
  return makeTensor(first.dtype, outShape, out);
}

/** Constant padding: `pads = [b_0, …, b_{r−1}, e_0, …, e_{r−1}]` (ONNX order), each ≥ 0, filled with `value`. */
export function pad(input: Tensor, pads: readonly number[], value: number): Tensor {
  const rank = input.shape.length;
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new RangeError(`pad: pads must be ${2 * rank} integers ≥ 0, got [${pads.join(",")}]`);
  }
  const data = numeric(input, "pad");
  const outShape = input.shape.map((d, i) => d + pads[i]! + pads[rank + i]!);
  const out = allocate(input.dtype, elementCount(outShape)) as NumberArray;
  out.fill(value);
  if (data.length === 0) return makeTensor(input.dtype, outShape, out);
  const outStrides = stridesOf(outShape);
  const inner = rank === 0 ? 1 : input.shape[rank - 1]!;
  const rows = data.length / Math.max(inner, 1);
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0; r < rows; r++) {
    let dst = rank === 0 ? 0 : pads[rank - 1]!;
    for (let d = 0; d < rank - 1; d++) dst += (counter[d]! + pads[d]!) * outStrides[d]!;
    out.set(data.subarray(r * inner, (r + 1) * inner) as never, dst);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]! += 1;
      if (counter[d]! < input.shape[d]!) break;
      counter[d] = 0;
    }
  }
  return makeTensor(input.dtype, outShape, out);
}
