/**
 * What old ONNX files (the model zoo's opset 1–9 exports: squeezenet, resnet50, shufflenet,
 * inception_v1, densenet121, vgg19) contain: LRN and the legacy attribute forms. Each model is
 * imported, verified and interpreted by qopt and compared with ONNX Runtime (CPU, one thread;
 * max |qopt − ORT| ≤ 1e-4 · max |ORT|). Forms older than the opsets ORT runs (< 7) are compared with
 * ORT on the same computation written in a newer opset.
 */
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interp/interpreter.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { buildModel, checkAgainstOrt, expectClose, float, importVerified, randomTensor, runOrt, tensor, type ModelSpec, type NodeSpec } from "./onnx-model.js";

const count = (text: string, op: string): number => text.split(`"${op}"`).length - 1;

/** qopt on `legacy` against ORT on `reference`, an equivalent model in an opset ORT runs. */
async function checkAgainstReference(legacy: ModelSpec, reference: ModelSpec, inputs: Readonly<Record<string, Tensor>>): Promise<string> {
  const module = importVerified(buildModel(legacy));
  const expected = await runOrt(buildModel(reference), inputs);
  const actual = interpret(module, inputs);
  expect(actual.length).toBe(expected.length);
  actual.forEach((t, i) => expectClose(t, expected[i]!, legacy.outputs[i]?.name ?? `output ${i}`));
  return printModule(module);
}

