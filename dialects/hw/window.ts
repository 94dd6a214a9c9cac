/**
 * Window attributes of hw.conv2d, hw.depthwise_conv2d and the pools: `strides = [sy, sx]`,
 * `dilations = [dy, dx]` and explicit `padding = [top, left, bottom, right]` (the float dialect's
 * order; the kernels take TOSA's `[top, bottom, left, right]`, see `kernelPad`). hw ops carry explicit
 * padding only: SAME/VALID are resolved before lowering.
 */
import type { AttrDict } from "../../src/ir/attributes.js";
import { attr } from "../../src/ir/attr-access.js";
import type { AttrSpec } from "../../src/ir/opdef.js";
import { DYNAMIC } from "../../src/ir/types.js";
import { outputExtent, type WindowAttrs } from "./kernels/window.js";
import { checkedPadding, checkedPair, kernelPad } from "./attributes.js";

export const strideAttributes: Readonly<Record<string, AttrSpec>> = {
  strides: { kind: "ints", default: attr.ints([1, 1]), doc: "[stride_y, stride_x], each ≥ 1" },
  padding: { kind: "ints", default: attr.ints([0, 0, 0, 0]), doc: "[top, left, bottom, right], each ≥ 0" },
};

export const windowAttributes: Readonly<Record<string, AttrSpec>> = {
  ...strideAttributes,
  dilations: { kind: "ints", default: attr.ints([1, 1]), doc: "[dilation_y, dilation_x], each ≥ 1" },
};

export interface HwWindow {
  readonly strides: [number, number];
  readonly dilations: [number, number];
  /** [top, left, bottom, right]. */
  readonly padding: [number, number, number, number];
}

/** Reads and checks the window attributes (defaults applied); a string is an error message. */
export function readWindow(attrs: AttrDict, withDilations: boolean): HwWindow | string {
  const strides = checkedPair(attrs, "strides", 1);
  if (typeof strides === "string") return strides;
  const dilations = withDilations ? checkedPair(attrs, "dilations", 1) : ([1, 1] as [number, number]);
  if (typeof dilations === "string") return dilations;
  const padding = checkedPadding(attrs);
  if (typeof padding === "string") return padding;
  return { strides, dilations, padding };
}

/** The kernels' window attributes. */
export function kernelWindow(w: HwWindow): WindowAttrs {
  return { stride: w.strides, dilation: w.dilations, pad: kernelPad(w.padding) };
}

/** [OH, OW] for an input of [H, W] and a kernel of [KH, KW] (dynamic where an extent is), or an error. */
export function windowOutput(w: HwWindow, input: readonly [number, number], kernel: readonly [number, number]): [number, number] | string {
  const out: number[] = [];
  for (const d of [0, 1] as const) {
    if (input[d] < 0 || kernel[d] < 0) {
      out.push(DYNAMIC);
      continue;
    }
    const extent = outputExtent(input[d], kernel[d], w.strides[d], w.dilations[d], w.padding[d], w.padding[d + 2]!);
    if (extent < 1) {
      return `window ${kernel[0] < 0 ? "?" : kernel[0]}x${kernel[1] < 0 ? "?" : kernel[1]} (dilations [${w.dilations.join(", ")}]) does not fit the input ${input[0] < 0 ? "?" : input[0]}x${input[1] < 0 ? "?" : input[1]} padded by [${w.padding.join(", ")}]`;
    }
    out.push(extent);
  }
  return [out[0]!, out[1]!];
}
