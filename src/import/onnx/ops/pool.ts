/**
 * Pooling: MaxPool / AveragePool → `float.max_pool2d` / `float.avg_pool2d` (NHWC), GlobalAveragePool
 * and ReduceMean → `float.mean`, GlobalMaxPool → a max pool over the whole plane.
 */
import type { Attribute } from "../../../ir/attributes.js";
import { attr } from "../../../ir/attr-access.js";
import { tensorType } from "../../../ir/types.js";
import type { Converter, NodeContext } from "../converter.js";
import { onlyOutputs, requiredInput } from "../converter.js";
import { tensorNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { NHWC, normalizeAxis, permuteShape } from "../layout.js";
import type { Perm } from "../layout.js";
import { readWindow2d, paddingAttr } from "./conv.js";

/**
 * ceil_mode = 1 as extra bottom/right padding: the output grows to the ceil-mode extent (dropping a
 * last window that would start in the end padding, as ONNX Runtime does). Exact for max pooling
 * (padding never wins) and for average pooling that excludes padding from the divisor.
 */
function ceilModePads(ctx: ImportContext, input: number, kernel: number, stride: number, begin: number, end: number): number {
  if (input < 0) ctx.fail("ceil_mode = 1 needs static spatial dims");
  const span = input + begin + end - kernel;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= input + begin) out--;
  return Math.max(end, (out - 1) * stride + kernel - input - begin);
}

function pool(kind: "max" | "avg"): Converter {
  return (ctx, n) => {
    // storage_order only orders the Indices output, which is not supported.
    onlyOutputs(ctx, n, 1, "the Indices output");
    const x = requiredInput(ctx, n, 0, "X");
    const xs = ctx.shape(x);
    if (xs.length !== 4) ctx.fail(`only 2-D pooling (rank-4 input) is supported, got rank ${xs.length}`);
    const kernelShape = n.attrs.ints("kernel_shape");
    if (!kernelShape || kernelShape.length !== 2) return ctx.fail("needs a 2-D kernel_shape");
    const dilations = n.attrs.ints("dilations", [1, 1]);
    if (dilations.some((d) => d !== 1)) ctx.fail(`dilated pooling (dilations [${dilations.join(", ")}]) is not supported`);
    const countIncludePad = kind === "avg" && n.attrs.int("count_include_pad", 0) !== 0;
    let window = readWindow2d(ctx, n, [kernelShape[0]!, kernelShape[1]!], [xs[2]!, xs[3]!]);
    if (n.attrs.int("ceil_mode", 0) !== 0) {
      const p = window.padding;
      if (p === "same") return ctx.fail("ceil_mode = 1 needs static spatial dims");
      const bottom = ceilModePads(ctx, xs[2]!, window.kernel[0], window.strides[0], p[0], p[2]);
      const right = ceilModePads(ctx, xs[3]!, window.kernel[1], window.strides[1], p[1], p[3]);
      if (countIncludePad && (bottom !== p[2] || right !== p[3])) ctx.fail("ceil_mode = 1 with count_include_pad = 1 is not supported");
      const [kh, kw] = window.kernel;
      const [sh, sw] = window.strides;
      window = {
        ...window,
        padding: [p[0], p[1], bottom, right],
        output: [Math.floor((xs[2]! + p[0] + bottom - kh) / sh) + 1, Math.floor((xs[3]! + p[1] + right - kw) / sw) + 1],
      };
    }
    const attrs: Record<string, Attribute> = {
      kernel: attr.ints(window.kernel),
      strides: attr.ints(window.strides),
      padding: paddingAttr(window.padding),
    };
    if (kind === "avg") attrs["count_include_pad"] = attr.bool(countIncludePad);
    const type = tensorType([xs[0]!, window.output[0], window.output[1], xs[1]!], x.element);
    ctx.defineResult(n.outputs[0]!, ctx.emit(`float.${kind}_pool2d`, [ctx.value(x, NHWC)], attrs, type), NHWC);
  };
}

/**
 * `float.mean` over ONNX axes `axes` of `x`, computed in `x`'s current layout. With keepdims the
 * result keeps that layout; without, the remaining dims keep their relative order.
 */
function emitMean(ctx: ImportContext, x: OnnxValue, axes: readonly number[], keepdims: boolean, name: string): void {
  const rank = ctx.rank(x);
  const shape = ctx.shape(x);
  const perm = ctx.chooseLayout([x], rank);
  const reduced = new Set(axes);
  const layoutAxes = axes.map((a) => perm.indexOf(a)).sort((p, q) => p - q);
  const outShape = keepdims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
  // The result's layout: perm itself, or perm without the reduced dims, renumbered.
  let outPerm: Perm = perm;
  if (!keepdims) {
    const kept = perm.filter((p) => !reduced.has(p));
    const sorted = [...kept].sort((p, q) => p - q);
    outPerm = kept.map((p) => sorted.indexOf(p));
  }
  const type = tensorType(permuteShape(outShape, outPerm), x.element);
  const result = ctx.emit("float.mean", [ctx.value(x, perm)], { axes: attr.ints(layoutAxes), keepdims: attr.bool(keepdims) }, type);
  ctx.defineResult(name, result, outPerm);
}

const globalAveragePool: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "X");
  const rank = ctx.rank(x);
  if (rank < 3) ctx.fail(`needs an input of rank ≥ 3, got ${rank}`);
  emitMean(ctx, x, Array.from({ length: rank - 2 }, (_, i) => i + 2), true, n.outputs[0]!);
};

const globalMaxPool: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "X");
  const xs = ctx.shape(x);
  if (xs.length !== 4 || xs[2]! < 0 || xs[3]! < 0) ctx.fail("only rank-4 inputs with static spatial dims are supported");
  const attrs = { kernel: attr.ints([xs[2]!, xs[3]!]), strides: attr.ints([1, 1]), padding: attr.ints([0, 0, 0, 0]) };
  const type = tensorType([xs[0]!, 1, 1, xs[1]!], x.element);
  ctx.defineResult(n.outputs[0]!, ctx.emit("float.max_pool2d", [ctx.value(x, NHWC)], attrs, type), NHWC);
};

function reduceAxes(ctx: ImportContext, n: NodeContext, rank: number): number[] | undefined {
  let axes: readonly number[] | undefined;
  if (n.opset >= 18) {
    const v = n.inputs[1];
    if (v) axes = tensorNumbers(ctx.requireConstant(v, "axes"));
  } else {
    axes = n.attrs.ints("axes");
  }
  if (axes === undefined || axes.length === 0) {
    if (n.opset >= 18 && n.attrs.int("noop_with_empty_axes", 0) !== 0) return undefined;
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`));
}

const reduceMean: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const axes = reduceAxes(ctx, n, ctx.rank(x));
  if (axes === undefined) {
    ctx.define(n.outputs[0]!, x);
    return;
  }
  emitMean(ctx, x, axes, n.attrs.int("keepdims", 1) !== 0, n.outputs[0]!);
};

export const poolConverters: ReadonlyMap<string, Converter> = new Map([
  ["MaxPool", pool("max")],
  ["AveragePool", pool("avg")],
  ["GlobalAveragePool", globalAveragePool],
  ["GlobalMaxPool", globalMaxPool],
  ["ReduceMean", reduceMean],
]);
