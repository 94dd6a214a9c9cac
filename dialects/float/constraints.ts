/** Type constraints and shape helpers shared by the float dialect's op definitions. */
import type { TypeConstraint } from "../../src/ir/opdef.js";
import type { AttrDict } from "../../src/ir/attributes.js";
import { numbersAttr } from "../../src/ir/attr-access.js";
import type { Type, TensorType } from "../../src/ir/types.js";
import { DYNAMIC, elementType } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";

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

/** The printed form of a type, for messages. */
export function typeText(t: Type): string {
  return printType(t);
}

/**
 * The shape of an operand that must have rank `rank` (an unranked tensor counts as all-dynamic), or an
 * error naming the operand and the expected layout.
 */
export function shapeOfRank(t: Type, rank: number, what: string, layout: string): readonly number[] | string {
  if (t.kind !== "tensor") return `${what} must be a tensor, got ${typeText(t)}`;
  if (t.shape === null) return new Array<number>(rank).fill(DYNAMIC);
  if (t.shape.length !== rank) return `${what} must be a rank-${rank} ${layout} tensor, got ${typeText(t)}`;
  return t.shape;
}

/** `axis` (negative counts from the end) resolved against `rank`, or an error. */
export function resolveAxis(axis: number, rank: number, what = "axis", allowRank = false): number | string {
  const hi = allowRank ? rank : rank - 1;
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a > hi) return `${what} ${axis} is out of range for rank ${rank} (expected ${-rank} to ${hi})`;
  return a;
}

/** Product of dims; dynamic (-1) if any dim is dynamic. */
export function dimProduct(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) {
    if (d < 0) return DYNAMIC;
    p *= d;
  }
  return p;
}

/** True when both dims are static and differ (a dynamic dim agrees with anything). */
export function dimsConflict(a: number, b: number): boolean {
  return a >= 0 && b >= 0 && a !== b;
}

/** The static one of two agreeing dims, else dynamic. */
export function mergeDims(a: number, b: number): number {
  return a >= 0 ? a : b;
}

/** Shape text for messages, `?` for dynamic dims. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`;
}

/** Every named operand has the first one's element type, or an error naming the first that differs. */
export function sameElementType(types: readonly (Type | undefined)[], names: readonly string[]): string | undefined {
  const first = types[0];
  if (!first) return undefined;
  const want = elementType(first);
  for (let i = 1; i < types.length; i++) {
    const t = types[i];
    if (t && typeText(elementType(t)) !== typeText(want)) {
      return `operand '${names[i]}' has element type ${typeText(elementType(t))}, but '${names[0]}' has ${typeText(want)}`;
    }
  }
  return undefined;
}

/** The integer-array attribute `name` (`[a, b]` or `array<i64: a, b>`), checked for count and minimum. */
export function checkedIntsAttr(attrs: AttrDict, name: string, count: number | undefined, min: number): number[] | string {
  const values = numbersAttr(attrs, name);
  if (values === undefined) return `requires attribute '${name}'`;
  if (count !== undefined && values.length !== count) return `'${name}' must have ${count} values, got [${values.join(", ")}]`;
  if (values.some((v) => !Number.isInteger(v) || v < min)) return `'${name}' values must be integers ≥ ${min}, got [${values.join(", ")}]`;
  return [...values];
}
