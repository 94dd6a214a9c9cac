/**
 * Data movement: Reshape, Flatten, Squeeze, Unsqueeze (in ONNX order, so NHWC values are transposed
 * back first and element order matches ONNX), Transpose (composed with the input's layout), Concat
 * and Pad (in the inputs' layout, axes moved). Constant inputs fold at import.
 */
import { attr } from "../../../ir/attr-access.js";
import { DYNAMIC, tensorType } from "../../../ir/types.js";
import { concat as concatTensors } from "../../../../dialects/float/kernels/shape-ops.js";
import type { Converter, NodeContext } from "../converter.js";
import { requiredInput } from "../converter.js";
import { permuteTensor, reshapeTensor, tensorNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { identity, normalizeAxis, permuteShape } from "../layout.js";
import { product } from "../shape-inference.js";

/** Defines `name` as `x` with a new ONNX-order shape: folded for constants, else `float.reshape`. */
function reshapeTo(ctx: ImportContext, x: OnnxValue, shape: readonly number[], name: string): void {
  if (x.constant !== undefined) {
    ctx.defineConstant(name, reshapeTensor(x.constant, shape), x.element);
    return;
  }
  ctx.defineResult(name, ctx.reshape(ctx.value(x), tensorType(shape, x.element)), identity(shape.length));
}

/** ONNX Reshape's target: 0 copies the input dim (unless allowzero), -1 is inferred. */
export function reshapeTarget(ctx: ImportContext, input: readonly number[], spec: readonly number[], allowZero: boolean): number[] {
  if (spec.filter((d) => d === -1).length > 1) ctx.fail(`shape [${spec.join(", ")}] has more than one -1`);
  const copied = spec.map((d, i) => d === 0 && !allowZero && i < input.length);
  const out = spec.map((d, i) => (copied[i] ? input[i]! : d));
  const inferred = spec.indexOf(-1);
  if (inferred >= 0) {
    // Dims copied from the input cancel out, so a dynamic batch copied by 0 still lets -1 resolve.
    const rest = input.filter((_, i) => !copied[i]);
    const known = out.filter((_, i) => i !== inferred && !copied[i]);
    const total = product(rest);
    const other = product(known);
    out[inferred] = total < 0 || other < 0 ? DYNAMIC : other === 0 ? 0 : total / other;
    if (out[inferred]! >= 0 && !Number.isInteger(out[inferred])) ctx.fail(`cannot reshape [${input.join(", ")}] to [${spec.join(", ")}]`);
  }
  if (out.some((d) => d < -1)) ctx.fail(`invalid shape [${spec.join(", ")}]`);
  const a = product(input);
  const b = product(out);
  if (a >= 0 && b >= 0 && a !== b) ctx.fail(`cannot reshape [${input.join(", ")}] (${a} elements) to [${out.join(", ")}] (${b} elements)`);
  return out;
}

const reshape: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  let spec: readonly number[];
  if (n.opset < 5) spec = n.attrs.ints("shape") ?? ctx.fail("needs a 'shape' attribute");
  else spec = tensorNumbers(ctx.requireConstant(requiredInput(ctx, n, 1, "shape"), "the shape input"));
  const out = reshapeTarget(ctx, ctx.shape(x), spec, n.attrs.int("allowzero", 0) !== 0);
  reshapeTo(ctx, x, out, n.outputs[0]!);
};

const flatten: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "input");
  const shape = ctx.shape(x);
  const a = n.attrs.int("axis", 1);
  const axis = a < 0 ? a + shape.length : a;
  if (axis < 0 || axis > shape.length) ctx.fail(`axis ${a} is out of range for rank ${shape.length}`);
  const out = [product(shape.slice(0, axis)), product(shape.slice(axis))];
  if (x.constant !== undefined) {
    ctx.defineConstant(n.outputs[0]!, reshapeTensor(x.constant, out), x.element);
    return;
  }
  // Element order must be ONNX's: an NHWC value is transposed back to NCHW first.
  const result = ctx.emit("float.flatten", [ctx.value(x)], { axis: attr.int(axis) }, tensorType(out, x.element));
  ctx.defineResult(n.outputs[0]!, result, identity(2));
};

function axesOf(ctx: ImportContext, n: NodeContext): readonly number[] | undefined {
  if (n.opset >= 13) {
    const v = n.inputs[1];
    return v ? tensorNumbers(ctx.requireConstant(v, "axes")) : undefined;
  }
  return n.attrs.ints("axes");
}

const squeeze: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const shape = ctx.shape(x);
  const axes = axesOf(ctx, n);
  let drop: Set<number>;
  if (axes === undefined || axes.length === 0) {
    if (shape.some((d) => d < 0)) ctx.fail("squeezing all unit dims needs a static shape");
    drop = new Set(shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set(axes.map((a) => normalizeAxis(a, shape.length) ?? ctx.fail(`axis ${a} is out of range for rank ${shape.length}`)));
    for (const a of drop) if (shape[a]! > 1) ctx.fail(`cannot squeeze axis ${a} of size ${shape[a]}`);
  }
  reshapeTo(ctx, x, shape.filter((_, i) => !drop.has(i)), n.outputs[0]!);
};

