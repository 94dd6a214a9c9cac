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
}

/** Imports one node: emits ops through `ctx` and defines the node's outputs. */
export type Converter = (ctx: ImportContext, n: NodeContext) => void;

/** Input `i`, or a clear error naming it when it is missing. */
export function requiredInput(ctx: ImportContext, n: NodeContext, i: number, what: string): OnnxValue {
  const v = n.inputs[i];
  if (!v) ctx.fail(`missing input ${i} (${what})`);
  return v;
}

/** Fails when the node asks for outputs past the first `count` (e.g. training outputs). */
export function onlyOutputs(ctx: ImportContext, n: NodeContext, count: number, what: string): void {
  if (n.outputs.slice(count).some((o) => o !== "")) ctx.fail(`${what} is not supported`);
}
