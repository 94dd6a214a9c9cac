/**
 * ONNX backend node tests (shared/conformance/onnx) through the importer: every folder found there is
 * imported, interpreted and compared with its output_N.pb bit for bit, so new vectors are picked up
 * without editing this file. Each folder holds one node; scale and zero-point inputs are bound as
 * constants (`constantInputs`: qopt's quant types and hw attributes need them at compile time), the
 * data inputs are fed at run time. The printed module is parsed back and must give the same outputs.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { readTensorProto } from "../../src/io/onnx-tensor.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { importVerified, sharedPath } from "./onnx-model.js";

const { onnx } = onnxProto;
const root = sharedPath("conformance", "onnx");

/**
 * Per ONNX op type: the node inputs fed at run time (every other graph input is bound as a constant)
 * and the op the import must produce. A folder whose op is missing here fails with a request to add it.
 */
const OPS: Readonly<Record<string, { readonly data: readonly number[]; readonly emits: RegExp }>> = {
  QuantizeLinear: { data: [0], emits: /"quant\.qcast"/ },
  DequantizeLinear: { data: [0], emits: /"quant\.dcast"/ },
  QLinearMatMul: { data: [0, 3], emits: /"hw\.matmul"/ },
  MatMulInteger: { data: [0, 1], emits: /"hw\.matmul"/ },
  QLinearConv: { data: [0], emits: /"hw\.(depthwise_)?conv2d"/ },
  ConvInteger: { data: [0], emits: /"hw\.(depthwise_)?conv2d"/ },
  DynamicQuantizeLinear: { data: [0], emits: /"hw\.dynamic_quantize"/ },
};

function readPb(file: string): Tensor {
  return readTensorProto(new Uint8Array(readFileSync(file)), file).tensor;
}

/** input_N.pb / output_N.pb of test_data_set_0, in N order. */
function dataSet(name: string): { inputs: Tensor[]; outputs: Tensor[] } {
  const dir = path.join(root, name, "test_data_set_0");
  const files = readdirSync(dir);
  const pick = (prefix: string) =>
    files
      .filter((f) => f.startsWith(prefix) && f.endsWith(".pb"))
      .sort((a, b) => parseInt(a.slice(prefix.length)) - parseInt(b.slice(prefix.length)))
      .map((f) => readPb(path.join(dir, f)));
  return { inputs: pick("input_"), outputs: pick("output_") };
}

function expectSame(actual: readonly Tensor[], expected: readonly Tensor[], label: string): void {
  expect(actual.length, `${label}: number of outputs`).toBe(expected.length);
  expected.forEach((e, i) => {
    const y = actual[i]!;
    expect(y.dtype, `${label}: output ${i} dtype`).toBe(e.dtype);
    expect(y.shape, `${label}: output ${i} shape`).toEqual(e.shape);
    expect(Array.from(y.data as ArrayLike<number>), `${label}: output ${i} values`).toEqual(Array.from(e.data as ArrayLike<number>));
  });
}

const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("ONNX conformance node tests", () => {
  it("finds the vectors", () => {
    expect(folders.length).toBeGreaterThanOrEqual(14);
  });

  for (const name of folders) {
    it(`${name} matches its outputs bit for bit`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(root, name, "model.onnx")));
      const graph = onnx.ModelProto.decode(bytes).graph!;
      expect(graph.node?.length, `${name} has one node`).toBe(1);
      const node = graph.node![0]!;
      const rule = OPS[node.opType ?? ""];
      if (!rule) throw new Error(`${name}: no rule for ${node.opType} in OPS (which of its inputs are run-time data, which op it imports to)`);
      const { inputs, outputs } = dataSet(name);
      const graphInputs = (graph.input ?? []).map((i) => i.name ?? "");
      expect(inputs.length, `${name}: one input_N.pb per graph input`).toBe(graphInputs.length);
      const data = new Set(rule.data.map((i) => node.input![i]!));
      const constantInputs: Record<string, Tensor> = {};
      const feeds: Record<string, Tensor> = {};
      graphInputs.forEach((n, i) => ((data.has(n) ? feeds : constantInputs)[n] = inputs[i]!));

      const module = importVerified(bytes, { filename: `${name}/model.onnx`, constantInputs });
      const text = printModule(module);
      expect(text).toMatch(rule.emits);
      expectSame(interpret(module, feeds), outputs, name);

      // The printed form carries everything (scales as exact f64 literals, zero points, layouts).
      const reparsed = parseModule(text, { filename: `${name}.mlir` });
      expect(verifyModule(reparsed)).toEqual([]);
      expectSame(interpret(reparsed, feeds), outputs, `${name} (printed and parsed)`);
    });
  }
});