function importError(spec: ModelSpec): string {
  try {
    importVerified(buildModel(spec));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the import to fail");
}

describe("LRN → float.lrn", () => {
  it("inception_v1's LRN (size 5, alpha 1e-4, beta 0.75, bias 1) at opset 9 computes channels-last", async () => {
    const module = await checkAgainstOrt(
      {
        opset: 9,
        inputs: [{ name: "x", shape: [2, 16, 5, 4] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "LRN", inputs: ["x"], outputs: ["y"], attrs: { size: 5, alpha: float(1e-4), beta: float(0.75), bias: float(1) } }],
      },
      { x: randomTensor([2, 16, 5, 4], 1, -20, 20) },
    );
    const text = printModule(module);
    expect(count(text, "float.lrn")).toBe(1);
    expect(text).toContain("tensor<2x5x4x16xf32>");
  });

  it("default attributes, a strong alpha, size 3 and size 1, a window wider than the channels", async () => {
    for (const [size, attrs] of [
      [5, {}],
      [3, { alpha: float(0.5), beta: float(0.6), bias: float(2) }],
      [1, { alpha: float(2) }],
      [9, { alpha: float(0.3), beta: float(1.5) }],
    ] as const) {
      await checkAgainstOrt(
        {
          opset: 8,
          inputs: [{ name: "x", shape: [1, 6, 3, 3] }],
          outputs: [{ name: "y" }],
          nodes: [{ op: "LRN", inputs: ["x"], outputs: ["y"], attrs: { size, ...attrs } }],
        },
        { x: randomTensor([1, 6, 3, 3], 10 + size, -3, 3) },
      );
    }
  });

  it("the verifier rejects a non-positive or even size and a non-finite beta", () => {
    const ir = (attrs: string): string =>
      `func.func @f(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {\n  %y = "float.lrn"(%x) {${attrs}} : (tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>\n  func.return %y : tensor<1x2x2x8xf32>\n}\n`;
    const messages = (attrs: string): string => verifyModule(parseModule(ir(attrs))).map((d) => d.message).join("\n");
    expect(messages("size = 5")).toBe("");
    expect(messages("size = 0")).toMatch(/size must be an odd positive integer, got 0/);
    expect(messages("size = 4")).toMatch(/size must be an odd positive integer, got 4/);
    expect(messages("size = 3, beta = 0x7FF0000000000000 : f64")).toMatch(/beta must be finite/);
    expect(messages("alpha = 1.0")).toMatch(/size/);
  });

  it("a zero or even size is an import error naming the node (ONNX Runtime rejects even sizes too)", () => {
    for (const size of [0, 4]) {
      const message = importError({
        opset: 9,
        inputs: [{ name: "x", shape: [1, 4, 2, 2] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "LRN", name: "norm1", inputs: ["x"], outputs: ["y"], attrs: { size } }],
      });
      expect(message).toContain(`node 'norm1' (LRN): size must be an odd positive integer (as ONNX Runtime requires), got ${size}`);
    }
  });
});

describe("legacy attributes", () => {
  const bnParams = (c: number, seed: number): Record<string, Tensor> => ({
    scale: randomTensor([c], seed),
    bias: randomTensor([c], seed + 1),
    mean: randomTensor([c], seed + 2),
    var: randomTensor([c], seed + 3, 0.5, 2),
  });

  it("BatchNormalization opset 7 with spatial = 1, opset 6 with is_test", async () => {
    const bn = (opset: number, attrs: Record<string, number | { f: number }>): ModelSpec => ({
      opset,
      inputs: [{ name: "x", shape: [2, 4, 3, 3] }],
      outputs: [{ name: "y" }],
      initializers: bnParams(4, 20),
      nodes: [{ op: "BatchNormalization", inputs: ["x", "scale", "bias", "mean", "var"], outputs: ["y"], attrs: { epsilon: float(1e-3), ...attrs } }],
    });
    const x = randomTensor([2, 4, 3, 3], 25);
    await checkAgainstOrt(bn(7, { spatial: 1 }), { x });
    await checkAgainstReference(bn(6, { spatial: 1, is_test: 1 }), bn(9, {}), { x });
  });

  it("BatchNormalization opset 5 with consumed_inputs, is_test and unread training outputs", async () => {
    const inputs = ["x", "scale", "bias", "mean", "var"];
    const x = randomTensor([1, 3, 4, 4], 31);
    await checkAgainstReference(
      {
        opset: 5,
        inputs: [{ name: "x", shape: [1, 3, 4, 4] }],
        outputs: [{ name: "y" }],
        initializers: bnParams(3, 26),
        nodes: [{ op: "BatchNormalization", inputs, outputs: ["y", "running_mean", "running_var"], attrs: { consumed_inputs: [0, 0, 0, 1, 1], is_test: 1, spatial: 1 } }],
      },
      { opset: 9, inputs: [{ name: "x", shape: [1, 3, 4, 4] }], outputs: [{ name: "y" }], initializers: bnParams(3, 26), nodes: [{ op: "BatchNormalization", inputs, outputs: ["y"] }] },
      { x },
    );
  });

  it("BatchNormalization spatial = 0 is a clear error", () => {
    const message = importError({
      opset: 7,
      inputs: [{ name: "x", shape: [1, 3, 4, 4] }],
      outputs: [{ name: "y" }],
      initializers: bnParams(3, 26),
      nodes: [{ op: "BatchNormalization", name: "bn", inputs: ["x", "scale", "bias", "mean", "var"], outputs: ["y"], attrs: { spatial: 0 } }],
    });
    expect(message).toMatch(/node 'bn' \(BatchNormalization\): spatial = 0 .* is not supported; only spatial = 1/);
  });

  it("Dropout opset 7 with ratio and an unread mask output is the identity", async () => {
    const module = await checkAgainstOrt(
      {
        opset: 7,
        inputs: [{ name: "x", shape: [2, 5] }],
        outputs: [{ name: "y" }],
        nodes: [
          { op: "Dropout", inputs: ["x"], outputs: ["d", "mask"], attrs: { ratio: float(0.4) } },
          { op: "Relu", inputs: ["d"], outputs: ["y"] },
        ],
      },
      { x: randomTensor([2, 5], 40) },
    );
    expect(count(printModule(module), "float.relu")).toBe(1);
  });

  it("Dropout opset 6 with is_test", async () => {
    await checkAgainstReference(
      {
        opset: 6,
        inputs: [{ name: "x", shape: [3, 4] }],
        outputs: [{ name: "y" }],
        nodes: [
          { op: "Dropout", inputs: ["x"], outputs: ["d"], attrs: { is_test: 1, ratio: float(0.5) } },
          { op: "Sigmoid", inputs: ["d"], outputs: ["y"] },
        ],
      },
      { opset: 9, inputs: [{ name: "x", shape: [3, 4] }], outputs: [{ name: "y" }], nodes: [{ op: "Sigmoid", inputs: ["x"], outputs: ["y"] }] },
      { x: randomTensor([3, 4], 41) },
    );
  });

  it("a Dropout mask that something reads is an error", () => {
    const spec = (maskUse: "output" | "node"): ModelSpec => ({
      opset: 9,
      inputs: [{ name: "x", shape: [2, 5] }],
      outputs: [{ name: "y" }, ...(maskUse === "output" ? [{ name: "mask", elemType: 9 }] : [])],
      nodes: [
        { op: "Dropout", name: "drop", inputs: ["x"], outputs: ["y", "mask"] },
        ...(maskUse === "node" ? [{ op: "Identity", inputs: ["mask"], outputs: ["m2"] }] : []),
      ],
    });
    expect(importError(spec("output"))).toMatch(/node 'drop' \(Dropout\): Dropout's mask output \('mask'\) is not supported/);
    expect(importError(spec("node"))).toMatch(/Dropout's mask output \('mask'\) is not supported/);
  });

  it("Reshape with the shape attribute (opset 4)", async () => {
    const text = await checkAgainstReference(
      {
        opset: 4,
        inputs: [{ name: "x", shape: [2, 3, 4] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "Reshape", inputs: ["x"], outputs: ["y"], attrs: { shape: [0, -1, 2], consumed_inputs: [0] } }],
      },
      {
        opset: 9,
        inputs: [{ name: "x", shape: [2, 3, 4] }],
        outputs: [{ name: "y" }],
        initializers: { s: tensor("i64", [3], [0, -1, 2]) },
        nodes: [{ op: "Reshape", inputs: ["x", "s"], outputs: ["y"] }],
      },
      { x: randomTensor([2, 3, 4], 50) },
    );
    expect(text).toContain("tensor<2x6x2xf32>");
  });

  it("Softmax and Flatten at opset 9 coerce to 2-D at axis 1 (after an NHWC conv)", async () => {
    await checkAgainstOrt(
      {
        opset: 9,
        inputs: [{ name: "x", shape: [2, 3, 4, 4] }],
        outputs: [{ name: "s" }, { name: "f" }],
        initializers: { w: randomTensor([5, 3, 3, 3], 51) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Softmax", inputs: ["c"], outputs: ["s"], attrs: { axis: 1 } },
          { op: "Flatten", inputs: ["c"], outputs: ["f"], attrs: { axis: 2 } },
        ],
      },
      { x: randomTensor([2, 3, 4, 4], 52) },
    );
  });

  it("MaxPool opset 8 with storage_order = 0 and auto_pad NOTSET, AveragePool opset 7 with auto_pad \"\"", async () => {
    await checkAgainstOrt(
      {
        opset: 8,
        inputs: [{ name: "x", shape: [1, 3, 7, 7] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "MaxPool", inputs: ["x"], outputs: ["y", "indices"], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], storage_order: 0, auto_pad: "NOTSET" } }],
      },
      { x: randomTensor([1, 3, 7, 7], 60) },
    );
    await checkAgainstOrt(
      {
        opset: 7,
        inputs: [{ name: "x", shape: [1, 3, 7, 7] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "AveragePool", inputs: ["x"], outputs: ["y"], attrs: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], auto_pad: "" } }],
      },
      { x: randomTensor([1, 3, 7, 7], 61) },
    );
  });

  it("Concat without axis (opset 3) concatenates channels", async () => {
    const inputs = [{ name: "a", shape: [1, 2, 3, 3] }, { name: "b", shape: [1, 4, 3, 3] }];
    const text = await checkAgainstReference(
      { opset: 3, inputs, outputs: [{ name: "y" }], nodes: [{ op: "Concat", inputs: ["a", "b"], outputs: ["y"] }] },
      { opset: 9, inputs, outputs: [{ name: "y" }], nodes: [{ op: "Concat", inputs: ["a", "b"], outputs: ["y"], attrs: { axis: 1 } }] },
      { a: randomTensor([1, 2, 3, 3], 70), b: randomTensor([1, 4, 3, 3], 71) },
    );
    expect(text).toContain("tensor<1x6x3x3xf32>");
  });

  it("Gemm with broadcast = 1 (opset 6)", async () => {
    const gemm = (opset: number, attrs: Record<string, number | { f: number }>): ModelSpec => ({
      opset,
      inputs: [{ name: "a", shape: [3, 6] }],
      outputs: [{ name: "y" }],
      initializers: { b: randomTensor([4, 6], 80), c: randomTensor([4], 81) },
      nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs: { transB: 1, beta: float(0.5), ...attrs } }],
    });
    await checkAgainstReference(gemm(6, { broadcast: 1 }), gemm(9, {}), { a: randomTensor([3, 6], 82) });
  });

  it("Sum, Max and Min of four inputs (opset 8, broadcasting)", async () => {
    for (const op of ["Sum", "Max", "Min"]) {
      await checkAgainstOrt(
        {
          opset: 8,
          inputs: [{ name: "a", shape: [2, 3, 4] }, { name: "b", shape: [3, 4] }, { name: "c", shape: [2, 3, 4] }],
          outputs: [{ name: "y" }],
          initializers: { d: randomTensor([4], 90) },
          nodes: [{ op, inputs: ["a", "b", "c", "d"], outputs: ["y"] }],
        },
        { a: randomTensor([2, 3, 4], 91), b: randomTensor([3, 4], 92), c: randomTensor([2, 3, 4], 93) },
      );
    }
  });

  it("Add / Mul with opset 6's broadcast = 1 and axis: B aligned at A's axis", async () => {
    const x = randomTensor([2, 3, 4, 5], 100);
    const legacy: ModelSpec = {
      opset: 6,
      inputs: [{ name: "x", shape: [2, 3, 4, 5] }],
      outputs: [{ name: "y" }],
      initializers: { b: randomTensor([3], 101), s: randomTensor([3, 4], 102), t: randomTensor([5], 103) },
      nodes: [
        { op: "Add", inputs: ["x", "b"], outputs: ["p"], attrs: { broadcast: 1, axis: 1 } },
        { op: "Mul", inputs: ["p", "s"], outputs: ["q"], attrs: { broadcast: 1, axis: 1, consumed_inputs: [0, 0] } },
        { op: "Sub", inputs: ["q", "t"], outputs: ["y"], attrs: { broadcast: 1 } },
      ],
    };
    const reference: ModelSpec = {
      opset: 9,
      inputs: [{ name: "x", shape: [2, 3, 4, 5] }],
      outputs: [{ name: "y" }],
      initializers: { b: randomTensor([3], 101), s: randomTensor([3, 4], 102), t: randomTensor([5], 103), bs: tensor("i64", [3], [3, 1, 1]), ss: tensor("i64", [3], [3, 4, 1]) },
      nodes: [
        { op: "Reshape", inputs: ["b", "bs"], outputs: ["b3"] },
        { op: "Reshape", inputs: ["s", "ss"], outputs: ["s3"] },
        { op: "Add", inputs: ["x", "b3"], outputs: ["p"] },
        { op: "Mul", inputs: ["p", "s3"], outputs: ["q"] },
        { op: "Sub", inputs: ["q", "t"], outputs: ["y"] },
      ],
    };
    await checkAgainstReference(legacy, reference, { x });
  });

  it("Unsqueeze and Squeeze with axes attributes (opset 9)", async () => {
    await checkAgainstOrt(
      {
        opset: 9,
        inputs: [{ name: "x", shape: [3, 1, 4] }],
        outputs: [{ name: "y" }],
        nodes: [
          { op: "Squeeze", inputs: ["x"], outputs: ["s"], attrs: { axes: [1] } },
          { op: "Unsqueeze", inputs: ["s"], outputs: ["y"], attrs: { axes: [0, 3] } },
        ],
      },
      { x: randomTensor([3, 1, 4], 110) },
    );
  });

  it("Pad with pads/value attributes (opset 2) and paddings (opset 1)", async () => {
    const pads = [0, 1, 2, 0, 0, 2, 1, 1];
    const x = randomTensor([1, 2, 3, 3], 120);
    const inputs = [{ name: "x", shape: [1, 2, 3, 3] }];
    await checkAgainstOrt({ opset: 2, inputs, outputs: [{ name: "y" }], nodes: [{ op: "Pad", inputs: ["x"], outputs: ["y"], attrs: { pads, value: float(1.5) } }] }, { x });
    await checkAgainstReference(
      { opset: 1, inputs, outputs: [{ name: "y" }], nodes: [{ op: "Pad", inputs: ["x"], outputs: ["y"], attrs: { paddings: pads, value: float(-2) } }] },
      { opset: 2, inputs, outputs: [{ name: "y" }], nodes: [{ op: "Pad", inputs: ["x"], outputs: ["y"], attrs: { pads, value: float(-2) } }] },
      { x },
    );
  });
});

