/**
 * `hw.fully_connected` (TFLite FULLY_CONNECTED, CMSIS-NN arm_fully_connected_s8) and `hw.matmul`
 * (ONNX MatMulInteger / QLinearMatMul): integer matrix products with the output stage of
 * requant.ts.
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, intAttr, numbersAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type VerifyContext } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { DYNAMIC } from "../../../src/ir/types.js";
import type { Tensor } from "../../../src/interp/tensor.js";
import { fullyConnected } from "../kernels/fully-connected.js";
import { matmul } from "../kernels/matmul.js";
import { attributesOf } from "../attributes.js";
import { checkShape, dimProduct, dimsConflict, outsideStorage, shapeOf, shapeText, storageOf, typeText, zeroPointMismatch, type Storage } from "../constraints.js";
import { kernelRequant, requantAttributes, verifyRequant, weightedZeroPoints } from "../requant.js";
import { accumulatorResultTensor, activationTensor, biasOperand, inputOperand, weightTensor } from "../weighted.js";
import { verifyBiasShape, verifyWeightedOp } from "./conv.js";

/**
 * Checks the result shape of a fully connected op for input `[..., IN]`: TFLite's `[batches, OUT]`
 * (keep_num_dims = false) or the input's leading dims with OUT last (keep_num_dims = true); the two
 * agree for rank-2 inputs and hold the same data.
 */
export function checkFullyConnectedResult(input: readonly number[], out: number, result: readonly number[]): string | undefined {
  const leading = input.slice(0, -1);
  const flat = [dimProduct(leading), out];
  const kept = [...leading, out];
  if (checkShape("result", result, flat) === undefined || checkShape("result", result, kept) === undefined) return undefined;
  if (leading.length === 1) return checkShape("result", result, flat);
  return `result shape ${shapeText(result)} must be ${shapeText(flat)} or ${shapeText(kept)}`;
}

function verifyFullyConnected(op: Operation, ctx: VerifyContext): void {
  const attrs = attributesOf(op);
  const inT = op.operands[0]?.type;
  const wT = op.operands[1]?.type;
  const input = shapeOf(inT);
  const filter = shapeOf(wT);
  if (input !== undefined && input.length < 1) return ctx.error(`input must have rank ≥ 1 ([..., IN]), got ${typeText(inT!)}`);
  if (filter !== undefined && filter.length !== 2) return ctx.error(`filter must be a rank-2 [OUT, IN] tensor, got ${typeText(wT!)}`);
  const OUT = filter?.[0] ?? DYNAMIC;
  const IN = filter?.[1] ?? DYNAMIC;
  if (input !== undefined && dimsConflict(input[input.length - 1]!, IN)) {
    return ctx.error(`input depth ${input[input.length - 1]} does not match the filter's IN = ${IN}`);
  }
  const result = shapeOf(op.results[0]?.type);
  if (input !== undefined && result !== undefined) {
    const e = checkFullyConnectedResult(input, OUT, result);
    if (e) ctx.error(e);
  }
  verifyBiasShape(op, 2, OUT, (m) => ctx.error(m));
  verifyWeightedOp(op, attrs, OUT, true, undefined, ctx);
}

/** A kernel result `[B, OUT]` viewed with the result type's shape (same data, row-major). */
export function reshapedTo(t: Tensor, op: Operation): Tensor {
  const shape = shapeOf(op.results[0]!.type);
  if (shape === undefined || shape.some((d) => d < 0) || shape.length === t.shape.length) return t;
  return { dtype: t.dtype, shape, data: t.data };
}

export const fullyConnectedOp = defineOp({
  name: "hw.fully_connected",
  summary: "Integer fully connected layer (input × filterᵀ + bias) with fused requantization and clamp",
  description:
    "Input [..., IN] read as [batches, IN]; filter [OUT, IN]; result [batches, OUT] or [..., OUT]. " +
    "acc = Σ (in − input_zp)·(w − weight_zp) + bias; output stage as hw.conv2d.",
  operands: [inputOperand, { name: "filter", type: weightTensor, doc: "[OUT, IN] weights" }, biasOperand],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: { ...weightedZeroPoints, ...requantAttributes },
  traits: ["Pure", "WeightedOp"],
  verify: verifyFullyConnected,
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    const t = fullyConnected(inputs[0]!, inputs[1]!, inputs[2], {
      ...kernelRequant(attrs, out),
      input_zp: intAttr(attrs, "input_zp", 0),
      weight_zp: intAttr(attrs, "weight_zp", 0),
    });
    return [reshapedTo(t, op)];
  },
});

