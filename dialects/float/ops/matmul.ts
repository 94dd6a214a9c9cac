/**
 * Matrix products: `float.matmul` (numpy/ONNX MatMul with batch broadcasting and optional transposes)
 * and `float.fully_connected` (TFLite FULLY_CONNECTED: weights [N, K], optional bias, fused activation).
 */
import { attr, boolAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import type { Type } from "../../../src/ir/types.js";
import type { Tensor } from "../../../src/interp/tensor.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { fullyConnected, matmul } from "../kernels/matmul.js";
import { activationAttributes, applyActivation, checkActivation } from "../activation.js";
import { opAttributes, withDefaults } from "../attribute-defaults.js";
import { broadcastShape, dimsConflict, floatTensor, rankedShape, sameElementType, shapeOfRank, tensorOf, typeText } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";

const matmulAttributes: Readonly<Record<string, AttrSpec>> = {
  transpose_a: { kind: "bool", default: attr.bool(false), doc: "Use the transpose of a's last two dims (ignored for 1-D a)" },
  transpose_b: { kind: "bool", default: attr.bool(false), doc: "Use the transpose of b's last two dims (ignored for 1-D b)" },
};

export const matmulOp = defineOp({
  name: "float.matmul",
  summary: "Matrix product with batch broadcasting (numpy.matmul / ONNX MatMul)",
  description:
    "a [..., M, K] · b [..., K, N] → [..., M, N]; the batch dims broadcast as numpy does. " +
    "transpose_a / transpose_b use the transpose of that operand's last two dims. A 1-D a is a row [1, K] and a 1-D b a column [K, 1], " +
    "and that unit dim is dropped from the result. f32 semantics: f64 sums, one rounding per output.",
  operands: [
    { name: "a", type: floatTensor, doc: "[..., M, K] (or [..., K, M] with transpose_a)" },
    { name: "b", type: floatTensor, doc: "[..., K, N] (or [..., N, K] with transpose_b)" },
  ],
  results: [{ name: "result", type: floatTensor, doc: "[..., M, N]" }],
  attributes: matmulAttributes,
  traits: ["Pure"],
  inferResultTypes(types, attrs) {
    const a = withDefaults(attrs, matmulAttributes);
    const [ta, tb] = types as [Type, Type];
    const elements = sameElementType([ta, tb], ["a", "b"]);
    if (elements) return elements;
    const as = rankedShape(ta);
    const bs = rankedShape(tb);
    if (!as || !bs) return [tensorOf(null, ta)];
    if (as.length === 0 || bs.length === 0) return `operands must have rank ≥ 1, got ${typeText(ta)} and ${typeText(tb)}`;
    const aVec = as.length === 1;
    const bVec = bs.length === 1;
    const transA = !aVec && boolAttr(a, "transpose_a");
    const transB = !bVec && boolAttr(a, "transpose_b");
    const am = aVec ? [1, as[0]!] : as;
    const bm = bVec ? [bs[0]!, 1] : bs;
    const [aRows, aCols] = [am[am.length - 2]!, am[am.length - 1]!];
    const [bRows, bCols] = [bm[bm.length - 2]!, bm[bm.length - 1]!];
    const [M, K] = transA ? [aCols, aRows] : [aRows, aCols];
    const [Kb, N] = transB ? [bCols, bRows] : [bRows, bCols];
    if (dimsConflict(K, Kb)) return `contraction dims differ: a ${typeText(ta)} gives K = ${K}, b ${typeText(tb)} gives K = ${Kb}`;
    const batch = broadcastShape(am.slice(0, -2), bm.slice(0, -2));
    if (typeof batch === "string") return `batch dims: ${batch}`;
    const shape = [...batch];
    if (!aVec) shape.push(M);
    if (!bVec) shape.push(N);
    return [tensorOf(shape, ta)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const a = opAttributes(op);
    const out = matmul(asF32(inputs[0]!, "a"), asF32(inputs[1]!, "b"), { transA: boolAttr(a, "transpose_a"), transB: boolAttr(a, "transpose_b") });
    return [asResult(out, op)];
  },
});

export const fullyConnectedOp = defineOp({
  name: "float.fully_connected",
  summary: "Fully connected layer, input [..., K] × weights [N, K] (TFLite layout), optional bias and fused activation",
  description:
    "Layout: input [..., K], weights [N, K] (TFLite FULLY_CONNECTED: one row per output), bias [N], result [..., N] " +
    "(the leading dims are kept). result = input · weightsᵀ + bias, then the fused activation. f32 semantics: f64 sums, one rounding per output.",
  operands: [
    { name: "input", type: floatTensor, doc: "[..., K]" },
    { name: "weights", type: floatTensor, doc: "[N, K]" },
    { name: "bias", type: floatTensor, arity: "optional", doc: "[N]" },
  ],
  results: [{ name: "result", type: floatTensor, doc: "[..., N]" }],
  attributes: activationAttributes,
  traits: ["Pure", "WeightedOp"],
  inferResultTypes(types, attrs) {
    const [inputType, weightsType, biasType] = types as [Type, Type, Type | undefined];
    const elements = sameElementType([inputType, weightsType, biasType], ["input", "weights", "bias"]);
    if (elements) return elements;
    const weights = shapeOfRank(weightsType, 2, "weights", "[N, K]");
    if (typeof weights === "string") return weights;
    const [N, K] = weights as [number, number];
    const act = checkActivation(attrs);
    if (act) return act;
    if (biasType !== undefined) {
      const bias = shapeOfRank(biasType, 1, "bias", "[N]");
      if (typeof bias === "string") return bias;
      if (dimsConflict(bias[0]!, N)) return `bias ${typeText(biasType)} must have N = ${N} elements (weights ${typeText(weightsType)})`;
    }
    const input = rankedShape(inputType);
    if (!input) return [tensorOf(null, inputType)];
    if (input.length === 0) return `input must have rank ≥ 1 ([..., K]), got ${typeText(inputType)}`;
    if (dimsConflict(input[input.length - 1]!, K)) return `input ${typeText(inputType)} must end in K = ${K} (weights ${typeText(weightsType)} are [N, K])`;
    return [tensorOf([...input.slice(0, -1), N], inputType)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    const out = fullyConnected(asF32(x, "input"), asF32(w, "weights"), b && asF32(b, "bias"));
    return [asResult(applyActivation(out, op), op)];
  },
});
