/**
 * Sliding-window attributes shared by conv2d, depthwise_conv2d, max_pool2d and avg_pool2d:
 * `strides = [sh, sw]`, `dilations = [dh, dw]` and `padding`, which is either explicit
 * `[top, left, bottom, right]` or "same" / "valid" (TFLite's padding kinds; "same" is ONNX SAME_UPPER:
 * the odd extra pixel goes at the bottom/right).
 */
import type { AttrDict } from "../../src/ir/attributes.js";
import { attr, boolAttr, getAttribute } from "../../src/ir/attr-access.js";
import type { AttrSpec } from "../../src/ir/opdef.js";
import { DYNAMIC } from "../../src/ir/types.js";
import { samePadding, type Pads2d } from "./kernels/conv2d.js";
import { printAttribute } from "../../src/syntax/printer.js";
import { checkedIntsAttr } from "./constraints.js";

export const paddingKinds = ["same", "valid"] as const;

export const windowAttributes: Readonly<Record<string, AttrSpec>> = {
  strides: { kind: "ints", default: attr.ints([1, 1]), doc: "[sh, sw], each ≥ 1" },
  dilations: { kind: "ints", default: attr.ints([1, 1]), doc: "[dh, dw], each ≥ 1" },
  padding: {
    kind: "any",
    default: attr.str("valid"),
    doc: 'Explicit [top, left, bottom, right] (each ≥ 0), or "same" (output = ceil(input / stride), extra pixel at bottom/right) or "valid" (no padding)',
  },
};

export type Padding = { readonly kind: "same" } | { readonly kind: "valid" } | { readonly kind: "explicit"; readonly pads: Pads2d };

export interface Window {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  /** Round the output extent up (pools only; ONNX ceil_mode). */
  readonly ceilMode: boolean;
}

/** Reads and checks the window attributes (defaults already applied); a string is an error message. */
export function readWindow(attrs: AttrDict): Window | string {
  const strides = checkedIntsAttr(attrs, "strides", 2, 1);
  if (typeof strides === "string") return strides;
  const dilations = checkedIntsAttr(attrs, "dilations", 2, 1);
  if (typeof dilations === "string") return dilations;
  const padding = readPadding(attrs);
  if (typeof padding === "string") return padding;
  return { strides: [strides[0]!, strides[1]!], dilations: [dilations[0]!, dilations[1]!], padding, ceilMode: boolAttr(attrs, "ceil_mode", false) };
}

function readPadding(attrs: AttrDict): Padding | string {
  const a = getAttribute(attrs, "padding");
  const expected = 'padding must be "same", "valid" or [top, left, bottom, right]';
  if (a === undefined) return { kind: "valid" };
  if (a.kind === "string") {
    if (a.value === "same" || a.value === "valid") return { kind: a.value };
    return `${expected}, found "${a.value}"`;
  }
  if ((a.kind === "array" && a.elements.every((e) => e.kind === "int")) || (a.kind === "dense_array" && a.element.kind === "int")) {
    const pads = checkedIntsAttr(attrs, "padding", 4, 0);
    if (typeof pads === "string") return `${expected} with each pad an integer ≥ 0; ${pads}`;
    return { kind: "explicit", pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!] };
  }
  return `${expected}, found ${printAttribute(a)}`;
}

/** [top, left, bottom, right] for an input of `inputHW` and a window of `kernelHW` (all static). */
export function resolvePads(w: Window, inputHW: readonly [number, number], kernelHW: readonly [number, number]): Pads2d {
  switch (w.padding.kind) {
    case "valid":
      return [0, 0, 0, 0];
    case "explicit":
      return w.padding.pads;
    case "same":
      return samePadding(inputHW, kernelHW, w.strides, w.dilations, "SAME_UPPER");
  }
}

/**
 * Output extent of one spatial dim (0 = height, 1 = width): floor((in + pads − effective kernel) / stride) + 1
 * (ceil in ceil mode, dropping a last window that would start in the end padding, as ONNX Runtime
 * and PyTorch do). Dynamic when the input or kernel extent is.
 */
export function windowOutputSize(w: Window, dim: 0 | 1, input: number, kernel: number, otherInput: number, otherKernel: number): number {
  if (input < 0 || kernel < 0) return DYNAMIC;
  // SAME pads of one dim do not depend on the other, so a dynamic other extent can stand in as 1.
  const inputHW: [number, number] = dim === 0 ? [input, Math.max(otherInput, 1)] : [Math.max(otherInput, 1), input];
  const kernelHW: [number, number] = dim === 0 ? [kernel, Math.max(otherKernel, 1)] : [Math.max(otherKernel, 1), kernel];
  const pads = resolvePads(w, inputHW, kernelHW);
  const begin = pads[dim]!;
  const end = pads[dim + 2]!;
  const stride = w.strides[dim];
  const span = input + begin + end - ((kernel - 1) * w.dilations[dim] + 1);
  if (span < 0) return 0;
  if (!w.ceilMode) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= input + begin) out--;
  return out;
}

/** Output [OH, OW] for input [H, W] and kernel [KH, KW], or an error when a static extent would be empty. */
export function windowOutputShape(w: Window, input: readonly [number, number], kernel: readonly [number, number], inputShape: string): [number, number] | string {
  const oh = windowOutputSize(w, 0, input[0], kernel[0], input[1], kernel[1]);
  const ow = windowOutputSize(w, 1, input[1], kernel[1], input[0], kernel[0]);
  if ((oh >= 0 && oh < 1) || (ow >= 0 && ow < 1)) {
    const k = `${kernel[0] < 0 ? "?" : kernel[0]}x${kernel[1] < 0 ? "?" : kernel[1]}`;
    return `window ${k} (dilations [${w.dilations.join(", ")}]) does not fit input ${inputShape} with this padding: output would be ${Math.max(oh, 0)}x${Math.max(ow, 0)}`;
  }
  return [oh, ow];
}
