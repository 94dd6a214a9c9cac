/** Type constraints and shape helpers shared by the float dialect's op definitions. */
import type { TypeConstraint } from "../../src/ir/opdef.js";
import type { Type, TensorType } from "../../src/ir/types.js";
import { DYNAMIC } from "../../src/ir/types.js";

export const floatTensor: TypeConstraint = {
  description: "a tensor of f16 or f32 values",
  accepts: (t) => t.kind === "tensor" && t.element.kind === "float" && (t.element.name === "f32" || t.element.name === "f16"),
};

export const anyTensor: TypeConstraint = {
  description: "a tensor",
  accepts: (t) => t.kind === "tensor",
};

export function rankedShape(t: Type): readonly number[] | undefined {
  return t.kind === "tensor" && t.shape !== null ? t.shape : undefined;
}

export function tensorOf(shape: readonly number[] | null, like: Type): TensorType {
  const element = like.kind === "tensor" ? like.element : like;
  return { kind: "tensor", shape, element };
}

/** numpy broadcasting over static and dynamic (-1) dims; a string is an error message. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | string {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === y) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === DYNAMIC || y === DYNAMIC) out.push(x === DYNAMIC ? y : x);
    else return `operands of shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`;
  }
  return out;
}
