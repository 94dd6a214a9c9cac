/**
 * Elementwise f32 ops: numpy-broadcasting binary ops and unary activations.
 *
 * f32 semantics: operands are f32 values, the operation runs in f64 and the result is rounded to
 * f32 when stored. For + − × ÷ that is exactly IEEE f32 arithmetic (f64 has more than 2·24 + 2
 * significand bits, so the double rounding is innocuous); for exp/tanh/sigmoid it is the correctly
 * rounded f32 of a double-precision result, within an ulp of what f32 libraries return.
 */
import { type F32Input, type F32Tensor, f32Tensor, shapeToString } from "./f32-tensor.js";
import { simdBinary, simdClamp, simdRelu } from "./simd-elementwise.js";

export type BinaryOp = "add" | "sub" | "mul" | "div" | "maximum" | "minimum";

/** numpy broadcasting: shapes are right-aligned; each dim pair must be equal or contain a 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`shapes ${shapeToString(a)} and ${shapeToString(b)} do not broadcast (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * One switch on a loop-invariant op: V8 inlines this into each loop below and the branch predicts
 * perfectly, which keeps one loop per access pattern instead of one per (op × pattern).
 */
function apply(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case "add":
      return x + y;
    case "sub":
      return x - y;
    case "mul":
      return x * y;
    case "div":
      return x / y;
    case "maximum":
      return Math.max(x, y);
    case "minimum":
      return Math.min(x, y);
  }
}

/** out = a ⊙ b with numpy broadcasting. */
export function binary(op: BinaryOp, a: F32Input, b: F32Input): F32Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = f32Tensor(shape);
  const x = a.data;
  const y = b.data;
  const z = out.data;
  const n = z.length;
  if (n === 0) return out;

  // Fast path: identical shapes (WebAssembly SIMD when available: same IEEE f32 results).
  if (x.length === n && y.length === n && sameShape(a.shape, b.shape)) {
    if (simdBinary(op, x, y, z)) return out;
    for (let i = 0; i < n; i++) z[i] = apply(op, x[i]!, y[i]!);
    return out;
  }
  // Fast path: one side is a single value.
  if (y.length === 1 && x.length === n) {
    const s = y[0]!;
    for (let i = 0; i < n; i++) z[i] = apply(op, x[i]!, s);
    return out;
  }
  if (x.length === 1 && y.length === n) {
    const s = x[0]!;
    for (let i = 0; i < n; i++) z[i] = apply(op, s, y[i]!);
    return out;
  }
  // Fast path: one side is the full output and the other a trailing block of it (per-channel bias,
  // per-last-dim scale), so it repeats with period `inner`.
  if (x.length === n && isTrailingBlock(b.shape, shape)) {
    const inner = y.length;
    for (let o = 0; o < n; o += inner) for (let j = 0; j < inner; j++) z[o + j] = apply(op, x[o + j]!, y[j]!);
    return out;
  }
  if (y.length === n && isTrailingBlock(a.shape, shape)) {
    const inner = x.length;
    for (let o = 0; o < n; o += inner) for (let j = 0; j < inner; j++) z[o + j] = apply(op, x[j]!, y[o + j]!);
    return out;
  }
  generalBroadcast(op, a, b, shape, z);
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when `small` (after dropping leading 1s) equals the same number of trailing dims of `full`. */
function isTrailingBlock(small: readonly number[], full: readonly number[]): boolean {
  let start = 0;
  while (start < small.length && small[start] === 1) start++;
  const rest = small.length - start;
  if (rest > full.length) return false;
  for (let i = 0; i < rest; i++) {
    if (small[start + i] !== full[full.length - rest + i]) return false;
  }
  return true;
}

