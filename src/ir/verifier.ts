/**
 * The verifier: SSA (each value defined once, defined before use), every op against its definition
 * (operand and result counts and types, attributes, regions, inferred result types) and each op's own
 * invariants. Unregistered ops are errors unless unregistered dialects are allowed, as in mlir-opt.
 */
import type { Diagnostic } from "./diagnostic.js";
import { diagnostic } from "./diagnostic.js";
import type { Module, Operation, Value, Region } from "./operation.js";
import { getAttr } from "./operation.js";
import type { Attribute } from "./attributes.js";
import type { Type } from "./types.js";
import { typeEquals } from "./types.js";
import type { AttrKind, OpDef, OperandSpec } from "./opdef.js";
import { dialectOf, getOpDef, isRegisteredDialect } from "./opdef.js";
import { printType } from "../syntax/printer.js";

export interface VerifyOptions {
  /** Accept ops of dialects qopt does not know (mlir-opt's `--allow-unregistered-dialect`). */
  allowUnregisteredDialect?: boolean;
}

/** Returns every problem found; an empty list means the module is valid. */
export function verifyModule(module: Module, options: VerifyOptions = {}): Diagnostic[] {
  const v = new Verifier(options);
  const root = new Scope(undefined);
  v.verifyOps(module.ops, root);
  return v.diagnostics;
}

/**
 * A region's scope. A value is visible where its scope is still open and belongs to the same
 * isolated-from-above root; one map from value to scope answers both (a Set per scope made the
 * verifier hash every value several times).
 */
class Scope {
  open = true;
  readonly root: Scope;
  constructor(parent: Scope | undefined) {
    this.root = parent ? parent.root : this;
  }
}

class Verifier {
  readonly diagnostics: Diagnostic[] = [];
  private readonly definedIn = new Map<Value, Scope>();

  constructor(readonly options: VerifyOptions) {}

  error(op: Operation, message: string): void {
    this.diagnostics.push(diagnostic("error", op.loc, `'${op.name}' op ${message}`));
  }

  define(op: Operation, v: Value, scope: Scope): void {
    if (v.type.kind === "tensor" && v.type.element.kind === "quant.uniform") {
      const typeError = checkValueType(v.type);
      if (typeError) this.error(op, typeError);
    }
    if (this.definedIn.has(v)) this.error(op, "defines a value that is already defined elsewhere (SSA values are defined once)");
    this.definedIn.set(v, scope);
  }

  visible(v: Value, scope: Scope): boolean {
    const s = this.definedIn.get(v);
    return s !== undefined && s.open && s.root === scope.root;
  }

  verifyOps(ops: readonly Operation[], scope: Scope): void {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      this.verifyOp(op, scope, ops, i);
      for (const r of op.results) this.define(op, r, scope);
    }
  }

  verifyOp(op: Operation, scope: Scope, block?: readonly Operation[], index = 0): void {
    for (let i = 0; i < op.operands.length; i++) {
      const v = op.operands[i]!;
      if (this.visible(v, scope)) continue;
      // Only on error: is it defined later in this block (a dominance error) or nowhere in view?
      const later = block !== undefined && block.slice(index).some((o) => o.results.includes(v));
      this.error(op, later || this.definedIn.has(v) ? `operand #${i} does not dominate this use` : `operand #${i} uses a value that is not defined in scope`);
    }
    const def = getOpDef(op.name);
    if (!def) {
      const dialect = dialectOf(op.name);
      if (isRegisteredDialect(dialect)) {
        this.error(op, `is unregistered: dialect '${dialect}' has no such op and does not allow unknown operations`);
      } else if (!this.options.allowUnregisteredDialect) {
        this.diagnostics.push(
          diagnostic("error", op.loc, `operation '${op.name}' belongs to an unregistered dialect; if this is intended, use --allow-unregistered-dialect`),
        );
      }
    } else {
      this.verifyAgainstDefinition(op, def);
    }
    if (op.regions.length === 0) return;
    const isolated = def?.traits?.includes("IsolatedFromAbove") ?? false;
    for (const region of op.regions) {
      const inner = isolated ? new Scope(undefined) : new Scope(scope);
      this.verifyRegion(op, region, inner);
      inner.open = false;
    }
  }

  verifyRegion(op: Operation, region: Region, scope: Scope): void {
    if (region.blocks.length > 1) {
      // Without a dominance analysis, values of every block in a multi-block region count as visible.
      for (const block of region.blocks) {
        for (const a of block.args) this.define(op, a, scope);
        for (const o of block.ops) for (const r of o.results) this.define(o, r, scope);
      }
      for (const block of region.blocks) {
        for (const o of block.ops) this.verifyOp(o, scope);
        for (const o of block.ops) for (const s of o.successors) if (s < 0 || s >= region.blocks.length) this.error(o, `has successor #${s} outside its region`);
      }
      return;
    }
    for (const block of region.blocks) {
      for (const a of block.args) this.define(op, a, scope);
      this.verifyOps(block.ops, scope);
    }
  }

  verifyAgainstDefinition(op: Operation, def: OpDef): void {
    const errorsBefore = this.diagnostics.length;
    const operandErr = checkArity("operand", def.operands, op.operands);
    if (operandErr) this.error(op, operandErr);
    const resultErr = checkArity("result", def.results, op.results);
    if (resultErr) this.error(op, resultErr);
    if (!operandErr) this.checkTypes(op, "operand", def.operands, op.operands);
    if (!resultErr) this.checkTypes(op, "result", def.results, op.results);
    const expectedRegions = def.regions ?? 0;
    if (op.regions.length !== expectedRegions) this.error(op, `requires ${expectedRegions} region${expectedRegions === 1 ? "" : "s"}, found ${op.regions.length}`);
    for (const [name, spec] of Object.entries(def.attributes ?? {})) {
      const value = getAttr(op, name);
      if (value === undefined) {
        if (!spec.optional && spec.default === undefined) this.error(op, `requires attribute '${name}'`);
        continue;
      }
      if (!attrMatches(value, spec.kind)) {
        this.error(op, `attribute '${name}' must be ${describeKind(spec.kind)}`);
        continue;
      }
      if (spec.oneOf && value.kind === "string" && !spec.oneOf.includes(value.value)) {
        this.error(op, `attribute '${name}' must be one of ${spec.oneOf.map((s) => `"${s}"`).join(", ")}, found "${value.value}"`);
      }
    }
    if (def.inferResultTypes && !operandErr && !resultErr && this.diagnostics.length === errorsBefore) {
      const attrs = op.properties ? { ...op.attributes, ...op.properties } : op.attributes;
      const inferred = def.inferResultTypes(op.operands.map((v) => v.type), attrs);
      if (typeof inferred === "string") this.error(op, inferred);
      else {
        inferred.forEach((t, i) => {
          const actual = op.results[i];
          if (actual && !typeEquals(actual.type, t)) {
            this.error(op, `result #${i} has type ${printType(actual.type)} but the op infers ${printType(t)}`);
          }
        });
      }
    }
    if (def.verify) def.verify(op, { error: (message) => this.error(op, message), errorAt: (other, message) => this.error(other, message) });
  }

  checkTypes(op: Operation, what: string, specs: readonly OperandSpec[], values: readonly Value[]): void {
    // With at most one non-single spec, values map onto specs from both ends.
    const single = specs.filter((s) => (s.arity ?? "single") === "single").length;
    const extra = values.length - single;
    let vi = 0;
    for (const spec of specs) {
      const n = (spec.arity ?? "single") === "single" ? 1 : extra;
      for (let k = 0; k < n; k++, vi++) {
        const v = values[vi];
        if (v && spec.type && !spec.type.accepts(v.type)) {
          this.error(op, `${what} #${vi} ('${spec.name}') must be ${spec.type.description}, but got '${printType(v.type)}'`);
        }
      }
    }
  }
}

