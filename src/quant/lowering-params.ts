/**
 * The integer parameters `lower-to-hw` writes on hw ops, computed from quantization parameters and a
 * target's rules (references.md): requantization multipliers and shifts (TFLite QuantizeMultiplier), real
 * scales for half-even-float targets, TOSA RESCALE parameters, fused-activation clamp bounds, bias
 * quantization (int32, or int64 for 16-bit activations) and lookup tables for elementwise functions.
 * Pure functions over numbers: no IR here, so each rule can be tested on its own.
 */
import { INT32_MAX, quantizeMultiplier } from "../interp/fixed-point.js";
import { quantizeValue, roundHalfAwayFromZero, roundHalfEven } from "../interp/rounding.js";
import { isPowerOfTwo, quantizeRounding } from "../target/queries.js";
import type { RequantRounding, Target } from "../target/types.js";

/** Why a value cannot be lowered; the lowering pass turns it into a float island or a legality error. */
export class LoweringRefusal extends Error {
  override name = "LoweringRefusal";
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function refuse(reason: string): never {
  throw new LoweringRefusal(reason);
}

/** How QUANTIZE rounds ties, in the spelling of the interpreter's helpers. */
export type TieRounding = "half-away" | "half-even";

/** How a target's QUANTIZE (and its converter quantizing constants) rounds ties. */
export function tieRounding(target: Target): TieRounding {
  return quantizeRounding(target) === "half-to-even" ? "half-even" : "half-away";
}

export function roundTies(x: number, rounding: TieRounding): number {
  return rounding === "half-even" ? roundHalfEven(x) : roundHalfAwayFromZero(x);
}

/** A quantization scale as the runtimes hold it: float32 (TFLite's `float scale`, the QDQ interpreter's fround). */
export function f32Scale(s: number): number {
  return Math.fround(s);
}

/** Requantization parameters of an accumulating op, one entry per output channel (or one for all). */
export type RequantParams =
  | { readonly form: "fixed-point"; readonly multiplier: readonly number[]; readonly shift: readonly number[] }
  | { readonly form: "scale"; readonly scale: readonly number[] };

export interface RequantOptions {
  /** The target's requantization rounding. */
  readonly rounding: RequantRounding;
  /** 16-bit activations: TFLite's int64 path allows shifts up to 7 only. */
  readonly wide: boolean;
  /** Power-of-two target: every multiplier must be exactly 2^30 (requantization is a shift). */
  readonly powerOfTwo: boolean;
}

export const PURE_SHIFT_MULTIPLIER = 2 ** 30;

/**
 * `multiplier`/`shift` from TFLite's QuantizeMultiplier of each real multiplier (integer rounding
 * modes), or the real multipliers themselves (`half-even-float`, ONNX QLinear ops). Refuses a shift
 * outside what the hw output stage accepts, and on power-of-two targets any multiplier that is not 2^30.
 */
export function requantParams(real: readonly number[], options: RequantOptions): RequantParams {
  for (const m of real) if (!(Number.isFinite(m) && m >= 0)) refuse(`the real requantization multiplier ${m} is not finite and non-negative`);
  if (options.rounding === "half-even-float") {
    const bad = options.powerOfTwo ? real.find((m) => m !== 0 && !isPowerOfTwo(m)) : undefined;
    if (bad !== undefined) refuse(`the real multiplier ${bad} is not a power of two: a power-of-two target requantizes by shifts only`);
    return { form: "scale", scale: [...real] };
  }
  const multiplier: number[] = [];
  const shift: number[] = [];
  const hi = options.wide ? 7 : options.rounding === "double-round" ? 29 : 30;
  for (const m of real) {
    const q = quantizeMultiplier(m, { singleRounding: options.rounding === "single-round" });
    if (q.shift > hi) refuse(`the real multiplier ${m} needs a left shift of ${q.shift}, above the ${hi} the output stage allows`);
    if (options.powerOfTwo && q.multiplier !== 0 && q.multiplier !== PURE_SHIFT_MULTIPLIER) {
      refuse(`the real multiplier ${m} is not a power of two (Q0.31 multiplier ${q.multiplier}, not 2^30): a power-of-two target requantizes by shifts only`);
    }
    multiplier.push(q.multiplier);
    shift.push(q.shift);
  }
  return { form: "fixed-point", multiplier, shift };
}

/** TOSA RESCALE parameters for `s_in → s_out`: a 32-bit multiplier and TOSA's right shift (31 − TFLite shift). */
export function rescaleParams(sIn: number, sOut: number, powerOfTwo: boolean): { multiplier: number; shift: number } {
  const m = f32Scale(sIn) / f32Scale(sOut);
  const q = quantizeMultiplier(m);
  const shift = 31 - q.shift;
  if (q.multiplier === 0) return { multiplier: 0, shift: 31 };
  if (shift < 2 || shift > 62) refuse(`rescaling by ${m} needs a TOSA shift of ${shift}, outside [2, 62]`);
  if (powerOfTwo && q.multiplier !== PURE_SHIFT_MULTIPLIER) refuse(`rescaling by ${m} is not a power of two: a power-of-two target requantizes by shifts only`);
  return { multiplier: q.multiplier, shift };
}

/** Clamp bounds of a fused activation: the quantized real bounds, clamped to the result's storage range (TFLite CalculateActivationRangeQuantized). */
export function activationBounds(
  real: { min: number; max: number },
  out: { scale: number; zeroPoint: number; qmin: number; qmax: number },
  rounding: TieRounding,
): { actMin: number; actMax: number } {
  const q = (x: number): number => (x === -Infinity ? out.qmin : x === Infinity ? out.qmax : quantizeValue(x, f32Scale(out.scale), out.zeroPoint, out.qmin, out.qmax, rounding));
  const actMin = Math.max(out.qmin, q(real.min));
  const actMax = Math.min(out.qmax, q(real.max));
  return { actMin, actMax: Math.max(actMin, actMax) };
}

/** Bias in accumulator units: `round(real[c] / unit[c])`, clamped to int32 (8-bit) or the exactly representable int64 range (16-bit). */
export function quantizeBias(
  real: ArrayLike<number>,
  unit: readonly number[],
  width: 32 | 64,
  rounding: TieRounding,
): { data: Int32Array | BigInt64Array; clamped: number } {
  const n = real.length;
  const limit = width === 32 ? INT32_MAX : Number.MAX_SAFE_INTEGER;
  let clamped = 0;
  const values = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const u = unit[unit.length === 1 ? 0 : c]!;
    let v = u > 0 ? roundTies(real[c]! / u, rounding) : 0;
    if (!Number.isFinite(v)) v = 0;
    if (v > limit || v < -limit) {
      clamped++;
      v = v > 0 ? limit : -limit;
    }
    values[c] = v + 0;
  }
  if (width === 32) return { data: Int32Array.from(values), clamped };
  const data = new BigInt64Array(n);
  for (let c = 0; c < n; c++) data[c] = BigInt(values[c]!);
  return { data, clamped };
}

