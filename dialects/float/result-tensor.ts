/** Kernel outputs as the op's result tensors. */
import type { Operation } from "../../src/ir/operation.js";
import { roundToF16, type Tensor } from "../../src/interp/tensor.js";
import type { F32Tensor } from "./kernels/f32-tensor.js";

/**
 * Float ops on f16 compute in f32 and store f16 (the interpreter's f16 tensors hold half-precision
 * values in a Float32Array), so an f16 result is rounded once here; f32 results pass through.
 */
export function asResult(t: F32Tensor, op: Operation, index = 0): Tensor {
  const type = op.results[index]?.type;
  if (type?.kind !== "tensor" || type.element.kind !== "float" || type.element.name !== "f16") return t;
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = roundToF16(d[i]!);
  return { dtype: "f16", shape: t.shape, data: d };
}