/** Any broadcast: walks the output with an odometer over all dims but the last, which is the inner loop. */
function generalBroadcast(op: BinaryOp, a: F32Input, b: F32Input, shape: readonly number[], z: Float32Array): void {
  const rank = shape.length;
  const aStrides = broadcastStrides(a.shape, shape);
  const bStrides = broadcastStrides(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const inner = shape[rank - 1]!;
  const aStep = aStrides[rank - 1]!;
  const bStep = bStrides[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let aBase = 0;
  let bBase = 0;
  for (let o = 0; o < z.length; o += inner) {
    for (let j = 0, ia = aBase, ib = bBase; j < inner; j++, ia += aStep, ib += bStep) z[o + j] = apply(op, x[ia]!, y[ib]!);
    // Advance the odometer over dims rank-2 … 0, keeping the operand bases in step.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      aBase += aStrides[d]!;
      bBase += bStrides[d]!;
      if (index[d]! < shape[d]!) break;
      aBase -= aStrides[d]! * shape[d]!;
      bBase -= bStrides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

/** Strides of `own` viewed in the broadcast `shape`: 0 along broadcast (size-1 or missing) dims. */
function broadcastStrides(own: readonly number[], shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = own.length - 1; i >= 0; i--) {
    const d = shape.length - own.length + i;
    strides[d] = own[i] === 1 ? 0 : s;
    s *= own[i]!;
  }
  return strides;
}

export function add(a: F32Input, b: F32Input): F32Tensor {
  return binary("add", a, b);
}
export function sub(a: F32Input, b: F32Input): F32Tensor {
  return binary("sub", a, b);
}
export function mul(a: F32Input, b: F32Input): F32Tensor {
  return binary("mul", a, b);
}
export function div(a: F32Input, b: F32Input): F32Tensor {
  return binary("div", a, b);
}
export function maximum(a: F32Input, b: F32Input): F32Tensor {
  return binary("maximum", a, b);
}
export function minimum(a: F32Input, b: F32Input): F32Tensor {
  return binary("minimum", a, b);
}

// Unary ops: each is its own loop so that the per-element function is a direct call V8 inlines.

export function relu(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  if (simdRelu(s, d)) return out;
  // NaN passes through (NaN < 0 is false) so that a NaN upstream stays visible instead of becoming 0.
  for (let i = 0; i < s.length; i++) { const v = s[i]!; d[i] = v < 0 ? 0 : v; }
  return out;
}

export function relu6(x: F32Input): F32Tensor {
  return clamp(x, 0, 6);
}

/** min(max(x, lo), hi); NaN stays NaN (ONNX Clip). */
export function clamp(x: F32Input, lo: number, hi: number): F32Tensor {
  if (lo > hi) throw new RangeError(`clamp: min ${lo} is greater than max ${hi}`);
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  const l = Math.fround(lo), h = Math.fround(hi);
  if (simdClamp(s, d, l, h)) return out;
  for (let i = 0; i < s.length; i++) { const v = s[i]!; d[i] = v < l ? l : v > h ? h : v; }
  return out;
}

export function leakyRelu(x: F32Input, alpha = 0.01): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  const a = Math.fround(alpha);
  for (let i = 0; i < s.length; i++) { const v = s[i]!; d[i] = v < 0 ? v * a : v; }
  return out;
}

/** 1 / (1 + e^−x), written per sign so exp never overflows. */
export function sigmoid(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (v >= 0) d[i] = 1 / (1 + Math.exp(-v));
    else { const e = Math.exp(v); d[i] = e / (1 + e); }
  }
  return out;
}

export function tanh(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  for (let i = 0; i < s.length; i++) d[i] = Math.tanh(s[i]!);
  return out;
}

export function exp(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  for (let i = 0; i < s.length; i++) d[i] = Math.exp(s[i]!);
  return out;
}

export function neg(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  for (let i = 0; i < s.length; i++) d[i] = -s[i]!;
  return out;
}

export function abs(x: F32Input): F32Tensor {
  const out = f32Tensor(x.shape);
  const s = x.data, d = out.data;
  for (let i = 0; i < s.length; i++) d[i] = Math.abs(s[i]!);
  return out;
}
