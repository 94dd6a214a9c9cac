/** Constant folding for float ops: evaluate on dense constants when every operand is one. */
import type { Attribute, DenseAttr } from "../../src/ir/attributes.js";
import type { FoldContext } from "../../src/ir/opdef.js";
import type { Operation } from "../../src/ir/operation.js";
import { getOpDef } from "../../src/ir/opdef.js";
import { denseToTensor } from "../../src/interp/dense-tensor.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { printType } from "../../src/syntax/printer.js";

/** Folds `op` by running its own kernel on constant operands (results must have static shapes). */
export function foldWithKernel(op: Operation, ctx: FoldContext): readonly Attribute[] | undefined {
  if (ctx.constants.some((c) => c === undefined || c.kind !== "dense")) return undefined;
  const def = getOpDef(op.name);
  if (!def?.kernel) return undefined;
  for (const r of op.results) {
    if (r.type.kind !== "tensor" || r.type.shape === null || r.type.shape.some((d) => d < 0)) return undefined;
    if (r.type.element.kind !== "float" || r.type.element.name !== "f32") return undefined;
  }
  const inputs: Tensor[] = ctx.constants.map((c) => denseToTensor(c as DenseAttr));
  const outputs = def.kernel(inputs, op, { options: {} });
  return outputs.map((t, i) => {
    const type = op.results[i]!.type;
    if (type.kind !== "tensor") throw new Error("unreachable");
    if (t.data.length !== (type.shape ?? []).reduce((a, b) => a * b, 1)) throw new Error(`fold of ${op.name} produced a shape that is not ${printType(type)}`);
    return { kind: "dense", type, splat: false, data: t.data as Float32Array } as Attribute;
  });
}

