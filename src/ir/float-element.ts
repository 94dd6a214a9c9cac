/**
 * Float tensor types at another float precision: how f16 compute is written (float islands on targets
 * whose fallback is f16, and the integer QDQ interpretation of them).
 */
import type { FloatKind, Type } from "./types.js";
import { floatType } from "./types.js";
import { makeOperation, type Operation, type Value } from "./operation.js";

/** True for a tensor of f32. */
export function isF32Tensor(t: Type): boolean {
  return t.kind === "tensor" && t.element.kind === "float" && t.element.name === "f32";
}

/** `t` with a float element replaced by `name`; other types unchanged. */
export function withFloatElement(t: Type, name: FloatKind): Type {
  return t.kind === "tensor" && t.element.kind === "float" ? { ...t, element: floatType(name) } : t;
}

/** An op can run in f16 when it computes on f32 tensors: every result is one (operands are cast). */
export function runsInF16(resultTypes: readonly Type[]): boolean {
  return resultTypes.length > 0 && resultTypes.every(isF32Tensor);
}

/** `op` computing in f16: the same op on `operands` (its f16 inputs), its float results typed f16. */
export function inHalfPrecision(op: Operation, operands: readonly Value[]): Operation {
  return makeOperation({ name: op.name, operands, attributes: op.attributes, properties: op.properties, resultTypes: op.results.map((r) => withFloatElement(r.type, "f16")), loc: op.loc });
}
