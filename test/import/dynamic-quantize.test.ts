/**
 * DynamicQuantizeLinear → `hw.dynamic_quantize`: the import against ONNX Runtime bit for bit (y,
 * y_scale and y_zero_point), ties pinned, the all-zero input ORT answers with scale 1, layouts (the
 * op runs wherever its input lives; y is transposed back with `hw.transpose`), and the op's own
 * verifier and kernel.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dynamicQuantize } from "../../dialects/hw/kernels/dynamic-quantize.js";
import { interpret } from "../../src/interp/interpreter.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { formatDiagnostic } from "../../src/ir/diagnostic.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import type { ModelSpec } from "./onnx-model.js";
import { buildModel, importVerified, randomTensor, runOrt, tensor } from "./onnx-model.js";

const OUTPUTS = [
  { name: "y", elemType: 2 },
  { name: "y_scale", elemType: 1 },
  { name: "y_zero_point", elemType: 2 },
];

function model(shape: readonly number[]): ModelSpec {
  return {
    inputs: [{ name: "x", shape: [...shape] }],
    outputs: OUTPUTS,
    nodes: [{ op: "DynamicQuantizeLinear", name: "dql", inputs: ["x"], outputs: ["y", "y_scale", "y_zero_point"] }],
    opset: 11,
  };
}

const values = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number>);

/** Runs `spec` in qopt and ORT on `x` and expects the same three outputs; returns qopt's and the module text. */
async function expectOrtExact(spec: ModelSpec, x: Tensor): Promise<{ outputs: Tensor[]; text: string }> {
  const bytes = buildModel(spec);
  const module = importVerified(bytes);
  const outputs = interpret(module, { x });
  const ref = await runOrt(bytes, { x });
  expect(outputs.map((t) => [t.dtype, t.shape])).toEqual(ref.map((t) => [t.dtype, t.shape]));
  outputs.forEach((t, i) => expect(values(t), OUTPUTS[i]!.name).toEqual(values(ref[i]!)));
  return { outputs, text: printModule(module) };
}

describe("DynamicQuantizeLinear → hw.dynamic_quantize, bit-exact with ONNX Runtime", () => {
  it.each([
    ["mixed signs", randomTensor([3, 17], 1, -3, 5)],
    ["all positive", randomTensor([40], 2, 0.5, 7)],
    ["all negative", randomTensor([2, 2, 9], 3, -9, -0.01)],
    ["tiny range", randomTensor([64], 4, -1e-6, 3e-6)],
    ["wide range", randomTensor([5, 50], 5, -2e4, 1e3)],
  ])("%s", async (_label, x) => {
    const { text } = await expectOrtExact(model(x.shape), x);
    expect(text).toContain('"hw.dynamic_quantize"');
  });

  it("an all-zero input gives scale 1 and zero point 0 (ORT; the ONNX formula would divide by zero)", async () => {
    const x = tensor("f32", [7], [0, 0, 0, -0, 0, 0, 0]);
    const { outputs } = await expectOrtExact(model([7]), x);
    expect(outputs.map(values)).toEqual([[0, 0, 0, 0, 0, 0, 0], [1], [0]]);
  });

  it.each([
    ["a scale that underflows to 0 (zp: C++ clamps NaN to 255)", [1.4e-45, 0, 0]],
    ["a negative denormal", [-1.4e-45, 0, 0]],
    ["an infinite scale (−∞ in x)", [-Infinity, 1, 0]],
    ["a range that overflows float32", [3e38, -3e38, 0]],
    ["a NaN element (skipped for the range, quantized to 0)", [1, Number.NaN, 2, 3, 4, -5]],
  ])("edge case: %s", async (_label, v) => {
    const x = tensor("f32", [v.length], v);
    await expectOrtExact(model(x.shape), x);
  });

  it("rounds the zero point and the values half to even", async () => {
    // min −1.5, max 253.5: scale 1, zp = round_half_even(1.5) = 2; 2.5 → 2, 3.5 → 4, −0.5 → −0, 0.5 → 0.
    const x = tensor("f32", [6], [-1.5, 253.5, 2.5, 3.5, -0.5, 0.5]);
    const { outputs } = await expectOrtExact(model([6]), x);
    expect(outputs.map(values)).toEqual([[0, 255, 4, 6, 2, 2], [1], [2]]);
  });

  it("runs in its input's NHWC layout after a MaxPool; y goes back to NCHW with hw.transpose", async () => {
    const spec: ModelSpec = {
      inputs: [{ name: "x", shape: [1, 3, 6, 6] }],
      outputs: OUTPUTS,
      nodes: [
        { op: "MaxPool", name: "pool", inputs: ["x"], outputs: ["p"], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
        { op: "DynamicQuantizeLinear", name: "dql", inputs: ["p"], outputs: ["y", "y_scale", "y_zero_point"] },
      ],
      opset: 13,
    };
    const { text } = await expectOrtExact(spec, randomTensor([1, 3, 6, 6], 6, -2, 2));
    expect(text).toMatch(/"hw\.dynamic_quantize"\([^)]*\) : \(tensor<1x3x3x3xf32>\) -> \(tensor<1x3x3x3xui8>, tensor<f32>, tensor<ui8>\)/);
    expect(text).toMatch(/"hw\.transpose"\([^)]*\) \{perm = \[0, 3, 1, 2\]\} : \(tensor<1x3x3x3xui8>\) -> tensor<1x3x3x3xui8>/);
  });
});

