/**
 * The state of one graph import: the ONNX values seen so far, each held in one or more layouts, and
 * the builder that receives the ops. Values are materialized lazily: a constant becomes a
 * `float.const` only when an op uses it (already transposed for that op's layout), a
 * DequantizeLinear of a constant or a QuantizeLinear is emitted in the layout its user wants, and a
 * layout change becomes a `float.transpose` (or a `float.reshape` when only unit dims move; for
 * integers, the storage values hw ops read and write, `hw.transpose` / `hw.reshape`) only where an op
 * needs the other layout. A layout change of a DequantizeLinear result is quantized again with the
 * same type, so that the QDQ graph stays QDQ: the moved values keep their (fixed) quantization.
 */
import type { Attribute } from "../../ir/attributes.js";
import { attr } from "../../ir/attr-access.js";
import { Builder } from "../../ir/builder.js";
import type { Location } from "../../ir/location.js";
import type { Value } from "../../ir/operation.js";
import type { TensorType, Type, UniformQuantType } from "../../ir/types.js";
import { tensorType } from "../../ir/types.js";
import type { Tensor } from "../../interp/tensor.js";
import { printType, quoteString } from "../../syntax/printer.js";
import { denseOf, permuteTensor, reshapeTensor } from "./constant-data.js";
import { OnnxImportError } from "./errors.js";
import type { Perm } from "./layout.js";
import { identity, inverse, isIdentity, permKey, permuteShape, relativePerm } from "./layout.js";

/** A form holds floats or storage integers (`plain`), `!quant.uniform` values, or an `hw.const`. */
type Repr = "plain" | "quant" | "hw";

interface Form {
  readonly perm: Perm;
  readonly repr: Repr;
  readonly value: Value;
}

/**
 * One ONNX tensor. `shape` is in ONNX order (-1 for dynamic dims). A QuantizeLinear result carries
 * `quant` (a per-axis axis in ONNX order): its quant forms hold the `!quant.uniform` values, its
 * plain forms the storage integers (the ONNX tensor, through `quant.scast`).
 */
export interface OnnxValue {
  readonly name: string;
  readonly element: Type;
  readonly shape: readonly number[] | null;
  /** Known at compile time (ONNX order). */
  readonly constant?: Tensor;
  readonly quant?: UniformQuantType;
  /** For a QuantizeLinear result: its float input, from which any other layout is re-quantized. */
  readonly quantSource?: OnnxValue;
  /** Builds the plain value in any layout on demand (a DequantizeLinear of a constant). */
  readonly deferred?: (perm: Perm) => Value;
  /** Location of the ops a deferred or quantized value emits when first used. */
  readonly loc?: Location;
  /** For a DequantizeLinear result: the quant type (axis in ONNX order) its values are the exact dequantization of. */
  readonly dequantizes?: UniformQuantType;
  readonly forms: Map<string, Form>;
}

/** A per-axis quant type with its axis moved to where ONNX axis `q.axis` sits in layout `perm`. */
export function quantIn(q: UniformQuantType, perm: Perm): UniformQuantType {
  return q.axis === undefined ? q : { ...q, axis: perm.indexOf(q.axis) };
}

export class ImportContext {
  readonly builder = new Builder();
  private readonly values = new Map<string, OnnxValue>();
  /** Describes the node being imported, for error messages. */
  private where = "";

  constructor(
    readonly source: string,
    readonly opset: number,
  ) {}

  // ------------------------------------------------------------------ errors and locations

  /** Starts importing a node: its ops get the node's name as their location (MLIR's NameLoc). */
  enterNode(label: string, opType: string, locName: string): void {
    this.where = `node '${label}' (${opType}): `;
    this.builder.loc = nameLoc(locName);
  }

  /** Runs `emit` with the builder's location set to `loc`. */
  private atLoc<T>(loc: Location, emit: () => T): T {
    const saved = this.builder.loc;
    this.builder.loc = loc;
    try {
      return emit();
    } finally {
      this.builder.loc = saved;
    }
  }

  leaveNode(): void {
    this.where = "";
  }

  fail(message: string): never {
    throw new OnnxImportError(`${this.source}: ${this.where}${message}`);
  }

  // ------------------------------------------------------------------ the value table

  has(name: string): boolean {
    return this.values.has(name);
  }

  lookup(name: string): OnnxValue {
    const v = this.values.get(name);
    if (!v) this.fail(`input '${name}' is not produced by any earlier node, initializer or graph input`);
    return v;
  }