describe("an inception_v1-like block (opset 9)", () => {
  it("Conv → Relu → MaxPool → LRN → four branches → Concat → AveragePool → Dropout → Flatten → Gemm → Softmax", async () => {
    const w = (o: number, i: number, k: number, seed: number): Tensor => randomTensor([o, i, k, k], seed, -0.5, 0.5);
    const conv = (x: string, wName: string, bName: string, out: string, k: number): NodeSpec[] => [
      { op: "Conv", inputs: [x, wName, bName], outputs: [`${out}_c`], attrs: { kernel_shape: [k, k], pads: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2] } },
      { op: "Relu", inputs: [`${out}_c`], outputs: [out] },
    ];
    const module = await checkAgainstOrt(
      {
        opset: 9,
        inputs: [{ name: "data", shape: [1, 3, 16, 16] }],
        outputs: [{ name: "prob" }],
        initializers: {
          w1: w(8, 3, 7, 200), b1: randomTensor([8], 201),
          wa: w(4, 8, 1, 202), ba: randomTensor([4], 203),
          wb1: w(4, 8, 1, 204), bb1: randomTensor([4], 205), wb2: w(6, 4, 3, 206), bb2: randomTensor([6], 207),
          wc1: w(2, 8, 1, 208), bc1: randomTensor([2], 209), wc2: w(3, 2, 5, 210), bc2: randomTensor([3], 211),
          wd: w(3, 8, 1, 212), bd: randomTensor([3], 213),
          fc: randomTensor([5, 16], 214), fcb: randomTensor([5], 215),
        },
        nodes: [
          { op: "Conv", inputs: ["data", "w1", "b1"], outputs: ["c1"], attrs: { kernel_shape: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] } },
          { op: "Relu", inputs: ["c1"], outputs: ["r1"] },
          { op: "MaxPool", inputs: ["r1"], outputs: ["p1"], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1], storage_order: 0 } },
          { op: "LRN", inputs: ["p1"], outputs: ["n1"], attrs: { size: 5, alpha: float(1e-4), beta: float(0.75), bias: float(1) } },
          ...conv("n1", "wa", "ba", "br_a", 1),
          ...conv("n1", "wb1", "bb1", "br_b1", 1),
          ...conv("br_b1", "wb2", "bb2", "br_b", 3),
          ...conv("n1", "wc1", "bc1", "br_c1", 1),
          ...conv("br_c1", "wc2", "bc2", "br_c", 5),
          { op: "MaxPool", inputs: ["n1"], outputs: ["br_d0"], attrs: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] } },
          ...conv("br_d0", "wd", "bd", "br_d", 1),
          { op: "Concat", inputs: ["br_a", "br_b", "br_c", "br_d"], outputs: ["cat"], attrs: { axis: 1 } },
          { op: "AveragePool", inputs: ["cat"], outputs: ["gap"], attrs: { kernel_shape: [4, 4], strides: [1, 1], auto_pad: "" } },
          { op: "Dropout", inputs: ["gap"], outputs: ["drop", "drop_mask"], attrs: { ratio: float(0.4) } },
          { op: "Flatten", inputs: ["drop"], outputs: ["flat"] },
          { op: "Gemm", inputs: ["flat", "fc", "fcb"], outputs: ["logits"], attrs: { transB: 1 } },
          { op: "Softmax", inputs: ["logits"], outputs: ["prob"] },
        ],
      },
      { data: randomTensor([1, 3, 16, 16], 216) },
    );
    const text = printModule(module);
    expect(count(text, "float.lrn")).toBe(1);
    expect(count(text, "float.concat")).toBe(1);
    // Everything from the input transpose to the pool stays NHWC: one transpose in, none between.
    expect(count(text, "float.transpose")).toBe(1);
  });
});

