/**
 * float.cast: between f32 and f16 tensors (ONNX Cast, MLIR arith.extf / arith.truncf). Narrowing rounds
 * to the nearest f16, ties to even; widening is exact. It is how f16 compute is written: a float16
 * program or a float island on a target whose float fallback is f16 casts in, computes in f16 and casts
 * back out.
 */
import { defineOp } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import type { Tensor } from "../../../src/interp/tensor.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { floatTensor } from "../constraints.js";
import { asResult } from "../result-tensor.js";

export const castOp = defineOp({
  name: "float.cast",
  summary: "Convert a float tensor to another float type (f32 ↔ f16)",
  description: "Same shape; the result type says the target type. To f16: rounded to nearest, ties to even (overflow → ±inf). To f32: exact.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify(op, ctx) {
    const a = op.operands[0]?.type;
    const b = op.results[0]?.type;
    if (a?.kind !== "tensor" || b?.kind !== "tensor" || a.shape === null || b.shape === null) return;
    if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d >= 0 && b.shape![i]! >= 0 && d !== b.shape![i])) ctx.error(`operand and result shapes differ`);
  },
  kernel: (inputs: readonly Tensor[], op: Operation) => {
    const x = asF32(inputs[0]!, "input");
    return [asResult({ dtype: "f32", shape: x.shape, data: Float32Array.from(x.data) }, op)];
  },
});
