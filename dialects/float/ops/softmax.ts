/** `float.softmax`: exp(x − max) / Σ exp(x − max) along one axis. */
import { attr, intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { softmax } from "../kernels/softmax.js";
import { opAttributes, withDefaults } from "../attribute-defaults.js";
import { floatTensor, rankedShape, resolveAxis } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";

const softmaxAttributes: Readonly<Record<string, AttrSpec>> = {
  axis: { kind: "int", default: attr.int(-1), doc: "Axis to normalize over; negative counts from the end" },
};

export const softmaxOp = defineOp({
  name: "float.softmax",
  summary: "Softmax along one axis (default the last, i.e. the channels of NHWC)",
  description:
    "exp(x − max) / Σ exp(x − max) along `axis` (TFLite SOFTMAX with beta 1, ONNX ≥ 13 Softmax). " +
    "Any layout; the result has the operand's type and its range is fixed at [0, 1]. f64 sums, one rounding per output.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: softmaxAttributes,
  traits: ["Pure", "SameOperandsAndResultShape", "FixedOutputRange"],
  fixedOutputRange: { min: 0, max: 1 },
  inferResultTypes(types, attrs) {
    const shape = rankedShape(types[0]!);
    if (shape && shape.length > 0) {
      const axis = resolveAxis(intAttr(withDefaults(attrs, softmaxAttributes), "axis", -1), shape.length);
      if (typeof axis === "string") return axis;
    }
    return [types[0]!];
  },
  fold: foldWithKernel,
  kernel: (inputs, op) => [asResult(softmax(asF32(inputs[0]!, "input"), intAttr(opAttributes(op), "axis", -1)), op)],
});
