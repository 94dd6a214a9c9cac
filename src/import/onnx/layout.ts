/**
 * Layouts of imported values. ONNX tensors are NCHW (weights OIHW); qopt's float ops want NHWC
 * (weights OHWI). A value may exist in several layouts; each layout is a permutation `perm` of the
 * ONNX dims: the materialized tensor's dim i is the ONNX tensor's dim perm[i].
 */

export type Perm = readonly number[];

/** NCHW → NHWC, and equally OIHW → OHWI. */
export const NHWC: Perm = Object.freeze([0, 2, 3, 1]);
/** ONNX depthwise weights [C·M, 1, KH, KW] → TFLite's [1, KH, KW, C·M]. */
export const DEPTHWISE_WEIGHTS: Perm = Object.freeze([1, 2, 3, 0]);

export function identity(rank: number): Perm {
  return Array.from({ length: rank }, (_, i) => i);
}

export function isIdentity(perm: Perm): boolean {
  return perm.every((p, i) => p === i);
}

export function permKey(perm: Perm): string {
  return perm.join(",");
}

export function inverse(perm: Perm): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Dims of an ONNX-ordered shape in layout `perm`. */
export function permuteShape<T>(shape: readonly T[], perm: Perm): T[] {
  return perm.map((p) => shape[p]!);
}

/**
 * The transpose (`out dim i = in dim t[i]`) that turns a tensor held in layout `from` into layout `to`
 * (both permutations of the same ONNX dims).
 */
export function relativePerm(from: Perm, to: Perm): number[] {
  const inv = inverse(from);
  return to.map((d) => inv[d]!);
}

/** Where ONNX axis `axis` sits in layout `perm`. */
export function axisIn(perm: Perm, axis: number): number {
  return perm.indexOf(axis);
}

/** The layout that moves ONNX axis 1 (channels) last and keeps the other dims in order: NCHW → NHWC. */
export function channelsLast(rank: number): Perm {
  if (rank < 2) return identity(rank);
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** Normalizes a possibly negative axis; undefined when it is out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}
