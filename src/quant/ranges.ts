/**
 * The `qopt.range = [min, max]` facts of a function: read into a map from value to range, and written
 * back onto the producing ops (and function argument attributes) in one pass over the body.
 */
import { produce } from "immer";
import type { Attribute } from "../ir/attributes.js";
import type { Module, Operation, Value } from "../ir/operation.js";
import { getAttr } from "../ir/operation.js";
import { attr } from "../ir/attr-access.js";

export interface Range {
  readonly min: number;
  readonly max: number;
}

export const RANGE_ATTR = "qopt.range";

export function rangeFromAttr(a: Attribute | undefined): Range | undefined {
  if (!a || a.kind !== "array" || a.elements.length !== 2) return undefined;
  const [lo, hi] = a.elements.map((e) => (e.kind === "float" || e.kind === "int" ? Number(e.value) : NaN));
  return Number.isFinite(lo) && Number.isFinite(hi) ? { min: lo!, max: hi! } : undefined;
}

export function rangeAttr(r: Range): Attribute {
  return attr.f64s([r.min, r.max]);
}

/** Ranges of the function's arguments and single-result ops. */
export function readRanges(func: Operation): Map<Value, Range> {
  const ranges = new Map<Value, Range>();
  const body = func.regions[0]!.blocks[0]!;
  const argAttrs = getAttr(func, "arg_attrs");
  body.args.forEach((a, i) => {
    const d = argAttrs && argAttrs.kind === "array" ? argAttrs.elements[i] : undefined;
    const r = d && d.kind === "dict" ? rangeFromAttr(d.entries[RANGE_ATTR]) : undefined;
    if (r) ranges.set(a, r);
  });
  for (const op of body.ops) {
    const r = op.results.length === 1 ? rangeFromAttr(op.attributes[RANGE_ATTR]) : undefined;
    if (r) ranges.set(op.results[0]!, r);
  }
  return ranges;
}

/** Writes ranges back; ops whose range is unchanged are shared, not copied. */
export function writeRanges(module: Module, func: Operation, ranges: ReadonlyMap<Value, Range>): Module {
  const body = func.regions[0]!.blocks[0]!;
  let changed = false;
  const ops = body.ops.map((op) => {
    if (op.results.length !== 1) return op;
    const r = ranges.get(op.results[0]!);
    const old = rangeFromAttr(op.attributes[RANGE_ATTR]);
    if (!r || (old && old.min === r.min && old.max === r.max)) return op;
    changed = true;
    // immer copies only what the recipe touches: results (and so every use of them) stay shared.
    return produce(op, (draft) => {
      draft.attributes = { ...op.attributes, [RANGE_ATTR]: rangeAttr(r) } as typeof draft.attributes;
    });
  });
  const argAttrs = getAttr(func, "arg_attrs");
  let argsChanged = false;
  const argElements = body.args.map((a, i) => {
    const d = argAttrs && argAttrs.kind === "array" ? argAttrs.elements[i] : undefined;
    const entries = d && d.kind === "dict" ? d.entries : {};
    const r = ranges.get(a);
    const old = rangeFromAttr(entries[RANGE_ATTR]);
    if (!r || (old && old.min === r.min && old.max === r.max)) return { kind: "dict", entries } as Attribute;
    argsChanged = true;
    return { kind: "dict", entries: { ...entries, [RANGE_ATTR]: rangeAttr(r) } } as Attribute;
  });
  if (!changed && !argsChanged) return module;
  const newFunc: Operation = {
    ...func,
    ...(argsChanged ? { properties: { ...(func.properties ?? {}), arg_attrs: { kind: "array", elements: argElements } } } : {}),
    regions: [{ blocks: [{ args: body.args, ops }, ...func.regions[0]!.blocks.slice(1)] }],
  };
  return { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) };
}
