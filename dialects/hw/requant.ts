/**
 * The output stage shared by the accumulating hw ops (conv2d, depthwise_conv2d, fully_connected,
 * matmul and the sparse ops): its attributes, their verifier and their translation to the kernels'
 * `RequantAttrs`.
 *
 *   out = clamp(requantize(acc, multiplier[c], shift[c] | scale[c]) + output_zp, act_min, act_max)
 *
 * - `multiplier` (Q0.31, int32 ≥ 0) and `shift` (TFLite convention: positive = left,
 *   real ≈ multiplier·2^(shift − 31)), one per output channel or one for all, for the integer rounding
 *   modes `gemmlowp` (TFLite default), `single-round` (TFLITE_SINGLE_ROUNDING) and `double-round`
 *   (TOSA apply_scale_32 with s = 31 − shift).
 * - `scale` (the real multiplier in_scale·w_scale/out_scale) for `half-even-float` (ONNX QLinearConv /
 *   QLinearMatMul: round_half_even(acc·scale) in double precision).
 * - Neither `multiplier` nor `scale`: no requantization. The result is the int32 accumulator itself
 *   (ONNX ConvInteger / MatMulInteger), clamped to [act_min, act_max] when those are given.
 */
import type { AttrDict } from "../../src/ir/attributes.js";
import { attr, intAttr, numbersAttr, stringAttr } from "../../src/ir/attr-access.js";
import type { AttrSpec } from "../../src/ir/opdef.js";
import { INT32_MAX } from "../../src/interp/fixed-point.js";
import { ROUNDING_MODES, type RoundingMode } from "../../src/interp/rounding.js";
import type { IntOutputType, RequantAttrs } from "./kernels/output-stage.js";
import { has } from "./attributes.js";
import { outsideStorage, zeroPointMismatch, type Storage } from "./constraints.js";

export const requantAttributes: Readonly<Record<string, AttrSpec>> = {
  output_zp: { kind: "int", default: attr.int(0), doc: "Zero point added after requantization (0 without requantization)" },
  multiplier: { kind: "ints", optional: true, doc: "Q0.31 int32 multipliers ≥ 0: one, or one per output channel" },
  shift: { kind: "ints", optional: true, doc: "TFLite shifts (positive = left), same length as multiplier" },
  scale: { kind: "floats", optional: true, doc: "Real multipliers in_scale·w_scale/out_scale, for rounding = half-even-float" },
  act_min: { kind: "int", optional: true, doc: "Lower clamp bound (fused relu); default: the result storage minimum" },
  act_max: { kind: "int", optional: true, doc: "Upper clamp bound (fused relu/relu6); default: the result storage maximum" },
  rounding: { kind: "string", oneOf: ROUNDING_MODES, default: attr.str("gemmlowp"), doc: "Requantization rounding rule" },
};

/** Zero points of a weighted op (conv2d, depthwise_conv2d, fully_connected, sparse ops). */
export const weightedZeroPoints: Readonly<Record<string, AttrSpec>> = {
  input_zp: { kind: "int", doc: "Input zero point (CMSIS-NN INPUT_OFFSET = −input_zp)" },
  weight_zp: { kind: "int", default: attr.int(0), doc: "Weight zero point (TFLite int8 weights are symmetric: 0)" },
};

export interface RequantContext {
  /** Output channels (the length per-channel parameters must have); −1 when dynamic. */
  readonly channels: number;
  readonly output: Storage | undefined;
  /** 16-bit activations: 64-bit accumulator, TFLite's int64 requantization (shift ≤ 7). */
  readonly wide: boolean;
}

/** Results a requantizing op may have; without requantization it must be i32. */
const REQUANT_OUTPUTS = ["i8", "u8", "i16"] as const;

/** True when the op requantizes its accumulator (has `multiplier` or `scale`). */
export function requantizes(attrs: AttrDict): boolean {
  return has(attrs, "multiplier") || has(attrs, "scale");
}

function lengthError(name: string, values: readonly number[], channels: number): string | undefined {
  if (values.length === 1 || channels < 0 || values.length === channels) return undefined;
  return `'${name}' must have 1 or ${channels} values (one per output channel), got ${values.length}`;
}

