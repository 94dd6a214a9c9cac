/**
 * Import failures are one clear message: unsupported ops (all of them, with node names), malformed
 * files, missing files, unsupported configurations of supported ops.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importOnnx, importOnnxFile, OnnxImportError } from "../../src/import/onnx/index.js";
import { buildModel, randomTensor, tensor } from "./onnx-model.js";

function importError(bytes: Uint8Array): string {
  try {
    importOnnx(bytes, { filename: "model.onnx" });
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return (e as Error).message;
  }
  throw new Error("import succeeded");
}

describe("import errors", () => {
  it("lists every unsupported op type with its nodes in one message", () => {
    const bytes = buildModel({
      inputs: [{ name: "x", shape: [1, 4] }],
      outputs: [{ name: "y" }],
      nodes: [
        { op: "Foo", name: "a", inputs: ["x"], outputs: ["a"] },
        { op: "Relu", name: "r", inputs: ["a"], outputs: ["r"] },
        { op: "Foo", name: "b", inputs: ["r"], outputs: ["b"] },
        { op: "Bar", name: "c", inputs: ["b"], outputs: ["y"] },
      ],
    });
    expect(importError(bytes)).toBe("model.onnx: unsupported ONNX ops: Foo (nodes: a, b), Bar (node: c)");
  });

  it("names other domains and unnamed nodes", () => {
    const bytes = buildModel({
      inputs: [{ name: "x", shape: [2, 2], elemType: 2 }],
      outputs: [{ name: "y", elemType: 6 }],
      nodes: [
        { op: "FusedGemm", domain: "com.microsoft", name: "fg", inputs: ["x"], outputs: ["f"] },
        { op: "MatMulNBits", name: "", inputs: ["f", "f"], outputs: ["y"] },
      ],
    });
    expect(importError(bytes)).toBe("model.onnx: unsupported ONNX ops: com.microsoft.FusedGemm (node: fg), MatMulNBits (node: #1:y)");
  });

  it("reports malformed protobuf and missing files without a stack", () => {
    expect(importError(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]))).toMatch(/^model\.onnx: not a valid ONNX model \(protobuf decoding failed: .+\)$/);
    expect(importError(new Uint8Array())).toBe("model.onnx: not a valid ONNX model (it has no graph)");
    expect(() => importOnnxFile("/nonexistent/model.onnx")).toThrow("cannot read '/nonexistent/model.onnx': no such file or directory");
  });

  it("explains unsupported configurations of supported ops, naming the node", () => {
    const reshape = buildModel({
      inputs: [{ name: "x", shape: [2, 6] }, { name: "s", shape: [2], elemType: 7 }],
      outputs: [{ name: "y" }],
      nodes: [{ op: "Reshape", name: "rs", inputs: ["x", "s"], outputs: ["y"] }],
    });
    expect(importError(reshape)).toBe(
      "model.onnx: node 'rs' (Reshape): the shape input ('s') must be a constant (an initializer or a Constant node); qopt does not compute it at run time",
    );
    const conv3d = buildModel({
      inputs: [{ name: "x", shape: [1, 1, 4, 4, 4] }],
      outputs: [{ name: "y" }],
      initializers: { w: randomTensor([2, 1, 3, 3, 3], 1) },
      nodes: [{ op: "Conv", name: "c3", inputs: ["x", "w"], outputs: ["y"] }],
    });
    expect(importError(conv3d)).toBe("model.onnx: node 'c3' (Conv): only 2-D convolution (rank-4 input and weights) is supported, got input rank 5");
    const dynamicShape = buildModel({
      inputs: [{ name: "x", shape: ["N", 3] }],
      outputs: [{ name: "y" }],
      initializers: { i: tensor("i64", [], [0]) },
      nodes: [
        { op: "Shape", name: "sh", inputs: ["x"], outputs: ["s"] },
        { op: "Gather", name: "g", inputs: ["s", "i"], outputs: ["y"] },
      ],
    });
    expect(importError(dynamicShape)).toBe("model.onnx: node 'sh' (Shape): 'x' has dynamic dims [?, 3]; qopt folds Shape only for static shapes");
    const quantScale = buildModel({
      inputs: [{ name: "x", shape: [4] }, { name: "s", shape: [] }],
      outputs: [{ name: "y", elemType: 2 }],
      nodes: [{ op: "QuantizeLinear", name: "q", inputs: ["x", "s"], outputs: ["y"] }],
    });
    expect(importError(quantScale)).toBe("model.onnx: node 'q' (QuantizeLinear): the scale ('s') must be a constant (an initializer or a Constant node); qopt does not compute it at run time");
  });

  it("reports a graph input bound to a constant that does not exist", () => {
    const bytes = buildModel({ inputs: [{ name: "x", shape: [1] }], outputs: [{ name: "x" }], nodes: [] });
    expect(() => importOnnx(bytes, { constantInputs: { nope: tensor("f32", [], [1]) } })).toThrow("model.onnx: there is no graph input 'nope' to bind to a constant");
  });

  it("reads a file from disk and names it in messages", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "qopt-import-"));
    const file = path.join(dir, "bad.onnx");
    writeFileSync(file, new Uint8Array([1, 2, 3]));
    expect(() => importOnnxFile(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not a valid ONNX model`));
    expect(readFileSync(file).length).toBe(3);
  });
});
