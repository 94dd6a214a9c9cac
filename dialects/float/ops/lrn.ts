/** `float.lrn`: local response normalization across the last (channel) axis. */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, floatAttr, intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { lrn, type LrnParams } from "../kernels/lrn.js";
import { opAttributes, orThrow, withDefaults } from "../attribute-defaults.js";
import { floatTensor, rankedShape, typeText } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";

const lrnAttributes: Readonly<Record<string, AttrSpec>> = {
  size: { kind: "int", doc: "Number of channels summed over, odd: (size − 1) / 2 on each side of each channel" },
  alpha: { kind: "number", default: attr.f64(1e-4), doc: "Scale of the sum of squares (divided by size)" },
  beta: { kind: "number", default: attr.f64(0.75), doc: "Exponent" },
  bias: { kind: "number", default: attr.f64(1.0), doc: "Added to the scaled sum of squares" },
};

/** The attributes (defaults applied), or an error. */
function lrnParams(attrs: AttrDict): LrnParams | string {
  const a = withDefaults(attrs, lrnAttributes);
  const size = intAttr(a, "size", NaN);
  // ONNX's formula also defines even sizes (a window one channel longer after c than before), but
  // ONNX Runtime and TFLite (a radius) take odd sizes only, and every known model uses one.
  if (!Number.isInteger(size) || size < 1 || size % 2 !== 1) return `size must be an odd positive integer, got ${size}`;
  const params = { size, alpha: floatAttr(a, "alpha", 1e-4), beta: floatAttr(a, "beta", 0.75), bias: floatAttr(a, "bias", 1) };
  for (const name of ["alpha", "beta", "bias"] as const) if (!Number.isFinite(params[name])) return `${name} must be finite, got ${params[name]}`;
  return params;
}

export const lrnOp = defineOp({
  name: "float.lrn",
  summary: "Local response normalization across the last (channel) axis",
  description:
    "y = x / (bias + alpha / size · Σ x[c']²)^beta, the sum over channels c' from c − floor((size − 1) / 2) to c + ceil((size − 1) / 2) " +
    "of the last axis (NHWC: C), clipped at the edges (ONNX LRN; TFLite LOCAL_RESPONSE_NORMALIZATION for odd size with radius (size − 1) / 2 and alpha / size). " +
    "f64 sums and powers, one rounding per output.",
  operands: [{ name: "input", type: floatTensor, doc: "[..., C]" }],
  results: [{ name: "result", type: floatTensor, doc: "[..., C]" }],
  attributes: lrnAttributes,
  traits: ["Pure", "SameOperandsAndResultShape"],
  inferResultTypes(types, attrs) {
    const params = lrnParams(attrs);
    if (typeof params === "string") return params;
    const shape = rankedShape(types[0]!);
    if (shape && shape.length === 0) return `input must have a channel axis (rank ≥ 1), got ${typeText(types[0]!)}`;
    return [types[0]!];
  },
  fold: foldWithKernel,
  kernel: (inputs, op) => [asResult(lrn(asF32(inputs[0]!, "input"), orThrow(lrnParams(opAttributes(op)), op.name)), op)],
});
