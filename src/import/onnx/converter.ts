/** What a converter of one ONNX op type receives: the node, its attributes and its resolved inputs. */
import type { ImportContext, OnnxValue } from "./import-context.js";
import type { NodeAttributes, NodeProto } from "./proto.js";

export interface NodeContext {
  readonly node: NodeProto;
  readonly attrs: NodeAttributes;
  /** Inputs by position; undefined where an optional input is omitted (empty name) or absent. */
  readonly inputs: readonly (OnnxValue | undefined)[];
  /** Output names by position ("" for an omitted optional output). */
  readonly outputs: readonly string[];
  /** Opset version of the default domain. */
  readonly opset: number;
  /** Whether a later node or a graph output reads the value `name`. */
  readonly isUsed: (name: string) => boolean;
}

/** Imports one node: emits ops through `ctx` and defines the node's outputs. */
export type Converter = (ctx: ImportContext, n: NodeContext) => void;

/** Input `i`, or a clear error naming it when it is missing. */
export function requiredInput(ctx: ImportContext, n: NodeContext, i: number, what: string): OnnxValue {
  const v = n.inputs[i];
  if (!v) ctx.fail(`missing input ${i} (${what})`);
  return v;
}

/**
 * Fails when something reads an output past the first `count` (a training output, Dropout's mask).
 * Old exporters name such outputs even when nothing reads them; those are left undefined.
 */
export function onlyOutputs(ctx: ImportContext, n: NodeContext, count: number, what: string): void {
  const used = n.outputs.slice(count).filter((o) => o !== "" && n.isUsed(o));
  if (used.length > 0) ctx.fail(`${what} ('${used.join("', '")}') is not supported`);
}
