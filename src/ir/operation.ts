/**
 * The IR's core data model (MLIR's, trimmed): operations with operands, results, attributes,
 * properties, regions of blocks, and a location. Everything is immutable: passes build new objects and
 * share what they do not change. SSA values are identified by object identity.
 */
import type { AttrDict } from "./attributes.js";
import { emptyAttrs, ownAttr } from "./attributes.js";
import type { Location } from "./location.js";
import { unknownLoc } from "./location.js";
import type { Type } from "./types.js";

/** An SSA value: an op result or a block argument. Identity is the object itself. */
export interface Value {
  readonly type: Type;
  /** Location of a block argument (`%arg0: f32 loc(...)`); results use their op's location. */
  readonly loc?: Location;
}

export interface Block {
  readonly args: readonly Value[];
  readonly ops: readonly Operation[];
}

export interface Region {
  readonly blocks: readonly Block[];
}

export interface Operation {
  readonly name: string;
  readonly operands: readonly Value[];
  readonly results: readonly Value[];
  /** Discardable attributes, printed as `{...}`. */
  readonly attributes: AttrDict;
  /** Inherent attributes (MLIR properties), printed as `<{...}>` in generic form. */
  readonly properties: AttrDict | undefined;
  readonly regions: readonly Region[];
  /** Successor blocks, as indices into the enclosing region's blocks. */
  readonly successors: readonly number[];
  readonly loc: Location;
}

/** A top-level `builtin.module`. */
export interface Module {
  readonly ops: readonly Operation[];
  readonly attributes: AttrDict;
  readonly symName: string | undefined;
  readonly loc: Location;
}

export function makeValue(type: Type, loc?: Location): Value {
  return loc === undefined ? { type } : { type, loc };
}

export interface OperationInit {
  name: string;
  operands?: readonly Value[];
  results?: readonly Value[];
  resultTypes?: readonly Type[];
  attributes?: AttrDict;
  properties?: AttrDict;
  regions?: readonly Region[];
  successors?: readonly number[];
  loc?: Location;
}

/** Creates an operation; results come from `results` or are made fresh from `resultTypes`. */
export function makeOperation(init: OperationInit): Operation {
  return {
    name: init.name,
    operands: init.operands ?? [],
    results: init.results ?? (init.resultTypes ?? []).map((t) => makeValue(t)),
    attributes: init.attributes ?? emptyAttrs,
    properties: init.properties,
    regions: init.regions ?? [],
    successors: init.successors ?? [],
    loc: init.loc ?? unknownLoc,
  };
}

export function makeModule(ops: readonly Operation[], init?: { attributes?: AttrDict; symName?: string; loc?: Location }): Module {
  return {
    ops,
    attributes: init?.attributes ?? emptyAttrs,
    symName: init?.symName,
    loc: init?.loc ?? unknownLoc,
  };
}

/** Calls `visit` on every op, pre-order, descending into regions. */
export function walk(ops: readonly Operation[], visit: (op: Operation) => void): void {
  for (const op of ops) {
    visit(op);
    for (const region of op.regions) for (const block of region.blocks) walk(block.ops, visit);
  }
}

export function walkModule(module: Module, visit: (op: Operation) => void): void {
  walk(module.ops, visit);
}

/** Attribute lookup across properties and discardable attributes (properties first). */
export function getAttr(op: Operation, name: string): import("./attributes.js").Attribute | undefined {
  return (op.properties && ownAttr(op.properties, name)) ?? ownAttr(op.attributes, name);
}