/** Type invariants mlir-opt does not check everywhere: a per-axis quantized tensor's axis and scale count. */
function checkValueType(t: Type): string | undefined {
  if (t.kind !== "tensor" || t.element.kind !== "quant.uniform" || t.element.axis === undefined) return undefined;
  const q = t.element;
  if (t.shape === null) return `per-axis quantized type ${printType(t)} needs a ranked tensor`;
  if (q.axis! >= t.shape.length) return `quantized dimension ${q.axis} of ${printType(t)} must be less than the tensor rank ${t.shape.length}`;
  const dim = t.shape[q.axis!]!;
  if (dim >= 0 && dim !== q.scales.length) return `quantized dimension ${q.axis} of ${printType(t)} has size ${dim} but ${q.scales.length} scales`;
  return undefined;
}

function checkArity(what: string, specs: readonly OperandSpec[], values: readonly unknown[]): string | undefined {
  const single = specs.filter((s) => (s.arity ?? "single") === "single").length;
  const variadic = specs.some((s) => s.arity === "variadic");
  const optional = specs.filter((s) => s.arity === "optional").length;
  if (variadic) {
    if (values.length < single) return `expected at least ${single} ${what}s, but found ${values.length}`;
  } else if (values.length < single || values.length > single + optional) {
    const expected = optional > 0 ? `${single} to ${single + optional}` : `${single}`;
    return `expected ${expected} ${what}${single + optional === 1 ? "" : "s"}, but found ${values.length}`;
  }
  return undefined;
}

function attrMatches(a: Attribute, kind: AttrKind): boolean {
  switch (kind) {
    case "any":
      return true;
    case "int":
      return a.kind === "int";
    case "float":
      return a.kind === "float";
    case "number":
      return a.kind === "int" || a.kind === "float";
    case "bool":
      return a.kind === "bool";
    case "string":
      return a.kind === "string";
    case "unit":
      return a.kind === "unit";
    case "ints":
      return (a.kind === "array" && a.elements.every((e) => e.kind === "int")) || (a.kind === "dense_array" && a.element.kind === "int");
    case "floats":
      return (a.kind === "array" && a.elements.every((e) => e.kind === "float" || e.kind === "int")) || (a.kind === "dense_array" && a.element.kind === "float");
    case "dense":
      return a.kind === "dense";
    case "type":
      return a.kind === "type";
    case "symbol":
      return a.kind === "symbol";
    case "dict":
      return a.kind === "dict";
    case "array":
      return a.kind === "array";
  }
}

function describeKind(kind: AttrKind): string {
  const names: Record<AttrKind, string> = {
    any: "an attribute",
    int: "an integer attribute",
    float: "a float attribute",
    number: "a number",
    bool: "a bool attribute (true/false)",
    string: "a string attribute",
    unit: "a unit attribute",
    ints: "an array of integers",
    floats: "an array of numbers",
    dense: "a dense elements attribute",
    type: "a type attribute",
    symbol: "a symbol reference",
    dict: "a dictionary attribute",
    array: "an array attribute",
  };
  return names[kind];
}