/** The stored input values an 8-bit table covers, in table order: −128…127 for i8 (index = value + 128), 0…255 for u8. */
export function lutInputs8(unsigned: boolean): Int32Array {
  return Int32Array.from({ length: 256 }, (_, i) => (unsigned ? i : i - 128));
}

/**
 * The stored input values a 16-bit interpolated table samples (TFLite `lut_lookup_with_interpolation`):
 * entry i stands for value (i − 256)·128, i = 0…512 (the last one, 32768, is one step past int16's range).
 */
export function lutInputs16(): Int32Array {
  return Int32Array.from({ length: 513 }, (_, i) => (i - 256) * 128);
}

/** Real values of stored values under (scale, zp), as the QDQ interpreter's dequantize computes them (f32). */
export function dequantizeAll(stored: Int32Array, scale: number, zeroPoint: number): Float32Array {
  const s = f32Scale(scale);
  return Float32Array.from(stored, (q) => Math.fround((q - zeroPoint) * s));
}

/** Stored values of reals under (scale, zp), clamped to [qmin, qmax], dividing in f32 as QUANTIZE does. */
export function quantizeAll(real: Float32Array, out: { scale: number; zeroPoint: number; qmin: number; qmax: number }, rounding: TieRounding): Int32Array {
  const s = f32Scale(out.scale);
  return Int32Array.from(real, (x) => quantizeValue(x, s, out.zeroPoint, out.qmin, out.qmax, rounding));
}

