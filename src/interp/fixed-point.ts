/**
 * Bit-exact fixed-point integer arithmetic of TFLite (gemmlowp), TFLite single rounding and TOSA.
 *
 * Every function here reproduces the C reference bit for bit for every int32 input, including
 * INT32_MIN saturation and negative ties. Values are JS numbers holding integers; int32 results are
 * returned as int32 (`| 0`-normalised).
 *
 * 64-bit products without BigInt: a 32×32-bit product can reach 2^62, beyond the 2^53 a double holds
 * exactly. We split one factor into halves (b = bHi·2^16 + bLo, or a = aHi·2^24 + aLo for 48-bit
 * values), so each partial product stays below 2^53 and is exact, then carry the partial products
 * into a (high, low) pair in base 2^32 with exact floor divisions by powers of two. All the rounding
 * rules below are "floor((product + rounding term) / 2^t)", which that pair answers exactly.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** POW2[n] = 2^n for 0 ≤ n ≤ 64, built by doubling so every entry is exact. Read-only lookup table. */
const POW2: readonly number[] = (() => {
  const table: number[] = [1];
  for (let n = 1; n <= 64; n++) table.push(table[n - 1]! * 2);
  return Object.freeze(table);
})();

const TWO_POW_24 = 16777216;
const TWO_POW_30 = 1073741824;
const TWO_POW_31 = 2147483648;
const TWO_POW_32 = 4294967296;

/** A real multiplier M ≈ multiplier · 2^(shift − 31), multiplier a Q0.31 int32 (TFLite convention). */
export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/** std::round: ties away from zero. Local copy so that this module has no imports. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** x · 2^n without overflowing the intermediate power of two (2^1024 is not a finite double). */
function ldexp(x: number, n: number): number {
  let y = x;
  let e = n;
  while (e > 1000) {
    y *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    y *= 2 ** -1000;
    e += 1000;
  }
  return y * 2 ** e;
}

/**
 * TFLite `QuantizeMultiplier(double, int32_t*, int*)` (kernels/internal/quantization_util.cc):
 * `(f, e) = frexp(m)`, `q = round_half_away(f · 2^31)`; `q == 2^31` → `q = 2^30, e + 1`;
 * `e < −31` → `(0, 0)`. Negative multipliers keep their sign (q = −2^31 is representable and is
 * kept, as in C, where only `q_fixed == 1 << 31` is tested).
 *
 * `singleRounding: true` adds the TFLITE_SINGLE_ROUNDING clamp `shift > 30 → (2^31 − 1, 30)`.
 */
export function quantizeMultiplier(m: number, options?: { singleRounding?: boolean }): QuantizedMultiplier {
  if (!Number.isFinite(m)) throw new RangeError(`quantizeMultiplier: multiplier must be finite, got ${m}`);
  if (m === 0) return { multiplier: 0, shift: 0 };
  const a = Math.abs(m);
  // frexp exponent e ≤ −33 (a < 2^−33) can become at most −32 after the 2^31 fix: flushed to zero.
  // Returning early also keeps every scaling below exact (no subnormals).
  if (a < 2 ** -33) return { multiplier: 0, shift: 0 };
  // frexp: find e with 0.5 ≤ a·2^−e < 1. log2 gives a guess within ±1; the loops make it exact.
  // `+ 0`: Math.ceil of a value in (−1, 0) is −0, and a shift of −0 would leak into results.
  let e = Math.ceil(Math.log2(a)) + 0;
  let f = ldexp(a, -e);
  while (f >= 1) {
    e += 1;
    f = ldexp(a, -e);
  }
  while (f < 0.5) {
    e -= 1;
    f = ldexp(a, -e);
  }
  let q = roundHalfAway((m < 0 ? -f : f) * TWO_POW_31);
  if (q === TWO_POW_31) {
    q = TWO_POW_30;
    e += 1;
  }
  if (e < -31) return { multiplier: 0, shift: 0 };
  if (options?.singleRounding === true && e > 30) return { multiplier: INT32_MAX, shift: 30 };
  return { multiplier: q | 0, shift: e };
}

