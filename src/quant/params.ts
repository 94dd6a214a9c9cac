/**
 * Choosing quantization parameters from a real range (references.md, "Choosing scale and zero point"):
 * the range is widened to hold 0, zero is exactly representable (TF FakeQuant Nudge), symmetric
 * schemes have zp 0, power-of-two targets round the scale up so the range is kept, and degenerate
 * ranges (min = max) get valid parameters, never NaN or Infinity.
 */

export interface StorageRange {
  readonly qmin: number;
  readonly qmax: number;
}

export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

export interface ChooseOptions {
  readonly symmetric?: boolean;
  /** Round the scale up to 2^k (targets whose requantization is a pure shift). */
  readonly powerOfTwo?: boolean;
  /** Zero points the target allows (a target's `zeroPointRange`), within the storage range. */
  readonly zeroPointRange?: readonly [number, number];
}

/** Integer storage ranges by name, with narrow range (no most-negative value) for signed types. */
export function storageRange(type: "i8" | "u8" | "i16" | "u16" | "i32", narrow = false): StorageRange {
  switch (type) {
    case "i8":
      return { qmin: narrow ? -127 : -128, qmax: 127 };
    case "u8":
      return { qmin: narrow ? 1 : 0, qmax: 255 };
    case "i16":
      return { qmin: narrow ? -32767 : -32768, qmax: 32767 };
    case "u16":
      return { qmin: narrow ? 1 : 0, qmax: 65535 };
    case "i32":
      return { qmin: narrow ? -2147483647 : -2147483648, qmax: 2147483647 };
  }
}

/**
 * The smallest scale chosen. Ranges narrower than this (subnormal noise) would give a scale that
 * underflows to 0 or divisions that overflow; such data is zero for any practical purpose.
 */
export const MIN_SCALE = 2 ** -64;

/** Rounds half away from zero (TF's std::round in Nudge). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** The smallest power of two ≥ scale. */
export function powerOfTwoAtLeast(scale: number): number {
  const p = 2 ** Math.ceil(Math.log2(scale));
  // log2 of values just above a power of two can round down; make sure the range is kept.
  return p < scale ? p * 2 : p;
}

/**
 * Scale and zero point for a real range [min, max]. Asymmetric: TF's Nudge (zero exact, zp clamped to
 * the storage range). Symmetric: zp = 0 (0 for signed storage, the midpoint for unsigned),
 * scale = max(|min|, |max|) / qmax.
 */
export function chooseQuantParams(min: number, max: number, range: StorageRange, options: ChooseOptions = {}): QuantParams {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`cannot quantize the range [${min}, ${max}]`);
  let lo = Math.min(min, 0);
  let hi = Math.max(max, 0);
  if (lo > hi) [lo, hi] = [hi, lo];
  const { qmin, qmax } = range;
  if (options.symmetric) {
    const signed = qmin < 0;
    const zeroPoint = signed ? 0 : Math.ceil((qmin + qmax) / 2);
    const halfLevels = signed ? qmax : qmax - zeroPoint;
    const bound = Math.max(-lo, hi);
    let scale = bound > 0 ? Math.max(bound / halfLevels, MIN_SCALE) : 1;
    // A range that is exactly a signed type's full storage range [qmin·s, qmax·s] (a quantization-aware
    // type's range, or parameters written back as a range) stands for s itself, not for |qmin|·s / qmax.
    if (signed && zeroPoint === 0 && hi > 0 && Math.abs(lo * qmax - hi * qmin) <= 1e-12 * Math.abs(hi * qmin)) scale = Math.max(hi / qmax, MIN_SCALE);
    if (options.powerOfTwo) scale = powerOfTwoAtLeast(scale);
    return { scale, zeroPoint };
  }
  if (hi === lo) {
    // All zeros (references.md: a constant tensor gets zp = qmin): any scale represents the data
    // exactly; 1.0 keeps later divisions finite.
    return { scale: 1, zeroPoint: clamp(qmin, ...(options.zeroPointRange ?? [qmin, qmax])) };
  }
  let scale = Math.max((hi - lo) / (qmax - qmin), MIN_SCALE);
  if (options.powerOfTwo) scale = powerOfTwoAtLeast(scale);
  const zeroPointFromMin = qmin - lo / scale;
  const zeroPoint = clamp(roundHalfAway(zeroPointFromMin), qmin, qmax);
  const [zlo, zhi] = options.zeroPointRange ?? [qmin, qmax];
  if (zeroPoint >= zlo && zeroPoint <= zhi) return { scale, zeroPoint };
  // The nudged zero point is one the target cannot hold: take the nearest allowed one and widen the
  // scale until [lo, hi] fits on both sides of it (the range is kept; resolution is what is lost).
  const z = clamp(zeroPoint, zlo, zhi);
  let widened = Math.max(MIN_SCALE, z < qmax ? hi / (qmax - z) : 0, z > qmin ? -lo / (z - qmin) : 0);
  if (options.powerOfTwo) widened = powerOfTwoAtLeast(widened);
  return { scale: widened, zeroPoint: z };
}

/**
 * The quantization spec's fixed output parameters of fixed-range ops (references: logistic and softmax
 * 1/256 with zp −128, tanh 1/128 with zp 0): [0, 1] ops 1/256 (zp −128 in i8, 0 in u8), [−1, 1] ops
 * 1/128 (zp 0 in i8, 128 in u8); int16 (TFLite 16x8): 1/32768, zp 0.
 */
export function fixedOutputParams(range: { readonly min: number }, type: "i8" | "u8" | "i16"): QuantParams {
  if (type === "i16") return { scale: 1 / 32768, zeroPoint: 0 };
  const unsigned = type === "u8";
  if (range.min < 0) return { scale: 1 / 128, zeroPoint: unsigned ? 128 : 0 };
  return { scale: 1 / 256, zeroPoint: unsigned ? 0 : -128 };
}

/** The range a (scale, zp) pair represents: [(qmin − zp)·s, (qmax − zp)·s] (TF's nudged_min/max). */
export function representedRange(params: QuantParams, range: StorageRange): { min: number; max: number } {
  return { min: (range.qmin - params.zeroPoint) * params.scale, max: (range.qmax - params.zeroPoint) * params.scale };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Per-channel symmetric weight scales along `axis` of a row-major tensor (TFLite: weights symmetric, zp 0). */
export function perChannelRanges(data: Float32Array, shape: readonly number[], axis: number): Array<{ min: number; max: number }> {
  const channels = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const out = Array.from({ length: channels }, () => ({ min: 0, max: 0 }));
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / inner) % channels;
    const v = data[i]!;
    const r = out[c]!;
    if (v < r.min) r.min = v;
    if (v > r.max) r.max = v;
  }
  return out;
}
