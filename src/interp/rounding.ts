/**
 * Requantization and real ↔ integer conversion under the rounding rules that targets name.
 *
 * Rounding modes (what a target descriptor's `requant rounding` selects):
 * - `gemmlowp`: TFLite reference kernels, default build — MultiplyByQuantizedMultiplier with
 *   SaturatingRoundingDoublingHighMul then RoundingDivideByPOT (two roundings).
 * - `single-round`: TFLite built with TFLITE_SINGLE_ROUNDING — one rounding of the 64-bit product.
 * - `double-round`: TOSA RESCALE, `apply_scale_32(acc, multiplier, 31 − shift, double_round = true)`.
 *   This equals `gemmlowp` exactly for every int32 acc whenever multiplier ≥ 0, 2 ≤ 31 − shift ≤ 62 and,
 *   for shift > 0, acc · 2^shift fits int32 (where gemmlowp wraps and TOSA REQUIREs it not to):
 *   SRDHM is floor((x·q + 2^30)/2^31) and RoundingDivideByPOT of h + 1 rounding ties away is
 *   floor((h + 2^(R−1))/2^R) for the floor h of the TOSA pre-shift, so the two composed roundings
 *   collapse into TOSA's single add-and-shift. test/interp/rounding.test.ts checks this by property.
 * - `half-even-float`: ONNX QLinearConv / QLinearMatMul — `round_half_even(float(acc) · scale)` in float32,
 *   as ONNX Runtime's CPU kernels compute it
 *   precision, `scale` the real multiplier (a_scale·b_scale/y_scale).
 */

import {
  INT32_MAX,
  INT32_MIN,
  applyScale32,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierSingleRound,
} from "./fixed-point.js";

export type RoundingMode = "gemmlowp" | "single-round" | "double-round" | "half-even-float";

export const ROUNDING_MODES: readonly RoundingMode[] = ["gemmlowp", "single-round", "double-round", "half-even-float"];

export interface RequantizeParams {
  /** Q0.31 multiplier (TFLite convention: real ≈ multiplier · 2^(shift − 31)). */
  multiplier: number;
  /** TFLite shift: positive = left. */
  shift: number;
  /** Real multiplier, needed by `half-even-float` only. */
  scale?: number;
}

/** Round to nearest, ties to even (IEEE default; ONNX QuantizeLinear, numpy `rint`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties toward +∞
  // r − x is exact here: for |x| < 2^52 both are within 1 of each other; above that x is an integer.
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r + 0; // + 0 turns −0 into 0
}

/** Round to nearest, ties away from zero (C `std::round`, TFLite `TfLiteRound`). */
export function roundHalfAwayFromZero(x: number): number {
  return (x < 0 ? -Math.round(-x) : Math.round(x)) + 0;
}

/** Clamps x into [min, max]. */
export function saturate(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

function saturateInt32(x: number): number {
  return x < INT32_MIN ? INT32_MIN : x > INT32_MAX ? INT32_MAX : x;
}

/**
 * Rescales an int32 accumulator by a requantization multiplier under `mode`; returns the int32
 * before the output zero point is added (the caller adds it and clamps to the output range).
 * For `half-even-float` the rounded product is saturated to int32, which the later clamp to the
 * (narrower) output range makes invisible.
 */
export function requantize(acc: number, params: RequantizeParams, mode: RoundingMode): number {
  return requantizer(mode)(acc, params.multiplier, params.shift, params.scale ?? Number.NaN);
}

/** Per-element requantization with the mode already chosen: the form kernels call in their inner loops. */
export type Requantizer = (acc: number, multiplier: number, shift: number, scale: number) => number;

const gemmlowpRequantizer: Requantizer = (acc, multiplier, shift) => multiplyByQuantizedMultiplier(acc, multiplier, shift);
const singleRoundRequantizer: Requantizer = (acc, multiplier, shift) =>
  multiplyByQuantizedMultiplierSingleRound(acc, multiplier, shift);
const doubleRoundRequantizer: Requantizer = (acc, multiplier, shift) => applyScale32(acc, multiplier, 31 - shift, true);
const halfEvenFloatRequantizer: Requantizer = (acc, _multiplier, _shift, scale) => {
  if (Number.isNaN(scale)) throw new RangeError("half-even-float requantization needs the real `scale`");
  // ONNX Runtime's CPU kernels requantize in float32: float(acc) · scale, rounded half to even.
  return saturateInt32(roundHalfEven(Math.fround(Math.fround(acc) * Math.fround(scale))));
};

/** The requantization function of a rounding mode (chosen once per kernel call, not per element). */
export function requantizer(mode: RoundingMode): Requantizer {
  switch (mode) {
    case "gemmlowp":
      return gemmlowpRequantizer;
    case "single-round":
      return singleRoundRequantizer;
    case "double-round":
      return doubleRoundRequantizer;
    case "half-even-float":
      return halfEvenFloatRequantizer;
    default:
      throw new RangeError(`unknown rounding mode ${String(mode)}`);
  }
}

/** In which precision the float step of (de)quantization runs. TFLite and ONNX compute in float32. */
export type QuantArithmetic = "f32" | "f64";

/**
 * QuantizeLinear (ONNX, `rounding = "half-even"`) / TFLite QUANTIZE (`"half-away"`):
 * `q = clamp(round(real / scale) + zp, qmin, qmax)`. With `arithmetic = "f32"` (default, what both
 * runtimes do with float32 tensors) the quotient is rounded to float32 before the integer rounding;
 * for float32 inputs `fround(real / scale)` is the correctly rounded float32 quotient.
 */
export function quantizeValue(
  real: number,
  scale: number,
  zp: number,
  qmin: number,
  qmax: number,
  rounding: "half-even" | "half-away",
  arithmetic: QuantArithmetic = "f32",
): number {
  if (Number.isNaN(real)) return saturate(zp, qmin, qmax);
  const quotient = arithmetic === "f32" ? Math.fround(real / scale) : real / scale;
  const r = rounding === "half-even" ? roundHalfEven(quotient) : roundHalfAwayFromZero(quotient);
  return saturate(r + zp, qmin, qmax);
}

/**
 * DequantizeLinear: `real = (q − zp) · scale`. In `f32` arithmetic the product is rounded to float32
 * once ((q − zp) and a float32 scale multiply exactly in a double, so this is the float32 product).
 */
export function dequantizeValue(q: number, scale: number, zp: number, arithmetic: QuantArithmetic = "f32"): number {
  const real = (q - zp) * scale;
  return arithmetic === "f32" ? Math.fround(real) : real;
}