/**
 * gemmlowp `SaturatingRoundingDoublingHighMul` (ARM VQRDMULH): `(a·b + nudge) / 2^31` truncated,
 * nudge = 2^30 for a·b ≥ 0 and 1 − 2^30 otherwise; INT32_MIN·INT32_MIN saturates to INT32_MAX.
 *
 * Both nudge branches equal `floor((a·b + 2^30) / 2^31)`: for a·b < 0 the numerator
 * a·b + 1 − 2^30 is negative, so truncation is a ceiling, and ceil(n/d) = floor((n + d − 1)/d).
 * a and b must be int32 values.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const bHi = b >> 16;
  const bLo = b & 0xffff;
  const p1 = a * bHi; // |p1| ≤ 2^46: exact
  const p0 = a * bLo; // |p0| < 2^47: exact
  // a·b = p1·2^16 + p0. With p1 = q1·2^15 + r1 (0 ≤ r1 < 2^15):
  // a·b + 2^30 = q1·2^31 + (r1·2^16 + p0 + 2^30), and the bracket is below 2^48: exact.
  const q1 = Math.floor(p1 / 32768);
  const s = (p1 - q1 * 32768) * 65536 + p0 + TWO_POW_30;
  return (q1 + Math.floor(s / TWO_POW_31)) | 0;
}

/**
 * gemmlowp `RoundingDivideByPOT`: x / 2^exponent rounded to nearest, ties away from zero
 * (`mask = 2^e − 1; thr = (mask >> 1) + (x < 0); (x >> e) + (x & mask > thr)`). 0 ≤ exponent ≤ 31.
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent < 0 || exponent > 31) throw new RangeError(`roundingDivideByPOT: exponent ${exponent} not in [0, 31]`);
  // (1 << 31) − 1 is −2^31 − 1 in doubles; `| 0` wraps it to 2^31 − 1 as the C int32 mask.
  const mask = ((1 << exponent) - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/**
 * floor((P·2^k + Q + R) / 2^t), wrapped to int32 like C's `static_cast<int32_t>(int64)`.
 *
 * Preconditions (all callers satisfy them): P, Q, R integers with |P| < 2^53, |Q| < 2^52, R ≥ −2^31
 * and |R| < 2^62, 0 ≤ k ≤ 32, the true value P·2^k + Q + R inside ±2^63, 1 ≤ t ≤ 62.
 * The value is rewritten as H·2^32 + L with 0 ≤ L < 2^32; every step is an exact double operation
 * (products and quotients by powers of two, sums below 2^53, floors of exact values).
 */
function floorShiftWide(P: number, k: number, Q: number, R: number, t: number): number {
  const pScale = POW2[32 - k]!;
  const pHigh = Math.floor(P / pScale);
  const pLow = (P - pHigh * pScale) * POW2[k]!; // in [0, 2^32)
  const rHigh = Math.floor(R / TWO_POW_32);
  const rLow = R - rHigh * TWO_POW_32; // in [0, 2^32)
  const low = pLow + Q + rLow;
  const carry = Math.floor(low / TWO_POW_32);
  const L = low - carry * TWO_POW_32;
  const H = pHigh + rHigh + carry; // |H| < 2^31 + small: exact
  if (t >= 32) return Math.floor(H / POW2[t - 32]!) | 0;
  // floor((H·2^32 + L)/2^t) = H·2^(32−t) + floor(L/2^t); reduce the first term mod 2^32 before adding.
  return (((H * POW2[32 - t]!) | 0) + Math.floor(L / POW2[t]!)) | 0;
}

/**
 * TFLite `MultiplyByQuantizedMultiplier(int32 x, int32 q, int shift)`, default (double-rounding,
 * gemmlowp) build: `RoundingDivideByPOT(SRDHM(x · 2^max(shift,0), q), max(−shift, 0))`.
 * `x · 2^left` wraps modulo 2^32 like the C int32 multiply on every real compiler. −31 ≤ shift ≤ 31.
 */
export function multiplyByQuantizedMultiplier(x: number, q: number, shift: number): number {
  if (shift > 0) {
    if (shift > 31) throw new RangeError(`multiplyByQuantizedMultiplier: shift ${shift} > 31`);
    return saturatingRoundingDoublingHighMul(Math.imul(x, 1 << shift), q);
  }
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, q), -shift);
}

/**
 * TFLite `MultiplyByQuantizedMultiplier` built with TFLITE_SINGLE_ROUNDING:
 * `t = 31 − shift; (x·q + 2^(t−1)) >> t` in int64, cast to int32 (wraps if the DCHECK'd range is
 * exceeded). −31 ≤ shift ≤ 30 as TFLite requires.
 */
