/**
 * A small builder for ONNX graphs (onnx-proto), used to make the benchmark models in code: the ONNX
 * backend-test "light" models are not available offline, so the benchmarks build networks of the same
 * architectures with seeded pseudo-random weights.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export type AttributeValue = number | readonly number[] | string;

/** Element types the builder writes (ONNX TensorProto.DataType names). */
export type ElementType = "float" | "int8" | "uint8" | "int32" | "int64";

export type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

const DATA_TYPE: Record<ElementType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

function elementTypeOf(data: TensorData): ElementType {
  if (data instanceof Float32Array) return "float";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int32Array) return "int32";
  return "int64";
}

function attributeProto(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "string") return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (typeof value === "number") {
    return Number.isInteger(value) ? onnx.AttributeProto.create({ name, type: T.INT, i: value }) : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  }
  return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...value] });
}

function valueInfo(name: string, type: ElementType, shape: readonly number[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: DATA_TYPE[type], shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
  });
}

/** Accumulates nodes and initializers; `encode` returns the serialized ModelProto. */
export class OnnxGraph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private counter = 0;

  constructor(
    readonly name: string,
    readonly opset = 13,
  ) {}

  input(name: string, type: ElementType, shape: readonly number[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  output(name: string, type: ElementType, shape: readonly number[]): void {
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** A constant operand; the data is stored as raw little-endian bytes (the compact TensorProto form). */
  initializer(name: string, dims: readonly number[], data: TensorData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new RangeError(`initializer ${name}: ${data.length} values for shape [${dims.join(",")}]`);
    const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push(onnx.TensorProto.create({ name, dataType: DATA_TYPE[elementTypeOf(data)], dims: [...dims], rawData }));
    return name;
  }

  /** A scalar constant (rank 0), e.g. a quantization scale or zero point. */
  scalar(name: string, data: TensorData): string {
    return this.initializer(name, [], data);
  }

  /**
   * Adds a node; returns its output names. `outputs` may be a count (names are generated from
   * `label`) or explicit names.
   */
  node(opType: string, inputs: readonly string[], label: string, attributes: Readonly<Record<string, AttributeValue>> = {}, outputs: number | readonly string[] = 1): string[] {
    const names = typeof outputs === "number" ? Array.from({ length: outputs }, (_, i) => (outputs === 1 ? label : `${label}_${i}`)) : [...outputs];
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: `${label}#${this.counter++}`,
        input: [...inputs],
        output: names,
        attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
      }),
    );
    return names;
  }

  /** Single-output `node`. */
  op(opType: string, inputs: readonly string[], label: string, attributes: Readonly<Record<string, AttributeValue>> = {}): string {
    return this.node(opType, inputs, label, attributes, 1)[0]!;
  }

  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "qopt-bench",
      opsetImport: [{ domain: "", version: this.opset }],
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** A generated benchmark model: its bytes, its single input and output, and its multiply-accumulates. */
export interface BenchModel {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inputName: string;
  /** NCHW, as ONNX Runtime takes it. */
  readonly inputShape: readonly number[];
  readonly inputType: ElementType;
  readonly outputName: string;
  readonly outputShape: readonly number[];
  /** Multiply-accumulates of the conv and gemm layers (for GMAC/s figures). */
  readonly macs: number;
}

/** Output extent of a conv or pool window (ONNX formula; ceil mode as ONNX Runtime applies it). */
export function windowOutput(input: number, kernel: number, stride: number, padBegin: number, padEnd: number, ceilMode = false): number {
  const span = input + padBegin + padEnd - kernel;
  if (!ceilMode) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  // The last window must start inside the input or the leading padding.
  if ((out - 1) * stride >= input + padBegin) out--;
  return out;
}
