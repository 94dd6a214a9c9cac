/**
 * `hw.conv2d` and `hw.depthwise_conv2d`: integer convolutions with the requantization and clamp fused
 * (TFLite reference_integer_ops ConvPerChannel / DepthwiseConvPerChannel, CMSIS-NN arm_convolve_s8,
 * ONNX QLinearConv with `rounding = "half-even-float"`, ONNX ConvInteger without requantization).
 *
 * Layouts (the float dialect's): input NHWC; conv2d filter OHWI `[O, KH, KW, I/groups]`; depthwise
 * filter `[1, KH, KW, C·M]`; bias `[O]`; result NHWC. Padding taps contribute 0 after the input zero
 * point is subtracted.
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type VerifyContext } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { DYNAMIC } from "../../../src/ir/types.js";
import { conv2d } from "../kernels/conv2d.js";
import { depthwiseConv2d } from "../kernels/depthwise-conv2d.js";
import { attributesOf, orThrow } from "../attributes.js";
import { checkShape, dimsConflict, shapeOf, shapeText, storageOf, typeText } from "../constraints.js";
import { kernelRequant, requantAttributes, verifyRequant, verifyWeightedZeroPoints, weightedZeroPoints } from "../requant.js";
import { kernelWindow, readWindow, windowAttributes, windowOutput } from "../window.js";
import {
  accumulatorResultTensor,
  biasOperand,
  inputOperand,
  isWide,
  verifyWeightedKinds,
  weightedStorages,
  weightTensor,
} from "../weighted.js";

const DYN4 = [DYNAMIC, DYNAMIC, DYNAMIC, DYNAMIC] as const;

/** A rank-4 shape (all dynamic for an unranked tensor), or an error. */
export function rank4(op: Operation, index: number, what: string, layout: string): readonly number[] | string {
  const t = op.operands[index]?.type;
  if (t === undefined) return [...DYN4];
  const shape = shapeOf(t);
  if (shape === undefined) return [...DYN4];
  if (shape.length !== 4) return `${what} must be a rank-4 ${layout} tensor, got ${typeText(t)}`;
  return shape;
}

/** Bias shape `[channels]`. */
export function verifyBiasShape(op: Operation, index: number, channels: number, error: (m: string) => void): void {
  const b = op.operands[index];
  if (!b) return;
  const e = checkShape("bias", shapeOf(b.type), [channels]);
  if (e) error(e);
}

/** The shared tail of the weighted ops' verifiers: operand kinds, zero points and the output stage. */
export function verifyWeightedOp(op: Operation, attrs: AttrDict, channels: number, hasFilterOperand: boolean, weightKind: "i8" | "u8" | undefined, ctx: VerifyContext): void {
  const s = weightedStorages(op, hasFilterOperand);
  const error = (m: string): void => ctx.error(m);
  verifyWeightedKinds(s, weightKind, error);
  verifyWeightedZeroPoints(attrs, s.input, s.weight, error);
  verifyRequant(attrs, { channels, output: s.output, wide: isWide(s.input) }, error);
}

function verifyConv2d(op: Operation, ctx: VerifyContext): void {
  const attrs = attributesOf(op);
  const input = rank4(op, 0, "input", "NHWC");
  const filter = rank4(op, 1, "filter", "OHWI");
  if (typeof input === "string") return ctx.error(input);
  if (typeof filter === "string") return ctx.error(filter);
  const [N, H, W, C] = input as [number, number, number, number];
  const [O, KH, KW, Cg] = filter as [number, number, number, number];
  const groups = intAttr(attrs, "groups", 1);
  if (!Number.isInteger(groups) || groups < 1) return ctx.error(`'groups' must be an integer ≥ 1, got ${groups}`);
  if (C >= 0 && Cg >= 0 && C !== Cg * groups) {
    return ctx.error(`input depth ${C} must equal filter depth ${Cg} × groups ${groups}`);
  }
  if (O >= 0 && O % groups !== 0) return ctx.error(`output channels ${O} must be divisible by groups ${groups}`);
  const w = readWindow(attrs, true);
  if (typeof w === "string") return ctx.error(w);
  const hw = windowOutput(w, [H, W], [KH, KW]);
  if (typeof hw === "string") return ctx.error(hw);
  const expected = [N, hw[0], hw[1], O];
  const e = checkShape("result", shapeOf(op.results[0]?.type), expected);
  if (e) ctx.error(e);
  verifyBiasShape(op, 2, O, (m) => ctx.error(m));
  verifyWeightedOp(op, attrs, O, true, undefined, ctx);
}