export function multiplyByQuantizedMultiplierSingleRound(x: number, q: number, shift: number): number {
  if (shift < -31 || shift > 30) throw new RangeError(`multiplyByQuantizedMultiplierSingleRound: shift ${shift} not in [-31, 30]`);
  const t = 31 - shift;
  const qHi = q >> 16;
  const qLo = q & 0xffff;
  return floorShiftWide(x * qHi, 16, x * qLo, POW2[t - 1]!, t);
}

/**
 * TFLite `MultiplyByQuantizedMultiplier(int64 x, int32 q, int shift)` (16x8 kernels with int64
 * accumulators; the same code in the single- and double-rounding builds): the multiplier is reduced
 * to 16 bits, `r = q < 0x7FFF0000 ? (q + 2^15) >> 16 : 0x7FFF`, then `(x·r + 2^(t−1)) >> t` with
 * t = 15 − shift. x must be a safe integer (TFLite requires |x| < 2^47); −31 ≤ shift ≤ 7.
 */
export function multiplyByQuantizedMultiplierInt64(x: number, q: number, shift: number): number {
  if (shift < -31 || shift > 7) throw new RangeError(`multiplyByQuantizedMultiplierInt64: shift ${shift} not in [-31, 7]`);
  const reduced = q < 0x7fff0000 ? (q + 32768) >> 16 : 0x7fff;
  const t = 15 - shift;
  const xHi = Math.floor(x / TWO_POW_24);
  const xLo = x - xHi * TWO_POW_24;
  return floorShiftWide(xHi * reduced, 24, xLo * reduced, POW2[t - 1]!, t);
}

/**
 * TOSA `apply_scale_32(value, multiplier, shift, double_round)`:
 * `round = 2^(shift−1)`; with double_round and shift > 31, `round ± 2^30` by the sign of value;
 * result `(value·multiplier + round) >> shift` in int64, cast to int32.
 * Enforces the spec's REQUIREs on multiplier ≥ 0 and 2 ≤ shift ≤ 62; the REQUIRE on the value range
 * (|value| < 2^(shift−1)) is not checked: outside it the result wraps like the C cast.
 */
export function applyScale32(value: number, multiplier: number, shift: number, doubleRound: boolean): number {
  if (multiplier < 0) throw new RangeError(`applyScale32: multiplier ${multiplier} < 0`);
  if (shift < 2 || shift > 62) throw new RangeError(`applyScale32: shift ${shift} not in [2, 62]`);
  let round = POW2[shift - 1]!;
  if (doubleRound && shift > 31) round += value >= 0 ? TWO_POW_30 : -TWO_POW_30;
  const mHi = multiplier >> 16;
  const mLo = multiplier & 0xffff;
  return floorShiftWide(value * mHi, 16, value * mLo, round, shift);
}

/**
 * TOSA `apply_scale_16(int48 value, int16 multiplier, shift)`: `(value·multiplier + 2^(shift−1)) >> shift`
 * in int64, cast to int32. value is an int48 held exactly in a number; 0 ≤ multiplier < 2^15; 2 ≤ shift ≤ 62.
 */
export function applyScale16(value: number, multiplier: number, shift: number): number {
  if (multiplier < 0 || multiplier > 32767) throw new RangeError(`applyScale16: multiplier ${multiplier} not in [0, 32767]`);
  if (shift < 2 || shift > 62) throw new RangeError(`applyScale16: shift ${shift} not in [2, 62]`);
  const vHi = Math.floor(value / TWO_POW_24);
  const vLo = value - vHi * TWO_POW_24;
  return floorShiftWide(vHi * multiplier, 24, vLo * multiplier, POW2[shift - 1]!, shift);
}

/**
 * gemmlowp `SaturatingRoundingMultiplyByPOT<exponent>` on int32: a saturating left shift for
 * exponent > 0, `RoundingDivideByPOT(x, −exponent)` for exponent < 0.
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x | 0;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = ((1 << (31 - exponent)) - 1) | 0;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (x << exponent) | 0;
}

/**
 * TFLite `MultiplyByQuantizedMultiplierGreaterThanOne` (softmax input scaling), double-rounding build:
 * `SRDHM(x · 2^leftShift, q)` with the C int32 wrap on the shift; single-rounding build: the
 * single-rounding MultiplyByQuantizedMultiplier.
 */
export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, q: number, leftShift: number, singleRound = false): number {
  if (singleRound) return multiplyByQuantizedMultiplierSingleRound(x, q, leftShift);
  if (leftShift < 0 || leftShift > 31) throw new RangeError(`multiplyByQuantizedMultiplierGreaterThanOne: left shift ${leftShift} not in [0, 31]`);
  return saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), q);
}