const unsqueeze: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const shape = ctx.shape(x);
  const axes = axesOf(ctx, n) ?? ctx.fail("needs axes");
  const rank = shape.length + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`)));
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(inserted.has(i) ? 1 : shape[next++]!);
  reshapeTo(ctx, x, out, n.outputs[0]!);
};

/** Transpose: the output in ONNX order is the input in layout `perm`, one transpose at most. */
const transpose: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const rank = ctx.rank(x);
  const perm = n.attrs.ints("perm", Array.from({ length: rank }, (_, i) => rank - 1 - i));
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) ctx.fail(`perm [${perm.join(", ")}] is not a permutation of ${rank} dims`);
  if (x.constant !== undefined) {
    ctx.defineConstant(n.outputs[0]!, permuteTensor(x.constant, perm), x.element);
    return;
  }
  ctx.defineResult(n.outputs[0]!, ctx.value(x, perm), identity(rank));
};

const concat: Converter = (ctx, n) => {
  const inputs = n.inputs.filter((v): v is OnnxValue => v !== undefined);
  if (inputs.length === 0) ctx.fail("needs at least one input");
  const rank = ctx.rank(inputs[0]!);
  // Concat-1 (opset < 4) has an optional axis, default 1; from opset 4 it is required.
  const a = n.attrs.int("axis") ?? (n.opset < 4 ? 1 : ctx.fail("needs an 'axis' attribute"));
  const axis = normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`);
  for (const v of inputs) if (ctx.rank(v) !== rank) ctx.fail(`inputs must all have rank ${rank}; '${v.name}' has rank ${ctx.rank(v)}`);
  if (inputs.every((v) => v.constant !== undefined)) {
    ctx.defineConstant(n.outputs[0]!, concatTensors(inputs.map((v) => v.constant!), axis), inputs[0]!.element);
    return;
  }
  const shape = [...ctx.shape(inputs[0]!)];
  shape[axis] = inputs.reduce((sum, v) => (sum < 0 || ctx.shape(v)[axis]! < 0 ? DYNAMIC : sum + ctx.shape(v)[axis]!), 0);
  const perm = ctx.chooseLayout(inputs, rank);
  const result = ctx.emit(
    "float.concat",
    inputs.map((v) => ctx.value(v, perm)),
    { axis: attr.int(perm.indexOf(axis)) },
    tensorType(permuteShape(shape, perm), inputs[0]!.element),
  );
  ctx.defineResult(n.outputs[0]!, result, perm);
};

const pad: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const rank = ctx.rank(x);
  const mode = n.attrs.string("mode", "constant");
  if (mode !== "constant") ctx.fail(`mode '${mode}' is not supported (constant only)`);
  let pads: number[];
  let value = 0;
  if (n.opset < 11) {
    pads = [...(n.attrs.ints("pads") ?? n.attrs.ints("paddings") ?? ctx.fail("needs a 'pads' attribute"))];
    value = n.attrs.float("value", 0);
  } else {
    pads = tensorNumbers(ctx.requireConstant(requiredInput(ctx, n, 1, "pads"), "the pads input"));
    const c = n.inputs[2];
    if (c) value = tensorNumbers(ctx.requireConstant(c, "the constant_value input"))[0] ?? 0;
    const axesInput = n.inputs[3];
    if (axesInput) {
      const axes = tensorNumbers(ctx.requireConstant(axesInput, "the axes input")).map((a) => normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`));
      if (pads.length !== 2 * axes.length) ctx.fail(`pads has ${pads.length} values for ${axes.length} axes`);
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, i) => {
        full[a] = pads[i]!;
        full[rank + a] = pads[axes.length + i]!;
      });
      pads = full;
    }
  }
  if (pads.length !== 2 * rank) ctx.fail(`pads has ${pads.length} values, rank ${rank} needs ${2 * rank}`);
  if (pads.some((p) => p < 0)) ctx.fail(`negative pads (cropping) [${pads.join(", ")}] are not supported`);
  const shape = ctx.shape(x).map((d, i) => (d < 0 ? DYNAMIC : d + pads[i]! + pads[rank + i]!));
  const perm = ctx.chooseLayout([x], rank);
  const layoutPads = [...perm.map((p) => pads[p]!), ...perm.map((p) => pads[rank + p]!)];
  const result = ctx.emit("float.pad", [ctx.value(x, perm)], { pads: attr.ints(layoutPads), value: attr.f32(value) }, tensorType(permuteShape(shape, perm), x.element));
  ctx.defineResult(n.outputs[0]!, result, perm);
};

export const shapeConverters: ReadonlyMap<string, Converter> = new Map([
  ["Reshape", reshape],
  ["Flatten", flatten],
  ["Squeeze", squeeze],
  ["Unsqueeze", unsqueeze],
  ["Transpose", transpose],
  ["Concat", concat],
  ["Pad", pad],
]);
