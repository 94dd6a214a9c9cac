/**
 * Convolutions in TFLite's layouts: `float.conv2d` (NHWC input, OHWI filter) and
 * `float.depthwise_conv2d` (NHWC input, [1, KH, KW, C·M] filter), each with an optional per-output-channel
 * bias and a fused activation.
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import type { Type } from "../../../src/ir/types.js";
import { conv2d } from "../kernels/conv2d.js";
import { depthwiseConv2d } from "../kernels/depthwise-conv2d.js";
import { asF32 } from "../kernels/f32-tensor.js";
import type { Tensor } from "../../../src/interp/tensor.js";
import { activationAttributes, applyActivation, checkActivation } from "../activation.js";
import { opAttributes, orThrow, withDefaults } from "../attribute-defaults.js";
import { dimsConflict, floatTensor, sameElementType, shapeOfRank, tensorOf, typeText } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";
import { readWindow, resolvePads, windowAttributes, windowOutputShape, type Window } from "../window.js";

const convOperands = (filterDoc: string) =>
  [
    { name: "input", type: floatTensor, doc: "[N, H, W, C] (NHWC)" },
    { name: "filter", type: floatTensor, doc: filterDoc },
    { name: "bias", type: floatTensor, arity: "optional", doc: "[output channels]" },
  ] as const;

const conv2dAttributes: Readonly<Record<string, AttrSpec>> = {
  ...windowAttributes,
  groups: { kind: "int", default: attr.int(1), doc: "Input and output channels split into this many independent groups" },
  ...activationAttributes,
};

const depthwiseAttributes: Readonly<Record<string, AttrSpec>> = {
  ...windowAttributes,
  depth_multiplier: { kind: "int", default: attr.int(1), doc: "Output channels per input channel (M)" },
  ...activationAttributes,
};

type Kind = "conv2d" | "depthwise_conv2d";

/** Shapes, window and channel count shared by inference and the kernel; a string is an error. */
function inferConv(kind: Kind, types: readonly Type[], attrs: AttrDict): readonly Type[] | string {
  const a = withDefaults(attrs, kind === "conv2d" ? conv2dAttributes : depthwiseAttributes);
  const [inputType, filterType, biasType] = types as [Type, Type, Type | undefined];
  const elements = sameElementType([inputType, filterType, biasType], ["input", "filter", "bias"]);
  if (elements) return elements;
  const input = shapeOfRank(inputType, 4, "input", "NHWC");
  if (typeof input === "string") return input;
  const filter = shapeOfRank(filterType, 4, "filter", kind === "conv2d" ? "OHWI" : "[1, KH, KW, C·M]");
  if (typeof filter === "string") return filter;
  const window = readWindow(a);
  if (typeof window === "string") return window;
  const act = checkActivation(a);
  if (act) return act;
  const [N, H, W, C] = input as [number, number, number, number];
  const [F0, KH, KW, F3] = filter as [number, number, number, number];

  let outChannels: number;
  if (kind === "conv2d") {
    const groups = intAttr(a, "groups", 1);
    if (!Number.isInteger(groups) || groups < 1) return `groups must be a positive integer, got ${groups}`;
    if (C >= 0 && C % groups !== 0) return `groups = ${groups} must divide the input channels ${C}`;
    if (F0 >= 0 && F0 % groups !== 0) return `groups = ${groups} must divide the output channels ${F0} (filter dim 0)`;
    if (C >= 0 && F3 >= 0 && F3 * groups !== C) {
      return `filter ${typeText(filterType)} (OHWI) has ${F3} input channels per group, but the input has ${C} channels in ${groups} group${groups === 1 ? "" : "s"} (expected ${C / groups})`;
    }
    outChannels = F0;
  } else {
    const m = intAttr(a, "depth_multiplier", 1);
    if (!Number.isInteger(m) || m < 1) return `depth_multiplier must be a positive integer, got ${m}`;
    if (dimsConflict(F0, 1)) return `filter ${typeText(filterType)} must have shape [1, KH, KW, C·M] (dim 0 is ${F0})`;
    if (C >= 0 && F3 >= 0 && F3 !== C * m) {
      return `filter ${typeText(filterType)} has ${F3} output channels, but the input has ${C} channels × depth_multiplier ${m} = ${C * m}`;
    }
    if (C < 0 && F3 >= 0 && F3 % m !== 0) return `filter output channels ${F3} are not a multiple of depth_multiplier ${m}`;
    outChannels = F3;
  }

  if (biasType !== undefined) {
    const bias = shapeOfRank(biasType, 1, "bias", "[output channels]");
    if (typeof bias === "string") return bias;
    if (dimsConflict(bias[0]!, outChannels)) return `bias ${typeText(biasType)} must have ${outChannels} elements, one per output channel`;
  }
  const out = windowOutputShape(window, [H, W], [KH, KW], typeText(inputType));
  if (typeof out === "string") return out;
  return [tensorOf([N, out[0], out[1], outChannels], inputType)];
}

