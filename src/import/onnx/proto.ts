/**
 * Reading ONNX protobuf messages (onnx/onnx.proto3) through onnx-proto: model decoding, node
 * attributes, element types and value-info shapes.
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import type { Type } from "../../ir/types.js";
import { f16, f32, f64, i1, i8, i16, i32, i64, integerType } from "../../ir/types.js";
import { DYNAMIC } from "../../ir/types.js";
import type { Tensor } from "../../interp/tensor.js";
import { tensorFromProto } from "../../io/onnx-tensor.js";
import { OnnxImportError } from "./errors.js";

// onnx-proto is CommonJS; Node's ESM loader cannot name its exports statically.
const { onnx } = onnxProto;

export type ModelProto = OnnxTypes.IModelProto;
export type GraphProto = OnnxTypes.IGraphProto;
export type NodeProto = OnnxTypes.INodeProto;
export type AttributeProto = OnnxTypes.IAttributeProto;
export type ValueInfoProto = OnnxTypes.IValueInfoProto;
export type TensorProto = OnnxTypes.ITensorProto;

/** Decodes a serialized ModelProto; `source` names the file in errors. */
export function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(`${source}: not a valid ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  if (!model.graph) throw new OnnxImportError(`${source}: not a valid ONNX model (it has no graph)`);
  return model;
}

/**
 * protobufjs yields 64-bit integers as numbers or as `Long` objects ({low, high}) depending on
 * whether the `long` package is installed; both become numbers here (dims and attributes are small).
 */
export function int64(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") return Number(v);
  if (typeof v === "object" && v !== null && "low" in v && "high" in v) {
    const { low, high } = v as { low: number; high: number };
    return Number(BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)));
  }
  return NaN;
}

/** The opset version of the default ONNX domain ("" or "ai.onnx"); ONNX IR < 3 implies opset 1. */
export function defaultOpset(model: ModelProto): number {
  for (const o of model.opsetImport ?? []) {
    if (!o.domain || o.domain === "ai.onnx") return int64(o.version);
  }
  return 1;
}

/** ONNX TensorProto.DataType codes and the MLIR element type each imports as. */
const ELEMENT_TYPES: ReadonlyMap<number, Type> = new Map<number, Type>([
  [1, f32], // FLOAT
  [2, integerType(8, "unsigned")], // UINT8
  [3, i8], // INT8
  [4, integerType(16, "unsigned")], // UINT16
  [5, i16], // INT16
  [6, i32], // INT32
  [7, i64], // INT64
  [9, i1], // BOOL
  [10, f16], // FLOAT16
  [11, f64], // DOUBLE
  [12, integerType(32, "unsigned")], // UINT32
]);

export const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
  8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
  15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2",
  20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1",
};

/** The MLIR element type of an ONNX data type code, or undefined when qopt has none. */
export function elementTypeOf(code: number): Type | undefined {
  return ELEMENT_TYPES.get(code);
}

/** The MLIR element type of a runtime tensor's dtype (for folded constants such as Shape's int64 result). */
export function elementTypeOfTensor(t: Tensor): Type {
  switch (t.dtype) {
    case "f32": return f32;
    case "f16": return f16;
    case "f64": return f64;
    case "i1": return i1;
    case "i8": return i8;
    case "u8": return integerType(8, "unsigned");
    case "i16": return i16;
    case "u16": return integerType(16, "unsigned");
    case "i32": return i32;
    case "u32": return integerType(32, "unsigned");
    case "i64": return i64;
  }
}

export interface ValueInfo {
  readonly name: string;
  /** ONNX data type code. */
  readonly elemType: number;
  /** Dims in ONNX order, DYNAMIC (-1) for symbolic or unknown dims; null when the rank is unknown. */
  readonly shape: readonly number[] | null;
}

/** Name, element type and shape of a graph input or output. */
export function readValueInfo(info: ValueInfoProto, source: string): ValueInfo {
  const name = info.name ?? "";
  const tensorType = info.type?.tensorType;
  if (!tensorType) throw new OnnxImportError(`${source}: graph value '${name}' is not a tensor (sequences, maps and optionals are not supported)`);
  const elemType = tensorType.elemType ?? 0;
  let shape: number[] | null = null;
  if (tensorType.shape) {
    shape = (tensorType.shape.dim ?? []).map((d) => {
      if (d.dimParam) return DYNAMIC;
      if (Object.hasOwn(d, "dimValue") && d.dimValue !== null && d.dimValue !== undefined) {
        const v = int64(d.dimValue);
        return Number.isSafeInteger(v) && v >= 0 ? v : DYNAMIC;
      }
      return DYNAMIC;
    });
  }
  return { name, elemType, shape };
}

/** Converts an initializer or a tensor attribute to a runtime tensor, with errors naming the file. */
export function readTensor(proto: TensorProto, source: string, what: string): Tensor {
  try {
    return tensorFromProto(proto, what);
  } catch (e) {
    throw new OnnxImportError(`${source}: ${(e as Error).message}`);
  }
}

const AttributeType = onnx.AttributeProto.AttributeType;

/** Typed access to one node's attributes; errors name the node. */
export class NodeAttributes {
  private readonly byName = new Map<string, AttributeProto>();

  constructor(
    node: NodeProto,
    private readonly where: string,
  ) {
    for (const a of node.attribute ?? []) if (a.name) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  private get(name: string, type: number, typeName: string): AttributeProto | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    // Old exporters leave `type` unset; accept the attribute when its field is present.
    if (a.type !== undefined && a.type !== null && a.type !== 0 && a.type !== type) {
      throw new OnnxImportError(`${this.where}: attribute '${name}' must be ${typeName}`);
    }
    return a;
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.get(name, AttributeType.INT, "an int");
    return a ? int64(a.i ?? 0) : fallback;
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.get(name, AttributeType.FLOAT, "a float");
    return a ? Number(a.f ?? 0) : fallback;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const a = this.get(name, AttributeType.STRING, "a string");
    return a ? new TextDecoder().decode(a.s ?? new Uint8Array()) : fallback;
  }

  ints(name: string, fallback: readonly number[]): readonly number[];
  ints(name: string): readonly number[] | undefined;
  ints(name: string, fallback?: readonly number[]): readonly number[] | undefined {
    const a = this.get(name, AttributeType.INTS, "a list of ints");
    return a ? (a.ints ?? []).map((v) => int64(v)) : fallback;
  }

  floats(name: string): readonly number[] | undefined {
    const a = this.get(name, AttributeType.FLOATS, "a list of floats");
    return a ? (a.floats ?? []).map(Number) : undefined;
  }

  tensor(name: string): TensorProto | undefined {
    const a = this.get(name, AttributeType.TENSOR, "a tensor");
    return a ? a.t ?? undefined : undefined;
  }

  kind(name: string): number | undefined {
    const a = this.byName.get(name);
    return a ? a.type ?? undefined : undefined;
  }
}