function verifyZeroPoints(attrs: AttrDict, name: string, s: Storage | undefined, count: number, what: string, error: (m: string) => void): void {
  const zps = numbersAttr(attrs, name) ?? [0];
  if (zps.length !== 1 && !(count < 0 || zps.length === count)) {
    error(`'${name}' must have 1 or ${count} values, got ${zps.length}`);
    return;
  }
  if (!s) return;
  for (const zp of zps) {
    const e = outsideStorage(zp, s, name, what);
    if (e) return error(e);
  }
  if (zps.length === 1) {
    const e = zeroPointMismatch(s, zps[0]!, name, what);
    if (e) error(e);
  }
}

/** numpy broadcasting of batch dims; a dynamic dim agrees with anything. Undefined when they conflict. */
function broadcastBatch(x: readonly number[], y: readonly number[]): number[] | undefined {
  const rank = Math.max(x.length, y.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dx = x[x.length - rank + i] ?? 1;
    const dy = y[y.length - rank + i] ?? 1;
    if (dx === dy || dy === 1) out.push(dx);
    else if (dx === 1) out.push(dy);
    else if (dx < 0 || dy < 0) out.push(dx < 0 ? dy : dx);
    else return undefined;
  }
  return out;
}

function verifyMatmul(op: Operation, ctx: VerifyContext): void {
  const attrs = attributesOf(op);
  const error = (m: string): void => ctx.error(m);
  const aT = op.operands[0]?.type;
  const bT = op.operands[1]?.type;
  const a = shapeOf(aT);
  const b = shapeOf(bT);
  if (a !== undefined && a.length < 2) return error(`operand 'a' must have rank ≥ 2 ([..., M, K]), got ${typeText(aT!)}`);
  if (b !== undefined && b.length < 2) return error(`operand 'b' must have rank ≥ 2 ([..., K, N]), got ${typeText(bT!)}`);
  const M = a ? a[a.length - 2]! : DYNAMIC;
  const K = a ? a[a.length - 1]! : DYNAMIC;
  const Kb = b ? b[b.length - 2]! : DYNAMIC;
  const N = b ? b[b.length - 1]! : DYNAMIC;
  if (dimsConflict(K, Kb)) return error(`inner dimensions differ: 'a' has K = ${K}, 'b' has K = ${Kb}`);
  const result = shapeOf(op.results[0]?.type);
  if (a && b && result) {
    const batch = broadcastBatch(a.slice(0, -2), b.slice(0, -2));
    if (batch === undefined) return error(`batch dimensions ${shapeText(a.slice(0, -2))} and ${shapeText(b.slice(0, -2))} do not broadcast`);
    const e = checkShape("result", result, [...batch, M, N]);
    if (e) error(e);
  }
  const sa = storageOf(aT);
  const sb = storageOf(bT);
  const wide = sa?.width === 16;
  if (wide && sb && sb.kind !== "i8") error(`16-bit 'a' needs an i8 'b', got ${sb.kind}`);
  verifyZeroPoints(attrs, "a_zp", sa, M, "'a'", error);
  verifyZeroPoints(attrs, "b_zp", sb, N, "'b'", error);
  verifyRequant(attrs, { channels: N, output: storageOf(op.results[0]?.type), wide }, error);
}

export const matmulOp = defineOp({
  name: "hw.matmul",
  summary: "Integer matrix product with zero points (ONNX MatMulInteger / QLinearMatMul)",
  description:
    "a [..., M, K], b [..., K, N] (batch dims broadcast); acc = Σ (a − a_zp[m])·(b − b_zp[n]) in int32. " +
    "Without 'multiplier'/'scale' the result is the i32 accumulator (MatMulInteger); with them it is " +
    "requantized per column (QLinearMatMul: rounding = \"half-even-float\", scale = a_scale·b_scale/y_scale).",
  operands: [
    { name: "a", type: activationTensor },
    { name: "b", type: weightTensor },
  ],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: {
    a_zp: { kind: "ints", default: attr.ints([0]), doc: "Zero point of a: one, or one per row (M)" },
    b_zp: { kind: "ints", default: attr.ints([0]), doc: "Zero point of b: one, or one per column (N)" },
    ...requantAttributes,
  },
  traits: ["Pure"],
  verify: verifyMatmul,
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    const requant = kernelRequant(attrs, out);
    return [
      matmul(inputs[0]!, inputs[1]!, {
        a_zp: numbersAttr(attrs, "a_zp", [0]),
        b_zp: numbersAttr(attrs, "b_zp", [0]),
        requant,
        output_type: requant.output_type,
      }),
    ];
  },
});
