/**
 * MLIR builtin types and the quant dialect's types, as plain immutable objects.
 * Structural equality goes through `typeKey`, the canonical printed form.
 */

export type FloatKind = "f16" | "bf16" | "f32" | "f64";

export interface FloatType {
  readonly kind: "float";
  readonly name: FloatKind;
}

/** `iN` (signless), `siN`, `uiN`. */
export interface IntegerType {
  readonly kind: "int";
  readonly width: number;
  readonly signedness: "signless" | "signed" | "unsigned";
}

export interface IndexType {
  readonly kind: "index";
}

export interface NoneType {
  readonly kind: "none";
}

/** A dynamic dimension (`?`) is stored as -1. `shape === null` means unranked (`tensor<*xf32>`). */
export const DYNAMIC = -1;

export interface TensorType {
  readonly kind: "tensor";
  readonly shape: readonly number[] | null;
  readonly element: Type;
  /** Optional encoding attribute, kept as text (`tensor<4xf32, #enc>`). */
  readonly encoding?: string;
}

export interface VectorType {
  readonly kind: "vector";
  readonly shape: readonly number[];
  readonly scalable?: readonly boolean[];
  readonly element: Type;
}

export interface FunctionType {
  readonly kind: "function";
  readonly inputs: readonly Type[];
  readonly results: readonly Type[];
}

export interface TupleType {
  readonly kind: "tuple";
  readonly types: readonly Type[];
}

/**
 * `!quant.uniform<storage<min:max>:expressed[:axis], scale:zp | {s:zp, ...}>`.
 * Per-tensor when `axis` is undefined (exactly one scale and zero point).
 */
export interface UniformQuantType {
  readonly kind: "quant.uniform";
  readonly storage: IntegerType;
  readonly storageMin: number;
  readonly storageMax: number;
  readonly expressed: FloatType;
  readonly axis?: number;
  readonly scales: readonly number[];
  readonly zeroPoints: readonly number[];
}

/** `!quant.any<storage<min:max>:expressed>`; the expressed type is optional. */
export interface AnyQuantType {
  readonly kind: "quant.any";
  readonly storage: IntegerType;
  readonly storageMin: number;
  readonly storageMax: number;
  readonly expressed?: FloatType;
}

/** `!quant.calibrated<f32<-1.0:1.0>>`. */
export interface CalibratedQuantType {
  readonly kind: "quant.calibrated";
  readonly expressed: FloatType;
  readonly min: number;
  readonly max: number;
}

/** A type qopt does not model (`!dialect.name<body>`, `memref<...>`), kept as its verbatim text. */
export interface OpaqueType {
  readonly kind: "opaque";
  readonly text: string;
}

export type QuantType = UniformQuantType | AnyQuantType | CalibratedQuantType;

export type Type =
  | FloatType
  | IntegerType
  | IndexType
  | NoneType
  | TensorType
  | VectorType
  | FunctionType
  | TupleType
  | QuantType
  | OpaqueType;

const floatTypes: Record<FloatKind, FloatType> = {
  f16: Object.freeze({ kind: "float", name: "f16" }),
  bf16: Object.freeze({ kind: "float", name: "bf16" }),
  f32: Object.freeze({ kind: "float", name: "f32" }),
  f64: Object.freeze({ kind: "float", name: "f64" }),
};

export function floatType(name: FloatKind): FloatType {
  return floatTypes[name];
}

const integerTypeCache = new Map<string, IntegerType>();

export function integerType(width: number, signedness: IntegerType["signedness"] = "signless"): IntegerType {
  const key = `${signedness}${width}`;
  let t = integerTypeCache.get(key);
  if (t === undefined) {
    t = Object.freeze({ kind: "int", width, signedness });
    integerTypeCache.set(key, t);
  }
  return t;
}

export const f16 = floatType("f16");
export const f32 = floatType("f32");
export const f64 = floatType("f64");
export const i1 = integerType(1);
export const i8 = integerType(8);
export const i16 = integerType(16);
export const i32 = integerType(32);
export const i64 = integerType(64);
export const indexType: IndexType = Object.freeze({ kind: "index" });
export const noneType: NoneType = Object.freeze({ kind: "none" });

