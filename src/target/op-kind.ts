/**
 * Which entry of a target descriptor's `ops` a float op needs: `float.X` is kind X when X is an op kind;
 * ONNX's Flatten (`float.flatten`) is a reshape. Lowering, the integer QDQ interpretation and precision
 * selection all place ops by this one mapping.
 */
import { OP_KINDS, type OpKind } from "./types.js";

const ALIASES: Readonly<Record<string, OpKind>> = { "float.flatten": "reshape" };

export function opKindOf(opName: string): OpKind | undefined {
  if (!opName.startsWith("float.")) return undefined;
  const alias = ALIASES[opName];
  if (alias) return alias;
  const kind = opName.slice("float.".length);
  return (OP_KINDS as readonly string[]).includes(kind) ? (kind as OpKind) : undefined;
}
