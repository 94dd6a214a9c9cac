/**
 * Float literals that survive a round trip: printed so that parsing gives back the identical value
 * (f32 via Math.fround, f16/bf16 via their rounding), in MLIR's style (`1.000000e-01`).
 */
import type { FloatKind } from "../ir/types.js";
import { roundToF16, numberToF16Bits, f16BitsToNumber } from "../interp/tensor.js";

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);
const scratchF64 = new Float64Array(1);
const scratchU64 = new BigUint64Array(scratchF64.buffer);

export function roundToBf16(value: number): number {
  return bf16BitsToNumber(numberToBf16Bits(value));
}

export function numberToBf16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0]!;
  if ((bits & 0x7fffffff) > 0x7f800000) return (bits >>> 16) | 0x40;
  // Round to nearest even on the 16 dropped bits.
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

export function bf16BitsToNumber(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0]!;
}

/** Rounds a JS number to the precision of a float type. */
export function roundToFloatKind(value: number, kind: FloatKind): number {
  switch (kind) {
    case "f16":
      return roundToF16(value);
    case "bf16":
      return roundToBf16(value);
    case "f32":
      return Math.fround(value);
    case "f64":
      return value;
  }
}

/** The bit pattern of a value in a float type, as a hex literal (`0x7FC00000`). */
export function floatToHexBits(value: number, kind: FloatKind): string {
  switch (kind) {
    case "f16":
      return "0x" + numberToF16Bits(value).toString(16).toUpperCase().padStart(4, "0");
    case "bf16":
      return "0x" + numberToBf16Bits(value).toString(16).toUpperCase().padStart(4, "0");
    case "f32":
      scratchF32[0] = value;
      return "0x" + scratchU32[0]!.toString(16).toUpperCase().padStart(8, "0");
    case "f64":
      scratchF64[0] = value;
      return "0x" + scratchU64[0]!.toString(16).toUpperCase().padStart(16, "0");
  }
}

/** The value of a hex bit pattern (`0x7FC00000 : f32`) in a float type. */
export function hexBitsToFloat(hex: string, kind: FloatKind): number {
  const bits = BigInt(hex);
  switch (kind) {
    case "f16":
      return f16BitsToNumber(Number(bits & 0xffffn));
    case "bf16":
      return bf16BitsToNumber(Number(bits & 0xffffn));
    case "f32":
      scratchU32[0] = Number(bits & 0xffffffffn);
      return scratchF32[0]!;
    case "f64":
      scratchU64[0] = bits & 0xffffffffffffffffn;
      return scratchF64[0]!;
  }
}

/** Adds a `.0` where JS printed an integer, so the text lexes as a float. */
function asFloatLiteral(text: string): string {
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? "" : text.slice(e);
  const withDot = mantissa.includes(".") ? mantissa : mantissa + ".0";
  return withDot + exponent;
}

/**
 * Prints a float of the given kind: MLIR's 6-digit exponent form when it reads back exactly, else the
 * shortest decimal that reads back exactly, else (NaN, infinities) the hex bit pattern.
 */
export function formatFloat(value: number, kind: FloatKind): string {
  if (!Number.isFinite(value)) return floatToHexBits(value, kind);
  if (Object.is(value, -0)) return "-0.000000e+00";
  const sixDigits = formatExponent(value, 6);
  if (roundToFloatKind(Number(sixDigits), kind) === value) return sixDigits;
  if (kind === "f64") return asFloatLiteral(String(value));
  for (let precision = 7; precision <= 17; precision++) {
    const text = formatExponent(value, precision - 1);
    if (roundToFloatKind(Number(text), kind) === value) return text;
  }
  return floatToHexBits(value, kind);
}

/** `1.000000e-01`: mantissa with `digits` decimals and a two-digit signed exponent, as C's %e. */
export function formatExponent(value: number, digits: number): string {
  const text = value.toExponential(digits);
  const e = text.indexOf("e");
  const sign = text[e + 1]!;
  const exp = text.slice(e + 2);
  return `${text.slice(0, e)}e${sign}${exp.length < 2 ? "0" + exp : exp}`;
}
