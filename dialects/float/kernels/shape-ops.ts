/**
 * Data-movement ops: reshape, transpose, concat, pad, slice. They move values without arithmetic,
 * so they work on tensors of every dtype (the hw dialect reuses them on integers) and keep the
 * input's dtype.
 *
 * transpose, pad and slice share one gather: each output dim has a table mapping an output
 * coordinate to the source element offset it contributes (or −1 for "padding"), so the inner loop
 * is a table lookup and a copy.
 */
import { allocate, elementCount, roundToF16, type DType, type Tensor, type TypedArray } from "../../../src/interp/tensor.js";
import { type F32Tensor, normalizeAxis, shapeToString, stridesOf } from "./f32-tensor.js";

/** Same data, new shape. One dim may be −1 (inferred). The buffer is shared, not copied. */
export function reshape(x: F32Tensor, shape: readonly number[]): F32Tensor;
export function reshape(x: Tensor, shape: readonly number[]): Tensor;
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const count = x.data.length;
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: at most one dim may be -1, got ${shapeToString(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < -1) throw new RangeError(`reshape: invalid dim ${d} in ${shapeToString(shape)}`);
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  let resolved = [...shape];
  if (inferred === 1) {
    if (known === 0 || count % known !== 0) {
      throw new RangeError(`reshape: cannot infer -1 in ${shapeToString(shape)} for ${count} elements`);
    }
    resolved = shape.map((d) => (d === -1 ? count / known : d));
  }
  if (elementCount(resolved) !== count) {
    throw new RangeError(`reshape: ${shapeToString(x.shape)} (${count} elements) cannot become ${shapeToString(shape)}`);
  }
  return { dtype: x.dtype, shape: resolved, data: x.data };
}

/** Permutes dims: output dim i is input dim perm[i]. Default perm reverses the dims (numpy). */
export function transpose(x: F32Tensor, perm?: readonly number[]): F32Tensor;
export function transpose(x: Tensor, perm?: readonly number[]): Tensor;
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.shape.length;
  const p = perm ?? x.shape.map((_, i) => rank - 1 - i);
  if (p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new RangeError(`transpose: [${p.join(",")}] is not a permutation of ${rank} dims`);
  }
  const inStrides = stridesOf(x.shape);
  const outShape = p.map((d) => x.shape[d]!);
  const swap = asBatchedSwap(x.shape, p);
  if (swap !== undefined && !(x.data instanceof BigInt64Array)) {
    const out = allocate(x.dtype, x.data.length) as Exclude<TypedArray, BigInt64Array>;
    swapBlocks(x.data, out, swap[0], swap[1], swap[2], swap[3]);
    return { dtype: x.dtype, shape: outShape, data: out };
  }
  const tables = outShape.map((n, i) => {
    const t = new Int32Array(n);
    for (let j = 0; j < n; j++) t[j] = j * inStrides[p[i]!]!;
    return t;
  });
  return gather(x, outShape, tables, 0);
}

/**
 * When `perm` swaps two adjacent groups of dims behind an untouched prefix, i.e. the transpose is
 * [B, R, S, I] → [B, S, R, I] for some grouping (NCHW ↔ NHWC are [N, C, H·W, 1] ↔ [N, H·W, C, 1]),
 * returns [B, R, S, I]; otherwise undefined.
 */
