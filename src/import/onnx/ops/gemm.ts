/**
 * Gemm and MatMul. With constant (or dequantized constant) weights they become
 * `float.fully_connected(x [.., K], w [N, K], bias [N]?)`, TFLite's layout, with the weights
 * transposed and alpha/beta folded at import; otherwise `float.matmul` followed by mul/add.
 */
import { attr } from "../../../ir/attr-access.js";
import type { Value } from "../../../ir/operation.js";
import { tensorType } from "../../../ir/types.js";
import type { Converter } from "../converter.js";
import { requiredInput } from "../converter.js";
import { filledTensor, permuteTensor, reshapeTensor, scaleTensor, tensorOfNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { identity } from "../layout.js";
import { matmulShape } from "../shape-inference.js";
import { emitBinary } from "./elementwise.js";

/** A scalar constant of `like`'s float type. */
function scalar(ctx: ImportContext, like: OnnxValue, value: number): OnnxValue {
  const dtype = like.element.kind === "float" && like.element.name === "f16" ? "f16" : "f32";
  return ctx.anonymousConstant(tensorOfNumbers(dtype, [], [value]), like.element);
}

/**
 * Gemm's C as a fully_connected bias [N] (already multiplied by beta), or undefined when C
 * broadcasts over rows too ([M, N], [M, 1]) and must be added separately.
 */
function biasOf(ctx: ImportContext, c: OnnxValue, beta: number, n: number): OnnxValue | undefined {
  const shape = ctx.shape(c);
  const size = shape.reduce((p, d) => p * d, 1);
  const rowVector = shape.length <= 1 || shape.slice(0, -1).every((d) => d === 1);
  if (!rowVector || shape.some((d) => d < 0)) return undefined;
  if (c.constant !== undefined) {
    if (size !== n && size !== 1) return undefined;
    const flat = size === n ? reshapeTensor(c.constant, [n]) : filledTensor(c.constant, [n]);
    return ctx.anonymousConstant(beta === 1 ? flat : scaleTensor(flat, beta), c.element);
  }
  return beta === 1 && shape.length === 1 && size === n ? c : undefined;
}

const gemm: Converter = (ctx, n) => {
  const a = requiredInput(ctx, n, 0, "A");
  const b = requiredInput(ctx, n, 1, "B");
  // Before opset 7, C broadcasts only with `broadcast = 1` (else it must be [M, N]); numpy
  // broadcasting accepts both, so the attribute is not read.
  const c = n.inputs[2];
  const alpha = n.attrs.float("alpha", 1);
  const beta = n.attrs.float("beta", 1);
  const transA = n.attrs.int("transA", 0) !== 0;
  const transB = n.attrs.int("transB", 0) !== 0;
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (as.length !== 2 || bs.length !== 2) ctx.fail(`A and B must be matrices, got ranks ${as.length} and ${bs.length}`);
  const M = transA ? as[1]! : as[0]!;
  const K = transA ? as[0]! : as[1]!;
  const N = transB ? bs[0]! : bs[1]!;
  const Kb = transB ? bs[1]! : bs[0]!;
  if (K >= 0 && Kb >= 0 && K !== Kb) ctx.fail(`inner dims differ: A is [${as.join(", ")}]${transA ? "ᵀ" : ""}, B is [${bs.join(", ")}]${transB ? "ᵀ" : ""}`);
  const resultType = tensorType([M, N], a.element);
  let alphaDone = alpha === 1;
  let biasDone = c === undefined || beta === 0;
  let y: OnnxValue;
  if (!transA && ctx.isFree(b) && N >= 0) {
    // Weights [N, K]: ONNX B is [K, N] unless transB.
    const wPerm = transB ? [0, 1] : [1, 0];
    let w: Value;
    if (b.constant !== undefined && !alphaDone) {
      w = ctx.value(ctx.anonymousConstant(scaleTensor(permuteTensor(b.constant, wPerm), alpha), b.element));
      alphaDone = true;
    } else {
      w = ctx.value(b, wPerm);
    }
    const operands: Value[] = [ctx.value(a), w];
    if (!biasDone && alphaDone) {
      const bias = biasOf(ctx, c!, beta, N);
      if (bias) {
        operands.push(ctx.value(bias));
        biasDone = true;
      }
    }
    y = ctx.defineResult("", ctx.emit("float.fully_connected", operands, {}, resultType), identity(2));
  } else {
    const r = ctx.emit("float.matmul", [ctx.value(a), ctx.value(b)], { transpose_a: attr.bool(transA), transpose_b: attr.bool(transB) }, resultType);
    y = ctx.defineResult("", r, identity(2));
  }
  if (!alphaDone) y = emitBinary(ctx, "mul", y, scalar(ctx, a, alpha));
  if (!biasDone) {
    let addend = c!;
    if (beta !== 1) addend = addend.constant !== undefined ? ctx.anonymousConstant(scaleTensor(addend.constant, beta), addend.element) : emitBinary(ctx, "mul", addend, scalar(ctx, addend, beta));
    y = emitBinary(ctx, "add", y, addend);
  }
  ctx.define(n.outputs[0]!, y);
};

const matmul: Converter = (ctx, n) => {
  const a = requiredInput(ctx, n, 0, "A");
  const b = requiredInput(ctx, n, 1, "B");
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  const shape = matmulShape(as, bs);
  if (typeof shape === "string") return ctx.fail(shape);
  const type = tensorType(shape, a.element);
  let result: Value;
  if (as.length >= 2 && bs.length === 2 && ctx.isFree(b) && bs.every((d) => d >= 0)) {
    result = ctx.emit("float.fully_connected", [ctx.value(a), ctx.value(b, [1, 0])], {}, type);
  } else {
    result = ctx.emit("float.matmul", [ctx.value(a), ctx.value(b)], { transpose_a: attr.bool(false), transpose_b: attr.bool(false) }, type);
  }
  ctx.defineResult(n.outputs[0]!, result, identity(shape.length));
};

export const gemmConverters: ReadonlyMap<string, Converter> = new Map([
  ["Gemm", gemm],
  ["MatMul", matmul],
]);
