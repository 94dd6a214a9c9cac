/**
 * `dense<...>` element storage: choosing the typed array for an element type, and MLIR's hex form
 * (`dense<"0x...">`, little-endian raw bytes; i1 packed one bit per element, as mlir-opt prints it).
 */
import type { DenseData } from "../ir/attributes.js";
import type { Type } from "../ir/types.js";
import { numberToF16Bits, f16BitsToNumber } from "../interp/tensor.js";
import { numberToBf16Bits, bf16BitsToNumber, roundToFloatKind } from "./float-format.js";

/** Allocates the storage for `count` elements of `element`, or returns an error message. */
export function allocateDense(element: Type, count: number): DenseData | string {
  if (element.kind === "float") {
    return element.name === "f64" ? new Float64Array(count) : new Float32Array(count);
  }
  if (element.kind === "index") return new BigInt64Array(count);
  if (element.kind === "int") {
    const unsigned = element.signedness === "unsigned";
    if (element.width === 1) return new Uint8Array(count);
    if (element.width === 8) return unsigned ? new Uint8Array(count) : new Int8Array(count);
    if (element.width === 16) return unsigned ? new Uint16Array(count) : new Int16Array(count);
    if (element.width === 32) return unsigned ? new Uint32Array(count) : new Int32Array(count);
    if (element.width === 64) return new BigInt64Array(count);
    return `dense elements of i${element.width} are not supported (use i1, i8, i16, i32 or i64)`;
  }
  return `dense elements of this element type are not supported`;
}

/** Byte size of one element in MLIR's raw (hex) form; 0 for bit-packed i1. */
function rawElementBytes(element: Type): number {
  if (element.kind === "float") return element.name === "f64" ? 8 : element.name === "f32" ? 4 : 2;
  if (element.kind === "index") return 8;
  if (element.kind === "int") return element.width === 1 ? 0 : element.width / 8;
  return 0;
}

function hexToBytes(hex: string): Uint8Array | undefined {
  const digits = hex.length - 2;
  if (digits % 2 !== 0) return undefined;
  const bytes = new Uint8Array(digits / 2);
  for (let i = 0; i < bytes.length; i++) {
    const hi = hexDigit(hex.charCodeAt(2 + 2 * i));
    const lo = hexDigit(hex.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) return undefined;
    bytes[i] = (hi << 4) | lo;
  }
  return bytes;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Decodes `"0x..."` for a shape of `count` elements. One element's worth of bytes is a splat.
 * Returns an error message when the byte count fits neither.
 */
export function decodeDenseHex(hex: string, element: Type, count: number): { data: DenseData; splat: boolean } | string {
  const bytes = hexToBytes(hex);
  if (bytes === undefined) return "malformed hex string in dense attribute";
  if (element.kind === "int" && element.width === 1) {
    if (bytes.length === 1 && count !== 1 && (bytes[0] === 0 || bytes[0] === 0xff || bytes[0] === 1)) {
      return { data: Uint8Array.of(bytes[0] === 0 ? 0 : 1), splat: true };
    }
    if (bytes.length !== Math.ceil(count / 8)) return `hex dense attribute has ${bytes.length} bytes, expected ${Math.ceil(count / 8)} for ${count} i1 elements`;
    const data = new Uint8Array(count);
    for (let i = 0; i < count; i++) data[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
    return { data, splat: false };
  }
  const width = rawElementBytes(element);
  if (width === 0) return "hex dense attributes of this element type are not supported";
  let elements: number;
  let splat: boolean;
  if (bytes.length === width * count) {
    elements = count;
    splat = false;
  } else if (bytes.length === width) {
    elements = 1;
    splat = true;
  } else {
    return `hex dense attribute has ${bytes.length} bytes, expected ${width * count} (${count} elements of ${width} bytes)`;
  }
  const storage = allocateDense(element, elements);
  if (typeof storage === "string") return storage;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (element.kind === "float" && (element.name === "f16" || element.name === "bf16")) {
    const decode = element.name === "f16" ? f16BitsToNumber : bf16BitsToNumber;
    for (let i = 0; i < elements; i++) storage[i] = decode(view.getUint16(2 * i, true));
  } else if (element.kind === "float" && element.name === "f32") {
    for (let i = 0; i < elements; i++) storage[i] = view.getFloat32(4 * i, true);
  } else {
    // Integer and f64 storage already has the raw little-endian layout.
    new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength).set(bytes);
  }
  return { data: storage, splat };
}

const hexTable = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, "0"));

/** Encodes dense data in MLIR's hex form. */
export function encodeDenseHex(data: DenseData, element: Type): string {
  let bytes: Uint8Array;
  if (element.kind === "int" && element.width === 1) {
    bytes = new Uint8Array(Math.ceil(data.length / 8));
    for (let i = 0; i < data.length; i++) if (data[i]) bytes[i >> 3]! |= 1 << (i & 7);
  } else if (element.kind === "float" && (element.name === "f16" || element.name === "bf16")) {
    const encode = element.name === "f16" ? numberToF16Bits : numberToBf16Bits;
    bytes = new Uint8Array(data.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setUint16(2 * i, encode(data[i] as number), true);
  } else {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const parts = new Array<string>(bytes.length + 1);
  parts[0] = "0x";
  for (let i = 0; i < bytes.length; i++) parts[i + 1] = hexTable[bytes[i]!]!;
  return parts.join("");
}

/** Stores one literal into dense storage, rounding floats to their type; returns an error message if it does not fit. */
export function storeDenseElement(storage: DenseData, index: number, element: Type, value: number | bigint | boolean, isFloatLiteral: boolean): string | undefined {
  if (element.kind === "float") {
    if (typeof value === "boolean") return "expected a float value";
    storage[index] = roundToFloatKind(Number(value), element.name);
    return undefined;
  }
  if (isFloatLiteral) return "expected an integer value, found a float";
  if (element.kind === "int" && element.width === 1) {
    if (typeof value === "boolean") storage[index] = value ? 1 : 0;
    else if (value === 0 || value === 1 || value === 0n || value === 1n) storage[index] = Number(value);
    else return `integer value ${value} is out of range for i1`;
    return undefined;
  }
  if (typeof value === "boolean") return "expected an integer value";
  if (storage instanceof BigInt64Array) {
    const big = BigInt(value);
    if (big < -(2n ** 63n) || big >= 2n ** 64n) return `integer value ${value} is out of range for 64-bit elements`;
    storage[index] = BigInt.asIntN(64, big);
    return undefined;
  }
  const n = Number(value);
  if (element.kind === "int") {
    const w = element.width;
    const min = element.signedness === "unsigned" ? 0 : -(2 ** (w - 1));
    // Signless values may be written with their unsigned spelling (255 : i8 is -1), as MLIR accepts.
    const max = element.signedness === "signed" ? 2 ** (w - 1) - 1 : 2 ** w - 1;
    if (n < min || n > max) return `integer value ${value} is out of range for ${element.signedness === "unsigned" ? "ui" : element.signedness === "signed" ? "si" : "i"}${w}`;
  }
  storage[index] = n;
  return undefined;
}
