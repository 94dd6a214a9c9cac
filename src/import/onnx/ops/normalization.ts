/**
 * BatchNormalization → `float.batch_norm` and LRN → `float.lrn` (channels last, so NCHW inputs
 * compute in NHWC), and Softmax → `float.softmax` (one axis; before opset 13 ONNX coerces the input
 * to 2-D first).
 */
import { attr } from "../../../ir/attr-access.js";
import { tensorType } from "../../../ir/types.js";
import type { Converter } from "../converter.js";
import { onlyOutputs, requiredInput } from "../converter.js";
import { channelsLast, identity, normalizeAxis } from "../layout.js";
import { product } from "../shape-inference.js";

const batchNormalization: Converter = (ctx, n) => {
  onlyOutputs(ctx, n, 1, "training outputs (running mean and variance)");
  if (n.attrs.int("training_mode", 0) !== 0) ctx.fail("training_mode = 1 is not supported (inference only)");
  // Opset < 9: spatial = 1 (the default) is per-channel statistics, today's only form; `is_test` and
  // `consumed_inputs` change nothing at inference.
  const spatial = n.attrs.int("spatial", 1);
  if (spatial !== 1) ctx.fail(`spatial = ${spatial} (per-element statistics over C×H×W) is not supported; only spatial = 1`);
  const x = requiredInput(ctx, n, 0, "X");
  const params = ["scale", "B", "input_mean", "input_var"].map((what, i) => requiredInput(ctx, n, i + 1, what));
  const rank = ctx.rank(x);
  if (rank < 2) ctx.fail(`needs an input of rank ≥ 2, got ${rank}`);
  const perm = channelsLast(rank);
  const result = ctx.emit(
    "float.batch_norm",
    [ctx.value(x, perm), ...params.map((p) => ctx.value(p))],
    { epsilon: attr.f32(n.attrs.float("epsilon", 1e-5)) },
    ctx.typeIn(x, perm),
  );
  ctx.defineResult(n.outputs[0]!, result, perm);
};

const softmax: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "input");
  const rank = ctx.rank(x);
  const axisAttr = n.attrs.int("axis", n.opset >= 13 ? -1 : 1);
  const axis = normalizeAxis(axisAttr, rank) ?? ctx.fail(`axis ${axisAttr} is out of range for rank ${rank}`);
  const out = n.outputs[0]!;
  if (n.opset >= 13 || axis === rank - 1) {
    // One axis: compute in the current layout.
    const perm = ctx.chooseLayout([x], rank);
    const result = ctx.emit("float.softmax", [ctx.value(x, perm)], { axis: attr.int(perm.indexOf(axis)) }, ctx.typeIn(x, perm));
    ctx.defineResult(out, result, perm);
    return;
  }
  // Opset < 13: softmax over the flattened trailing dims [axis, rank).
  const shape = ctx.shape(x);
  const flat = ctx.reshape(ctx.value(x), tensorType([product(shape.slice(0, axis)), product(shape.slice(axis))], x.element));
  const sm = ctx.emit("float.softmax", [flat], { axis: attr.int(1) }, flat.type);
  ctx.defineResult(out, ctx.reshape(sm, ctx.typeIn(x, identity(rank))), identity(rank));
};

/** LRN → `float.lrn` over the channel axis, computed channels-last (NCHW inputs become NHWC). */
const lrn: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "X");
  const rank = ctx.rank(x);
  if (rank < 2) ctx.fail(`needs an input of rank ≥ 2 (N, C, ...), got ${rank}`);
  const size = n.attrs.int("size") ?? ctx.fail("needs a 'size' attribute");
  if (!Number.isInteger(size) || size < 1 || size % 2 !== 1) ctx.fail(`size must be an odd positive integer (as ONNX Runtime requires), got ${size}`);
  const perm = channelsLast(rank);
  const attrs = {
    size: attr.int(size),
    alpha: attr.f32(n.attrs.float("alpha", 1e-4)),
    beta: attr.f32(n.attrs.float("beta", 0.75)),
    bias: attr.f32(n.attrs.float("bias", 1)),
  };
  ctx.defineResult(n.outputs[0]!, ctx.emit("float.lrn", [ctx.value(x, perm)], attrs, ctx.typeIn(x, perm)), perm);
};

export const normalizationConverters: ReadonlyMap<string, Converter> = new Map([
  ["BatchNormalization", batchNormalization],
  ["LRN", lrn],
  ["Softmax", softmax],
]);