  define(name: string, v: OnnxValue): void {
    if (name === "") return;
    this.values.set(name, v.name === name ? v : { ...v, name });
  }

  /** Records an op result (in layout `perm`) as the ONNX value `name`. */
  defineResult(name: string, value: Value, perm: Perm): OnnxValue {
    return this.defineValue(name, value, perm, {});
  }

  /**
   * A DequantizeLinear result `value` (in layout `perm`) that dequantizes values of type `q` (axis in
   * ONNX order). Its other layouts are quantized again with `q` (see `value`).
   */
  defineDequantized(name: string, value: Value, perm: Perm, q: UniformQuantType): OnnxValue {
    return this.defineValue(name, value, perm, { dequantizes: q });
  }

  private defineValue(name: string, value: Value, perm: Perm, extra: Pick<OnnxValue, "dequantizes">): OnnxValue {
    const t = value.type as TensorType;
    const shape = t.shape === null ? null : permuteShape(t.shape, inverse(perm));
    const v: OnnxValue = { name, element: t.element, shape, ...extra, forms: new Map() };
    v.forms.set(formKey(perm, "plain"), { perm, repr: "plain", value });
    this.define(name, v);
    return v;
  }

  /**
   * A QuantizeLinear result: `source` quantized with `q` (axis in ONNX order). The `quant.qcast` is
   * emitted where a user needs it, in that user's layout (quantization is elementwise).
   */
  defineQuantized(name: string, source: OnnxValue, q: UniformQuantType): OnnxValue {
    const v: OnnxValue = { name, element: q.storage, shape: source.shape, quant: q, quantSource: source, loc: this.builder.loc, forms: new Map() };
    this.define(name, v);
    return v;
  }

  defineConstant(name: string, tensor: Tensor, element: Type): OnnxValue {
    const v: OnnxValue = { name, element, shape: [...tensor.shape], constant: tensor, forms: new Map() };
    this.define(name, v);
    return v;
  }

  /** A compile-time tensor that no ONNX name refers to (a folded alpha, a reshaped bias). */
  anonymousConstant(tensor: Tensor, element: Type): OnnxValue {
    return { name: "", element, shape: [...tensor.shape], constant: tensor, forms: new Map() };
  }

  defineDeferred(name: string, element: Type, shape: readonly number[], build: (perm: Perm) => Value): OnnxValue {
    const v: OnnxValue = { name, element, shape, deferred: build, loc: this.builder.loc, forms: new Map() };
    this.define(name, v);
    return v;
  }

  // ------------------------------------------------------------------ shapes and layouts

  rank(v: OnnxValue): number {
    if (v.shape === null) this.fail(`the rank of '${v.name}' is unknown`);
    return v.shape.length;
  }

  shape(v: OnnxValue): readonly number[] {
    if (v.shape === null) this.fail(`the shape of '${v.name}' is unknown`);
    return v.shape;
  }

  /** The layouts `v` already exists in; empty when any layout is free (a constant or deferred value). */
  layouts(v: OnnxValue): Perm[] {
    if (v.forms.size === 0 && v.quantSource) return this.layouts(v.quantSource);
    const perms: Perm[] = [];
    for (const f of v.forms.values()) if (!perms.some((p) => permKey(p) === permKey(f.perm))) perms.push(f.perm);
    if (perms.length === 0 && v.constant === undefined && v.deferred === undefined) perms.push(identity(this.rank(v)));
    return perms;
  }

  /** Whether `v` costs nothing in any layout. */
  isFree(v: OnnxValue): boolean {
    if (v.forms.size > 0) return false;
    return v.constant !== undefined || v.deferred !== undefined || (v.quantSource !== undefined && this.isFree(v.quantSource));
  }

  /**
   * The layout an elementwise op on `operands` (result rank `rank`) should compute in: one every
   * full-rank operand already has if there is one (a non-identity one first), else the first
   * non-identity layout any of them has, else ONNX order.
   */
  chooseLayout(operands: readonly OnnxValue[], rank: number): Perm {
    const full = operands.filter((v) => v.shape !== null && v.shape.length === rank && !this.isFree(v));
    const candidates: Perm[] = [];
    for (const v of full) for (const p of this.layouts(v)) if (!candidates.some((c) => permKey(c) === permKey(p))) candidates.push(p);
    candidates.sort((a, b) => Number(isIdentity(a)) - Number(isIdentity(b)));
    const shared = candidates.find((p) => full.every((v) => this.layouts(v).some((q) => permKey(q) === permKey(p))));
    return shared ?? candidates[0] ?? identity(rank);
  }

