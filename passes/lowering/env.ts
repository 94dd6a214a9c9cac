/**
 * What a lowering pattern sees and may do: the float op with the quantized sources of its operands
 * (`Site`), and an environment (`LoweringEnv`) that emits hw ops, folds quantized constants, asks the
 * target and records decisions. Patterns return the hw value that replaces the op; anything they
 * cannot express they refuse (`refuse(reason)`), and the pass turns the refusal into a float island or a
 * legality error — never a silent downgrade.
 */
import { operandTypeOfQuant } from "../../src/target/op-kind.js";
import type { Attribute, DenseAttr, DenseData } from "../../src/ir/attributes.js";
import type { Location } from "../../src/ir/location.js";
import type { Operation, Value } from "../../src/ir/operation.js";
import type { IntegerType, TensorType, Type, UniformQuantType } from "../../src/ir/types.js";
import { integerType } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";
import type { OpKind, OperandType, RequantRounding, Target } from "../../src/target/types.js";
import { f32Scale, refuse, type TieRounding } from "../../src/quant/lowering-params.js";

/** A float op about to be lowered. */
export interface Site {
  readonly op: Operation;
  /** Per operand: the quantized value whose dequantization is exactly the operand, or undefined. */
  readonly inputs: readonly (Value | undefined)[];
  /** The quantized type every use of the result casts to (all uses are `quant.qcast`), or undefined. */
  readonly output: TensorType | undefined;
}

/**
 * A pattern's result. `exact`: the value dequantizes to exactly the float result (data movement), so
 * later casts of the result are requantizations of it. Otherwise the value stands for the result's
 * `quant.qcast`, and the pass rescales it to that cast's type where the two differ.
 */
export interface Lowered {
  readonly value: Value;
  readonly exact: boolean;
}

/** A weight operand: a float constant with the quantized type its `quant.qcast` gives it, or a quantized runtime value. */
export interface WeightSource {
  readonly type: TensorType;
  readonly q: UniformQuantType;
  /** The float constant (quantized by the pattern with the target's rounding), when the weight is one. */
  readonly constant?: Float32Array;
  /** The quantized value itself, when the weight is not a constant. */
  readonly value?: Value;
}

/** A bias operand: the real values, and the quantized type of its `quant.qcast` when it has one (int16x8 leaves it float). */
export interface BiasSource {
  readonly real: Float32Array;
  readonly q?: UniformQuantType;
  /** The quantized constant values under `q` (with the target's rounding), when `q` is given. */
  readonly stored?: Int32Array;
}

