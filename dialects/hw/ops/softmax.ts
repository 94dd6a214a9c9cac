/**
 * `hw.softmax`: TFLite int8 softmax along the last axis (reference_ops::Softmax<int8>, CMSIS-NN
 * arm_softmax_s8), with the parameters TFLite's Prepare computes (`prepareSoftmax` in the kernel):
 * `input_multiplier`, `input_left_shift` (QuantizeMultiplierGreaterThanOne of beta·input_scale·2^26)
 * and `diff_min`. The output quantization is fixed: scale 1/256, zero point −128.
 */
import { attr, intAttr, stringAttr } from "../../../src/ir/attr-access.js";
import { defineOp } from "../../../src/ir/opdef.js";
import { INT32_MAX } from "../../../src/interp/fixed-point.js";
import { softmaxInt8 } from "../kernels/softmax.js";
import { attributesOf } from "../attributes.js";
import { checkShape, shapeOf, storageOf, storageTensor, typeText } from "../constraints.js";

export const softmaxOp = defineOp({
  name: "hw.softmax",
  summary: "TFLite int8 softmax along the last axis (output scale 1/256, zero point −128)",
  operands: [{ name: "input", type: storageTensor(["i8"]) }],
  results: [{ name: "result", type: storageTensor(["i8"]) }],
  attributes: {
    input_multiplier: { kind: "int", doc: "Q0.31 multiplier of the input differences (≥ 0)" },
    input_left_shift: { kind: "int", doc: "Left shift of the input differences, in [0, 31]" },
    diff_min: { kind: "int", doc: "Differences below this (≤ 0) contribute nothing and output −128" },
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
    const m = intAttr(attrs, "input_multiplier");
    if (m !== undefined && (!Number.isInteger(m) || m < 0 || m > INT32_MAX)) ctx.error(`'input_multiplier' must be an int32 value in [0, ${INT32_MAX}], got ${m}`);
    const s = intAttr(attrs, "input_left_shift");
    if (s !== undefined && (!Number.isInteger(s) || s < 0 || s > 31)) ctx.error(`'input_left_shift' must be an integer in [0, 31], got ${s}`);
    const d = intAttr(attrs, "diff_min");
    if (d !== undefined && (!Number.isInteger(d) || d > 0)) ctx.error(`'diff_min' must be an integer ≤ 0, got ${d}`);
    const q = storageOf(op.results[0]?.type)?.quant;
    if (q && (q.axis !== undefined || q.scales[0] !== 1 / 256 || q.zeroPoints[0] !== -128)) {
      ctx.error(`a quantized result must have scale 1/256 and zero point -128 (TFLite softmax), got ${typeText(q)}`);
    }
  },
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    return [
      softmaxInt8(inputs[0]!, {
        input_multiplier: intAttr(attrs, "input_multiplier", 0),
        input_left_shift: intAttr(attrs, "input_left_shift", 0),
        diff_min: intAttr(attrs, "diff_min", 0),
        rounding: stringAttr(attrs, "rounding", "gemmlowp") as "gemmlowp" | "single-round",
      }),
    ];
  },
});
