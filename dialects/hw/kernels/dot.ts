/**
 * Inner products of the accumulating hw kernels. Sums are exact doubles; callers establish the
 * |sum| ≤ 2^53 bound once per call (see `biasValues` in output-stage.ts).
 */

import type { IntArray } from "./output-stage.js";

/** `data[i] + offset` for every element, as int32 (activations or weights with the zero point removed). */
export function offsetCopy(data: IntArray, offset: number): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! + offset;
  return out;
}

/** Σ_{i<n} x[xp + i]·w[wp + i], four independent partial sums for instruction-level parallelism. */
export function dot(x: Int32Array, xp: number, w: IntArray, wp: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[xp + i]! * w[wp + i]!;
    s1 += x[xp + i + 1]! * w[wp + i + 1]!;
    s2 += x[xp + i + 2]! * w[wp + i + 2]!;
    s3 += x[xp + i + 3]! * w[wp + i + 3]!;
  }
  for (; i < n; i++) s0 += x[xp + i]! * w[wp + i]!;
  return s0 + s1 + s2 + s3;
}