  /** The type of `v` in layout `perm` (element overridable, e.g. a quant type). */
  typeIn(v: OnnxValue, perm: Perm, element: Type = v.element): TensorType {
    return tensorType(v.shape === null ? null : permuteShape(v.shape, perm), element);
  }

  // ------------------------------------------------------------------ materialization

  /** `v` as an SSA value in layout `perm` (default ONNX order): floats, or storage integers. */
  value(v: OnnxValue, perm: Perm = identity(this.rank(v))): Value {
    const key = formKey(perm, "plain");
    const hit = v.forms.get(key);
    if (hit) return hit.value;
    let value: Value;
    if (v.constant !== undefined) {
      const data = permuteTensor(v.constant, perm);
      value = this.atLoc(v.name ? nameLoc(v.name) : this.builder.loc, () => this.emit("float.const", [], { value: denseOf(data, v.element) }, tensorType([...data.shape], v.element)));
    } else if (v.deferred !== undefined) {
      const build = v.deferred;
      value = this.atLoc(v.loc ?? this.builder.loc, () => build(perm));
    } else if (v.quant !== undefined) {
      // Storage integers of a quantized value: reinterpret the quantized form.
      const q = this.quantValue(v, perm, v.quant);
      value = this.emit("quant.scast", [q], {}, this.typeIn(v, perm));
    } else {
      const src = [...v.forms.values()].find((f) => f.repr === "plain");
      if (!src) this.fail(`internal error: '${v.name}' has no value`);
      const rel = relativePerm(src.perm, perm);
      const type = this.typeIn(v, perm);
      // Moving only unit dims keeps the element order: a reshape, not a data transpose.
      value = movesOnlyUnitDims((src.value.type as TensorType).shape, rel) ? this.reshape(src.value, type) : this.transpose(src.value, rel, type);
      if (v.dequantizes !== undefined) {
        // The moved values are still quantized with the DequantizeLinear's type (ONNX Runtime's QDQ
        // propagation wraps such transposes in Q/DQ of that type too): a same-type quant.qcast /
        // quant.dcast pair says so, so quantization passes take the type as given instead of
        // calibrating the moved value anew, and lowering moves the stored integers (the pair cancels).
        const quantized = this.emit("quant.qcast", [value], {}, this.typeIn(v, perm, quantIn(v.dequantizes, perm)));
        value = this.emit("quant.dcast", [quantized], {}, type);
      }
    }
    v.forms.set(key, { perm, repr: "plain", value });
    return value;
  }

  /**
   * `v` as `!quant.uniform` values of type `q` (axis in ONNX order) in layout `perm`. When `v` came
   * from a QuantizeLinear with the same type this is its quantized result; otherwise its storage
   * integers are reinterpreted with `q` (`quant.scast`), as DequantizeLinear reads them.
   */
  quantValue(v: OnnxValue, perm: Perm, q: UniformQuantType): Value {
    const key = formKey(perm, "quant", q);
    const hit = v.forms.get(key);
    if (hit) return hit.value;
    const qt = quantIn(q, perm);
    const type = this.typeIn(v, perm, qt);
    let value: Value;
    const same = v.quant !== undefined && printType(v.quant) === printType(q);
    if (same && v.quantSource && !v.forms.has(formKey(perm, "plain"))) {
      // QuantizeLinear is elementwise: quantize its float input in this layout.
      const source = v.quantSource;
      value = this.atLoc(v.loc ?? this.builder.loc, () => this.emit("quant.qcast", [this.value(source, perm)], {}, type));
    } else {
      value = this.emit("quant.scast", [this.value(v, perm)], {}, type);
    }
    v.forms.set(key, { perm, repr: "quant", value });
    return value;
  }

  /**
   * `v` broadcast-compatible with a rank-`rank` operand in layout `perm`: lower-rank operands get
   * ONNX's leading unit dims first (numpy broadcasting aligns trailing dims).
   */
  broadcastOperand(v: OnnxValue, rank: number, perm: Perm): Value {
    const r = this.rank(v);
    if (r === rank) return this.value(v, perm);
    if (isIdentity(perm)) return this.value(v);
    const shape = [...new Array<number>(rank - r).fill(1), ...this.shape(v)];
    const expanded = this.reshaped(v, shape);
    return this.value(expanded, perm);
  }