export const conv2dOp = defineOp({
  name: "hw.conv2d",
  summary: "Integer 2-D convolution with fused requantization and clamp",
  description:
    "acc = Σ (in − input_zp)·(w − weight_zp) + bias (int32 for 8-bit inputs, int64 for 16-bit); " +
    "out = clamp(requantize(acc) + output_zp, act_min, act_max). NHWC input, OHWI filter. Without " +
    "'multiplier'/'scale' the result is the i32 accumulator (ONNX ConvInteger).",
  operands: [inputOperand, { name: "filter", type: weightTensor, doc: "OHWI weights" }, biasOperand],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: {
    ...weightedZeroPoints,
    ...requantAttributes,
    ...windowAttributes,
    groups: { kind: "int", default: attr.int(1), doc: "Grouped convolution: input depth = groups × filter depth" },
  },
  traits: ["Pure", "WeightedOp"],
  verify: verifyConv2d,
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    const w = orThrow(readWindow(attrs, true), op.name);
    return [
      conv2d(inputs[0]!, inputs[1]!, inputs[2], {
        ...kernelRequant(attrs, out),
        ...kernelWindow(w),
        input_zp: intAttr(attrs, "input_zp", 0),
        weight_zp: intAttr(attrs, "weight_zp", 0),
        groups: intAttr(attrs, "groups", 1),
      }),
    ];
  },
});

function verifyDepthwise(op: Operation, ctx: VerifyContext): void {
  const attrs = attributesOf(op);
  const input = rank4(op, 0, "input", "NHWC");
  const filter = rank4(op, 1, "filter", "[1, KH, KW, C·M]");
  if (typeof input === "string") return ctx.error(input);
  if (typeof filter === "string") return ctx.error(filter);
  const [N, H, W, C] = input as [number, number, number, number];
  const [one, KH, KW, O] = filter as [number, number, number, number];
  if (dimsConflict(one, 1)) return ctx.error(`filter must have shape [1, KH, KW, C·M], got ${shapeText(filter)}`);
  const m = intAttr(attrs, "depth_multiplier");
  if (m !== undefined && (!Number.isInteger(m) || m < 1)) return ctx.error(`'depth_multiplier' must be an integer ≥ 1, got ${m}`);
  if (C >= 0 && O >= 0) {
    if (m !== undefined && C * m !== O) return ctx.error(`filter channels ${O} must equal input channels ${C} × depth_multiplier ${m}`);
    if (m === undefined && (C === 0 || O % C !== 0)) return ctx.error(`filter channels ${O} must be a multiple of input channels ${C}`);
  }
  const w = readWindow(attrs, true);
  if (typeof w === "string") return ctx.error(w);
  const hw = windowOutput(w, [H, W], [KH, KW]);
  if (typeof hw === "string") return ctx.error(hw);
  const e = checkShape("result", shapeOf(op.results[0]?.type), [N, hw[0], hw[1], O]);
  if (e) ctx.error(e);
  verifyBiasShape(op, 2, O, (msg) => ctx.error(msg));
  verifyWeightedOp(op, attrs, O, true, undefined, ctx);
}

export const depthwiseConv2dOp = defineOp({
  name: "hw.depthwise_conv2d",
  summary: "Integer depthwise 2-D convolution with fused requantization and clamp",
  description:
    "Output channel o = c·M + m reads input channel c only (M = depth_multiplier). Filter [1, KH, KW, C·M] " +
    "(TFLite layout, per-channel quantization on dim 3). Output stage as hw.conv2d.",
  operands: [inputOperand, { name: "filter", type: weightTensor, doc: "[1, KH, KW, C·M] weights" }, biasOperand],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: {
    ...weightedZeroPoints,
    ...requantAttributes,
    ...windowAttributes,
    depth_multiplier: { kind: "int", optional: true, doc: "Output channels per input channel; default filter channels / input channels" },
  },
  traits: ["Pure", "WeightedOp"],
  verify: verifyDepthwise,
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    const w = orThrow(readWindow(attrs, true), op.name);
    const m = intAttr(attrs, "depth_multiplier");
    return [
      depthwiseConv2d(inputs[0]!, inputs[1]!, inputs[2], {
        ...kernelRequant(attrs, out),
        ...kernelWindow(w),
        input_zp: intAttr(attrs, "input_zp", 0),
        weight_zp: intAttr(attrs, "weight_zp", 0),
        ...(m !== undefined ? { depth_multiplier: m } : {}),
      }),
    ];
  },
});