function asBatchedSwap(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | undefined {
  const rank = perm.length;
  let lead = 0;
  while (lead < rank && perm[lead] === lead) lead++;
  let trail = rank;
  while (trail > lead && perm[trail - 1] === trail - 1) trail--;
  if (trail - lead < 2) return undefined;
  // perm[lead … trail) must be [k … trail) followed by [lead … k).
  const k = perm[lead]!;
  if (k <= lead || k >= trail) return undefined;
  for (let i = 0; i < trail - k; i++) if (perm[lead + i] !== k + i) return undefined;
  for (let i = 0; i < k - lead; i++) if (perm[lead + trail - k + i] !== lead + i) return undefined;
  const product = (from: number, to: number): number => shape.slice(from, to).reduce((a, b) => a * b, 1);
  return [product(0, lead), product(lead, k), product(k, trail), product(trail, rank)];
}

/** out[b, s, r, i] = x[b, r, s, i] for x of shape [B, R, S, I], walking the output in order. */
function swapBlocks(x: Exclude<TypedArray, BigInt64Array>, out: Exclude<TypedArray, BigInt64Array>, B: number, R: number, S: number, I: number): void {
  let o = 0;
  for (let b = 0; b < B; b++) {
    const base = b * R * S * I;
    for (let sIdx = 0; sIdx < S; sIdx++) {
      for (let r = 0; r < R; r++) {
        const src = base + (r * S + sIdx) * I;
        if (I === 1) out[o++] = x[src]!;
        else for (let i = 0; i < I; i++) out[o++] = x[src + i]!;
      }
    }
  }
}

/** Joins tensors of one dtype along `axis`; every other dim must match. */
export function concat(inputs: readonly F32Tensor[], axis: number): F32Tensor;
export function concat(inputs: readonly Tensor[], axis: number): Tensor;
export function concat(inputs: readonly Tensor[], axis: number): Tensor {
  const first = inputs[0];
  if (first === undefined) throw new RangeError("concat: needs at least one input");
  const rank = first.shape.length;
  const ax = normalizeAxis(axis, rank, "concat axis");
  let total = 0;
  for (const t of inputs) {
    if (t.dtype !== first.dtype) throw new TypeError(`concat: mixed dtypes ${first.dtype} and ${t.dtype}`);
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new RangeError(`concat: ${shapeToString(t.shape)} does not match ${shapeToString(first.shape)} outside axis ${ax}`);
    }
    total += t.shape[ax]!;
  }
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  const out = allocate(first.dtype, elementCount(outShape));
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= outShape[i]!;
  let inner = 1;
  for (let i = ax + 1; i < rank; i++) inner *= outShape[i]!;
  const outRow = total * inner;
  let offset = 0;
  // Each input contributes one contiguous chunk of shape[axis]·inner values per outer index.
  for (const t of inputs) {
    const chunk = t.shape[ax]! * inner;
    for (let o = 0; o < outer; o++) copyRange(t.data, o * chunk, chunk, out, o * outRow + offset);
    offset += chunk;
  }
  return { dtype: first.dtype, shape: outShape, data: out };
}

export type PadMode = "constant" | "reflect" | "edge";

/**
 * Pads (or, with negative amounts, crops) each dim. `pads` is ONNX's layout
 * [begin_0, …, begin_{r−1}, end_0, …, end_{r−1}]. `value` fills in constant mode (converted to the
 * dtype: rounded to f16 for f16, truncated for integers); reflect mirrors without repeating the
 * edge (numpy "reflect"), edge repeats it.
 */
export function pad(x: F32Tensor, pads: readonly number[], value?: number, mode?: PadMode): F32Tensor;
export function pad(x: Tensor, pads: readonly number[], value?: number, mode?: PadMode): Tensor;
export function pad(x: Tensor, pads: readonly number[], value = 0, mode: PadMode = "constant"): Tensor {
  const rank = x.shape.length;
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p))) {
    throw new RangeError(`pad: need ${2 * rank} integer pads [begins..., ends...] for rank ${rank}, got [${pads.join(",")}]`);
  }
  const inStrides = stridesOf(x.shape);
  const outShape = x.shape.map((d, i) => d + pads[i]! + pads[rank + i]!);
  outShape.forEach((d, i) => {
    if (d < 0) throw new RangeError(`pad: dim ${i} of ${shapeToString(x.shape)} would become ${d}`);
  });
  const tables = outShape.map((n, i) => {
    const size = x.shape[i]!;
    const begin = pads[i]!;
    if (mode !== "constant" && size === 0 && n > 0) throw new RangeError(`pad: ${mode} mode cannot pad an empty dim ${i}`);
    const t = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      let s = j - begin;
      if (s < 0 || s >= size) {
        if (mode === "constant") { t[j] = -1; continue; }
        if (mode === "edge") s = s < 0 ? 0 : size - 1;
        else s = s < 0 ? -s : 2 * (size - 1) - s;
        if (s < 0 || s >= size) throw new RangeError(`pad: reflect pads for dim ${i} must be smaller than its size ${size}`);
      }
      t[j] = s * inStrides[i]!;
    }
    return t;
  });
  return gather(x, outShape, tables, value);
}

/**
 * ONNX Slice: for each listed axis, elements start, start+step, … up to (excluding) end. Negative
 * starts/ends count from the end; out-of-range values are clamped as ONNX specifies — starts to
 * [0, dim] (positive step) or [0, dim−1] (negative step), ends to [0, dim] or [−1, dim−1]. Axes
 * default to 0…n−1, steps to 1.
 */