/** Checks the output-stage attributes of a verified-shape op; `attrs` has defaults applied. */
export function verifyRequant(attrs: AttrDict, c: RequantContext, error: (message: string) => void): void {
  const rounding = stringAttr(attrs, "rounding", "gemmlowp") as RoundingMode;
  const outputZp = intAttr(attrs, "output_zp", 0);
  const multiplier = numbersAttr(attrs, "multiplier");
  const shift = numbersAttr(attrs, "shift");
  const scale = numbersAttr(attrs, "scale");
  const out = c.output;
  if (!requantizes(attrs)) {
    if (rounding === "half-even-float") error(`rounding = "half-even-float" requires 'scale' (the real multiplier per output channel)`);
    if (shift !== undefined) error(`'shift' is given without 'multiplier'`);
    if (out && out.kind !== "i32") error(`result element type must be i32 without requantization ('multiplier' or 'scale'), got ${out.kind}`);
    if (outputZp !== 0) error(`'output_zp' must be 0 without requantization, got ${outputZp}`);
    if (c.wide) error(`16-bit inputs need requantization: an int32 result holds 8-bit accumulations only`);
  } else {
    if (out && !(REQUANT_OUTPUTS as readonly string[]).includes(out.kind)) error(`result element type must be i8, u8 or i16 when requantizing, got ${out.kind}`);
    if (rounding === "half-even-float") {
      if (scale === undefined) error(`rounding = "half-even-float" requires 'scale' (the real multiplier per output channel)`);
    } else if (multiplier === undefined || shift === undefined) {
      error(`rounding = "${rounding}" requires 'multiplier' and 'shift'`);
    }
    if (multiplier !== undefined && shift === undefined) error(`'multiplier' is given without 'shift'`);
    if (shift !== undefined && multiplier === undefined) error(`'shift' is given without 'multiplier'`);
    if (multiplier !== undefined && shift !== undefined && multiplier.length !== shift.length) {
      error(`'multiplier' and 'shift' must have the same length, got ${multiplier.length} and ${shift.length}`);
    }
    for (const [name, values] of [["multiplier", multiplier], ["shift", shift], ["scale", scale]] as const) {
      const e = values && lengthError(name, values, c.channels);
      if (e) error(e);
    }
    const badMultiplier = multiplier?.find((m) => !Number.isInteger(m) || m < 0 || m > INT32_MAX);
    if (badMultiplier !== undefined) error(`'multiplier' values must be int32 values in [0, ${INT32_MAX}], got ${badMultiplier}`);
    if (shift !== undefined && rounding !== "half-even-float") {
      // gemmlowp allows −31…31, single rounding −31…30, TOSA's s = 31 − shift needs s ≥ 2, and the
      // int64 path of 16-bit kernels (t = 15 − shift ≥ 8) −31…7.
      const hi = c.wide ? 7 : rounding === "double-round" ? 29 : 30;
      const bad = shift.find((s) => !Number.isInteger(s) || s < -31 || s > hi);
      if (bad !== undefined) {
        error(`'shift' values must be integers in [-31, ${hi}] for rounding = "${rounding}"${c.wide ? " and 16-bit inputs" : ""}, got ${bad}`);
      }
    }
    const badScale = scale?.find((s) => !Number.isFinite(s) || s < 0);
    if (badScale !== undefined) error(`'scale' values must be finite and ≥ 0, got ${badScale}`);
    if (out) {
      const e = outsideStorage(outputZp, out, "output_zp", "result") ?? zeroPointMismatch(out, outputZp, "output_zp", "result");
      if (e) error(e);
    }
  }
  verifyActivationBounds(attrs, out, error);
}

/** `act_min ≤ act_max`, both inside the result's storage range. */
export function verifyActivationBounds(attrs: AttrDict, out: Storage | undefined, error: (message: string) => void): void {
  const lo = intAttr(attrs, "act_min");
  const hi = intAttr(attrs, "act_max");
  if (out) {
    if (lo !== undefined) {
      const e = outsideStorage(lo, out, "act_min", "result");
      if (e) error(e);
    }
    if (hi !== undefined) {
      const e = outsideStorage(hi, out, "act_max", "result");
      if (e) error(e);
    }
  }
  if (lo !== undefined && hi !== undefined && lo > hi) error(`'act_min' (${lo}) must not exceed 'act_max' (${hi})`);
}

/** The result's kernel output type. */
export function intOutputType(out: Storage): IntOutputType {
  if (out.kind === "i64") throw new RangeError("hw kernels do not write i64 results");
  return out.kind;
}

/** The kernels' `RequantAttrs` for a verified op (defaults applied in `attrs`). */
export function kernelRequant(attrs: AttrDict, out: Storage): RequantAttrs & { readonly output_type: IntOutputType } {
  const act_min = intAttr(attrs, "act_min", out.min);
  const act_max = intAttr(attrs, "act_max", out.max);
  const output_type = intOutputType(out);
  if (!requantizes(attrs)) {
    // The accumulator itself: round_half_even(acc · 1) is acc, already an int32.
    return { multiplier: [0], shift: [0], scale: [1], rounding: "half-even-float", output_zp: 0, act_min, act_max, output_type };
  }
  const rounding = stringAttr(attrs, "rounding", "gemmlowp") as RoundingMode;
  const scale = numbersAttr(attrs, "scale");
  const multiplier = numbersAttr(attrs, "multiplier") ?? [0];
  const shift = numbersAttr(attrs, "shift") ?? new Array<number>(multiplier.length).fill(0);
  return {
    multiplier,
    shift,
    ...(scale !== undefined ? { scale } : {}),
    output_zp: intAttr(attrs, "output_zp", 0),
    act_min,
    act_max,
    rounding,
    output_type,
  };
}

/** Zero points of the weighted ops, checked against the storage ranges and quantized types. */
export function verifyWeightedZeroPoints(attrs: AttrDict, input: Storage | undefined, weight: Storage | undefined, error: (m: string) => void): void {
  const inputZp = intAttr(attrs, "input_zp");
  const weightZp = intAttr(attrs, "weight_zp", 0);
  if (input && inputZp !== undefined) {
    const e = outsideStorage(inputZp, input, "input_zp", "input") ?? zeroPointMismatch(input, inputZp, "input_zp", "input");
    if (e) error(e);
  }
  if (weight) {
    const e = outsideStorage(weightZp, weight, "weight_zp", "filter") ?? zeroPointMismatch(weight, weightZp, "weight_zp", "filter");
    if (e) error(e);
  }
}
