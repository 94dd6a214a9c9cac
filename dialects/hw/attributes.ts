/**
 * Attribute reading for hw ops: declared defaults applied once (each default is written only in the
 * op's `attributes`), and checked readers that return an error message instead of a wrong value.
 */
import type { Attribute, AttrDict } from "../../src/ir/attributes.js";
import { getAttribute, numbersAttr, withDefaults, attributesWithDefaults } from "../../src/ir/attr-access.js";

export { withDefaults };
/** The op's attributes with its definition's declared defaults filled in where absent. */
export const attributesOf = attributesWithDefaults;

export function has(attrs: AttrDict, name: string): boolean {
  return getAttribute(attrs, name) !== undefined;
}

/** An integer-array attribute checked for count (undefined = any) and a minimum. */
export function checkedInts(attrs: AttrDict, name: string, count: number | undefined, min = -Infinity): number[] | string {
  const values = numbersAttr(attrs, name);
  if (values === undefined) return `requires attribute '${name}'`;
  if (count !== undefined && values.length !== count) return `'${name}' must have ${count} values, got [${values.join(", ")}]`;
  if (values.some((v) => !Number.isInteger(v) || v < min)) {
    return `'${name}' values must be integers${min > -Infinity ? ` ≥ ${min}` : ""}, got [${values.join(", ")}]`;
  }
  return [...values];
}

/** A pair attribute (`[y, x]`): two integers ≥ `min`. */
export function checkedPair(attrs: AttrDict, name: string, min: number): [number, number] | string {
  const v = checkedInts(attrs, name, 2, min);
  return typeof v === "string" ? v : [v[0]!, v[1]!];
}

/** `padding = [top, left, bottom, right]`, each ≥ 0. */
export function checkedPadding(attrs: AttrDict): [number, number, number, number] | string {
  const v = checkedInts(attrs, "padding", 4, 0);
  return typeof v === "string" ? v : [v[0]!, v[1]!, v[2]!, v[3]!];
}

/**
 * The kernels' window padding is `[top, bottom, left, right]` (TOSA order); hw ops carry the float
 * dialect's `[top, left, bottom, right]`. The one conversion between the two.
 */
export function kernelPad(padding: readonly [number, number, number, number]): [number, number, number, number] {
  const [top, left, bottom, right] = padding;
  return [top, bottom, left, right];
}

/** Unwraps a checked reader's result inside a kernel: a verified op never fails here. */
export function orThrow<T>(value: T | string, opName: string): T {
  if (typeof value === "string") throw new RangeError(`${opName}: ${value}`);
  return value;
}
