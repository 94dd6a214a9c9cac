/**
 * Elementwise unary ops: relu, relu6, clamp, leaky_relu, sigmoid, tanh, exp, neg, abs. The result has the
 * operand's type; any layout. f32 semantics (exp/tanh/sigmoid are the correctly rounded f32 of an f64
 * result).
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, floatAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec, type OpDef, type Trait } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { abs, clamp, exp, leakyRelu, neg, relu, relu6, sigmoid, tanh } from "../kernels/elementwise.js";
import { asF32, type F32Input, type F32Tensor } from "../kernels/f32-tensor.js";
import { opAttributes, withDefaults } from "../attribute-defaults.js";
import { floatTensor } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";

interface UnarySpec {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly compute: (x: F32Input, attrs: AttrDict) => F32Tensor;
  readonly attributes?: Readonly<Record<string, AttrSpec>>;
  /** Checks attribute values (defaults applied); returns an error or undefined. */
  readonly check?: (attrs: AttrDict) => string | undefined;
  readonly traits?: readonly Trait[];
  readonly fixedOutputRange?: { readonly min: number; readonly max: number };
  /** The interval a clamping op maps its input into (range propagation intersects with it). */
  readonly clampInterval?: (attrs: AttrDict) => { min: number; max: number };
}

function defineUnary(spec: UnarySpec): OpDef {
  const attributes = spec.attributes ?? {};
  return defineOp({
    name: `float.${spec.name}`,
    summary: spec.summary,
    description: `${spec.description} Elementwise on a tensor of any shape and layout; the result has the operand's type.`,
    operands: [{ name: "input", type: floatTensor }],
    results: [{ name: "result", type: floatTensor }],
    attributes,
    traits: ["Pure", "Elementwise", "SameOperandsAndResultShape", ...(spec.traits ?? [])],
    ...(spec.fixedOutputRange ? { fixedOutputRange: spec.fixedOutputRange } : {}),
    inferResultTypes(types, attrs) {
      const error = spec.check?.(withDefaults(attrs, attributes));
      return error ?? [types[0]!];
    },
    fold: foldWithKernel,
    ...(spec.clampInterval
      ? {
          inferRange: (ranges: readonly ({ min: number; max: number } | undefined)[], op: Operation) => {
            const bounds = spec.clampInterval!(withDefaults(opAttributes(op), attributes));
            const input = ranges[0] ?? { min: -Infinity, max: Infinity };
            return { min: Math.min(Math.max(input.min, bounds.min), bounds.max), max: Math.max(Math.min(input.max, bounds.max), bounds.min) };
          },
        }
      : {}),
    kernel: (inputs, op: Operation) => [asResult(spec.compute(asF32(inputs[0]!, "input"), opAttributes(op)), op)],
  });
}

export const reluOp = defineUnary({
  name: "relu",
  summary: "Rectified linear unit: max(x, 0)",
  description: "max(x, 0); NaN stays NaN.",
  compute: (x) => relu(x),
  traits: ["RangeClamp"],
  clampInterval: () => ({ min: 0, max: Infinity }),
});

export const relu6Op = defineUnary({
  name: "relu6",
  summary: "min(max(x, 0), 6)",
  description: "min(max(x, 0), 6) (TFLite RELU6).",
  compute: (x) => relu6(x),
  traits: ["RangeClamp"],
  clampInterval: () => ({ min: 0, max: 6 }),
});

export const clampOp = defineUnary({
  name: "clamp",
  summary: "min(max(x, min), max)",
  description: "min(max(x, min), max) with f32 bounds (ONNX Clip, TFLite RELU_N1_TO_1 and friends); NaN stays NaN. Requires min ≤ max.",
  attributes: {
    min: { kind: "number", doc: "Lower bound" },
    max: { kind: "number", doc: "Upper bound" },
  },
  check(attrs) {
    const lo = floatAttr(attrs, "min", NaN);
    const hi = floatAttr(attrs, "max", NaN);
    return lo <= hi ? undefined : `requires min ≤ max, got min = ${lo}, max = ${hi}`;
  },
  compute: (x, attrs) => clamp(x, floatAttr(attrs, "min", -Infinity), floatAttr(attrs, "max", Infinity)),
  traits: ["RangeClamp"],
  clampInterval: (attrs) => ({ min: floatAttr(attrs, "min", -Infinity), max: floatAttr(attrs, "max", Infinity) }),
});

export const leakyReluOp = defineUnary({
  name: "leaky_relu",
  summary: "x for x ≥ 0, alpha·x below",
  description: "x where x ≥ 0, alpha·x where x < 0 (ONNX LeakyRelu, default alpha 0.01).",
  attributes: { alpha: { kind: "number", default: attr.f64(0.01), doc: "Slope for negative inputs" } },
  check(attrs) {
    const alpha = floatAttr(attrs, "alpha", 0.01);
    return Number.isFinite(alpha) ? undefined : `alpha must be finite, got ${alpha}`;
  },
  compute: (x, attrs) => leakyRelu(x, floatAttr(attrs, "alpha", 0.01)),
});

export const sigmoidOp = defineUnary({
  name: "sigmoid",
  summary: "Logistic function 1 / (1 + e^−x)",
  description: "1 / (1 + e^−x) (TFLite LOGISTIC); the output range is fixed at [0, 1].",
  compute: (x) => sigmoid(x),
  traits: ["FixedOutputRange"],
  fixedOutputRange: { min: 0, max: 1 },
});

export const tanhOp = defineUnary({
  name: "tanh",
  summary: "Hyperbolic tangent",
  description: "tanh(x); the output range is fixed at [−1, 1].",
  compute: (x) => tanh(x),
  traits: ["FixedOutputRange"],
  fixedOutputRange: { min: -1, max: 1 },
});

export const expOp = defineUnary({ name: "exp", summary: "e^x", description: "e^x.", compute: (x) => exp(x) });

export const negOp = defineUnary({ name: "neg", summary: "−x", description: "−x.", compute: (x) => neg(x) });

export const absOp = defineUnary({ name: "abs", summary: "|x|", description: "|x|.", compute: (x) => abs(x) });
