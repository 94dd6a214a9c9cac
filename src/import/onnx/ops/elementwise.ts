/**
 * Elementwise ONNX ops: Add, Sub, Mul, Div, Max, Min, Sum (numpy broadcasting; opset < 7's
 * `broadcast`/`axis` form too), the activations
 * (Relu, Clip, LeakyRelu, Sigmoid, Tanh, Exp, Neg, Abs) and the pass-throughs (Identity, Dropout).
 * They compute in whatever layout their operands already have, so NHWC stays NHWC.
 */
import type { Attribute } from "../../../ir/attributes.js";
import { attr } from "../../../ir/attr-access.js";
import { tensorType } from "../../../ir/types.js";
import type { Converter } from "../converter.js";
import { onlyOutputs, requiredInput } from "../converter.js";
import { tensorNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { permuteShape } from "../layout.js";
import { broadcastShapes } from "../shape-inference.js";

/** Emits `float.<op>(a, b)` with numpy broadcasting and returns the result (named `name`, or anonymous). */
export function emitBinary(ctx: ImportContext, op: string, a: OnnxValue, b: OnnxValue, name = ""): OnnxValue {
  const shape = broadcastShapes(ctx.shape(a), ctx.shape(b));
  if (typeof shape === "string") ctx.fail(shape);
  const perm = ctx.chooseLayout([a, b], shape.length);
  const lhs = ctx.broadcastOperand(a, shape.length, perm);
  const rhs = ctx.broadcastOperand(b, shape.length, perm);
  const result = ctx.emit(`float.${op}`, [lhs, rhs], {}, tensorType(permuteShape(shape, perm), a.element));
  return ctx.defineResult(name, result, perm);
}

/** Emits a unary float op in the input's current layout. */
export function emitUnary(ctx: ImportContext, op: string, x: OnnxValue, attributes: Record<string, Attribute> = {}, name = ""): OnnxValue {
  const rank = ctx.rank(x);
  const perm = ctx.chooseLayout([x], rank);
  const result = ctx.emit(`float.${op}`, [ctx.value(x, perm)], attributes, ctx.typeIn(x, perm));
  return ctx.defineResult(name, result, perm);
}

/**
 * Add/Sub/Mul/Div before opset 7 broadcast B only with `broadcast = 1`, aligning B's dims at A's
 * `axis` instead of at the end: B gets trailing unit dims so numpy's rule lines it up the same way.
 * Without `axis` (suffix matching) or `broadcast`, numpy broadcasting already agrees.
 */
function legacyBroadcastOperand(ctx: ImportContext, n: Parameters<Converter>[1], a: OnnxValue, b: OnnxValue): OnnxValue {
  if (n.opset >= 7 || n.attrs.int("broadcast", 0) === 0 || !n.attrs.has("axis")) return b;
  const rankA = ctx.rank(a);
  const rankB = ctx.rank(b);
  const axis = n.attrs.int("axis", 0);
  const start = axis < 0 ? axis + rankA : axis;
  if (start < 0 || start + rankB > rankA) ctx.fail(`legacy broadcast axis ${axis} does not fit B of rank ${rankB} into A of rank ${rankA}`);
  const trailing = rankA - start - rankB;
  return trailing === 0 ? b : ctx.reshaped(b, [...ctx.shape(b), ...new Array<number>(trailing).fill(1)]);
}

/** A binary ONNX op; variadic ones (Max, Min, Sum) fold left over their inputs. */
function binary(op: string, variadic = false): Converter {
  return (ctx, n) => {
    const operands = n.inputs.filter((v): v is OnnxValue => v !== undefined);
    if (operands.length === 0 || (!variadic && operands.length !== 2)) ctx.fail(`expects ${variadic ? "at least one input" : "two inputs"}, got ${operands.length}`);
    if (!variadic) operands[1] = legacyBroadcastOperand(ctx, n, operands[0]!, operands[1]!);
    let acc = operands[0]!;
    for (let i = 1; i < operands.length; i++) acc = emitBinary(ctx, op, acc, operands[i]!, i === operands.length - 1 ? n.outputs[0]! : "");
    if (operands.length === 1) ctx.define(n.outputs[0]!, acc);
  };
}

function unary(op: string, attributes: (n: Parameters<Converter>[1]) => Record<string, Attribute> = () => ({})): Converter {
  return (ctx, n) => {
    emitUnary(ctx, op, requiredInput(ctx, n, 0, "X"), attributes(n), n.outputs[0]!);
  };
}

/** Largest finite f32: ONNX Clip's default bounds before opset 11, treated as unbounded. */
const F32_MAX = 3.4028234663852886e38;

/**
 * Clip(x, min, max): constant bounds become relu ([0, ∞)), relu6 ([0, 6]) or clamp; bounds computed
 * at run time become maximum/minimum ops.
 */
const clip: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "input");
  let lo: number | OnnxValue = -Infinity;
  let hi: number | OnnxValue = Infinity;
  if (n.opset < 11) {
    lo = n.attrs.float("min", -Infinity);
    hi = n.attrs.float("max", Infinity);
  } else {
    const bound = (v: OnnxValue | undefined, fallback: number): number | OnnxValue => {
      if (!v) return fallback;
      if (v.constant === undefined) return v;
      const values = tensorNumbers(v.constant);
      if (values.length !== 1) ctx.fail(`min and max must be scalars, '${v.name}' has ${values.length} elements`);
      return values[0]!;
    };
    lo = bound(n.inputs[1], -Infinity);
    hi = bound(n.inputs[2], Infinity);
  }
  const out = n.outputs[0]!;
  if (typeof lo !== "number" || typeof hi !== "number") {
    let acc = x;
    if (typeof lo !== "number") acc = emitBinary(ctx, "maximum", acc, lo);
    if (typeof hi !== "number") acc = emitBinary(ctx, "minimum", acc, hi);
    const min = typeof lo === "number" && lo > -F32_MAX ? lo : -Infinity;
    const max = typeof hi === "number" && hi < F32_MAX ? hi : Infinity;
    if (min !== -Infinity || max !== Infinity) acc = emitUnary(ctx, "clamp", acc, { min: attr.f32(min), max: attr.f32(max) });
    ctx.define(out, acc);
    return;
  }
  const unboundedLo = lo <= -F32_MAX;
  const unboundedHi = hi >= F32_MAX;
  if (lo === 0 && hi === 6) emitUnary(ctx, "relu6", x, {}, out);
  else if (lo === 0 && unboundedHi) emitUnary(ctx, "relu", x, {}, out);
  else if (unboundedLo && unboundedHi) ctx.define(out, x);
  else emitUnary(ctx, "clamp", x, { min: attr.f32(lo), max: attr.f32(hi) }, out);
};

/** Identity and Dropout (inference: the identity) define their output as the input itself. */
const passThrough: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "input");
  if (n.node.opType === "Dropout") {
    onlyOutputs(ctx, n, 1, "Dropout's mask output");
    const training = n.inputs[2]?.constant;
    if (training && tensorNumbers(training)[0]) ctx.fail("training_mode = true is not supported (inference only)");
  }
  ctx.define(n.outputs[0]!, x);
};

export const elementwiseConverters: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ["Add", binary("add")],
  ["Sub", binary("sub")],
  ["Mul", binary("mul")],
  ["Div", binary("div")],
  ["Max", binary("maximum", true)],
  ["Min", binary("minimum", true)],
  ["Sum", binary("add", true)],
  ["Relu", unary("relu")],
  ["Sigmoid", unary("sigmoid")],
  ["Tanh", unary("tanh")],
  ["Exp", unary("exp")],
  ["Neg", unary("neg")],
  ["Abs", unary("abs")],
  ["LeakyRelu", unary("leaky_relu", (n) => ({ alpha: attr.f32(n.attrs.float("alpha", 0.01)) }))],
  ["Clip", clip],
  ["Identity", passThrough],
  ["Dropout", passThrough],
]);
