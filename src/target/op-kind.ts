/**
 * Which entry of a target descriptor's `ops` a float op needs, and at which operand types: `float.X` is
 * kind X when X is an op kind (ONNX's Flatten, `float.flatten`, is a reshape); a value's operand type is
 * its quantized storage (i8, u8, i16) or its float type. Lowering, the integer QDQ interpretation and
 * precision selection all place ops by these.
 */
import type { Type, UniformQuantType } from "../ir/types.js";
import { OP_KINDS, type OpKind, type OperandType } from "./types.js";

const ALIASES: Readonly<Record<string, OpKind>> = { "float.flatten": "reshape" };

export function opKindOf(opName: string): OpKind | undefined {
  if (!opName.startsWith("float.")) return undefined;
  const alias = ALIASES[opName];
  if (alias) return alias;
  const kind = opName.slice("float.".length);
  return (OP_KINDS as readonly string[]).includes(kind) ? (kind as OpKind) : undefined;
}

/** The operand type a target names for a quantized storage (i8, u8, i16), or undefined for others. */
export function operandTypeOfQuant(q: UniformQuantType): OperandType | undefined {
  const s = q.storage;
  if (s.width === 8) return s.signedness === "unsigned" ? "u8" : "i8";
  if (s.width === 16 && s.signedness !== "unsigned") return "i16";
  return undefined;
}

/** The operand type of a value for placement: its quantized storage, or its float type. */
export function operandTypeOf(t: Type): OperandType | undefined {
  if (t.kind !== "tensor") return undefined;
  const e = t.element;
  if (e.kind === "quant.uniform") return operandTypeOfQuant(e);
  if (e.kind === "float") return e.name === "f16" ? "f16" : "f32";
  return undefined;
}