/** Runtime window: pads resolved from the actual input and filter extents. */
function runtimeWindow(op: Operation, input: Tensor, filter: Tensor): { window: Window; pads: ReturnType<typeof resolvePads> } {
  const window = orThrow(readWindow(opAttributes(op)), op.name);
  const pads = resolvePads(window, [input.shape[1]!, input.shape[2]!], [filter.shape[1]!, filter.shape[2]!]);
  return { window, pads };
}

export const conv2dOp = defineOp({
  name: "float.conv2d",
  summary: "2-D convolution, NHWC input × OHWI filter, optional bias and fused activation",
  description:
    "Layout: input [N, H, W, C] (NHWC), filter [O, KH, KW, C/groups] (OHWI, TFLite), bias [O], result [N, OH, OW, O]. " +
    "OH = floor((H + pad_top + pad_bottom − ((KH − 1)·dh + 1)) / sh) + 1, likewise OW. " +
    'padding is [top, left, bottom, right] or "same" (TFLite SAME: OH = ceil(H / sh), extra pixel at bottom/right) or "valid". ' +
    "With groups > 1 the channels split into independent groups (groups = C with [O, KH, KW, 1] filters is a depthwise conv in conv2d form). " +
    "The fused activation (act = relu | relu6 | clamp) applies after the bias. f32 semantics: with WebAssembly SIMD the sums run in f32 in (kh, kw, c) order (3×3 stride-1 layers through Winograd F(2×2,3×3)); the scalar fallback sums in f64 and rounds once. Results agree with ONNX Runtime within 1e-4 relative.",
  operands: convOperands("[O, KH, KW, C/groups] (OHWI)"),
  results: [{ name: "result", type: floatTensor, doc: "[N, OH, OW, O]" }],
  attributes: conv2dAttributes,
  traits: ["Pure", "WeightedOp"],
  inferResultTypes: (types, attrs) => inferConv("conv2d", types, attrs),
  fold: foldWithKernel,
  kernel(inputs, op) {
    const [x, f, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    const { window, pads } = runtimeWindow(op, x, f);
    const out = conv2d(asF32(x, "input"), asF32(f, "filter"), b && asF32(b, "bias"), {
      strides: window.strides,
      dilations: window.dilations,
      pads,
      groups: intAttr(opAttributes(op), "groups", 1),
    });
    return [asResult(applyActivation(out, op), op)];
  },
});

export const depthwiseConv2dOp = defineOp({
  name: "float.depthwise_conv2d",
  summary: "Depthwise 2-D convolution, NHWC input × [1, KH, KW, C·M] filter (TFLite layout)",
  description:
    "Layout: input [N, H, W, C] (NHWC), filter [1, KH, KW, C·M] (TFLite depthwise), bias [C·M], result [N, OH, OW, C·M], " +
    "where M = depth_multiplier and output channel c·M + m reads only input channel c. " +
    "strides, dilations, padding and the fused activation as float.conv2d.",
  operands: convOperands("[1, KH, KW, C·M]"),
  results: [{ name: "result", type: floatTensor, doc: "[N, OH, OW, C·M]" }],
  attributes: depthwiseAttributes,
  traits: ["Pure", "WeightedOp"],
  inferResultTypes: (types, attrs) => inferConv("depthwise_conv2d", types, attrs),
  fold: foldWithKernel,
  kernel(inputs, op) {
    const [x, f, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    const { window, pads } = runtimeWindow(op, x, f);
    const out = depthwiseConv2d(asF32(x, "input"), asF32(f, "filter"), b && asF32(b, "bias"), {
      strides: window.strides,
      dilations: window.dilations,
      pads,
      depthMultiplier: intAttr(opAttributes(op), "depth_multiplier", 1),
    });
    return [asResult(applyActivation(out, op), op)];
  },
});
