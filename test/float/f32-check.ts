/**
 * Shared pieces of the float kernel tests: deterministic random data (fast-check draws the shapes
 * and a seed; the values come from the seed so shrinking stays on the shape) and a tolerance check
 * against f64 references.
 */
import fc from "fast-check";
import { expect } from "vitest";

/** mulberry32: small, fast, good enough to fill test tensors reproducibly. */
export function randomFloats(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

export const seedArb = fc.integer({ min: 0, max: 0x7fffffff });

/** A dim in [min, max]. */
export const dim = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

/**
 * Asserts |actual − expected| ≤ rel·max|expected| + abs everywhere, reporting the worst index.
 * Kernels sum in f64 and round once, so against an f64 reference only the final f32 rounding differs.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, abs = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = -1;
  let worstDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const diff = Number.isNaN(e) && Number.isNaN(a) ? 0 : Math.abs(a - e);
    if (!(diff <= worstDiff)) { worstDiff = diff; worst = i; }
  }
  const limit = rel * scale + abs;
  if (!(worstDiff <= limit)) {
    expect.fail(`max |diff| ${worstDiff} at index ${worst} (actual ${actual[worst]}, expected ${expected[worst]}) exceeds ${limit}`);
  }
}

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

/** Every multi-index of `shape` in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((p, d) => p * d, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < total; n++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

export function offsetOf(index: readonly number[], shape: readonly number[]): number {
  const s = strides(shape);
  return index.reduce((p, v, i) => p + v * s[i]!, 0);
}
