/**
 * Runs one ONNX op in ONNX Runtime (CPU, one thread) as an independent reference for the float
 * kernels. The model is built in memory with onnx-proto. ORT is NCHW/OIHW, so callers transpose.
 */
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";

const { onnx } = onnxProto;

export interface OrtTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type OrtAttribute = number | readonly number[] | string;

function attributeProto(name: string, value: OrtAttribute): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "string") return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? onnx.AttributeProto.create({ name, type: T.INT, i: value })
      : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  }
  return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...value] });
}

function valueInfo(name: string, shape?: readonly number[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: shape === undefined ? undefined : { dim: shape.map((d) => ({ dimValue: d })) },
      },
    },
  });
}

/**
 * Builds a single-node model: `inputs` are graph inputs (fed at run time), `initializers` are
 * constant operands; operand order is inputs then initializers. Returns the single output.
 */
export async function runOnnxOp(
  opType: string,
  inputs: Readonly<Record<string, OrtTensor>>,
  initializers: Readonly<Record<string, OrtTensor>>,
  attributes: Readonly<Record<string, OrtAttribute>> = {},
  opset = 13,
): Promise<OrtTensor> {
  const inputNames = Object.keys(inputs);
  const initNames = Object.keys(initializers);
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "qopt-test",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: `single_${opType}`,
      node: [{ opType, name: opType, input: [...inputNames, ...initNames], output: ["Y"], attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)) }],
      initializer: initNames.map((name) => {
        const t = initializers[name]!;
        return onnx.TensorProto.create({
          name,
          dataType: onnx.TensorProto.DataType.FLOAT,
          dims: [...t.shape],
          floatData: Array.from(t.data),
        });
      }),
      input: inputNames.map((name) => valueInfo(name, inputs[name]!.shape)),
      output: [valueInfo("Y")],
    },
  });
  const bytes = onnx.ModelProto.encode(model).finish();
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of inputNames) feeds[name] = new ort.Tensor("float32", inputs[name]!.data, [...inputs[name]!.shape]);
    const result = await session.run(feeds);
    const y = result["Y"]!;
    return { shape: [...y.dims], data: y.data as Float32Array };
  } finally {
    await session.release();
  }
}

/** Naive permutation (independent of the shape-ops kernel): out dim i = in dim perm[i]. */
export function permute(t: OrtTensor, perm: readonly number[]): OrtTensor {
  const shape = perm.map((p) => t.shape[p]!);
  const inStrides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(t.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < out.length; n++) {
    let src = 0;
    for (let i = 0; i < shape.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[n] = t.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;
