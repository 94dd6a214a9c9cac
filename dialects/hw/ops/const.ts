/**
 * `hw.const`: an integer constant (weights, biases, tables as operands). `value` is an integer dense
 * attribute; the result is that tensor type, or the same shape with a `!quant.uniform` element whose
 * storage has the value's width and signedness (MLIR's dense attributes cannot hold quantized
 * elements, so the value carries the storage integers). The hw constant materializer makes these.
 */
import { attrDict } from "../../../src/ir/attributes.js";
import type { DenseAttr } from "../../../src/ir/attributes.js";
import { denseAttr } from "../../../src/ir/attr-access.js";
import { defineOp, registerConstantMaterializer } from "../../../src/ir/opdef.js";
import { makeOperation } from "../../../src/ir/operation.js";
import type { Type } from "../../../src/ir/types.js";
import { denseToTensor, dtypeOf } from "../../../src/interp/dense-tensor.js";
import { checkShape, shapeOf, storageOf, storageTensor, typeText } from "../constraints.js";

const constTensor = storageTensor(["i8", "u8", "i16", "u16", "i32", "i64"]);

/** Why `value` cannot be the value of a constant of `type`, or undefined when it can. */
function constMismatch(value: DenseAttr, type: Type): string | undefined {
  const v = storageOf(value.type);
  const r = storageOf(type);
  if (!v || v.quant) return `'value' must be an integer dense attribute, got ${typeText(value.type)}`;
  if (!r) return undefined; // reported by the result constraint
  const shapeError = checkShape("value", value.type.shape ?? undefined, shapeOf(type) ?? value.type.shape ?? []);
  if (shapeError) return `${shapeError} of the result type ${typeText(type)}`;
  if (r.kind !== v.kind) return `value storage ${v.kind} does not match the result storage ${r.kind} of ${typeText(type)}`;
  if (r.quant && !(value.data instanceof BigInt64Array)) {
    const data = value.data;
    for (let i = 0; i < data.length; i++) {
      const x = data[i] as number;
      if (x < r.min || x > r.max) return `value element ${x} is outside the storage range [${r.min}, ${r.max}] of ${typeText(r.quant)}`;
    }
  }
  return undefined;
}

export const constOp = defineOp({
  name: "hw.const",
  summary: "An integer constant (plain or quantized storage)",
  operands: [],
  results: [{ name: "result", type: constTensor }],
  attributes: { value: { kind: "dense", doc: "Integer dense elements; the result's storage integers" } },
  traits: ["Pure", "ConstantLike"],
  verify(op, ctx) {
    const v = denseAttr(op, "value");
    const t = op.results[0]?.type;
    if (!v || !t) return;
    const e = constMismatch(v, t);
    if (e) ctx.error(e);
  },
  kernel(_inputs, op) {
    const t = denseToTensor(denseAttr(op, "value")!);
    return [{ dtype: dtypeOf(op.results[0]!.type), shape: t.shape, data: t.data }];
  },
});

registerConstantMaterializer("hw", (value, type, loc) => {
  if (value.kind !== "dense" || constMismatch(value, type) !== undefined || !constTensor.accepts(type)) return undefined;
  return makeOperation({ name: "hw.const", attributes: attrDict([["value", value]]), resultTypes: [type], loc });
});
