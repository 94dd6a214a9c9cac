/**
 * NumPy `.npy` files ↔ runtime tensors.
 *
 * Format (numpy/lib/format.py): magic "\x93NUMPY", major and minor version bytes, header length
 * (uint16 LE in v1.0, uint32 LE in v2.0/v3.0), then a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and ending in
 * "\n" (ASCII in v1/v2, UTF-8 in v3), then the raw array data in C order.
 *
 * Supported: little-endian (or byte-order-free) `f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 b1`, and `u8` when
 * every value fits in int64 (read as i64, the widest integer tensor.ts has). Big-endian data,
 * Fortran order and structured/other dtypes are rejected with an error that names the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { HOST_LITTLE_ENDIAN, decodeLittleEndian, encodeLittleEndian } from "./little-endian.js";
import {
  allocate,
  elementCount,
  f16BitsToNumber,
  makeTensor,
  numberToF16Bits,
  type DType,
  type Tensor,
  type TypedArray,
} from "../interp/tensor.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy pads the whole preamble + header to a multiple of 64 bytes so the data is aligned. */
const HEADER_ALIGN = 64;

/** descr kind+size (without byte-order mark) → tensor dtype. */
const DTYPE_OF_DESCR: Readonly<Record<string, DType>> = {
  f2: "f16",
  f4: "f32",
  f8: "f64",
  i1: "i8",
  u1: "u8",
  i2: "i16",
  u2: "u16",
  i4: "i32",
  u4: "u32",
  i8: "i64",
  b1: "i1",
};

/** The descr writeNpy emits for each dtype (numpy's own spelling: '|' for single bytes). */
const DESCR_OF_DTYPE: Readonly<Record<DType, string>> = {
  f16: "<f2",
  f32: "<f4",
  f64: "<f8",
  i8: "|i1",
  u8: "|u1",
  i16: "<i2",
  u16: "<u2",
  i32: "<i4",
  u32: "<u4",
  i64: "<i8",
  i1: "|b1",
};


/**
 * Parses a `.npy` file. `source` names the file in error messages (e.g. `calib.npy: unsupported
 * dtype '>f4' (big-endian)`).
 */
export function readNpy(bytes: Uint8Array, source = "<npy>"): Tensor {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail("not a .npy file (missing \\x93NUMPY magic)");
  const major = bytes[6]!;
  const minor = bytes[7]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail("truncated header");
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    return fail(`unsupported .npy format version ${major}.${minor}`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(`header length ${headerLength} runs past the end of the file`);
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const headerText = major === 3 ? new TextDecoder("utf-8").decode(headerBytes) : latin1(headerBytes);

  let header: PyValue;
  try {
    header = parsePyLiteral(headerText);
  } catch (e) {
    return fail(`malformed header ${JSON.stringify(headerText.trim())}: ${(e as Error).message}`);
  }
  if (!(header instanceof Map)) return fail(`header is not a dict: ${JSON.stringify(headerText.trim())}`);
  const descr = header.get("descr");
  const fortran = header.get("fortran_order");
  const shapeValue = header.get("shape");
  if (typeof descr !== "string") {
    return fail(`unsupported dtype ${descr === undefined ? "(missing descr)" : pyRepr(descr)} (only simple numeric dtypes are supported)`);
  }
  if (fortran === true) fail("fortran_order=True arrays are not supported (save with np.ascontiguousarray first)");
  if (fortran !== false) fail("header has no boolean fortran_order");
  if (!Array.isArray(shapeValue) || !shapeValue.every((d): d is number => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    return fail(`header shape ${shapeValue === undefined ? "is missing" : pyRepr(shapeValue)} is not a tuple of non-negative integers`);
  }
  const shape: number[] = shapeValue;

  const order = descr[0];
  const code = descr.slice(1);
  const size = Number(code.slice(1));
  // Byte order is meaningless for one-byte types, so only multi-byte big-endian data is refused.
  if (order === ">" && size > 1) fail(`unsupported dtype '${descr}' (big-endian; convert with arr.astype('<${code}'))`);
  if (order === "|" && size > 1) fail(`unsupported dtype '${descr}' (byte order '|' on a multi-byte type)`);
  if (order !== "<" && order !== "|" && order !== "=" && !(order === ">" && size === 1)) fail(`unsupported dtype '${descr}'`);
  if (order === "=" && !HOST_LITTLE_ENDIAN) fail(`unsupported dtype '${descr}' (native byte order of a big-endian host)`);
  const wideUnsigned = code === "u8";
  const dtype = wideUnsigned ? "i64" : DTYPE_OF_DESCR[code];
  if (dtype === undefined) return fail(`unsupported dtype '${descr}'`);

  const count = elementCount(shape);
  const byteLength = count * size;
  if (dataStart + byteLength > bytes.length) {
    fail(`data is truncated: shape (${shape.join(", ")}) of '${descr}' needs ${byteLength} bytes, file has ${bytes.length - dataStart}`);
  }
  const raw = bytes.subarray(dataStart, dataStart + byteLength);
  if (wideUnsigned) return makeTensor("i64", shape, readWideUnsigned(raw, count, fail));
  return makeTensor(dtype, shape, decodeLittleEndian(dtype, raw, count));
}

/** Reads a `.npy` file from disk; errors name the file. */
export function readNpyFile(path: string): Tensor {
  return readNpy(readFileSync(path), basename(path));
}

/** Encodes a tensor as a `.npy` file (format 1.0, or 2.0 if the header would not fit), C order, little-endian. */
export function writeNpy(t: Tensor): Uint8Array {
  const count = elementCount(t.shape);
  if (t.data.length !== count) throw new RangeError(`writeNpy: shape [${t.shape.join(",")}] needs ${count} elements, got ${t.data.length}`);
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(", ")})`;
  const dict = `{'descr': '${DESCR_OF_DTYPE[t.dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The header ends in "\n" and is space-padded so that data starts on a 64-byte boundary.
  let preamble = 10;
  let padded = alignHeader(dict, preamble);
  let major = 1;
  if (padded.length > 0xffff) {
    major = 2;
    preamble = 12;
    padded = alignHeader(dict, preamble);
  }
  const body = checkedEncode(t);
  const out = new Uint8Array(preamble + padded.length + body.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) out[preamble + i] = padded.charCodeAt(i);
  out.set(body, preamble + padded.length);
  return out;
}

export function writeNpyFile(path: string, t: Tensor): void {
  writeFileSync(path, writeNpy(t));
}

function alignHeader(dict: string, preamble: number): string {
  const unpadded = preamble + dict.length + 1;
  const pad = (HEADER_ALIGN - (unpadded % HEADER_ALIGN)) % HEADER_ALIGN;
  return dict + " ".repeat(pad) + "\n";
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** `<u8` → i64, refusing values ≥ 2^63 rather than wrapping them negative. */
function readWideUnsigned(raw: Uint8Array, count: number, fail: (message: string) => never): BigInt64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getBigUint64(8 * i, true);
    if (v > 0x7fffffffffffffffn) fail(`unsupported dtype '<u8': value ${v} at index ${i} does not fit in int64`);
    out[i] = v;
  }
  return out;
}