export interface LoweringEnv {
  readonly target: Target;
  readonly rounding: RequantRounding;
  /** How QUANTIZE rounds ties on this target (weights, biases, tables, clamp bounds). */
  readonly ties: TieRounding;
  readonly powerOfTwo: boolean;
  /** Appends an op with one result and returns the result. */
  emit(name: string, operands: readonly Value[], attributes: Readonly<Record<string, Attribute>>, resultType: Type, loc: Location): Value;
  /** Appends `hw.const` holding `value` with result type `resultType`. */
  constant(value: DenseAttr, resultType: Type, loc: Location): Value;
  /** Operand `index` as a quantized tensor; refuses when it has no quantized source or breaks the target's activation rules. */
  activation(site: Site, index: number): QTensor;
  /** The result's quantized type (every use casts to it); refuses without one or when it breaks the target's activation rules. */
  output(site: Site): QTensor;
  weight(site: Site, index: number): WeightSource;
  bias(site: Site, index: number): BiasSource | undefined;
  /** Refuses unless the target runs `kind` at these types natively (for helper ops a pattern adds). */
  require(kind: OpKind, activation: OperandType, what: string): void;
  /** `value` requantized to `to` (per-tensor types) with `hw.rescale`; `value` itself when the types are equal. */
  rescale(value: Value, to: TensorType, loc: Location): Value;
  decide(kind: string, op: Operation, message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** A quantized tensor operand with per-tensor parameters. */
export interface QTensor {
  readonly value: Value;
  readonly type: TensorType;
  readonly q: UniformQuantType;
  readonly storage: OperandType;
  /** float32 scale and zero point. */
  readonly scale: number;
  readonly zp: number;
}

export function quantElement(t: Type | undefined): UniformQuantType | undefined {
  return t !== undefined && t.kind === "tensor" && t.element.kind === "quant.uniform" ? t.element : undefined;
}

export function shapeOf(t: Type): readonly number[] | undefined {
  return t.kind === "tensor" && t.shape !== null ? t.shape : undefined;
}

/** A tensor type with `like`'s shape (or `shape`) and element `element`. */
export function tensorLike(like: Type, element: Type, shape?: readonly number[] | null): TensorType {
  const s = shape !== undefined ? shape : like.kind === "tensor" ? like.shape : null;
  return { kind: "tensor", shape: s, element };
}

/** Per-tensor parameters of a quantized tensor type; refuses per-axis types and zero points outside the storage range. */
export function qtensor(value: Value, what: string): QTensor {
  const t = value.type;
  const q = quantElement(t);
  if (!q || t.kind !== "tensor") refuse(`the ${what} is not a quantized tensor (${printType(t)})`);
  if (q.axis !== undefined) refuse(`the ${what} has per-axis quantization (${printType(q)}); hw activations are per-tensor`);
  const storage = operandTypeOfQuant(q);
  if (!storage) refuse(`the ${what} has ${printType(q.storage)} storage, which hw activations do not use`);
  checkZeroPoints(q, what);
  return { value, type: t, q, storage, scale: f32Scale(q.scales[0]!), zp: q.zeroPoints[0]! };
}

/** Refuses a quantized type whose zero point lies outside its own storage range (no hw op can hold it). */
export function checkZeroPoints(q: UniformQuantType, what: string): void {
  const bad = q.zeroPoints.find((z) => !Number.isInteger(z) || z < q.storageMin || z > q.storageMax);
  if (bad !== undefined) refuse(`the ${what} type ${printType(q)} has zero point ${bad} outside its storage range [${q.storageMin}, ${q.storageMax}]`);
}

/** The storage bounds and parameters of a per-tensor output type. */
export function outputParams(t: QTensor | { q: UniformQuantType }): { scale: number; zeroPoint: number; qmin: number; qmax: number } {
  return { scale: t.q.scales[0]!, zeroPoint: t.q.zeroPoints[0]!, qmin: t.q.storageMin, qmax: t.q.storageMax };
}

/** The integer type of a quantized type's storage (`i8`, `ui8`, `i16`), for dense constant values. */
export function storageIntegerType(q: UniformQuantType): IntegerType {
  return integerType(q.storage.width, q.storage.signedness === "unsigned" ? "unsigned" : "signless");
}

/** Typed-array storage for values of a quantized type's storage integer. */
export function storageArray(q: UniformQuantType, values: ArrayLike<number>): DenseData {
  const w = q.storage.width;
  const unsigned = q.storage.signedness === "unsigned";
  if (w === 8) return unsigned ? Uint8Array.from(values) : Int8Array.from(values);
  if (w === 16) return unsigned ? Uint16Array.from(values) : Int16Array.from(values);
  return Int32Array.from(values);
}

/** A dense attribute of integers with the given element type and shape. */
export function denseInts(element: IntegerType, shape: readonly number[], data: DenseData): DenseAttr {
  return { kind: "dense", type: { kind: "tensor", shape, element }, splat: false, data };
}

/** A per-tensor quantized type like `q` with another scale and zero point. */
export function withParams(q: UniformQuantType, scale: number, zeroPoint: number, storage?: { type: IntegerType; min: number; max: number }): UniformQuantType {
  const { axis: _axis, ...rest } = q;
  return {
    ...rest,
    ...(storage ? { storage: storage.type, storageMin: storage.min, storageMax: storage.max } : {}),
    scales: [scale],
    zeroPoints: [zeroPoint],
  };
}

/** The i8 view of a u8 quantized type (ONNX's u8 through int8-only hw ops): same scale, zero point and storage range − 128. */
export function signedView(q: UniformQuantType): UniformQuantType {
  return withParams(q, q.scales[0]!, q.zeroPoints[0]! - 128, { type: integerType(8, "signed"), min: q.storageMin - 128, max: q.storageMax - 128 });
}