export function tensorType(shape: readonly number[] | null, element: Type): TensorType {
  return { kind: "tensor", shape, element };
}

export function functionType(inputs: readonly Type[], results: readonly Type[]): FunctionType {
  return { kind: "function", inputs, results };
}

/** Inclusive range a storage integer type can hold. */
export function integerTypeRange(t: IntegerType): { min: number; max: number } {
  if (t.width === 1) return { min: 0, max: 1 };
  if (t.signedness === "unsigned") return { min: 0, max: 2 ** t.width - 1 };
  return { min: -(2 ** (t.width - 1)), max: 2 ** (t.width - 1) - 1 };
}

export function uniformQuantType(params: {
  storage: IntegerType;
  expressed: FloatType;
  scales: readonly number[];
  zeroPoints: readonly number[];
  axis?: number;
  storageMin?: number;
  storageMax?: number;
}): UniformQuantType {
  const range = integerTypeRange(params.storage);
  const t: UniformQuantType = {
    kind: "quant.uniform",
    storage: params.storage,
    storageMin: params.storageMin ?? range.min,
    storageMax: params.storageMax ?? range.max,
    expressed: params.expressed,
    scales: params.scales,
    zeroPoints: params.zeroPoints,
    ...(params.axis !== undefined ? { axis: params.axis } : {}),
  };
  return t;
}

export function isTensor(t: Type): t is TensorType {
  return t.kind === "tensor";
}

export function isFloat(t: Type): t is FloatType {
  return t.kind === "float";
}

export function isInteger(t: Type): t is IntegerType {
  return t.kind === "int";
}

export function isQuant(t: Type): t is QuantType {
  return t.kind === "quant.uniform" || t.kind === "quant.any" || t.kind === "quant.calibrated";
}

/** The element type of a shaped type, or the type itself for scalars. */
export function elementType(t: Type): Type {
  return t.kind === "tensor" || t.kind === "vector" ? t.element : t;
}

/** A tensor type with the same shape and another element type; scalars map to the element. */
export function withElementType(t: Type, element: Type): Type {
  if (t.kind === "tensor") return { ...t, element };
  if (t.kind === "vector") return { ...t, element };
  return element;
}

export function isStaticShape(t: TensorType): boolean {
  return t.shape !== null && t.shape.every((d) => d >= 0);
}

/** Structural type equality without printing (hot in the verifier and parser). */
export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "float":
      return a.name === (b as FloatType).name;
    case "int":
      return a.width === (b as IntegerType).width && a.signedness === (b as IntegerType).signedness;
    case "index":
    case "none":
      return true;
    case "tensor": {
      const t = b as TensorType;
      return a.encoding === t.encoding && shapeEquals(a.shape, t.shape) && typeEquals(a.element, t.element);
    }
    case "vector": {
      const t = b as VectorType;
      return shapeEquals(a.shape, t.shape) && typeEquals(a.element, t.element);
    }
    case "function": {
      const t = b as FunctionType;
      return listEquals(a.inputs, t.inputs) && listEquals(a.results, t.results);
    }
    case "tuple":
      return listEquals(a.types, (b as TupleType).types);
    case "quant.uniform": {
      const t = b as UniformQuantType;
      return (
        a.storage === t.storage &&
        a.storageMin === t.storageMin &&
        a.storageMax === t.storageMax &&
        a.expressed === t.expressed &&
        a.axis === t.axis &&
        numbersEqual(a.scales, t.scales) &&
        numbersEqual(a.zeroPoints, t.zeroPoints)
      );
    }
    case "quant.any": {
      const t = b as AnyQuantType;
      return a.storage === t.storage && a.storageMin === t.storageMin && a.storageMax === t.storageMax && a.expressed === t.expressed;
    }
    case "quant.calibrated": {
      const t = b as CalibratedQuantType;
      return a.expressed === t.expressed && Object.is(a.min, t.min) && Object.is(a.max, t.max);
    }
    case "opaque":
      return a.text === (b as OpaqueType).text;
  }
}

function shapeEquals(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function numbersEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function listEquals(a: readonly Type[], b: readonly Type[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!typeEquals(a[i]!, b[i]!)) return false;
  return true;
}