function checkedEncode(t: Tensor): Uint8Array {
  const expected = t.dtype === "f16" || t.dtype === "i1" ? undefined : allocate(t.dtype, 0).BYTES_PER_ELEMENT;
  if (expected !== undefined && t.data.BYTES_PER_ELEMENT !== expected) {
    throw new TypeError(`writeNpy: ${t.dtype} tensor holds ${t.data.constructor.name}, expected ${expected}-byte elements`);
  }
  return encodeLittleEndian(t);
}

// A parser for the Python literal subset .npy headers use: dicts, tuples, lists, strings,
// integers, True/False/None.

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string): void => {
    skip();
    if (text[pos] !== ch) throw new Error(`expected '${ch}' at offset ${pos}`);
    pos++;
  };
  const value = (): PyValue => {
    skip();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const map = new Map<string, PyValue>();
      for (;;) {
        skip();
        if (text[pos] === "}") { pos++; return map; }
        const key = value();
        if (typeof key !== "string") throw new Error("dict keys must be strings");
        expect(":");
        map.set(key, value());
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== "}") throw new Error(`expected ',' or '}' at offset ${pos}`);
      }
    }
    if (ch === "(" || ch === "[") {
      const close = ch === "(" ? ")" : "]";
      pos++;
      const items: PyValue[] = [];
      for (;;) {
        skip();
        if (text[pos] === close) { pos++; return items; }
        items.push(value());
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== close) throw new Error(`expected ',' or '${close}' at offset ${pos}`);
      }
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, pos + 1);
      if (end < 0) throw new Error("unterminated string");
      const s = text.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^-?\d+L?/.exec(text.slice(pos));
    if (word === null) throw new Error(`unexpected ${ch === undefined ? "end" : `'${ch}'`} at offset ${pos}`);
    pos += word[0].length;
    switch (word[0]) {
      case "True": return true;
      case "False": return false;
      case "None": return null;
    }
    // Python 2 headers wrote long dims with an L suffix.
    if (/^-?\d+L?$/.test(word[0])) return Number(word[0].replace("L", ""));
    throw new Error(`unexpected name '${word[0]}'`);
  };
  const result = value();
  skip();
  if (pos !== text.length) throw new Error(`trailing text at offset ${pos}`);
  return result;
}

function pyRepr(v: PyValue): string {
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `(${v.map(pyRepr).join(", ")})`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(", ")}}`;
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}
