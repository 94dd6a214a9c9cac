/**
 * `hw.rescale`: TOSA RESCALE (MLIR `tosa.rescale`).
 *   v = in − input_zp
 *   r = scale32 ? apply_scale_32(v, multiplier[c], shift[c], double_round) : apply_scale_16(v, multiplier[c], shift[c])
 *   out = clamp(r + output_zp, result storage range)
 * `shift` follows the TOSA convention: a right shift in [2, 62], real multiplier = multiplier · 2^−shift
 * (TFLite's shift is 31 − this). c indexes the last dimension when `per_channel`, else 0.
 */
import { attr, boolAttr, intAttr, numbersAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type VerifyContext } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { INT32_MAX } from "../../../src/interp/fixed-point.js";
import { rescale } from "../kernels/rescale.js";
import { attributesOf } from "../attributes.js";
import { checkShape, outsideStorage, shapeOf, storageOf, storageTensor, zeroPointMismatch } from "../constraints.js";
import { intOutputType } from "../requant.js";

function verifyRescale(op: Operation, ctx: VerifyContext): void {
  const attrs = attributesOf(op);
  const error = (m: string): void => ctx.error(m);
  const inType = op.operands[0]?.type;
  const input = storageOf(inType);
  const output = storageOf(op.results[0]?.type);
  const shape = shapeOf(inType);
  if (shape) {
    const e = checkShape("result", shapeOf(op.results[0]?.type), shape);
    if (e) error(e);
  }
  const scale32 = boolAttr(attrs, "scale32", true);
  const doubleRound = boolAttr(attrs, "double_round", false);
  const perChannel = boolAttr(attrs, "per_channel", false);
  const multiplier = numbersAttr(attrs, "multiplier");
  const shift = numbersAttr(attrs, "shift");
  if (doubleRound && !scale32) error(`'double_round' requires 'scale32'`);
  if (input?.kind === "i64" && scale32) error(`an i64 (int48) input requires 'scale32' = false`);
  // A missing multiplier or shift is reported against the attribute declarations.
  if (multiplier !== undefined && shift !== undefined) {
    if (multiplier.length !== shift.length) error(`'multiplier' and 'shift' must have the same length, got ${multiplier.length} and ${shift.length}`);
    const channels = perChannel ? (shape ? shape[shape.length - 1] ?? 1 : -1) : 1;
    if (channels >= 0 && multiplier.length !== channels) {
      error(perChannel ? `'multiplier' must have one value per channel of the last dimension (${channels}), got ${multiplier.length}` : `'multiplier' must have 1 value without 'per_channel', got ${multiplier.length}`);
    }
    const maxMultiplier = scale32 ? INT32_MAX : 32767;
    const badM = multiplier.find((m) => !Number.isInteger(m) || m < 0 || m > maxMultiplier);
    if (badM !== undefined) error(`'multiplier' values must be integers in [0, ${maxMultiplier}] (${scale32 ? "scale32" : "16-bit multipliers"}), got ${badM}`);
    const badS = shift.find((s) => !Number.isInteger(s) || s < 2 || s > 62);
    if (badS !== undefined) error(`'shift' values must be TOSA right shifts in [2, 62], got ${badS}`);
  }
  const inZp = intAttr(attrs, "input_zp", 0);
  const outZp = intAttr(attrs, "output_zp", 0);
  if (input) {
    const e = outsideStorage(inZp, input, "input_zp", "input") ?? zeroPointMismatch(input, inZp, "input_zp", "input");
    if (e) error(e);
  }
  if (output) {
    const e = outsideStorage(outZp, output, "output_zp", "result") ?? zeroPointMismatch(output, outZp, "output_zp", "result");
    if (e) error(e);
  }
}

export const rescaleOp = defineOp({
  name: "hw.rescale",
  summary: "TOSA RESCALE: change the quantization of integers by a fixed-point multiplier",
  description:
    "out = clamp(apply_scale(in − input_zp, multiplier[c], shift[c]) + output_zp). shift is TOSA's right " +
    "shift in [2, 62] (real multiplier = multiplier·2^−shift = TFLite's multiplier·2^(shift_tflite − 31)).",
  operands: [{ name: "input", type: storageTensor(["i8", "u8", "i16", "u16", "i32", "i64"]) }],
  results: [{ name: "result", type: storageTensor(["i8", "u8", "i16", "u16", "i32"]) }],
  attributes: {
    input_zp: { kind: "int", doc: "Subtracted from the input" },
    output_zp: { kind: "int", doc: "Added to the result" },
    multiplier: { kind: "ints", doc: "int32 (scale32) or int16 multipliers ≥ 0: one, or one per last-dim channel" },
    shift: { kind: "ints", doc: "TOSA right shifts in [2, 62], same length as multiplier" },
    scale32: { kind: "bool", default: attr.bool(true), doc: "32-bit multipliers (apply_scale_32); false: 16-bit (apply_scale_16)" },
    double_round: { kind: "bool", default: attr.bool(false), doc: "TOSA DOUBLE_ROUND (scale32 only): equals TFLite's gemmlowp rounding" },
    per_channel: { kind: "bool", default: attr.bool(false), doc: "One multiplier/shift per channel of the last dimension" },
  },
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify: verifyRescale,
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    return [
      rescale(inputs[0]!, {
        input_zp: intAttr(attrs, "input_zp", 0),
        output_zp: intAttr(attrs, "output_zp", 0),
        multiplier: numbersAttr(attrs, "multiplier", []),
        shift: numbersAttr(attrs, "shift", []),
        scale32: boolAttr(attrs, "scale32", true),
        double_round: boolAttr(attrs, "double_round", false),
        per_channel: boolAttr(attrs, "per_channel", false),
        output_type: intOutputType(storageOf(op.results[0]!.type)!),
      }),
    ];
  },
});
