/**
 * `hw.softmax`: TFLite's quantized softmax along the last axis, in two forms chosen by the input type,
 * each with the parameters its TFLite Prepare computes:
 *
 * - int8 (i8 → i8): reference_ops::Softmax<int8> (CMSIS-NN arm_softmax_s8), `prepareSoftmax` in
 *   kernels/softmax.ts: `input_multiplier`, `input_left_shift` (QuantizeMultiplierGreaterThanOne of
 *   β·input_scale·2^26) and `diff_min`. Output scale 1/256, zero point −128.
 * - int16 (i16 → i16): reference_ops::SoftmaxInt16 (CMSIS-NN arm_softmax_s16), `prepareSoftmaxInt16` in
 *   kernels/softmax-int16.ts: `input_multiplier`, `input_left_shift` (QuantizeMultiplier of
 *   β·input_scale/(10/65535), a shift of either sign); no `diff_min`. Input zero point 0, output scale
 *   1/32768, zero point 0. Its exp and 1/(1 + x) tables are fixed and live in the kernel.
 */
import { attr, intAttr, stringAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type TypeConstraint } from "../../../src/ir/opdef.js";
import { INT32_MAX } from "../../../src/interp/fixed-point.js";
import { softmaxInt8 } from "../kernels/softmax.js";
import { SOFTMAX_INT16_MAX_DEPTH, SOFTMAX_INT16_OUTPUT, softmaxInt16 } from "../kernels/softmax-int16.js";
import { attributesOf, has } from "../attributes.js";
import { checkShape, shapeOf, storageOf, storageTensor, typeText } from "../constraints.js";

/** i8 (the int8 form) or i16 (the int16 form); the message names the two forms. */
const softmaxStorage: TypeConstraint = {
  description: "a tensor of i8 values (int8 form) or of i16 values (int16 form), plain or !quant.uniform storage",
  accepts: storageTensor(["i8", "i16"]).accepts,
};

export const softmaxOp = defineOp({
  name: "hw.softmax",
  summary: "TFLite softmax along the last axis: int8 (output scale 1/256, zero point −128) or int16 (output scale 1/32768, zero point 0)",
  operands: [{ name: "input", type: softmaxStorage }],
  results: [{ name: "result", type: softmaxStorage }],
  attributes: {
    input_multiplier: { kind: "int", doc: "Q0.31 multiplier of the input differences (≥ 0)" },
    input_left_shift: { kind: "int", doc: "Shift of the input differences: a left shift in [0, 31] (i8), a signed shift in [−31, 30] (i16)" },
    diff_min: { kind: "int", optional: true, doc: "i8 only (required there): differences below this (≤ 0) contribute nothing and output −128" },
    rounding: { kind: "string", oneOf: ["gemmlowp", "single-round"], default: attr.str("gemmlowp"), doc: "TFLite build: default or TFLITE_SINGLE_ROUNDING" },
  },
  traits: ["Pure", "SameOperandsAndResultShape"],
  verify(op, ctx) {
    const attrs = attributesOf(op);
    const shape = shapeOf(op.operands[0]?.type);
    if (shape) {
      const e = checkShape("result", shapeOf(op.results[0]?.type), shape);
      if (e) ctx.error(e);
    }
    const input = storageOf(op.operands[0]?.type);
    const result = storageOf(op.results[0]?.type);
    const wide = input?.kind === "i16";
    const forms = ["i8", "i16"];
    // Operands of other storage types already failed the type constraint; one message for them is enough.
    if (input && result && forms.includes(input.kind) && forms.includes(result.kind) && result.kind !== input.kind) ctx.error(`an ${input.kind} input needs an ${input.kind} result (TFLite softmax), got ${result.kind}`);
    const m = intAttr(attrs, "input_multiplier");
    if (m !== undefined && (!Number.isInteger(m) || m < 0 || m > INT32_MAX)) ctx.error(`'input_multiplier' must be an int32 value in [0, ${INT32_MAX}], got ${m}`);
    const s = intAttr(attrs, "input_left_shift");
    const [sMin, sMax] = wide ? [-31, 30] : [0, 31];
    if (s !== undefined && (!Number.isInteger(s) || s < sMin || s > sMax)) {
      ctx.error(`'input_left_shift' must be an integer in [${sMin}, ${sMax}]${wide ? " for an i16 input" : ""}, got ${s}`);
    }
    const q = result?.quant;
    if (wide) {
      if (has(attrs, "diff_min")) ctx.error(`'diff_min' belongs to the int8 form: TFLite's int16 softmax has none`);
      const zp = input?.quant?.zeroPoints.find((z) => z !== 0);
      if (zp !== undefined) ctx.error(`a quantized i16 input must have zero point 0 (TFLite int16 softmax), got ${typeText(input!.quant!)}`);
      if (q && (q.axis !== undefined || q.scales[0] !== SOFTMAX_INT16_OUTPUT.scale || q.zeroPoints[0] !== SOFTMAX_INT16_OUTPUT.zeroPoint)) {
        ctx.error(`a quantized i16 result must have scale 1/32768 and zero point 0 (TFLite int16 softmax), got ${typeText(q)}`);
      }
      const depth = shape?.[shape.length - 1];
      if (depth !== undefined && depth > SOFTMAX_INT16_MAX_DEPTH) ctx.error(`the last axis holds ${depth} values; the int16 kernel's int32 sum of exponentials allows at most ${SOFTMAX_INT16_MAX_DEPTH}`);
      return;
    }
    const d = intAttr(attrs, "diff_min");
    if (d === undefined) ctx.error(`requires attribute 'diff_min' (int8 form)`);
    else if (!Number.isInteger(d) || d > 0) ctx.error(`'diff_min' must be an integer ≤ 0, got ${d}`);
    if (q && (q.axis !== undefined || q.scales[0] !== 1 / 256 || q.zeroPoints[0] !== -128)) {
      ctx.error(`a quantized result must have scale 1/256 and zero point -128 (TFLite softmax), got ${typeText(q)}`);
    }
  },
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const input = inputs[0]!;
    const rounding = stringAttr(attrs, "rounding", "gemmlowp") as "gemmlowp" | "single-round";
    const input_multiplier = intAttr(attrs, "input_multiplier", 0);
    const input_left_shift = intAttr(attrs, "input_left_shift", 0);
    if (input.dtype === "i16") return [softmaxInt16(input, { input_multiplier, input_left_shift, rounding })];
    return [softmaxInt8(input, { input_multiplier, input_left_shift, diff_min: intAttr(attrs, "diff_min", 0), rounding })];
  },
});
