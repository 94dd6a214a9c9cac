/**
 * Conv → `float.conv2d` (NHWC input, OHWI weights) or, when every group is one input channel,
 * `float.depthwise_conv2d` (weights [1, KH, KW, C·M], TFLite's layout). Weight constants are
 * transposed at import; the result stays NHWC.
 */
import type { Attribute } from "../../../ir/attributes.js";
import { attr } from "../../../ir/attr-access.js";
import type { Value } from "../../../ir/operation.js";
import { DYNAMIC, tensorType } from "../../../ir/types.js";
import type { Converter, NodeContext } from "../converter.js";
import { onlyOutputs, requiredInput } from "../converter.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { DEPTHWISE_WEIGHTS, NHWC } from "../layout.js";
import { samePads, windowOutput } from "../shape-inference.js";

export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** [top, left, bottom, right], or "same" (SAME_UPPER) when the spatial dims are dynamic. */
  readonly padding: readonly [number, number, number, number] | "same";
  /** Output [OH, OW] (-1 where dynamic). */
  readonly output: readonly [number, number];
}

function pair(ctx: ImportContext, name: string, values: readonly number[]): [number, number] {
  if (values.length !== 2) ctx.fail(`'${name}' must have 2 values for a 2-D window, got [${values.join(", ")}]`);
  return [values[0]!, values[1]!];
}

/**
 * Reads kernel/strides/dilations/pads/auto_pad of a 2-D Conv or pool over input [H, W].
 * ONNX pads are [x1_begin, x2_begin, x1_end, x2_end], i.e. [top, left, bottom, right] already.
 */
export function readWindow2d(ctx: ImportContext, n: NodeContext, kernel: readonly [number, number], hw: readonly [number, number]): Window2d {
  const strides = pair(ctx, "strides", n.attrs.ints("strides", [1, 1]));
  const dilations = pair(ctx, "dilations", n.attrs.ints("dilations", [1, 1]));
  const autoPad = n.attrs.string("auto_pad", "NOTSET");
  let padding: Window2d["padding"];
  switch (autoPad) {
    // Some old exporters write an empty string for the default.
    case "":
    case "NOTSET": {
      const p = n.attrs.ints("pads", [0, 0, 0, 0]);
      if (p.length !== 4) ctx.fail(`'pads' must have 4 values for a 2-D window, got [${p.join(", ")}]`);
      if (p.some((v) => v < 0)) ctx.fail(`negative pads [${p.join(", ")}] are not supported`);
      padding = [p[0]!, p[1]!, p[2]!, p[3]!];
      break;
    }
    case "VALID":
      padding = [0, 0, 0, 0];
      break;
    case "SAME_UPPER":
    case "SAME_LOWER": {
      const lower = autoPad === "SAME_LOWER";
      if (hw[0] < 0 || hw[1] < 0) {
        if (lower) ctx.fail("auto_pad SAME_LOWER needs static spatial dims");
        padding = "same";
        break;
      }
      const [top, bottom] = samePads(hw[0], kernel[0], strides[0], dilations[0], lower);
      const [left, right] = samePads(hw[1], kernel[1], strides[1], dilations[1], lower);
      padding = [top, left, bottom, right];
      break;
    }
    default:
      ctx.fail(`unknown auto_pad '${autoPad}'`);
  }
  const output: [number, number] =
    padding === "same"
      ? [DYNAMIC, DYNAMIC]
      : [windowOutput(hw[0], kernel[0], strides[0], dilations[0], padding[0], padding[2]), windowOutput(hw[1], kernel[1], strides[1], dilations[1], padding[1], padding[3])];
  if ((hw[0] >= 0 && output[0] < 1) || (hw[1] >= 0 && output[1] < 1)) ctx.fail(`the ${kernel.join("x")} window does not fit the ${hw.join("x")} input`);
  return { kernel, strides, dilations, padding, output };
}

export function paddingAttr(padding: Window2d["padding"]): Attribute {
  return padding === "same" ? attr.str("same") : attr.ints(padding);
}

/** What a 2-D Conv-like node (Conv, QLinearConv, ConvInteger) computes, read from its shapes and attributes. */
export interface ConvGeometry {
  /** Output channels. */
  readonly M: number;
  readonly group: number;
  /** Every group is one input channel: TFLite's depthwise convolution, depth multiplier M / group. */
  readonly depthwise: boolean;
  readonly window: Window2d;
  /** The result shape in NHWC. */
  readonly resultShape: readonly number[];
}

/** Checks input `x` [N, C, H, W] against weights `w` [M, C/group, KH, KW] and reads the window. */
export function convGeometry(ctx: ImportContext, n: NodeContext, x: OnnxValue, w: OnnxValue): ConvGeometry {
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  if (xs.length !== 4 || ws.length !== 4) ctx.fail(`only 2-D convolution (rank-4 input and weights) is supported, got input rank ${xs.length}`);
  if (ws.some((d) => d < 0)) ctx.fail(`weights '${w.name}' need a static shape`);
  const [M, Cg, KH, KW] = ws as [number, number, number, number];
  const kernelShape = n.attrs.ints("kernel_shape");
  if (kernelShape && (kernelShape[0] !== KH || kernelShape[1] !== KW)) ctx.fail(`kernel_shape [${kernelShape.join(", ")}] does not match weights [${ws.join(", ")}]`);
  const group = n.attrs.int("group", 1);
  const C = xs[1]!;
  if (group < 1 || M % group !== 0) ctx.fail(`group ${group} must divide the ${M} output channels`);
  if (C >= 0 && C !== Cg * group) ctx.fail(`input has ${C} channels, weights expect ${Cg} × group ${group}`);
  const window = readWindow2d(ctx, n, [KH, KW], [xs[2]!, xs[3]!]);
  // Depthwise: group == C_in, each input channel c feeds outputs c·mult … c·mult + mult − 1, the same
  // channel order as TFLite's DEPTHWISE_CONV_2D.
  return { M, group, depthwise: group > 1 && Cg === 1, window, resultShape: [xs[0]!, window.output[0], window.output[1], M] };
}

/** The window attributes of the conv ops of both dialects. */
export function windowAttrs(window: Window2d): Record<string, Attribute> {
  return {
    strides: attr.ints(window.strides),
    dilations: attr.ints(window.dilations),
    padding: paddingAttr(window.padding),
  };
}

const conv: Converter = (ctx, n) => {
  onlyOutputs(ctx, n, 1, "a second output");
  const x = requiredInput(ctx, n, 0, "X");
  const w = requiredInput(ctx, n, 1, "W");
  const bias = n.inputs[2];
  const g = convGeometry(ctx, n, x, w);
  const resultType = tensorType(g.resultShape, x.element);
  const operands: Value[] = [ctx.value(x, NHWC), ctx.value(w, g.depthwise ? DEPTHWISE_WEIGHTS : NHWC)];
  if (bias) operands.push(ctx.value(bias));
  const result = g.depthwise
    ? ctx.emit("float.depthwise_conv2d", operands, { ...windowAttrs(g.window), depth_multiplier: attr.int(g.M / g.group) }, resultType)
    : ctx.emit("float.conv2d", operands, { ...windowAttrs(g.window), groups: attr.int(g.group) }, resultType);
  ctx.defineResult(n.outputs[0]!, result, NHWC);
};

export const convConverters: ReadonlyMap<string, Converter> = new Map([["Conv", conv]]);
