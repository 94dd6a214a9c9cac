/** `float.batch_norm`: inference batch normalization on the last (channel) axis. */
import { attr, floatAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import type { Type } from "../../../src/ir/types.js";
import { batchNorm } from "../kernels/batch-norm.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { opAttributes, withDefaults } from "../attribute-defaults.js";
import { dimsConflict, floatTensor, mergeDims, rankedShape, sameElementType, shapeOfRank, typeText } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";

const batchNormAttributes: Readonly<Record<string, AttrSpec>> = {
  epsilon: { kind: "number", default: attr.f64(1e-5), doc: "Added to the variance (ONNX default 1e-5)" },
};

const parameterNames = ["scale", "bias", "mean", "var"] as const;

export const batchNormOp = defineOp({
  name: "float.batch_norm",
  summary: "Inference batch normalization over the last (channel) axis",
  description:
    "y = (x − mean) / sqrt(var + epsilon) · scale + bias per channel of the last axis (NHWC: C). scale, bias, mean and var are [C]. " +
    "Evaluated as x·k + (bias − mean·k) with k = scale / sqrt(var + epsilon) in f64 and one f32 rounding per output; " +
    "fold-batch-norm folds it into a preceding conv.",
  operands: [
    { name: "input", type: floatTensor, doc: "[..., C]" },
    { name: "scale", type: floatTensor, doc: "[C] (gamma)" },
    { name: "bias", type: floatTensor, doc: "[C] (beta)" },
    { name: "mean", type: floatTensor, doc: "[C] running mean" },
    { name: "var", type: floatTensor, doc: "[C] running variance" },
  ],
  results: [{ name: "result", type: floatTensor, doc: "[..., C]" }],
  attributes: batchNormAttributes,
  traits: ["Pure", "SameOperandsAndResultShape"],
  inferResultTypes(types, attrs) {
    const inputType = types[0]!;
    const elements = sameElementType(types, ["input", ...parameterNames]);
    if (elements) return elements;
    const epsilon = floatAttr(withDefaults(attrs, batchNormAttributes), "epsilon", 1e-5);
    if (!(epsilon >= 0)) return `epsilon must be ≥ 0, got ${epsilon}`;
    const shape = rankedShape(inputType);
    if (shape && shape.length === 0) return `input must have a channel axis (rank ≥ 1), got ${typeText(inputType)}`;
    let channels = shape ? shape[shape.length - 1]! : -1;
    for (let i = 0; i < parameterNames.length; i++) {
      const t: Type = types[i + 1]!;
      const p = shapeOfRank(t, 1, parameterNames[i]!, "[C]");
      if (typeof p === "string") return p;
      if (dimsConflict(p[0]!, channels)) return `${parameterNames[i]} ${typeText(t)} must have one element per channel of the last axis (${channels}) of ${typeText(inputType)}`;
      channels = mergeDims(channels, p[0]!);
    }
    return [inputType];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const [x, scale, bias, mean, variance] = inputs.map((t, i) => asF32(t, i === 0 ? "input" : parameterNames[i - 1]));
    return [asResult(batchNorm(x!, { gamma: scale!, beta: bias!, mean: mean!, variance: variance!, epsilon: floatAttr(opAttributes(op), "epsilon", 1e-5) }), op)];
  },
});
