/**
 * Storage types of the hw dialect. An hw op reads and writes integers: an operand or result is a
 * tensor of plain integers (`tensor<4xi8>`, `tensor<4xui8>`) or of a `!quant.uniform` type, which the
 * interpreter runs on its storage integers. Either form is accepted wherever a storage kind is allowed;
 * the quantized form additionally lets the verifier check zero points and scales against attributes.
 */
import type { TypeConstraint } from "../../src/ir/opdef.js";
import type { Type, UniformQuantType } from "../../src/ir/types.js";
import { DYNAMIC, elementType, integerTypeRange } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";

/** Storage kinds hw ops name in their constraints (signless and signed integers are both `iN`). */
export type StorageKind = "i8" | "u8" | "i16" | "u16" | "i32" | "i64";

/** What an hw kernel needs to know about an operand's or result's element type. */
export interface Storage {
  readonly kind: StorageKind;
  /** Width in bits. */
  readonly width: number;
  /** Inclusive value range: the integer type's, or a quantized type's storage range (`i8<-127:127>`). */
  readonly min: number;
  readonly max: number;
  /** The quantized element type, when the element is one. */
  readonly quant?: UniformQuantType;
}

function kindOf(width: number, unsigned: boolean): StorageKind | undefined {
  switch (width) {
    case 8:
      return unsigned ? "u8" : "i8";
    case 16:
      return unsigned ? "u16" : "i16";
    case 32:
      return unsigned ? undefined : "i32";
    case 64:
      return unsigned ? undefined : "i64";
    default:
      return undefined;
  }
}

/** The storage of a tensor's element type, or undefined when it is neither an integer hw handles nor `!quant.uniform`. */
export function storageOf(t: Type | undefined): Storage | undefined {
  if (t === undefined || t.kind !== "tensor") return undefined;
  const e = t.element;
  if (e.kind === "int") {
    const kind = kindOf(e.width, e.signedness === "unsigned");
    if (kind === undefined) return undefined;
    const r = integerTypeRange(e);
    return { kind, width: e.width, min: r.min, max: r.max };
  }
  if (e.kind === "quant.uniform") {
    const kind = kindOf(e.storage.width, e.storage.signedness === "unsigned");
    // dtypeOf runs quantized types wider than 32 bits on i32 storage; hw keeps i64 values as plain i64.
    if (kind === undefined || kind === "i64") return undefined;
    return { kind, width: e.storage.width, min: e.storageMin, max: e.storageMax, quant: e };
  }
  return undefined;
}

function kindsText(kinds: readonly StorageKind[]): string {
  if (kinds.length === 1) return kinds[0]!;
  return `${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1]}`;
}

/** A tensor whose elements are one of `kinds`, as plain integers or as `!quant.uniform` with that storage. */
export function storageTensor(kinds: readonly StorageKind[], options: { quantized?: boolean } = {}): TypeConstraint {
  const quantized = options.quantized ?? true;
  return {
    description: `a tensor of ${kindsText(kinds)} values${quantized ? " (plain or !quant.uniform storage)" : ""}`,
    accepts: (t) => {
      const s = storageOf(t);
      return s !== undefined && kinds.includes(s.kind) && (quantized || s.quant === undefined);
    },
  };
}

/** The shape of a ranked tensor type (dynamic dims are −1), or undefined. */
export function shapeOf(t: Type | undefined): readonly number[] | undefined {
  return t !== undefined && t.kind === "tensor" && t.shape !== null ? t.shape : undefined;
}

/** Shape text for messages, `?` for dynamic dims. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`;
}

export function typeText(t: Type): string {
  return printType(t);
}

/** True when both dims are static and differ. */
export function dimsConflict(a: number, b: number): boolean {
  return a >= 0 && b >= 0 && a !== b;
}

/** Product of dims; dynamic when any dim is. */
export function dimProduct(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) {
    if (d < 0) return DYNAMIC;
    p *= d;
  }
  return p;
}

/** An error when `actual` does not agree with `expected` (dynamic dims agree with anything). */
export function checkShape(what: string, actual: readonly number[] | undefined, expected: readonly number[]): string | undefined {
  if (actual === undefined) return undefined;
  if (actual.length !== expected.length || actual.some((d, i) => dimsConflict(d, expected[i]!))) {
    return `${what} shape ${shapeText(actual)} does not match the expected ${shapeText(expected)}`;
  }
  return undefined;
}

/**
 * A per-tensor quantized type's zero point must equal the attribute that restates it (the attribute is
 * what the target runs; a mismatch means one of the two is stale). Per-axis types must use `zp` on
 * every channel.
 */
export function zeroPointMismatch(s: Storage | undefined, zp: number, attrName: string, what: string): string | undefined {
  const q = s?.quant;
  if (!q) return undefined;
  const bad = q.zeroPoints.find((z) => z !== zp);
  if (bad === undefined) return undefined;
  return `'${attrName}' = ${zp} does not match the zero point ${bad} of the ${what} type ${printType(q)}`;
}

/** An error when an integer parameter lies outside a storage range. */
export function outsideStorage(value: number, s: Storage, attrName: string, what: string): string | undefined {
  if (Number.isInteger(value) && value >= s.min && value <= s.max) return undefined;
  return `'${attrName}' = ${value} is outside the ${what} storage range [${s.min}, ${s.max}]`;
}

/** Same element type (including quantization parameters) as text, for comparisons and messages. */
export function elementText(t: Type): string {
  return printType(elementType(t));
}
