/**
 * ONNX's integer ops → the hw dialect:
 * - QLinearMatMul, MatMulInteger → `hw.matmul` (ONNX order, numpy batch broadcasting);
 * - QLinearConv, ConvInteger → `hw.conv2d` / `hw.depthwise_conv2d` on NHWC values, weights as OHWI
 *   (or [1, KH, KW, C·M]) `hw.const`s, int32 bias as an `hw.const`;
 * - DynamicQuantizeLinear → `hw.dynamic_quantize`.
 *
 * QLinear ops requantize the int32 accumulator by `x_scale·w_scale/y_scale` in floating point and round
 * half to even (ONNX Operators.md): `rounding = "half-even-float"` with that `scale`, one per output
 * channel or column. MatMulInteger and ConvInteger keep the i32 accumulator (no `scale`). hw ops carry
 * zero points and scales as attributes, so those inputs must be known at import.
 */
import type { Attribute } from "../../../ir/attributes.js";
import { attr } from "../../../ir/attr-access.js";
import type { Value } from "../../../ir/operation.js";
import type { IntegerType, Type } from "../../../ir/types.js";
import { f32, i32, integerType, tensorType } from "../../../ir/types.js";
import { printType } from "../../../syntax/printer.js";
import type { Converter, NodeContext } from "../converter.js";
import { onlyOutputs, requiredInput } from "../converter.js";
import { tensorNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { DEPTHWISE_WEIGHTS, identity, NHWC } from "../layout.js";
import type { Perm } from "../layout.js";
import { matmulShape } from "../shape-inference.js";
import { convGeometry, windowAttrs } from "./conv.js";

const ui8 = integerType(8, "unsigned");

// ------------------------------------------------------------------ operands and parameters

/** The element type of an 8-bit operand (ONNX T1/T2/T3 of the integer ops: int8 or uint8). */
function eightBit(ctx: ImportContext, v: OnnxValue, what: string): IntegerType {
  const e = v.element;
  if (e.kind === "int" && e.width === 8) return e;
  return ctx.fail(`${what} ('${v.name}') must be int8 or uint8, got ${printType(e)}`);
}

/** A zero point must have the type of the tensor it belongs to (ONNX's shared type constraint). */
function checkZeroPointType(ctx: ImportContext, zp: OnnxValue | undefined, element: IntegerType, what: string): void {
  if (zp && printType(zp.element) !== printType(element)) ctx.fail(`${what} ('${zp.name}') must be ${printType(element)} like its tensor, got ${printType(zp.element)}`);
}

/** The values of a zero-point or scale input; hw ops take them as attributes, so they must be constants. */
function parameter(ctx: ImportContext, v: OnnxValue, what: string): number[] {
  if (v.constant === undefined) {
    ctx.fail(
      `${what} ('${v.name}') must be a constant: an initializer, a Constant node, or a graph input bound to a value ` +
        `(importOnnx's constantInputs, \`qopt import --constant ${v.name}=file\`); hw ops take it as an attribute`,
    );
  }
  return tensorNumbers(v.constant);
}

/** One value (per tensor) or `count` values (per row, column or channel; `count` < 0 when unknown). */
function perAxis(ctx: ImportContext, v: OnnxValue, what: string, count: number, axis: string): number[] {
  const values = parameter(ctx, v, what);
  if (values.length !== 1 && values.length !== count) {
    ctx.fail(`${what} ('${v.name}') must hold 1 value or one per ${axis}${count >= 0 ? ` (${count})` : ""}, got ${values.length}`);
  }
  return values;
}

/** A per-tensor parameter: one value, or several that are all equal. */
function uniform(ctx: ImportContext, v: OnnxValue, what: string, why: string): number {
  const values = parameter(ctx, v, what);
  if (values.length === 0 || values.some((x) => x !== values[0])) ctx.fail(`${what} ('${v.name}') must hold one value (${why}), got [${values.join(", ")}]`);
  return values[0]!;
}

/** A zero point's value(s), 0 when the optional input is omitted. */
function zeroPoints(ctx: ImportContext, v: OnnxValue | undefined, what: string, count: number, axis: string): number[] {
  return v ? perAxis(ctx, v, what, count, axis) : [0];
}

/** The values of a scale input: float32 or float16 (exactly as stored), positive and finite. */
function scaleValues(ctx: ImportContext, v: OnnxValue, what: string): number[] {
  if (v.element.kind !== "float" || (v.element.name !== "f32" && v.element.name !== "f16")) ctx.fail(`${what} ('${v.name}') must be float32 or float16, got ${printType(v.element)}`);
  const values = parameter(ctx, v, what);
  if (values.some((s) => !(s > 0) || !Number.isFinite(s))) ctx.fail(`${what} ('${v.name}') must be positive and finite, got [${values.join(", ")}]`);
  return values;
}

/** A per-tensor scale. */
function tensorScale(ctx: ImportContext, v: OnnxValue, what: string, why = "per tensor"): number {
  scaleValues(ctx, v, what);
  return uniform(ctx, v, what, why);
}

/** Scales per output channel or column (or one for all). */
function axisScales(ctx: ImportContext, v: OnnxValue, what: string, count: number, axis: string): number[] {
  scaleValues(ctx, v, what);
  return perAxis(ctx, v, what, count, axis);
}

/**
 * The real multipliers `in_scale·w_scale[c]/out_scale` of `rounding = "half-even-float"`, in double
 * precision on the exact float32/float16 scale values: the computation test/hw/ops-onnx.test.ts shows
 * bit-exact on the ONNX backend node tests.
 */
function requantScales(inScale: number, wScales: readonly number[], outScale: number): number[] {
  return wScales.map((w) => (inScale * w) / outScale);
}

/** An integer operand: a constant becomes an `hw.const` (in layout `perm`), anything else its value. */
function integerOperand(ctx: ImportContext, v: OnnxValue, perm: Perm): Value {
  return v.constant !== undefined ? ctx.hwConstant(v, perm) : ctx.value(v, perm);
}

// ------------------------------------------------------------------ matmul

interface MatmulParams {
  readonly aZp: readonly number[];
  readonly bZp: readonly number[];
  /** Absent: the i32 accumulator is the result. */
  readonly requant?: { readonly scale: readonly number[]; readonly outputZp: number };
}

/** [M, N] of a · b, and the result shape; 1-D operands are not supported. */
function matmulDims(ctx: ImportContext, a: OnnxValue, b: OnnxValue): { M: number; N: number; shape: number[] } {
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (as.length < 2 || bs.length < 2) ctx.fail(`operands must have rank ≥ 2 (hw.matmul has no 1-D form), got ranks ${as.length} and ${bs.length}`);
  const shape = matmulShape(as, bs);
  if (typeof shape === "string") return ctx.fail(shape);
  return { M: as[as.length - 2]!, N: bs[bs.length - 1]!, shape };
}

function emitMatmul(ctx: ImportContext, n: NodeContext, a: OnnxValue, b: OnnxValue, shape: readonly number[], element: Type, p: MatmulParams): void {
  const attrs: Record<string, Attribute> = { a_zp: attr.ints(p.aZp), b_zp: attr.ints(p.bZp) };
  if (p.requant) {
    attrs.output_zp = attr.int(p.requant.outputZp);
    attrs.rounding = attr.str("half-even-float");
    attrs.scale = attr.f64s(p.requant.scale);
  }
  const operands = [integerOperand(ctx, a, identity(ctx.rank(a))), integerOperand(ctx, b, identity(ctx.rank(b)))];
  const result = ctx.emit("hw.matmul", operands, attrs, tensorType(shape, element));
  ctx.defineResult(n.outputs[0]!, result, identity(shape.length));
}

/** QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point). */
const qlinearMatMul: Converter = (ctx, n) => {
  const a = requiredInput(ctx, n, 0, "a");
  const b = requiredInput(ctx, n, 3, "b");
  const aZp = requiredInput(ctx, n, 2, "a_zero_point");
  const bZp = requiredInput(ctx, n, 5, "b_zero_point");
  const yZp = requiredInput(ctx, n, 7, "y_zero_point");
  const aElement = eightBit(ctx, a, "a");
  const bElement = eightBit(ctx, b, "b");
  const yElement = eightBit(ctx, yZp, "y_zero_point");
  checkZeroPointType(ctx, aZp, aElement, "a_zero_point");
  checkZeroPointType(ctx, bZp, bElement, "b_zero_point");
  const { M, N, shape } = matmulDims(ctx, a, b);
  // hw.matmul requantizes per column: a's scale must be one value (its zero point may vary per row).
  const aScale = tensorScale(ctx, requiredInput(ctx, n, 1, "a_scale"), "a_scale", "hw.matmul requantizes per column, not per row");
  const bScale = axisScales(ctx, requiredInput(ctx, n, 4, "b_scale"), "b_scale", N, "column");
  const yScale = tensorScale(ctx, requiredInput(ctx, n, 6, "y_scale"), "y_scale");
  emitMatmul(ctx, n, a, b, shape, yElement, {
    aZp: zeroPoints(ctx, aZp, "a_zero_point", M, "row"),
    bZp: zeroPoints(ctx, bZp, "b_zero_point", N, "column"),
    requant: { scale: requantScales(aScale, bScale, yScale), outputZp: uniform(ctx, yZp, "y_zero_point", "per tensor") },
  });
};

/** MatMulInteger(A, B, a_zero_point?, b_zero_point?) → int32. */
const matMulInteger: Converter = (ctx, n) => {
  const a = requiredInput(ctx, n, 0, "A");
  const b = requiredInput(ctx, n, 1, "B");
  checkZeroPointType(ctx, n.inputs[2], eightBit(ctx, a, "A"), "a_zero_point");
  checkZeroPointType(ctx, n.inputs[3], eightBit(ctx, b, "B"), "b_zero_point");
  const { M, N, shape } = matmulDims(ctx, a, b);
  emitMatmul(ctx, n, a, b, shape, i32, {
    aZp: zeroPoints(ctx, n.inputs[2], "a_zero_point", M, "row"),
    bZp: zeroPoints(ctx, n.inputs[3], "b_zero_point", N, "column"),
  });
};

// ------------------------------------------------------------------ conv

interface ConvParams {
  readonly x: OnnxValue;
  readonly w: OnnxValue;
  readonly bias: OnnxValue | undefined;
  readonly inputZp: number;
  readonly weightZp: number;
  readonly element: Type;
  /** Per output channel (or one); absent for ConvInteger. */
  readonly requant?: { readonly scale: readonly number[]; readonly outputZp: number };
}

function emitConv(ctx: ImportContext, n: NodeContext, p: ConvParams): void {
  const g = convGeometry(ctx, n, p.x, p.w);
  if (g.window.padding === "same") ctx.fail("auto_pad SAME needs static spatial dims here: hw convolutions take explicit padding");
  const attrs: Record<string, Attribute> = { ...windowAttrs(g.window), input_zp: attr.int(p.inputZp), weight_zp: attr.int(p.weightZp) };
  if (p.requant) {
    attrs.output_zp = attr.int(p.requant.outputZp);
    attrs.rounding = attr.str("half-even-float");
    attrs.scale = attr.f64s(p.requant.scale);
  }
  const operands: Value[] = [ctx.value(p.x, NHWC), integerOperand(ctx, p.w, g.depthwise ? DEPTHWISE_WEIGHTS : NHWC)];
  if (p.bias) operands.push(integerOperand(ctx, p.bias, [0]));
  const type = tensorType(g.resultShape, p.element);
  const result = g.depthwise
    ? ctx.emit("hw.depthwise_conv2d", operands, { ...attrs, depth_multiplier: attr.int(g.M / g.group) }, type)
    : ctx.emit("hw.conv2d", operands, { ...attrs, groups: attr.int(g.group) }, type);
  ctx.defineResult(n.outputs[0]!, result, NHWC);
}

/** Output channels of weights `w` [M, C/group, KH, KW] (-1 when unknown). */
function outputChannels(ctx: ImportContext, w: OnnxValue): number {
  return ctx.rank(w) === 4 ? ctx.shape(w)[0]! : -1;
}

/** hw convolutions have one weight zero point; ONNX allows one per output channel. */
const ONE_WEIGHT_ZP = "hw convolutions take one weight zero point for all output channels";

/** QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B?). */
const qlinearConv: Converter = (ctx, n) => {
  onlyOutputs(ctx, n, 1, "a second output");
  const x = requiredInput(ctx, n, 0, "x");
  const w = requiredInput(ctx, n, 3, "w");
  const xZp = requiredInput(ctx, n, 2, "x_zero_point");
  const wZp = requiredInput(ctx, n, 5, "w_zero_point");
  const yZp = requiredInput(ctx, n, 7, "y_zero_point");
  const bias = n.inputs[8];
  checkZeroPointType(ctx, xZp, eightBit(ctx, x, "x"), "x_zero_point");
  checkZeroPointType(ctx, wZp, eightBit(ctx, w, "w"), "w_zero_point");
  const element = eightBit(ctx, yZp, "y_zero_point");
  if (bias && printType(bias.element) !== printType(i32)) ctx.fail(`B ('${bias.name}') must be int32, got ${printType(bias.element)}`);
  const M = outputChannels(ctx, w);
  const xScale = tensorScale(ctx, requiredInput(ctx, n, 1, "x_scale"), "x_scale");
  const wScale = axisScales(ctx, requiredInput(ctx, n, 4, "w_scale"), "w_scale", M, "output channel");
  const yScale = tensorScale(ctx, requiredInput(ctx, n, 6, "y_scale"), "y_scale");
  perAxis(ctx, wZp, "w_zero_point", M, "output channel");
  emitConv(ctx, n, {
    x,
    w,
    bias,
    inputZp: uniform(ctx, xZp, "x_zero_point", "per tensor"),
    weightZp: uniform(ctx, wZp, "w_zero_point", ONE_WEIGHT_ZP),
    element,
    requant: { scale: requantScales(xScale, wScale, yScale), outputZp: uniform(ctx, yZp, "y_zero_point", "per tensor") },
  });
};

/** ConvInteger(x, w, x_zero_point?, w_zero_point?) → int32. */
const convInteger: Converter = (ctx, n) => {
  onlyOutputs(ctx, n, 1, "a second output");
  const x = requiredInput(ctx, n, 0, "x");
  const w = requiredInput(ctx, n, 1, "w");
  const xZp = n.inputs[2];
  const wZp = n.inputs[3];
  checkZeroPointType(ctx, xZp, eightBit(ctx, x, "x"), "x_zero_point");
  checkZeroPointType(ctx, wZp, eightBit(ctx, w, "w"), "w_zero_point");
  if (wZp) perAxis(ctx, wZp, "w_zero_point", outputChannels(ctx, w), "output channel");
  emitConv(ctx, n, {
    x,
    w,
    bias: undefined,
    inputZp: xZp ? uniform(ctx, xZp, "x_zero_point", "per tensor") : 0,
    weightZp: wZp ? uniform(ctx, wZp, "w_zero_point", ONE_WEIGHT_ZP) : 0,
    element: i32,
  });
};

// ------------------------------------------------------------------ DynamicQuantizeLinear

/** DynamicQuantizeLinear(x) → (y, y_scale, y_zero_point), computed in x's layout (min/max do not depend on it). */
const dynamicQuantizeLinear: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "x");
  if (printType(x.element) !== printType(f32)) ctx.fail(`x ('${x.name}') must be float32, got ${printType(x.element)}`);
  const perm = ctx.chooseLayout([x], ctx.rank(x));
  const op = ctx.builder.create("hw.dynamic_quantize", [ctx.value(x, perm)], {}, [ctx.typeIn(x, perm, ui8), tensorType([], f32), tensorType([], ui8)]);
  ctx.defineResult(n.outputs[0] ?? "", op.results[0]!, perm);
  ctx.defineResult(n.outputs[1] ?? "", op.results[1]!, []);
  ctx.defineResult(n.outputs[2] ?? "", op.results[2]!, []);
};

export const integerConverters: ReadonlyMap<string, Converter> = new Map([
  ["QLinearMatMul", qlinearMatMul],
  ["MatMulInteger", matMulInteger],
  ["QLinearConv", qlinearConv],
  ["ConvInteger", convInteger],
  ["DynamicQuantizeLinear", dynamicQuantizeLinear],
]);
