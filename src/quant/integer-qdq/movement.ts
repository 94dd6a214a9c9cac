/**
 * Integer meaning of node units that move or pool stored values: reshape, flatten, transpose, pad and
 * concat copy them (SameOperandsAndResultScale; concat first requantizes inputs quantized otherwise than
 * its result), max/avg pools and a mean over H and W pool them on the input's grid (TFLite's integer
 * pools: avg rounds sum/count half away from zero, padding never counted). Their result keeps the
 * input's type; each `quant.qcast` of it requantizes where its type differs.
 */
import { boolAttr, floatAttr, intAttr, numbersAttr, stringAttr } from "../../ir/attr-access.js";
import { elementCount } from "../../interp/tensor.js";
import { opAttributes } from "../../../dialects/float/attribute-defaults.js";
import { readWindow, resolvePads } from "../../../dialects/float/window.js";
import { avgPool2d, maxPool2d } from "../../../dialects/hw/kernels/pool.js";
import { concat, pad, reshape, transpose } from "../../../dialects/hw/kernels/shape-ops.js";
import { refuse } from "../lowering-params.js";
import { activation, toType, type Stored, type Unit } from "./unit.js";

/**
 * The moved or pooled values in the input's type (the result's shape): each `quant.qcast` of the result
 * then requantizes from it, as lowering rescales the hw op's result to each cast's type.
 */
function finish(unit: Unit, x: Stored, tensor: Stored["tensor"]): Stored {
  const type = { ...x.type, shape: unit.op.results[0]!.type.kind === "tensor" ? unit.op.results[0]!.type.shape : tensor.shape };
  return { tensor, type, q: x.q };
}

/** The result's static shape, a dynamic dim solved from the element count. */
function resultShape(unit: Unit, count: number): number[] {
  const shape = unit.output.shape;
  if (!shape) refuse(`the result is unranked`);
  const known = shape.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
  return shape.map((d) => (d >= 0 ? d : count / known));
}

export function reshapeUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  return finish(unit, x, reshape(x.tensor, resultShape(unit, x.tensor.data.length)));
}

export function transposeUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  return finish(unit, x, transpose(x.tensor, numbersAttr(opAttributes(unit.op), "perm") ?? []));
}

/** Constant padding with the stored value of the pad value, which must lie on the input's grid. */
export function padUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  const a = opAttributes(unit.op);
  if (stringAttr(a, "mode", "constant") !== "constant") refuse(`only constant padding pads stored values`);
  const pads = numbersAttr(a, "pads") ?? [];
  if (pads.some((p) => p < 0)) refuse(`negative pads crop`);
  const steps = floatAttr(a, "value", 0) / x.params.scale;
  if (Math.abs(steps - Math.round(steps)) > 1e-6 * Math.max(1, Math.abs(steps))) refuse(`the pad value is not on the input's grid`);
  const stored = x.params.zp + Math.round(steps);
  if (stored < x.params.qmin || stored > x.params.qmax) refuse(`the pad value is outside the input's range`);
  return finish(unit, x, pad(x.tensor, pads, stored));
}

export function concatUnit(unit: Unit): Stored {
  const inputs = unit.op.operands.map((_, i) => toType(activation(unit, i), { ...unit.output, shape: unit.stored[i]!.type.shape }, unit.arithmetic));
  const rank = unit.output.shape?.length ?? 0;
  const axis = intAttr(opAttributes(unit.op), "axis", 0);
  const tensor = concat(inputs.map((s) => s.tensor), axis < 0 ? axis + rank : axis);
  return { tensor, type: unit.output, q: unit.output.element };
}

export function poolUnit(unit: Unit, kind: "max" | "avg"): Stored {
  const x = activation(unit, 0);
  const a = opAttributes(unit.op);
  const kernel = numbersAttr(a, "kernel") ?? [];
  const w = readWindow(a);
  if (typeof w === "string") refuse(w);
  if (kernel.length !== 2 || w.dilations.some((d) => d !== 1)) refuse(`pools take a 2-D kernel without dilations`);
  const [, H, W] = x.tensor.shape as [number, number, number, number];
  const [top, left, bottom, right] = resolvePads(w, [H, W], [kernel[0]!, kernel[1]!]);
  const end = [bottom, right];
  if (w.ceilMode) {
    // ONNX ceil_mode: the last window may overhang the input; extra (never counted) end padding gives it.
    const out = unit.output.shape!;
    [H, W].forEach((size, d) => {
      const needed = (out[d + 1]! - 1) * w.strides[d]! + kernel[d]! - size - (d === 0 ? top : left);
      end[d] = Math.max(end[d]!, needed);
    });
  }
  if (kind === "avg" && boolAttr(a, "count_include_pad") && [top, left, ...end].some((p) => p > 0)) refuse(`the average counts padding`);
  const attrs = { kernel: [kernel[0]!, kernel[1]!] as const, stride: w.strides, pad: [top, end[0]!, left, end[1]!] as const };
  return finish(unit, x, kind === "max" ? maxPool2d(x.tensor, attrs) : avgPool2d(x.tensor, attrs));
}

/** A mean over H and W of an NHWC tensor: a global average pool, then the result's shape. */
export function meanUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  const shape = x.tensor.shape;
  const axes = (numbersAttr(opAttributes(unit.op), "axes") ?? []).map((d) => (d < 0 ? d + shape.length : d));
  if (shape.length !== 4 || axes.length !== 2 || !axes.includes(1) || !axes.includes(2)) refuse(`only a mean over H and W of an NHWC tensor is an average pool`);
  const pooled = avgPool2d(x.tensor, { kernel: [shape[1]!, shape[2]!], stride: [1, 1] });
  return finish(unit, x, reshape(pooled, resultShape(unit, elementCount(pooled.shape))));
}