export function slice(x: F32Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): F32Tensor;
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor;
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor {
  const rank = x.shape.length;
  const ax = axes ?? starts.map((_, i) => i);
  if (ends.length !== starts.length || ax.length !== starts.length || (steps !== undefined && steps.length !== starts.length)) {
    throw new RangeError("slice: starts, ends, axes and steps must have the same length");
  }
  const inStrides = stridesOf(x.shape);
  const begin = x.shape.map(() => 0);
  const step = x.shape.map(() => 1);
  const outShape = [...x.shape];
  const seen = new Set<number>();
  ax.forEach((a, k) => {
    const d = normalizeAxis(a, rank, "slice axis");
    if (seen.has(d)) throw new RangeError(`slice: axis ${a} listed twice`);
    seen.add(d);
    const size = x.shape[d]!;
    const st = steps?.[k] ?? 1;
    if (!Number.isInteger(st) || st === 0) throw new RangeError(`slice: step must be a non-zero integer, got ${st}`);
    const clampTo = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    let s = starts[k]!;
    let e = ends[k]!;
    if (s < 0) s += size;
    if (e < 0) e += size;
    if (st > 0) {
      s = clampTo(s, 0, size);
      e = clampTo(e, 0, size);
    } else {
      s = clampTo(s, 0, size - 1);
      e = clampTo(e, -1, size - 1);
    }
    begin[d] = s;
    step[d] = st;
    outShape[d] = Math.max(0, Math.ceil((e - s) / st));
  });
  const tables = outShape.map((n, i) => {
    const t = new Int32Array(n);
    for (let j = 0; j < n; j++) t[j] = (begin[i]! + j * step[i]!) * inStrides[i]!;
    return t;
  });
  return gather(x, outShape, tables, 0);
}

/**
 * out[i_0, …, i_{r−1}] = x.data[Σ tables[d][i_d]], or `fill` when any table entry is −1.
 * The last dim is the inner loop; the others advance an odometer.
 */
function gather(x: Tensor, outShape: readonly number[], tables: readonly Int32Array[], fill: number): Tensor {
  const count = elementCount(outShape);
  const out = allocate(x.dtype, count);
  const result: Tensor = { dtype: x.dtype, shape: [...outShape], data: out };
  if (count === 0) return result;
  const rank = outShape.length;
  if (rank === 0) {
    copyRange(x.data, 0, 1, out, 0);
    return result;
  }
  const last = tables[rank - 1]!;
  const inner = last.length;
  const index = new Array<number>(rank).fill(0);
  const src = x.data;
  const fillValue = convertFill(x.dtype, fill);
  for (let o = 0; o < count; o += inner) {
    let base = 0;
    let padded = false;
    for (let d = 0; d < rank - 1; d++) {
      const t = tables[d]![index[d]!]!;
      if (t < 0) padded = true;
      base += t;
    }
    if (src instanceof BigInt64Array && out instanceof BigInt64Array) {
      const f = BigInt(fillValue);
      for (let j = 0; j < inner; j++) { const t = last[j]!; out[o + j] = padded || t < 0 ? f : src[base + t]!; }
    } else if (!(src instanceof BigInt64Array) && !(out instanceof BigInt64Array)) {
      for (let j = 0; j < inner; j++) { const t = last[j]!; out[o + j] = padded || t < 0 ? fillValue : src[base + t]!; }
    }
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return result;
}

/** The pad value as the dtype stores it (see `pad`). */
function convertFill(dtype: DType, value: number): number {
  switch (dtype) {
    case "f16":
      return roundToF16(value);
    case "f32":
      return Math.fround(value);
    case "f64":
      return value;
    default:
      return Math.trunc(value);
  }
}

/** Below this many elements a loop beats `subarray` + `set` (which allocate a view per call). */
const SHORT_COPY = 16;

/** out[dst … dst+n) = src[from … from+n); both arrays have one dtype (checked by the callers). */
function copyRange(src: TypedArray, from: number, n: number, out: TypedArray, dst: number): void {
  if (src instanceof BigInt64Array) {
    if (out instanceof BigInt64Array) out.set(src.subarray(from, from + n), dst);
  } else if (!(out instanceof BigInt64Array)) {
    if (n < SHORT_COPY) for (let i = 0; i < n; i++) out[dst + i] = src[from + i]!;
    else out.set(src.subarray(from, from + n), dst);
  }
}
