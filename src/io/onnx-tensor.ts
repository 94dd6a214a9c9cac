/**
 * ONNX TensorProto ↔ runtime tensors (the `.pb` files of ONNX test data sets and the initializers
 * of ONNX models).
 *
 * Storage rules (onnx/onnx.proto3, TensorProto): values live either in `raw_data` (little-endian,
 * packed, float16 as its 16 bits, bool as one byte) or in the typed field for the data type:
 * float_data (FLOAT), double_data (DOUBLE), int64_data (INT64), uint64_data (UINT32, UINT64), and
 * int32_data for every narrower type — INT32, INT16, INT8, UINT16, UINT8, BOOL, and FLOAT16 as its
 * IEEE bits in the low 16 bits.
 */
import { createRequire } from "node:module";
import type { onnx as OnnxTypes } from "onnx-proto";
import { decodeLittleEndian, encodeLittleEndian } from "./little-endian.js";
import { allocate, elementCount, f16BitsToNumber, makeTensor, numberToF16Bits, type DType, type Tensor } from "../interp/tensor.js";

// onnx-proto is CommonJS whose exports Node's ESM loader cannot name statically: import the
// module object and take the namespace from it.
// Loaded on first use: the generated protobuf code costs ~60 ms of start-up that most runs never need.
let onnxModule: typeof OnnxTypes | undefined;
function onnxTypes(): typeof OnnxTypes {
  onnxModule ??= (createRequire(import.meta.url)("onnx-proto") as { onnx: typeof OnnxTypes }).onnx;
  return onnxModule;
}

export type TensorProto = OnnxTypes.ITensorProto;

/** ONNX TensorProto.DataType codes this module converts, with the tensor dtype each becomes. */
const DTYPE_OF_ONNX: ReadonlyMap<number, DType> = new Map<number, DType>([
  [1, "f32"], // FLOAT
  [2, "u8"], // UINT8
  [3, "i8"], // INT8
  [4, "u16"], // UINT16
  [5, "i16"], // INT16
  [6, "i32"], // INT32
  [7, "i64"], // INT64
  [9, "i1"], // BOOL
  [10, "f16"], // FLOAT16
  [11, "f64"], // DOUBLE
  [12, "u32"], // UINT32
]);

const ONNX_OF_DTYPE: Readonly<Record<DType, number>> = {
  f32: 1,
  u8: 2,
  i8: 3,
  u16: 4,
  i16: 5,
  i32: 6,
  i64: 7,
  i1: 9,
  f16: 10,
  f64: 11,
  u32: 12,
};

const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
  8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
  15: "COMPLEX128", 16: "BFLOAT16",
};


/** Decodes a serialized TensorProto (an ONNX test-data `.pb` file). `source` names it in errors. */
export function readTensorProto(bytes: Uint8Array, source = "<TensorProto>"): { name: string; tensor: Tensor } {
  let proto: OnnxTypes.TensorProto;
  try {
    proto = onnxTypes().TensorProto.decode(bytes);
  } catch (e) {
    throw new Error(`${source}: not a valid ONNX TensorProto (${(e as Error).message})`);
  }
  return { name: proto.name ?? "", tensor: tensorFromProto(proto, source) };
}