  /** `v` reshaped (ONNX order) as a new, anonymous value; constants are reshaped at compile time. */
  reshaped(v: OnnxValue, shape: readonly number[]): OnnxValue {
    if (v.constant !== undefined) {
      return { name: v.name, element: v.element, shape, constant: reshapeTensor(v.constant, shape), forms: new Map() };
    }
    const result = this.reshape(this.value(v), tensorType(shape, v.element));
    const out: OnnxValue = { name: v.name, element: v.element, shape, forms: new Map() };
    out.forms.set(formKey(identity(shape.length), "plain"), { perm: identity(shape.length), repr: "plain", value: result });
    return out;
  }

  // ------------------------------------------------------------------ constants

  constantOf(v: OnnxValue | undefined): Tensor | undefined {
    return v?.constant;
  }

  requireConstant(v: OnnxValue, what: string): Tensor {
    if (v.constant === undefined) this.fail(`${what} ('${v.name}') must be a constant (an initializer or a Constant node); qopt does not compute it at run time`);
    return v.constant;
  }

  // ------------------------------------------------------------------ emitting ops

  /** Appends an op with one result of `resultType` and returns the result. */
  emit(name: string, operands: readonly Value[], attributes: Record<string, Attribute>, resultType: Type): Value {
    return this.builder.create(name, operands, attributes, [resultType]).results[0]!;
  }

  /** `float.transpose`, or `hw.transpose` for integers (the outputs of the hw ops QLinearConv and the like import to). */
  transpose(value: Value, perm: readonly number[], resultType: Type): Value {
    if (isIdentity(perm)) return value;
    return this.emit(isFloatTensor(value) ? "float.transpose" : "hw.transpose", [value], { perm: attr.ints(perm) }, resultType);
  }

  /**
   * `float.reshape`; a result with one dynamic dim also gets a `shape` attribute with -1 there.
   * Integers get `hw.reshape`, whose result type alone gives the shape (a dynamic dim takes the rest).
   */
  reshape(value: Value, resultType: TensorType): Value {
    const shape = resultType.shape ?? [];
    const dynamic = shape.filter((d) => d < 0).length;
    if (dynamic > 1) this.fail(`a reshape to [${shape.map((d) => (d < 0 ? "?" : d)).join(", ")}] has more than one dynamic dim; qopt needs all but one dim static`);
    if (!isFloatTensor(value)) return this.emit("hw.reshape", [value], {}, resultType);
    return this.emit("float.reshape", [value], dynamic === 1 ? { shape: attr.ints(shape.map((d) => (d < 0 ? -1 : d))) } : {}, resultType);
  }

  /**
   * The compile-time integer tensor `v` as an `hw.const` in layout `perm` (weights, biases of hw
   * ops), emitted once per layout at the location of `v`'s name.
   */
  hwConstant(v: OnnxValue, perm: Perm): Value {
    const tensor = this.requireConstant(v, "an hw.const value");
    const key = formKey(perm, "hw");
    const hit = v.forms.get(key);
    if (hit) return hit.value;
    const data = permuteTensor(tensor, perm);
    const value = this.atLoc(v.name ? nameLoc(v.name) : this.builder.loc, () => this.emit("hw.const", [], { value: denseOf(data, v.element) }, tensorType([...data.shape], v.element)));
    v.forms.set(key, { perm, repr: "hw", value });
    return value;
  }
}

function isFloatTensor(value: Value): boolean {
  const t = value.type;
  return t.kind === "tensor" && t.element.kind === "float";
}

/** Whether transposing `shape` by `perm` keeps every dim that is not statically 1 in its relative order. */
function movesOnlyUnitDims(shape: readonly number[] | null, perm: readonly number[]): boolean {
  if (shape === null || isIdentity(perm)) return false;
  const moved = perm.filter((d) => shape[d] !== 1);
  return moved.every((d, i) => i === 0 || d > moved[i - 1]!);
}

/** MLIR's NameLoc, `loc("name")`: ONNX node and initializer names. */
export function nameLoc(name: string): Location {
  return { kind: "opaque", text: `loc(${quoteString(name)})` };
}

function formKey(perm: Perm, repr: Repr, quant?: UniformQuantType): string {
  return repr === "quant" ? `${permKey(perm)}|${quant ? printType(quant) : "quant"}` : `${permKey(perm)}|${repr}`;
}

