/**
 * Constants and compile-time shape computation: Constant, ConstantOfShape, Shape (of a static
 * shape), and Gather / Cast on constant inputs. Nothing here emits ops; results are compile-time
 * tensors that become `float.const` only where a runtime op uses them.
 */
import type { Type } from "../../../ir/types.js";
import type { DType, Tensor } from "../../../interp/tensor.js";
import { allocate, elementCount, makeTensor, roundToF16 } from "../../../interp/tensor.js";
import type { Converter } from "../converter.js";
import { requiredInput } from "../converter.js";
import { filledTensor, tensorNumbers, tensorOfNumbers } from "../constant-data.js";
import type { ImportContext } from "../import-context.js";
import { normalizeAxis } from "../layout.js";
import { elementTypeOf, elementTypeOfTensor, readTensor, ONNX_TYPE_NAMES } from "../proto.js";

const constant: Converter = (ctx, n) => {
  const out = n.outputs[0]!;
  const t = n.attrs.tensor("value");
  const define = (tensor: Tensor): void => void ctx.defineConstant(out, tensor, elementTypeOfTensor(tensor));
  if (t) {
    const code = t.dataType ?? 0;
    const element = elementTypeOf(code) ?? ctx.fail(`constant of type ${ONNX_TYPE_NAMES[code] ?? code} is not supported`);
    ctx.defineConstant(out, readTensor(t, ctx.source, `constant '${out}'`), element);
    return;
  }
  const f = n.attrs.has("value_float") ? n.attrs.float("value_float") : undefined;
  if (f !== undefined) return define(tensorOfNumbers("f32", [], [f]));
  const fs = n.attrs.floats("value_floats");
  if (fs !== undefined) return define(tensorOfNumbers("f32", [fs.length], fs));
  const i = n.attrs.has("value_int") ? n.attrs.int("value_int") : undefined;
  if (i !== undefined) return define(tensorOfNumbers("i64", [], [i]));
  const is = n.attrs.ints("value_ints");
  if (is !== undefined) return define(tensorOfNumbers("i64", [is.length], is));
  ctx.fail(`only tensor and numeric values are supported (attributes: ${n.attrs.names().join(", ") || "none"})`);
};

const constantOfShape: Converter = (ctx, n) => {
  const shape = tensorNumbers(ctx.requireConstant(requiredInput(ctx, n, 0, "input"), "the shape input"));
  const t = n.attrs.tensor("value");
  const value = t ? readTensor(t, ctx.source, `value of '${n.outputs[0]}'`) : tensorOfNumbers("f32", [1], [0]);
  if (value.data.length !== 1) ctx.fail("'value' must hold one element");
  const filled = filledTensor(value, shape);
  ctx.defineConstant(n.outputs[0]!, filled, elementTypeOfTensor(filled));
};

const shapeOp: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "data");
  const shape = ctx.shape(x);
  const rank = shape.length;
  const clampIndex = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clampIndex(n.attrs.int("start", 0));
  const end = clampIndex(n.attrs.int("end", rank));
  const dims = shape.slice(start, end);
  if (dims.some((d) => d < 0)) ctx.fail(`'${x.name}' has dynamic dims [${shape.map((d) => (d < 0 ? "?" : d)).join(", ")}]; qopt folds Shape only for static shapes`);
  ctx.defineConstant(n.outputs[0]!, tensorOfNumbers("i64", [dims.length], dims), elementTypeOfTensor(tensorOfNumbers("i64", [0], [])));
};

/** numpy.take(data, indices, axis) on compile-time tensors. */
function gatherTensor(ctx: ImportContext, data: Tensor, indices: Tensor, axis: number): Tensor {
  const outer = elementCount(data.shape.slice(0, axis));
  const n = data.shape[axis]!;
  const inner = elementCount(data.shape.slice(axis + 1));
  const idx = tensorNumbers(indices).map((i) => {
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) ctx.fail(`index ${i} is out of range for a dim of ${n}`);
    return j;
  });
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const out = allocate(data.dtype, elementCount(shape));
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const j of idx) {
      const from = (a * n + j) * inner;
      for (let k = 0; k < inner; k++) (out as Float32Array)[o++] = (data.data as Float32Array)[from + k]!;
    }
  }
  return makeTensor(data.dtype, shape, out);
}

const gather: Converter = (ctx, n) => {
  const data = ctx.requireConstant(requiredInput(ctx, n, 0, "data"), "data");
  const indices = ctx.requireConstant(requiredInput(ctx, n, 1, "indices"), "indices");
  const a = n.attrs.int("axis", 0);
  const axis = normalizeAxis(a, data.shape.length) ?? ctx.fail(`axis ${a} is out of range for rank ${data.shape.length}`);
  const out = gatherTensor(ctx, data, indices, axis);
  ctx.defineConstant(n.outputs[0]!, out, elementTypeOfTensor(out));
};

const DTYPE_OF_CODE: Readonly<Record<number, DType>> = { 1: "f32", 2: "u8", 3: "i8", 4: "u16", 5: "i16", 6: "i32", 7: "i64", 9: "i1", 10: "f16", 11: "f64", 12: "u32" };

const cast: Converter = (ctx, n) => {
  const x = ctx.requireConstant(requiredInput(ctx, n, 0, "input"), "input");
  const to = n.attrs.int("to") ?? ctx.fail("needs a 'to' attribute");
  const dtype = DTYPE_OF_CODE[to] ?? ctx.fail(`cast to ${ONNX_TYPE_NAMES[to] ?? to} is not supported`);
  const isFloat = dtype === "f32" || dtype === "f16" || dtype === "f64";
  const values = tensorNumbers(x).map((v) => (dtype === "i1" ? (v !== 0 ? 1 : 0) : isFloat ? (dtype === "f16" ? roundToF16(v) : v) : Math.trunc(v)));
  const out = tensorOfNumbers(dtype, x.shape, values);
  const element: Type = elementTypeOf(to)!;
  ctx.defineConstant(n.outputs[0]!, out, element);
};

export const constantConverters: ReadonlyMap<string, Converter> = new Map([
  ["Constant", constant],
  ["ConstantOfShape", constantOfShape],
  ["Shape", shapeOp],
  ["Gather", gather],
  ["Cast", cast],
]);

/** Ops that only fold at import: their inputs must be compile-time constants. */
export const CONSTANT_ONLY_OPS: readonly string[] = ["Gather", "Cast"];
