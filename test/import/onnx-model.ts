/**
 * Test support for the ONNX importer: small models built in memory with onnx-proto, ONNX Runtime
 * (CPU, one thread) as the reference, qopt's interpreter on the imported program, and the
 * comparison rule (max |qopt − ORT| ≤ 1e-4 · max |ORT|).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import "../../src/registry.js";
import { importOnnx, type OnnxImportOptions } from "../../src/import/onnx/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { DType, Tensor } from "../../src/interp/tensor.js";
import { makeTensor } from "../../src/interp/tensor.js";
import type { Module } from "../../src/ir/operation.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { formatDiagnostic } from "../../src/ir/diagnostic.js";
import { tensorToProto } from "../../src/io/onnx-tensor.js";
import { rng } from "../support/random.js";
export { rng };

const { onnx } = onnxProto;
const AttrType = onnx.AttributeProto.AttributeType;

/** Attribute values: integers are INT, `{ f }` FLOAT, arrays INTS, `{ floats }` FLOATS, strings STRING, `{ t }` TENSOR. */
export type AttrValue = number | readonly number[] | string | { f: number } | { floats: readonly number[] } | { t: Tensor };

export const float = (f: number): { f: number } => ({ f });

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attrs?: Readonly<Record<string, AttrValue>>;
}

export interface ValueSpec {
  name: string;
  /** Dims; strings are symbolic (dim_param). Omitted: no shape. */
  shape?: readonly (number | string)[];
  /** ONNX data type code; default 1 (FLOAT). */
  elemType?: number;
}

export interface ModelSpec {
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  nodes: readonly NodeSpec[];
  initializers?: Readonly<Record<string, Tensor>>;
  opset?: number;
}

function attributeProto(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  if (typeof v === "string") return onnx.AttributeProto.create({ name, type: AttrType.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === "number") return onnx.AttributeProto.create({ name, type: AttrType.INT, i: v });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: AttrType.INTS, ints: [...(v as number[])] });
  if ("f" in v) return onnx.AttributeProto.create({ name, type: AttrType.FLOAT, f: v.f });
  if ("floats" in v) return onnx.AttributeProto.create({ name, type: AttrType.FLOATS, floats: [...v.floats] });
  return onnx.AttributeProto.create({ name, type: AttrType.TENSOR, t: tensorToProto(name, v.t) });
}

function valueInfo(v: ValueSpec): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType ?? 1,
        ...(v.shape ? { shape: { dim: v.shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } : {}),
      },
    },
  });
}

/** Serializes a one-graph ModelProto. */
export function buildModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "qopt-test",
    opsetImport: [{ domain: "", version: spec.opset ?? 13 }],
    graph: {
      name: "test",
      node: spec.nodes.map((n, i) =>
        onnx.NodeProto.create({
          opType: n.op,
          name: n.name ?? `${n.op.toLowerCase()}_${i}`,
          input: [...n.inputs],
          output: [...n.outputs],
          ...(n.domain ? { domain: n.domain } : {}),
          attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeProto(k, v)),
        }),
      ),
      initializer: Object.entries(spec.initializers ?? {}).map(([name, t]) => tensorToProto(name, t)),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

// ------------------------------------------------------------------ data


/** Uniform floats in [lo, hi). */
export function randomTensor(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * r();
  return makeTensor("f32", shape, data);
}

export function tensor(dtype: DType, shape: readonly number[], values: readonly number[]): Tensor {
  const t = makeTensor(dtype, shape);
  if (t.data instanceof BigInt64Array) values.forEach((v, i) => ((t.data as BigInt64Array)[i] = BigInt(v)));
  else values.forEach((v, i) => ((t.data as Float32Array)[i] = v));
  return t;
}

// ------------------------------------------------------------------ running

const ORT_TYPES: Partial<Record<DType, ort.Tensor.Type>> = {
  f32: "float32", u8: "uint8", i8: "int8", u16: "uint16", i16: "int16", i32: "int32", i64: "int64", f64: "float64",
};
const DTYPE_OF_ORT: Readonly<Record<string, DType>> = {
  float32: "f32", uint8: "u8", int8: "i8", uint16: "u16", int16: "i16", int32: "i32", int64: "i64", float64: "f64",
};

/**
 * Runs the model in ONNX Runtime (CPU, one intra-op thread). `optimize: false` disables graph
 * optimizations so QDQ pairs run as written instead of being fused into integer kernels.
 */
export async function runOrt(bytes: Uint8Array, inputs: Readonly<Record<string, Tensor>>, options: { optimize?: boolean } = {}): Promise<Tensor[]> {
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    ...(options.optimize === false ? { graphOptimizationLevel: "disabled" as const } : {}),
  });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(ORT_TYPES[t.dtype]!, t.data as Float32Array, [...t.shape]);
    const result = await session.run(feeds);
    return session.outputNames.map((name) => {
      const y = result[name]!;
      return makeTensor(DTYPE_OF_ORT[y.type] ?? "f32", [...y.dims], y.data as Float32Array);
    });
  } finally {
    await session.release();
  }
}

/** Imports, verifies (every op registered) and returns the module. */
export function importVerified(bytes: Uint8Array, options: OnnxImportOptions = {}): Module {
  const module = importOnnx(bytes, options);
  const errors = verifyModule(module);
  if (errors.length > 0) throw new Error(`imported module does not verify:\n${errors.map((d) => formatDiagnostic(d)).join("\n")}`);
  return module;
}

/** max |a − b| and max |b|. */
export function diff(actual: Tensor, expected: Tensor): { maxAbs: number; maxRef: number } {
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const e = Number(expected.data[i]);
    maxAbs = Math.max(maxAbs, Math.abs(Number(actual.data[i]) - e));
    maxRef = Math.max(maxRef, Math.abs(e));
  }
  return { maxAbs, maxRef };
}

/** Asserts shape and dtype equality and max |a − b| ≤ 1e-4 · max |b|. */
export function expectClose(actual: Tensor, expected: Tensor, label = ""): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const { maxAbs, maxRef } = diff(actual, expected);
  expect(maxAbs, `${label} max |qopt − ORT| (max |ORT| = ${maxRef})`).toBeLessThanOrEqual(1e-4 * Math.max(maxRef, 1e-30));
}

/**
 * Builds the model, runs it in ORT and through qopt (import → verify → interpret) on the same
 * inputs, and compares every output. Returns the imported module for further checks.
 */
export async function checkAgainstOrt(spec: ModelSpec, inputs: Readonly<Record<string, Tensor>>, options: { optimize?: boolean } = {}): Promise<Module> {
  const bytes = buildModel(spec);
  const module = importVerified(bytes);
  const expected = await runOrt(bytes, inputs, options);
  const actual = interpret(module, inputs);
  expect(actual.length).toBe(expected.length);
  actual.forEach((t, i) => expectClose(t, expected[i]!, spec.outputs[i]?.name ?? `output ${i}`));
  return module;
}

// ------------------------------------------------------------------ shared data

/** The directory holding package.json, found by walking up from this file. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find package.json above test/import");
    dir = parent;
  }
  return dir;
}

/** `../shared/<rel>` beside the repository root; a clear failure when it is absent. */
export function sharedPath(...rel: string[]): string {
  const shared = path.resolve(repoRoot(), "../shared");
  if (!existsSync(shared)) throw new Error(`shared data directory not found at ${shared} (expected ../shared beside the repository root)`);
  const p = path.join(shared, ...rel);
  if (!existsSync(p)) throw new Error(`missing shared test data: ${p}`);
  return p;
}