/** Converts a (decoded or hand-built) TensorProto to a runtime tensor. */
export function tensorFromProto(proto: TensorProto, source = proto.name || "<TensorProto>"): Tensor {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  const code = proto.dataType ?? 0;
  const dtype = DTYPE_OF_ONNX.get(code);
  if (dtype === undefined) {
    return fail(`unsupported ONNX tensor data type ${ONNX_TYPE_NAMES[code] ?? "unknown"} (${code})`);
  }
  if (proto.dataLocation === 1) fail("tensor data is stored externally (data_location EXTERNAL); load the external file first");
  if (proto.segment) fail("segmented tensors are not supported");
  const shape = (proto.dims ?? []).map((d, i) => {
    const v = int64ToNumber(d);
    if (!Number.isSafeInteger(v) || v < 0) fail(`dim ${i} is ${String(v)}`);
    return v;
  });
  const count = elementCount(shape);
  const raw = proto.rawData;

  if (raw && raw.length > 0) {
    // Bytes per element on the wire; f16 is held in a Float32Array in memory but is 2 bytes here.
    const width = dtype === "f16" ? 2 : allocate(dtype, 0).BYTES_PER_ELEMENT;
    if (raw.length !== count * width) fail(`raw_data has ${raw.length} bytes, shape [${shape.join(",")}] of ${ONNX_TYPE_NAMES[code]} needs ${count * width}`);
    return makeTensor(dtype, shape, decodeLittleEndian(dtype, raw, count));
  }

  const data = allocate(dtype, count);
  const typed = (field: string, values: readonly unknown[] | null | undefined): readonly unknown[] => {
    const v = values ?? [];
    if (v.length !== count) fail(`${field} has ${v.length} values, shape [${shape.join(",")}] needs ${count}`);
    return v;
  };
  switch (dtype) {
    case "f32": {
      const v = typed("float_data", proto.floatData);
      for (let i = 0; i < count; i++) (data as Float32Array)[i] = Number(v[i]);
      break;
    }
    case "f64": {
      const v = typed("double_data", proto.doubleData);
      for (let i = 0; i < count; i++) (data as Float64Array)[i] = Number(v[i]);
      break;
    }
    case "i64": {
      const v = typed("int64_data", proto.int64Data);
      for (let i = 0; i < count; i++) (data as BigInt64Array)[i] = int64ToBigInt(v[i]);
      break;
    }
    case "u32": {
      const v = typed("uint64_data", proto.uint64Data);
      for (let i = 0; i < count; i++) (data as Uint32Array)[i] = Number(BigInt.asUintN(64, int64ToBigInt(v[i])));
      break;
    }
    case "f16": {
      // int32_data holds the half-precision bit patterns.
      const v = typed("int32_data", proto.int32Data);
      for (let i = 0; i < count; i++) (data as Float32Array)[i] = f16BitsToNumber(Number(v[i]) & 0xffff);
      break;
    }
    default: {
      // i32, i16, i8, u16, u8, i1: int32_data holds the values themselves; the typed array narrows.
      const v = typed("int32_data", proto.int32Data);
      const out = data as Int32Array | Int16Array | Int8Array | Uint16Array | Uint8Array;
      for (let i = 0; i < count; i++) out[i] = dtype === "i1" ? (Number(v[i]) !== 0 ? 1 : 0) : Number(v[i]);
    }
  }
  return makeTensor(dtype, shape, data);
}

/** Builds a TensorProto holding `tensor` in raw_data (the compact form ONNX tools write). */
export function tensorToProto(name: string, tensor: Tensor): OnnxTypes.TensorProto {
  const count = elementCount(tensor.shape);
  if (tensor.data.length !== count) {
    throw new RangeError(`tensorToProto(${name}): shape [${tensor.shape.join(",")}] needs ${count} elements, got ${tensor.data.length}`);
  }
  return onnxTypes().TensorProto.create({
    name,
    dataType: ONNX_OF_DTYPE[tensor.dtype],
    dims: [...tensor.shape],
    rawData: encodeLittleEndian(tensor),
  });
}

/** Serializes `tensor` as a TensorProto, the format of ONNX test-data `.pb` files. */
export function writeTensorProto(name: string, tensor: Tensor): Uint8Array {
  return onnxTypes().TensorProto.encode(tensorToProto(name, tensor)).finish();
}

/**
 * protobufjs yields 64-bit integer fields as numbers, or as `Long` objects ({low, high, unsigned})
 * when the `long` package is installed (it is, under onnx-proto); accept both, and bigint.
 */
function int64ToBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  if (typeof v === "string") return BigInt(v);
  if (typeof v === "object" && v !== null && "low" in v && "high" in v) {
    const { low, high } = v as { low: number; high: number };
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  }
  throw new TypeError(`not a 64-bit integer: ${String(v)}`);
}

function int64ToNumber(v: unknown): number {
  return Number(int64ToBigInt(v));
}
