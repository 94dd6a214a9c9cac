/**
 * Pooling on NHWC tensors (`float.max_pool2d`, `float.avg_pool2d`) and `float.mean` (ReduceMean; global
 * average pooling is a mean over axes [1, 2]).
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, boolAttr, numbersAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec, type Trait } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import type { Type } from "../../../src/ir/types.js";
import { asF32, type F32Input, type F32Tensor } from "../kernels/f32-tensor.js";
import { avgPool2d, maxPool2d, mean, type Pool2dOptions } from "../kernels/pool.js";
import { opAttributes, orThrow, withDefaults } from "../attribute-defaults.js";
import { checkedIntsAttr, floatTensor, rankedShape, resolveAxis, shapeOfRank, tensorOf, typeText } from "../constraints.js";
import { foldWithKernel } from "../fold.js";
import { asResult } from "../result-tensor.js";
import { readWindow, resolvePads, windowAttributes, windowOutputShape } from "../window.js";

const poolAttributes: Readonly<Record<string, AttrSpec>> = {
  kernel: { kind: "ints", doc: "Window [kh, kw]" },
  ...windowAttributes,
  ceil_mode: { kind: "bool", default: attr.bool(false), doc: "Round the output extent up (ONNX ceil_mode)" },
};

const avgPoolAttributes: Readonly<Record<string, AttrSpec>> = {
  ...poolAttributes,
  count_include_pad: {
    kind: "bool",
    default: attr.bool(false),
    doc: "Divide by the whole window including padded positions (ONNX count_include_pad = 1) instead of only the positions inside the input (TFLite)",
  },
};

function inferPool(types: readonly Type[], attrs: AttrDict, specs: Readonly<Record<string, AttrSpec>>): readonly Type[] | string {
  const a = withDefaults(attrs, specs);
  const inputType = types[0]!;
  const input = shapeOfRank(inputType, 4, "input", "NHWC");
  if (typeof input === "string") return input;
  const kernel = checkedIntsAttr(a, "kernel", 2, 1);
  if (typeof kernel === "string") return kernel;
  const window = readWindow(a);
  if (typeof window === "string") return window;
  const [N, H, W, C] = input as [number, number, number, number];
  const out = windowOutputShape(window, [H, W], [kernel[0]!, kernel[1]!], typeText(inputType));
  if (typeof out === "string") return out;
  return [tensorOf([N, out[0], out[1], C], inputType)];
}

function poolOptions(op: Operation, x: F32Input): Pool2dOptions {
  const a = opAttributes(op);
  const window = orThrow(readWindow(a), op.name);
  const kernel = orThrow(checkedIntsAttr(a, "kernel", 2, 1), op.name) as [number, number];
  return {
    kernel,
    strides: window.strides,
    dilations: window.dilations,
    pads: resolvePads(window, [x.shape[1]!, x.shape[2]!], kernel),
    ceilMode: window.ceilMode,
    countIncludePad: boolAttr(a, "count_include_pad", false),
  };
}

function definePool(name: string, summary: string, description: string, attributes: Readonly<Record<string, AttrSpec>>, traits: readonly Trait[], run: (x: F32Input, o: Pool2dOptions) => F32Tensor) {
  return defineOp({
    name: `float.${name}`,
    summary,
    description:
      `${description} Layout: input [N, H, W, C] (NHWC), result [N, OH, OW, C], OH = floor((H + pad_top + pad_bottom − ((kh − 1)·dh + 1)) / sh) + 1 ` +
      '(ceil with ceil_mode), likewise OW; padding is [top, left, bottom, right] or "same" (TFLite SAME, extra pixel at bottom/right) or "valid".',
    operands: [{ name: "input", type: floatTensor, doc: "[N, H, W, C] (NHWC)" }],
    results: [{ name: "result", type: floatTensor, doc: "[N, OH, OW, C]" }],
    attributes,
    traits: ["Pure", ...traits],
    inferResultTypes: (types, attrs) => inferPool(types, attrs, attributes),
    fold: foldWithKernel,
    kernel(inputs, op) {
      const x = asF32(inputs[0]!, "input");
      return [asResult(run(x, poolOptions(op, x)), op)];
    },
  });
}

export const maxPool2dOp = definePool(
  "max_pool2d",
  "2-D max pooling over NHWC windows",
  "The maximum of each kh×kw window per channel; padded positions never win (a window wholly in padding gives −∞). NaN propagates.",
  poolAttributes,
  ["SameOperandsAndResultScale"],
  maxPool2d,
);

export const avgPool2dOp = definePool(
  "avg_pool2d",
  "2-D average pooling over NHWC windows",
  "The mean of each kh×kw window per channel, dividing by the number of positions inside the input (TFLite; ONNX count_include_pad = 0) " +
    "or, with count_include_pad, by the window area within the padded extent. f64 sums, one rounding per output.",
  avgPoolAttributes,
  [],
  avgPool2d,
);

const meanAttributes: Readonly<Record<string, AttrSpec>> = {
  axes: { kind: "ints", doc: "Axes to reduce (negative counts from the end, no duplicates)" },
  keepdims: { kind: "bool", default: attr.bool(true), doc: "Keep reduced axes as size-1 dims" },
};

export const meanOp = defineOp({
  name: "float.mean",
  summary: "Mean over the given axes (global average pooling is axes = [1, 2] on NHWC)",
  description:
    "The mean over `axes` (ONNX ReduceMean, TFLite MEAN). With keepdims the reduced axes stay as size-1 dims (NHWC global average pool: " +
    "axes = [1, 2] gives [N, 1, 1, C]); without, they are dropped. Empty `axes` reduces nothing. f64 sums, one rounding per output.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: meanAttributes,
  traits: ["Pure"],
  inferResultTypes(types, attrs) {
    const a = withDefaults(attrs, meanAttributes);
    const inputType = types[0]!;
    const shape = rankedShape(inputType);
    const axes = numbersAttr(a, "axes", []);
    if (!shape) return [tensorOf(null, inputType)];
    const reduced = new Set<number>();
    for (const axis of axes) {
      const r = resolveAxis(axis, shape.length, "mean axis");
      if (typeof r === "string") return r;
      if (reduced.has(r)) return `axis ${axis} is listed twice in axes [${axes.join(", ")}]`;
      reduced.add(r);
    }
    const keep = boolAttr(a, "keepdims", true);
    const out = keep ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
    return [tensorOf(out, inputType)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const a = opAttributes(op);
    return [asResult(mean(asF32(inputs[0]!, "input"), numbersAttr(a, "axes", []), boolAttr(a, "keepdims", true)), op)];
  },
});
