/** Typed readers of op attributes, for verifiers, type inference and kernels. */
import type { Attribute, AttrDict, DenseAttr } from "./attributes.js";
import { attrDict, ownAttr } from "./attributes.js";
import type { AttrSpec } from "./opdef.js";
import { getOpDef } from "./opdef.js";
import type { Operation } from "./operation.js";

/** Properties and discardable attributes of an op as one dictionary (properties win). */
export function attrsOf(op: Operation): AttrDict {
  return op.properties ? { ...op.attributes, ...op.properties } : op.attributes;
}

type Source = AttrDict | Operation;

function get(src: Source, name: string): Attribute | undefined {
  if ("name" in src && "operands" in src && typeof (src as Operation).name === "string" && Array.isArray((src as Operation).operands)) {
    const op = src as Operation;
    return (op.properties && ownAttr(op.properties, name)) ?? ownAttr(op.attributes, name);
  }
  return ownAttr(src as AttrDict, name);
}

function numberOf(a: Attribute): number | undefined {
  if (a.kind === "int") return Number(a.value);
  if (a.kind === "float") return a.value;
  if (a.kind === "bool") return a.value ? 1 : 0;
  return undefined;
}

export function intAttr(src: Source, name: string, fallback: number): number;
export function intAttr(src: Source, name: string): number | undefined;
export function intAttr(src: Source, name: string, fallback?: number): number | undefined {
  const a = get(src, name);
  return a ? numberOf(a) ?? fallback : fallback;
}

export function floatAttr(src: Source, name: string, fallback: number): number;
export function floatAttr(src: Source, name: string): number | undefined;
export function floatAttr(src: Source, name: string, fallback?: number): number | undefined {
  const a = get(src, name);
  return a ? numberOf(a) ?? fallback : fallback;
}

export function boolAttr(src: Source, name: string, fallback = false): boolean {
  const a = get(src, name);
  if (!a) return fallback;
  if (a.kind === "bool") return a.value;
  if (a.kind === "unit") return true;
  return numberOf(a) !== 0;
}

export function stringAttr(src: Source, name: string, fallback: string): string;
export function stringAttr(src: Source, name: string): string | undefined;
export function stringAttr(src: Source, name: string, fallback?: string): string | undefined {
  const a = get(src, name);
  return a && a.kind === "string" ? a.value : fallback;
}

/** `[1, 2]` or `array<i64: 1, 2>` as numbers. */
export function numbersAttr(src: Source, name: string, fallback: readonly number[]): readonly number[];
export function numbersAttr(src: Source, name: string): readonly number[] | undefined;
export function numbersAttr(src: Source, name: string, fallback?: readonly number[]): readonly number[] | undefined {
  const a = get(src, name);
  if (!a) return fallback;
  if (a.kind === "dense_array") return a.values;
  if (a.kind === "array") return a.elements.map((e) => numberOf(e) ?? NaN);
  if (a.kind === "dense") return Array.from(a.data as ArrayLike<number>, Number);
  return fallback;
}

export function denseAttr(src: Source, name: string): DenseAttr | undefined {
  const a = get(src, name);
  return a && a.kind === "dense" ? a : undefined;
}

export function getAttribute(src: Source, name: string): Attribute | undefined {
  return get(src, name);
}

/** Attribute constructors for code that builds ops. */
export const attr = {
  int: (value: number, width = 64): Attribute => ({ kind: "int", value, type: { kind: "int", width, signedness: "signless" } }),
  f32: (value: number): Attribute => ({ kind: "float", value: Math.fround(value), type: { kind: "float", name: "f32" } }),
  f64: (value: number): Attribute => ({ kind: "float", value, type: { kind: "float", name: "f64" } }),
  bool: (value: boolean): Attribute => ({ kind: "bool", value }),
  str: (value: string): Attribute => ({ kind: "string", value }),
  ints: (values: readonly number[]): Attribute => ({ kind: "array", elements: values.map((v) => attr.int(v)) }),
  f64s: (values: readonly number[]): Attribute => ({ kind: "array", elements: values.map((v) => attr.f64(v)) }),
};

/** `attrs` with every absent attribute that declares a default set to that default. */
export function withDefaults(attrs: AttrDict, specs: Readonly<Record<string, AttrSpec>>): AttrDict {
  let out: Record<string, Attribute> | undefined;
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default === undefined || ownAttr(attrs, name) !== undefined) continue;
    out ??= attrDict(Object.entries(attrs));
    out[name] = spec.default;
  }
  return out ?? attrs;
}

/** The op's attributes (properties and discardable) with its definition's declared defaults filled in. */
export function attributesWithDefaults(op: Operation): AttrDict {
  return withDefaults(attrsOf(op), getOpDef(op.name)?.attributes ?? {});
}