describe("hw.dynamic_quantize", () => {
  const op = (signature: string): string => {
    const [inputs, results] = signature.split(" -> ");
    const first = results!.slice(1).split(/, (?=tensor)/)[0]!;
    const count = results!.split(/, (?=tensor)/).length;
    return `func.func @f(%x: ${inputs!.slice(1, -1)}) -> ${first} {\n  %y:${count} = "hw.dynamic_quantize"(%x) : ${signature}\n  return %y#0 : ${first}\n}`;
  };
  const messages = (signature: string): string[] => verifyModule(parseModule(op(signature), { filename: "test.mlir" })).map((d) => d.message);

  it("verifies a well-formed op and runs it", () => {
    const text = op("(tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>)");
    const module = parseModule(text, { filename: "test.mlir" });
    expect(verifyModule(module).map(formatDiagnostic)).toEqual([]);
    const [y] = interpret(module, [tensor("f32", [2, 3], [-1, 0, 1, 2, 3, 4])]);
    // scale = 5/255, zp = round(1/scale) = round(51) = 51.
    expect(values(y!)).toEqual([0, 51, 102, 153, 204, 255]);
    expect(messages("(tensor<?x4xf32>) -> (tensor<?x4xui8>, tensor<f32>, tensor<ui8>)")).toEqual([]);
  });

  it("rejects wrong shapes, types and result counts", () => {
    expect(messages("(tensor<4xf32>) -> (tensor<3xui8>, tensor<f32>, tensor<ui8>)")).toEqual(["'hw.dynamic_quantize' op result 'y' shape [3] does not match the expected [4], the input's shape"]);
    expect(messages("(tensor<4xf32>) -> (tensor<4xui8>, tensor<1xf32>, tensor<2xui8>)")).toEqual([
      "'hw.dynamic_quantize' op 'y_scale' must be a scalar (shape []), got tensor<1xf32>",
      "'hw.dynamic_quantize' op 'y_zero_point' must be a scalar (shape []), got tensor<2xui8>",
    ]);
    expect(messages("(tensor<4xf32>) -> (tensor<4xi8>, tensor<f32>, tensor<ui8>)")).toEqual(["'hw.dynamic_quantize' op result #0 ('y') must be a tensor of u8 values, but got 'tensor<4xi8>'"]);
    expect(messages("(tensor<4xf16>) -> (tensor<4xui8>, tensor<f32>, tensor<ui8>)")).toEqual(["'hw.dynamic_quantize' op operand #0 ('x') must be a tensor of f32 values, but got 'tensor<4xf16>'"]);
    expect(messages("(tensor<4xf32>) -> (tensor<4xui8>, tensor<f32>)")).toEqual(["'hw.dynamic_quantize' op expected 3 results, but found 2"]);
  });

  it("maps 0 to the zero point exactly and every x to within one scale step (property)", () => {
    // Ranges below ~1e-30 make the scale underflow (covered against ORT above).
    const float = fc.float({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-30);
    const floats = fc.array(float, { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(floats, (xs) => {
        const data = Float32Array.from([...xs, 0]);
        const [y, s, z] = dynamicQuantize(makeTensor("f32", [data.length], data));
        const scale = s!.data[0] as number;
        const zp = z!.data[0] as number;
        const q = y!.data as Uint8Array;
        expect(q[data.length - 1]).toBe(zp);
        for (let i = 0; i < data.length; i++) expect(Math.abs((q[i]! - zp) * scale - data[i]!)).toBeLessThanOrEqual(scale * 1.0001);
      }),
    );
  });
});
