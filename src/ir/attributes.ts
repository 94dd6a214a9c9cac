/**
 * MLIR builtin attributes as plain immutable objects. Dense tensor data lives in typed arrays.
 */
import type { Type, TensorType, VectorType } from "./types.js";

export interface IntegerAttr {
  readonly kind: "int";
  /** A number while it is a safe integer, a bigint beyond (i64 extremes). */
  readonly value: number | bigint;
  readonly type: Type;
}

export interface FloatAttr {
  readonly kind: "float";
  readonly value: number;
  readonly type: Type;
}

export interface BoolAttr {
  readonly kind: "bool";
  readonly value: boolean;
}

export interface StringAttr {
  readonly kind: "string";
  readonly value: string;
  /** `"abc" : i32` carries a type; almost always absent. */
  readonly type?: Type;
}

export interface UnitAttr {
  readonly kind: "unit";
}

export interface ArrayAttr {
  readonly kind: "array";
  readonly elements: readonly Attribute[];
}

export interface DictAttr {
  readonly kind: "dict";
  readonly entries: AttrDict;
}

/**
 * Element storage of `dense<...>`: f16/bf16/f32 values in a Float32Array (each rounded to its type),
 * f64 in Float64Array, i1 as 0/1 in Uint8Array, 8/16/32-bit integers in the typed array of their signedness
 * (signless treated as signed), 64-bit integers in a BigInt64Array.
 */
export type DenseData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array;

export interface DenseAttr {
  readonly kind: "dense";
  readonly type: TensorType | VectorType;
  /** A splat holds exactly one element that fills the whole shape. */
  readonly splat: boolean;
  readonly data: DenseData;
}

/** `array<i64: 1, 2>` (MLIR DenseArrayAttr). */
export interface DenseArrayAttr {
  readonly kind: "dense_array";
  readonly element: Type;
  readonly values: readonly number[];
}

export interface TypeAttr {
  readonly kind: "type";
  readonly type: Type;
}

/** `@a` or nested `@a::@b`. */
export interface SymbolRefAttr {
  readonly kind: "symbol";
  readonly path: readonly string[];
}

/** An attribute qopt does not model (`#dialect.x<...>`, `affine_map<...>`), kept verbatim. */
export interface OpaqueAttr {
  readonly kind: "opaque";
  readonly text: string;
}

export type Attribute =
  | IntegerAttr
  | FloatAttr
  | BoolAttr
  | StringAttr
  | UnitAttr
  | ArrayAttr
  | DictAttr
  | DenseAttr
  | DenseArrayAttr
  | TypeAttr
  | SymbolRefAttr
  | OpaqueAttr;

/** Named attributes. MLIR keeps dictionaries sorted by name; the printer sorts, so order here is free. */
export type AttrDict = Readonly<Record<string, Attribute>>;

export const emptyAttrs: AttrDict = Object.freeze({});

/**
 * A fresh dictionary. Plain objects keep V8's fast property access; `setAttr` stores `__proto__` as an
 * ordinary key, and readers use own-property checks (`Object.hasOwn`, `Object.keys`).
 */
export function attrDict(entries?: Iterable<readonly [string, Attribute]>): Record<string, Attribute> {
  const d: Record<string, Attribute> = {};
  if (entries) for (const [k, v] of entries) setAttr(d, k, v);
  return d;
}

export function setAttr(d: Record<string, Attribute>, name: string, value: Attribute): void {
  if (name === "__proto__") Object.defineProperty(d, name, { value, enumerable: true, writable: true, configurable: true });
  else d[name] = value;
}

/** The attribute stored under `name` as an own property (never an inherited one such as `toString`). */
export function ownAttr(d: AttrDict, name: string): Attribute | undefined {
  return Object.hasOwn(d, name) ? d[name] : undefined;
}

export const unitAttr: UnitAttr = Object.freeze({ kind: "unit" });
