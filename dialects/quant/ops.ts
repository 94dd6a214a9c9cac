/**
 * The `quant` dialect surface of MLIR: `quant.qcast` (float → quantized), `quant.dcast` (quantized →
 * float) and `quant.scast` (quantized ↔ its storage integer), on `!quant.uniform` per-tensor and
 * per-axis types. Semantics follow MLIR's lowering of these ops: `q = clamp(roundeven(x / scale) + zp)`
 * and `x = (q - zp) * scale` in the expressed type.
 */
import { defineOp, registerDialect, type TypeConstraint } from "../../src/ir/opdef.js";
import type { Operation } from "../../src/ir/operation.js";
import type { Type, UniformQuantType } from "../../src/ir/types.js";
import { elementType } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";
import { quantizeTensor, dequantizeTensor, storageDType } from "./quantize-tensor.js";
import type { Tensor } from "../../src/interp/tensor.js";

registerDialect("quant");

const floatLike: TypeConstraint = {
  description: "a float scalar or tensor of floats",
  accepts: (t) => elementType(t).kind === "float",
};
const quantLike: TypeConstraint = {
  description: "a !quant.uniform scalar or tensor",
  accepts: (t) => elementType(t).kind === "quant.uniform",
};
const storageLike: TypeConstraint = {
  description: "an integer scalar or tensor of integers",
  accepts: (t) => elementType(t).kind === "int",
};

function sameShape(a: Type, b: Type): boolean {
  if (a.kind !== "tensor" || b.kind !== "tensor") return a.kind === b.kind;
  if (a.shape === null || b.shape === null) return a.shape === b.shape;
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape![i]);
}

/** Operand and result have the same shape, and per-axis types' axis exists with one scale per slice. */
function verifyCast(op: Operation, ctx: { error(m: string): void }, floatSide: "operand" | "result"): void {
  const input = op.operands[0]?.type;
  const output = op.results[0]?.type;
  if (!input || !output) return;
  if (!sameShape(input, output)) ctx.error(`input and result shapes differ: ${printType(input)} vs ${printType(output)}`);
  const quantType = (floatSide === "operand" ? output : input) as Type;
  const floatSideType = floatSide === "operand" ? input : output;
  const q = elementType(quantType);
  if (q.kind !== "quant.uniform") return;
  const f = elementType(floatSideType);
  if (f.kind === "float" && f.name !== q.expressed.name) {
    ctx.error(`expressed type ${q.expressed.name} of ${printType(q)} does not match the float type ${f.name}`);
  }
  verifyAxis(q, quantType, ctx);
}

export function verifyAxis(q: UniformQuantType, container: Type, ctx: { error(m: string): void }): void {
  if (q.axis === undefined) return;
  if (container.kind !== "tensor" || container.shape === null) {
    ctx.error(`per-axis quantization needs a ranked tensor`);
    return;
  }
  if (q.axis >= container.shape.length) {
    ctx.error(`quantized dimension ${q.axis} must be less than the tensor rank ${container.shape.length}`);
    return;
  }
  const dim = container.shape[q.axis]!;
  if (dim >= 0 && dim !== q.scales.length) ctx.error(`quantized dimension size ${dim} does not match the number of scales (${q.scales.length})`);
}

function quantOf(t: Type): UniformQuantType {
  return elementType(t) as UniformQuantType;
}

export const qcastOp = defineOp({
  name: "quant.qcast",
  summary: "Quantize: float values to a !quant.uniform type",
  description: "q = clamp(roundeven(x / scale) + zero_point, storage_min, storage_max), per tensor or per axis.",
  operands: [{ name: "input", type: floatLike }],
  results: [{ name: "result", type: quantLike }],
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify: (op, ctx) => verifyCast(op, ctx, "operand"),
  kernel: (inputs: readonly Tensor[], op: Operation) => [quantizeTensor(inputs[0]!, quantOf(op.results[0]!.type), "half-even")],
});

export const dcastOp = defineOp({
  name: "quant.dcast",
  summary: "Dequantize: a !quant.uniform type to its float expressed type",
  description: "x = (q - zero_point) * scale, per tensor or per axis.",
  operands: [{ name: "input", type: quantLike }],
  results: [{ name: "result", type: floatLike }],
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify: (op, ctx) => verifyCast(op, ctx, "result"),
  kernel: (inputs: readonly Tensor[], op: Operation) => {
    const out = elementType(op.results[0]!.type);
    return [dequantizeTensor(inputs[0]!, quantOf(op.operands[0]!.type), out.kind === "float" && out.name === "f16" ? "f16" : "f32")];
  },
});

export const scastOp = defineOp({
  name: "quant.scast",
  summary: "Storage cast: between a !quant.uniform type and its storage integer type (bits unchanged)",
  operands: [{ name: "input", type: { description: "a quantized or integer scalar or tensor", accepts: (t) => quantLike.accepts(t) || storageLike.accepts(t) } }],
  results: [{ name: "result", type: { description: "a quantized or integer scalar or tensor", accepts: (t) => quantLike.accepts(t) || storageLike.accepts(t) } }],
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify(op, ctx) {
    const a = op.operands[0]?.type;
    const b = op.results[0]?.type;
    if (!a || !b) return;
    if (!sameShape(a, b)) ctx.error(`input and result shapes differ`);
    const ea = elementType(a);
    const eb = elementType(b);
    const q = ea.kind === "quant.uniform" ? ea : eb.kind === "quant.uniform" ? eb : undefined;
    const i = ea.kind === "int" ? ea : eb.kind === "int" ? eb : undefined;
    if (!q || !i) {
      ctx.error(`expects one quantized and one integer type`);
      return;
    }
    if (i.width !== q.storage.width) ctx.error(`storage type i${q.storage.width} of ${printType(q)} does not match ${printType(i)}`);
  },
  kernel: (inputs: readonly Tensor[], op: Operation) => {
    const result = elementType(op.results[0]!.type);
    const input = inputs[0]!;
    const dtype = result.kind === "quant.uniform" ? storageDType(result) : input.dtype;
    return [{ dtype, shape: input.shape, data: input.data }];
  },
});
