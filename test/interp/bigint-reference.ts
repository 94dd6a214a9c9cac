/**
 * Straight BigInt transcriptions of the C reference formulas (gemmlowp, TFLite, TOSA), written
 * independently of src/interp/fixed-point.ts so that property tests compare two derivations.
 */

const I32_MIN = -(2n ** 31n);
const I32_MAX = 2n ** 31n - 1n;

/** C `static_cast<int32_t>(int64)`: reduce modulo 2^32. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** gemmlowp SaturatingRoundingDoublingHighMul, literally: nudge, then truncating int64 division. */
export function srdhmRef(a: number, b: number): number {
  if (a === b && BigInt(a) === I32_MIN) return Number(I32_MAX);
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return toInt32((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, like C
}

/** Round-to-nearest, ties away from zero, of x / 2^e, from the definition. */
export function roundingDivideByPOTRef(x: number, e: number): number {
  if (e === 0) return x;
  const X = BigInt(x);
  const d = 1n << BigInt(e);
  const half = d >> 1n;
  const mag = X >= 0n ? (X + half) / d : (-X + half) / d;
  return toInt32(X >= 0n ? mag : -mag);
}

export function mbqmRef(x: number, q: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const shifted = toInt32(BigInt(x) << BigInt(left)); // C int32 multiply wraps
  return roundingDivideByPOTRef(srdhmRef(shifted, q), right);
}

export function singleRoundRef(x: number, q: number, shift: number): number {
  const t = BigInt(31 - shift);
  return toInt32((BigInt(x) * BigInt(q) + (1n << (t - 1n))) >> t); // BigInt >> floors, like C on int64
}

export function applyScale32Ref(value: number, multiplier: number, shift: number, doubleRound: boolean): number {
  const s = BigInt(shift);
  let round = 1n << (s - 1n);
  if (doubleRound && shift > 31) round += value >= 0 ? 1n << 30n : -(1n << 30n);
  return toInt32((BigInt(value) * BigInt(multiplier) + round) >> s);
}

export function applyScale16Ref(value: number, multiplier: number, shift: number): number {
  const s = BigInt(shift);
  return toInt32((BigInt(value) * BigInt(multiplier) + (1n << (s - 1n))) >> s);
}

export function mbqmInt64Ref(x: number, q: number, shift: number): number {
  const reduced = q < 0x7fff0000 ? (BigInt(q) + (1n << 15n)) >> 16n : 0x7fffn;
  const t = BigInt(15 - shift);
  return toInt32((BigInt(x) * reduced + (1n << (t - 1n))) >> t);
}
