/**
 * ONNX backend node tests (shared/conformance/onnx) through the importer. QuantizeLinear and
 * DequantizeLinear (per tensor, per axis, int16, uint16) must match output_0.pb bit for bit; their
 * scale and zero-point inputs are bound as constants (qopt's quant types need them at compile time).
 * The integer ops wait for the hw dialect and must be reported as such.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { importOnnx } from "../../src/import/onnx/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { readTensorProto } from "../../src/io/onnx-tensor.js";
import { printModule } from "../../src/syntax/printer.js";
import { importVerified, sharedPath } from "./onnx-model.js";

const { onnx } = onnxProto;
const root = sharedPath("conformance", "onnx");

const FLOAT_DOMAIN = [
  "test_quantizelinear",
  "test_quantizelinear_axis",
  "test_quantizelinear_int16",
  "test_quantizelinear_uint16",
  "test_dequantizelinear",
  "test_dequantizelinear_axis",
  "test_dequantizelinear_int16",
  "test_dequantizelinear_uint16",
];

const PENDING_HW = [
  ["test_dynamicquantizelinear", "DynamicQuantizeLinear"],
  ["test_matmulinteger", "MatMulInteger"],
  ["test_qlinearmatmul_2D_int8_float16", "QLinearMatMul"],
  ["test_qlinearmatmul_2D_int8_float32", "QLinearMatMul"],
  ["test_qlinearmatmul_2D_uint8_float16", "QLinearMatMul"],
  ["test_qlinearmatmul_2D_uint8_float32", "QLinearMatMul"],
] as const;

function readPb(file: string): Tensor {
  return readTensorProto(new Uint8Array(readFileSync(file)), file).tensor;
}

function dataSet(name: string): { inputs: Tensor[]; outputs: Tensor[] } {
  const dir = path.join(root, name, "test_data_set_0");
  const files = readdirSync(dir).sort();
  const pick = (prefix: string) => files.filter((f) => f.startsWith(prefix)).sort((a, b) => parseInt(a.slice(prefix.length)) - parseInt(b.slice(prefix.length))).map((f) => readPb(path.join(dir, f)));
  return { inputs: pick("input_"), outputs: pick("output_") };
}

describe("ONNX conformance node tests", () => {
  it("covers every folder", () => {
    const all = readdirSync(root).sort();
    expect(all).toEqual([...FLOAT_DOMAIN, ...PENDING_HW.map(([n]) => n)].sort());
  });

  for (const name of FLOAT_DOMAIN) {
    it(`${name} matches output_0.pb bit for bit`, () => {
      const { inputs, outputs } = dataSet(name);
      // input_0 is x; input_1 / input_2 are the scale and zero point.
      const bytes = new Uint8Array(readFileSync(path.join(root, name, "model.onnx")));
      const argNames = (onnx.ModelProto.decode(bytes).graph?.input ?? []).map((i) => i.name ?? "");
      const constantInputs = Object.fromEntries(argNames.slice(1).map((n, i) => [n, inputs[i + 1]!]));
      const module = importVerified(bytes, { filename: `${name}/model.onnx`, constantInputs });
      const text = printModule(module);
      expect(text).toContain(name.startsWith("test_quantize") ? '"quant.qcast"' : '"quant.dcast"');
      const [y] = interpret(module, [inputs[0]!]);
      const expected = outputs[0]!;
      expect(y!.dtype).toBe(expected.dtype);
      expect(y!.shape).toEqual(expected.shape);
      expect(Array.from(y!.data as ArrayLike<number>)).toEqual(Array.from(expected.data as ArrayLike<number>));
    });
  }

  for (const [name, op] of PENDING_HW) {
    it(`${name}: ${op} is reported as pending the hw dialect`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(root, name, "model.onnx")));
      expect(() => importOnnx(bytes, { filename: "model.onnx" })).toThrow(
        new RegExp(`^model\\.onnx: unsupported ONNX ops: ${op} \\(node: #0:\\w+\\); pending the hw dialect: ${op}$`),
      );
    });
  }
});
