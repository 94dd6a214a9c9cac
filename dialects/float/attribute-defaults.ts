/**
 * Declared attribute defaults, applied where an op leaves an attribute out. Type inference and kernels
 * read attributes through these so that each default is written once, in the op's `attributes`.
 */
import type { Attribute, AttrDict } from "../../src/ir/attributes.js";
import { attrDict, ownAttr } from "../../src/ir/attributes.js";
import { attrsOf } from "../../src/ir/attr-access.js";
import type { AttrSpec } from "../../src/ir/opdef.js";
import { getOpDef } from "../../src/ir/opdef.js";
import type { Operation } from "../../src/ir/operation.js";

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

/** The op's attributes (properties and discardable) with its definition's defaults filled in. */
export function opAttributes(op: Operation): AttrDict {
  return withDefaults(attrsOf(op), getOpDef(op.name)?.attributes ?? {});
}

/**
 * Unwraps the result of an attribute reader inside a kernel. A verified op never fails here; an
 * unverified one gets the verifier's message instead of a wrong answer.
 */
export function orThrow<T>(value: T | string, opName: string): T {
  if (typeof value === "string") throw new RangeError(`${opName}: ${value}`);
  return value;
}
