/**
 * The one declaration of an op (MLIR's ODS, in TypeScript): operands, results, attributes, traits,
 * verifier, result-type inference, fold and interpreter kernel. The parser, printer, verifier, passes,
 * interpreter and docs all read this definition; nothing else hard-codes an op's arity or attribute names.
 */
import type { Attribute, AttrDict } from "./attributes.js";
import type { Operation } from "./operation.js";
import { getAttr } from "./operation.js";
import type { Type } from "./types.js";
import type { Tensor } from "../interp/tensor.js";

/** Traits let passes ask questions ("same scale in and out?") instead of testing op names. */
export type Trait =
  | "Pure"
  | "Commutative"
  | "Elementwise"
  | "ConstantLike"
  | "Terminator"
  | "ReturnLike"
  | "IsolatedFromAbove"
  | "Symbol"
  | "SymbolTable"
  | "SameOperandsAndResultShape"
  | "SameOperandsAndResultElementType"
  /** Quantized operands and result share one scale and zero point (reshape, transpose, max_pool, concat, pad). */
  | "SameOperandsAndResultScale"
  /** The result's range is fixed by the op (sigmoid, tanh, softmax); see `fixedOutputRange`. */
  | "FixedOutputRange"
  /** Tightens the range of its input (relu, relu6, clamp). */
  | "RangeClamp"
  /** Conv/matmul-like ops whose second operand is a weight and third an optional bias. */
  | "WeightedOp";

export interface TypeConstraint {
  /** Human-readable description used in verifier messages, e.g. "tensor of f32 values". */
  readonly description: string;
  readonly accepts: (t: Type) => boolean;
}

export interface OperandSpec {
  readonly name: string;
  readonly type?: TypeConstraint;
  /** `variadic` takes any number (zero or more); `optional` zero or one. At most one per op may be non-single. */
  readonly arity?: "single" | "optional" | "variadic";
  readonly doc?: string;
}

export type ResultSpec = OperandSpec;

export type AttrKind =
  | "int"
  | "float"
  | "number"
  | "bool"
  | "string"
  | "unit"
  | "ints"
  | "floats"
  | "dense"
  | "type"
  | "symbol"
  | "dict"
  | "array"
  | "any";

export interface AttrSpec {
  readonly kind: AttrKind;
  readonly optional?: boolean;
  /** Allowed values of a string attribute. */
  readonly oneOf?: readonly string[];
  readonly default?: Attribute;
  readonly doc?: string;
}

/** Reports problems found while verifying one op. */
export interface VerifyContext {
  error(message: string): void;
  /** Reports a problem found while verifying this op at another op (e.g. a terminator in its body). */
  errorAt(op: Operation, message: string): void;
}

export interface FoldContext {
  /** The constant value of each operand, or undefined where it is not a constant. */
  readonly constants: readonly (Attribute | undefined)[];
}

/** Interpreter kernel: tensors in, tensors out; the op gives attributes and result types. */
export type Kernel = (inputs: readonly Tensor[], op: Operation, env: KernelEnv) => Tensor[];

/** What a kernel may ask of the interpreter (e.g. run a region, look up a rounding mode). */
export interface KernelEnv {
  readonly options: Readonly<Record<string, unknown>>;
}

export interface OpDef {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly operands: readonly OperandSpec[];
  readonly results: readonly ResultSpec[];
  readonly attributes?: Readonly<Record<string, AttrSpec>>;
  /** Names of inherent attributes that live in the op's properties (`<{...}>` in generic form). */
  readonly properties?: readonly string[];
  readonly traits?: readonly Trait[];
  /** Number of regions; undefined means none. */
  readonly regions?: number;
  readonly verify?: (op: Operation, ctx: VerifyContext) => void;
  /** Result types from operand types and attributes; a string is an error message. */
  readonly inferResultTypes?: (operandTypes: readonly Type[], attributes: AttrDict) => readonly Type[] | string;
  /** Returns the result as a constant attribute when it can be computed at compile time. */
  readonly fold?: (op: Operation, ctx: FoldContext) => readonly Attribute[] | undefined;
  readonly kernel?: Kernel;
  /** For FixedOutputRange ops: the real range of the result. */
  readonly fixedOutputRange?: { readonly min: number; readonly max: number };
  /** Interval arithmetic: the result's real range from the operands' ranges (for tensors without data). */
  readonly inferRange?: (operandRanges: readonly ({ min: number; max: number } | undefined)[], op: Operation) => { min: number; max: number } | undefined;
}

const registry = new Map<string, OpDef>();
const registeredDialects = new Set<string>();

/** Registers an op definition; the op's dialect becomes a registered dialect. */
export function defineOp(def: OpDef): OpDef {
  if (registry.has(def.name)) throw new Error(`op ${def.name} is defined twice`);
  registry.set(def.name, def);
  registeredDialects.add(dialectOf(def.name));
  return def;
}

export function getOpDef(name: string): OpDef | undefined {
  return registry.get(name);
}

export function allOpDefs(): readonly OpDef[] {
  return [...registry.values()];
}

export function isRegisteredDialect(dialect: string): boolean {
  return registeredDialects.has(dialect);
}

/** Registers a dialect that has types but no ops of its own yet. */
export function registerDialect(name: string): void {
  registeredDialects.add(name);
}

export function dialectOf(opName: string): string {
  const dot = opName.indexOf(".");
  return dot < 0 ? "" : opName.slice(0, dot);
}

export function hasTrait(op: Operation | string, trait: Trait): boolean {
  const def = registry.get(typeof op === "string" ? op : op.name);
  return def?.traits?.includes(trait) ?? false;
}

/** Makes the constant op of a dialect holding `value` of `type` (MLIR's materializeConstant). */
export type ConstantMaterializer = (value: Attribute, type: Type, loc: Operation["loc"]) => Operation | undefined;

const materializers = new Map<string, ConstantMaterializer>();

export function registerConstantMaterializer(dialect: string, materialize: ConstantMaterializer): void {
  materializers.set(dialect, materialize);
}

export function materializeConstant(dialect: string, value: Attribute, type: Type, loc: Operation["loc"]): Operation | undefined {
  return materializers.get(dialect)?.(value, type, loc);
}

/** The value attribute of a ConstantLike op (its `value`), or undefined for other ops. */
export function constantValue(op: Operation): Attribute | undefined {
  if (!hasTrait(op, "ConstantLike")) return undefined;
  return getAttr(op, "value");
}
