/**
 * Building IR in code: a builder appends ops to a block, inferring result types from the op's
 * definition when they are not given; `buildFunction` makes a `func.func` around a body.
 */
import type { Attribute, AttrDict } from "./attributes.js";
import { attrDict } from "./attributes.js";
import type { Location } from "./location.js";
import { unknownLoc } from "./location.js";
import type { Block, Module, Operation, Value } from "./operation.js";
import { makeModule, makeOperation, makeValue } from "./operation.js";
import { getOpDef } from "./opdef.js";
import type { Type } from "./types.js";
import { functionType } from "./types.js";

export class Builder {
  readonly ops: Operation[] = [];

  constructor(public loc: Location = unknownLoc) {}

  /** Appends an op; returns it (use `.results`). Result types default to the op's inferred types. */
  create(name: string, operands: readonly Value[], attributes: AttrDict | Record<string, Attribute> = {}, resultTypes?: readonly Type[]): Operation {
    const attrs = attrDict(Object.entries(attributes));
    let types = resultTypes;
    if (types === undefined) {
      const def = getOpDef(name);
      if (!def?.inferResultTypes) throw new Error(`op ${name} cannot infer its result types; pass them explicitly`);
      const inferred = def.inferResultTypes(operands.map((v) => v.type), attrs);
      if (typeof inferred === "string") throw new Error(`${name}: ${inferred}`);
      types = inferred;
    }
    const def = getOpDef(name);
    let properties: Record<string, Attribute> | undefined;
    let discardable: Record<string, Attribute> = attrs;
    if (def?.properties) {
      properties = attrDict();
      discardable = attrDict();
      for (const [k, v] of Object.entries(attrs)) (def.properties.includes(k) ? properties : discardable)[k] = v;
    }
    const op = makeOperation({ name, operands, resultTypes: types, attributes: discardable, ...(properties ? { properties } : {}), loc: this.loc });
    this.ops.push(op);
    return op;
  }

  /** Appends an op with one result and returns that result. */
  value(name: string, operands: readonly Value[], attributes: AttrDict | Record<string, Attribute> = {}, resultType?: Type): Value {
    return this.create(name, operands, attributes, resultType ? [resultType] : undefined).results[0]!;
  }

  block(args: readonly Value[]): Block {
    return { args, ops: [...this.ops] };
  }
}

/** Builds `func.func @name(inputs) -> (results of body)` whose body returns what `body` returns. */
export function buildFunction(name: string, inputTypes: readonly Type[], body: (b: Builder, args: readonly Value[]) => readonly Value[], options: { loc?: Location; visibility?: "private" | "public" } = {}): Operation {
  const b = new Builder(options.loc ?? unknownLoc);
  const args = inputTypes.map((t) => makeValue(t));
  const results = body(b, args);
  b.create("func.return", results, {}, []);
  const props = attrDict();
  props["sym_name"] = { kind: "string", value: name };
  props["function_type"] = { kind: "type", type: functionType(inputTypes, results.map((r) => r.type)) };
  if (options.visibility === "private") props["sym_visibility"] = { kind: "string", value: "private" };
  return makeOperation({ name: "func.func", properties: props, regions: [{ blocks: [b.block(args)] }], loc: options.loc ?? unknownLoc });
}

export function buildModule(ops: readonly Operation[]): Module {
  return makeModule(ops);
}
