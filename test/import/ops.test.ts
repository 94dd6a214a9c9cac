/**
 * Small ONNX models built in the test, imported, verified and interpreted by qopt, compared with
 * ONNX Runtime on the same random inputs (max |qopt − ORT| ≤ 1e-4 · max |ORT|).
 */
import { describe, expect, it } from "vitest";
import { printModule } from "../../src/syntax/printer.js";
import { checkAgainstOrt, float, randomTensor, tensor } from "./onnx-model.js";

const count = (text: string, op: string): number => text.split(`"${op}"`).length - 1;

describe("convolution", () => {
  it("Conv (pads, stride 2, bias) + Relu", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [2, 3, 9, 9] }],
        outputs: [{ name: "y" }],
        initializers: { w: randomTensor([8, 3, 3, 3], 1), b: randomTensor([8], 2) },
        nodes: [
          { op: "Conv", inputs: ["x", "w", "b"], outputs: ["c"], attrs: { kernel_shape: [3, 3], pads: [1, 0, 2, 1], strides: [2, 2] } },
          { op: "Relu", inputs: ["c"], outputs: ["y"] },
        ],
      },
      { x: randomTensor([2, 3, 9, 9], 3) },
    );
    const text = printModule(module);
    expect(count(text, "float.transpose")).toBe(2);
    expect(text).toContain("tensor<8x3x3x3xf32>");
    expect(text).toContain("padding = [1, 0, 2, 1]");
  });

  it("Conv without bias, auto_pad SAME_UPPER / SAME_LOWER / VALID, dilated (ORT has no dilated SAME)", async () => {
    for (const [autoPad, dilations] of [["SAME_UPPER", [1, 1]], ["SAME_LOWER", [1, 1]], ["VALID", [2, 1]], ["NOTSET", [2, 2]]] as const) {
      await checkAgainstOrt(
        {
          inputs: [{ name: "x", shape: [1, 4, 10, 7] }],
          outputs: [{ name: "y" }],
          initializers: { w: randomTensor([5, 4, 3, 2], 4) },
          nodes: [{ op: "Conv", inputs: ["x", "w"], outputs: ["y"], attrs: { auto_pad: autoPad, dilations, strides: [2, 3], ...(autoPad === "NOTSET" ? { pads: [2, 1, 0, 1] } : {}) } }],
        },
        { x: randomTensor([1, 4, 10, 7], 5) },
      );
    }
  });

  it("grouped Conv (group 2)", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 6, 6, 6] }],
        outputs: [{ name: "y" }],
        initializers: { w: randomTensor([4, 3, 3, 3], 6), b: randomTensor([4], 7) },
        nodes: [{ op: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attrs: { group: 2, pads: [1, 1, 1, 1] } }],
      },
      { x: randomTensor([1, 6, 6, 6], 8) },
    );
    expect(printModule(module)).toContain("groups = 2");
  });

  it("depthwise Conv with depth multiplier 2 → float.depthwise_conv2d", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: ["N", 3, 7, 7] }],
        outputs: [{ name: "y" }],
        initializers: { w: randomTensor([6, 1, 3, 3], 9), b: randomTensor([6], 10) },
        nodes: [{ op: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attrs: { group: 3, pads: [1, 1, 1, 1], strides: [2, 2] } }],
      },
      { x: randomTensor([2, 3, 7, 7], 11) },
    );
    const text = printModule(module);
    expect(text).toContain('"float.depthwise_conv2d"');
    expect(text).toContain("depth_multiplier = 2");
    expect(text).toContain("tensor<1x3x3x6xf32>");
    expect(text).toContain("tensor<?x3x7x7xf32>");
  });
});

describe("Gemm and MatMul", () => {
  it("Gemm transB, alpha, beta with a bias vector → fully_connected", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "a", shape: ["N", 6] }],
        outputs: [{ name: "y" }],
        initializers: { b: randomTensor([4, 6], 12), c: randomTensor([4], 13) },
        nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs: { transB: 1, alpha: float(0.5), beta: float(2) } }],
      },
      { a: randomTensor([3, 6], 14) },
    );
    const text = printModule(module);
    expect(count(text, "float.fully_connected")).toBe(1);
    expect(count(text, "float.add")).toBe(0);
  });

  it("Gemm transA with a [M, N] C and runtime B → matmul + add", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "a", shape: [5, 3] }, { name: "b", shape: [5, 4] }],
        outputs: [{ name: "y" }],
        initializers: { c: randomTensor([3, 4], 15) },
        nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs: { transA: 1, alpha: float(1.5), beta: float(0.25) } }],
      },
      { a: randomTensor([5, 3], 16), b: randomTensor([5, 4], 17) },
    );
    const text = printModule(module);
    expect(text).toContain('"float.matmul"');
    expect(text).toContain("transpose_a = true");
  });

  it("Gemm with a [M, N] C after fully_connected", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "a", shape: [2, 3] }],
        outputs: [{ name: "y" }],
        initializers: { b: randomTensor([3, 4], 18), c: randomTensor([2, 4], 19) },
        nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"] }],
      },
      { a: randomTensor([2, 3], 20) },
    );
  });

  it("MatMul with constant weights (3-D input) and with two runtime operands", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "a", shape: [2, 3, 5] }, { name: "p", shape: [2, 4, 3] }],
        outputs: [{ name: "y" }, { name: "z" }],
        initializers: { w: randomTensor([5, 4], 21) },
        nodes: [
          { op: "MatMul", inputs: ["a", "w"], outputs: ["y"] },
          { op: "MatMul", inputs: ["p", "a"], outputs: ["z"] },
        ],
      },
      { a: randomTensor([2, 3, 5], 22), p: randomTensor([2, 4, 3], 23) },
    );
    const text = printModule(module);
    expect(count(text, "float.fully_connected")).toBe(1);
    expect(count(text, "float.matmul")).toBe(1);
  });
});

describe("pooling", () => {
  const x = randomTensor([2, 3, 9, 8], 30);
  const pool = (op: string, attrs: Record<string, number | number[] | string>) =>
    checkAgainstOrt({ inputs: [{ name: "x", shape: [2, 3, 9, 8] }], outputs: [{ name: "y" }], nodes: [{ op, inputs: ["x"], outputs: ["y"], attrs }] }, { x });

  it("MaxPool with pads and strides", () => pool("MaxPool", { kernel_shape: [3, 2], pads: [1, 0, 1, 1], strides: [2, 2] }));
  it("MaxPool with ceil_mode", () => pool("MaxPool", { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }));
  it("MaxPool SAME_UPPER", () => pool("MaxPool", { kernel_shape: [3, 3], strides: [2, 2], auto_pad: "SAME_UPPER" }));
  it("AveragePool excluding padding", () => pool("AveragePool", { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }));
  it("AveragePool including padding", () => pool("AveragePool", { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 }));
  it("AveragePool with ceil_mode", () => pool("AveragePool", { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }));
  it("GlobalAveragePool", () => pool("GlobalAveragePool", {}));
  it("GlobalMaxPool", () => pool("GlobalMaxPool", {}));
  it("ReduceMean over spatial dims, without keepdims", () => pool("ReduceMean", { axes: [2, 3], keepdims: 0 }));
});

describe("layout-sensitive data movement", () => {
  const w = randomTensor([4, 3, 3, 3], 40);

  it("Concat of NHWC values along channels, with a constant", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 3, 6, 6] }],
        outputs: [{ name: "y" }],
        initializers: { w, k: randomTensor([1, 2, 6, 6], 41) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Relu", inputs: ["c"], outputs: ["r"] },
          { op: "Concat", inputs: ["c", "r", "k"], outputs: ["y"], attrs: { axis: 1 } },
        ],
      },
      { x: randomTensor([1, 3, 6, 6], 42) },
    );
    expect(printModule(module)).toContain("axis = 3");
  });

  it("Flatten and Reshape after Conv see ONNX element order", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: ["N", 3, 5, 5] }],
        outputs: [{ name: "f" }, { name: "r" }],
        initializers: { w, shape: tensor("i64", [3], [0, 4, -1]) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"] },
          { op: "Flatten", inputs: ["c"], outputs: ["f"], attrs: { axis: 1 } },
          { op: "Reshape", inputs: ["c", "shape"], outputs: ["r"] },
        ],
      },
      { x: randomTensor([2, 3, 5, 5], 43) },
    );
  });

  it("Transpose, Squeeze, Unsqueeze (opset 13 axes inputs)", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 3, 4, 5] }],
        outputs: [{ name: "t" }, { name: "s" }, { name: "u" }],
        initializers: { w, axes0: tensor("i64", [1], [0]), axes1: tensor("i64", [2], [0, -1]) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Transpose", inputs: ["c"], outputs: ["t"], attrs: { perm: [0, 2, 3, 1] } },
          { op: "Squeeze", inputs: ["c", "axes0"], outputs: ["s"] },
          { op: "Unsqueeze", inputs: ["s", "axes1"], outputs: ["u"] },
        ],
      },
      { x: randomTensor([1, 3, 4, 5], 44) },
    );
  });

  it("a Transpose to NHWC after Conv costs nothing", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 3, 4, 5] }],
        outputs: [{ name: "t" }],
        initializers: { w },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Transpose", inputs: ["c"], outputs: ["t"], attrs: { perm: [0, 2, 3, 1] } },
        ],
      },
      { x: randomTensor([1, 3, 4, 5], 45) },
    );
    expect(count(printModule(module), "float.transpose")).toBe(1);
  });

  it("Pad (constant mode) in NHWC, opset 13 and opset 10", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 3, 4, 5] }],
        outputs: [{ name: "y" }],
        initializers: { w, pads: tensor("i64", [8], [0, 1, 2, 0, 0, 0, 1, 3]), v: tensor("f32", [], [0.5]) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"] },
          { op: "Pad", inputs: ["c", "pads", "v"], outputs: ["y"] },
        ],
      },
      { x: randomTensor([1, 3, 4, 5], 46) },
    );
    await checkAgainstOrt(
      {
        opset: 10,
        inputs: [{ name: "x", shape: [1, 3, 4, 5] }],
        outputs: [{ name: "y" }],
        nodes: [{ op: "Pad", inputs: ["x"], outputs: ["y"], attrs: { pads: [0, 0, 1, 2, 0, 1, 0, 1], value: float(-2) } }],
      },
      { x: randomTensor([1, 3, 4, 5], 47) },
    );
  });

  it("Add with a [C, 1, 1] bias broadcast onto an NHWC value", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [2, 3, 4, 4] }, { name: "s", shape: [4, 1, 1] }],
        outputs: [{ name: "y" }, { name: "z" }],
        initializers: { w, bias: randomTensor([4, 1, 1], 48) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Add", inputs: ["c", "bias"], outputs: ["y"] },
          { op: "Mul", inputs: ["s", "c"], outputs: ["z"] },
        ],
      },
      { x: randomTensor([2, 3, 4, 4], 49), s: randomTensor([4, 1, 1], 50) },
    );
    expect(printModule(module)).toContain("tensor<1x1x1x4xf32>");
  });
});

describe("a classifier head", () => {
  it("Conv → GlobalAveragePool → Flatten → Gemm: the NHWC → NCHW move is a reshape", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: ["N", 3, 8, 8] }],
        outputs: [{ name: "y" }],
        initializers: { w: randomTensor([6, 3, 3, 3], 94), fw: randomTensor([5, 6], 95), fb: randomTensor([5], 96) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } },
          { op: "Relu", inputs: ["c"], outputs: ["r"] },
          { op: "GlobalAveragePool", inputs: ["r"], outputs: ["g"] },
          { op: "Flatten", inputs: ["g"], outputs: ["f"] },
          { op: "Gemm", inputs: ["f", "fw", "fb"], outputs: ["y"], attrs: { transB: 1 } },
        ],
      },
      { x: randomTensor([3, 3, 8, 8], 97) },
    );
    const text = printModule(module);
    expect(count(text, "float.transpose")).toBe(1);
    expect(text).toContain('"float.mean"');
    expect(text).toContain("axes = [1, 2]");
  });
});

describe("normalization and activations", () => {
  it("BatchNormalization on a 4-D and a 2-D input", async () => {
    const params = (seed: number, c: number) => ({
      [`g${c}`]: randomTensor([c], seed, 0.5, 1.5),
      [`b${c}`]: randomTensor([c], seed + 1),
      [`m${c}`]: randomTensor([c], seed + 2),
      [`v${c}`]: randomTensor([c], seed + 3, 0.1, 2),
    });
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [2, 3, 4, 4] }, { name: "p", shape: [5, 6] }],
        outputs: [{ name: "y" }, { name: "q" }],
        initializers: { ...params(60, 3), ...params(70, 6) },
        nodes: [
          { op: "BatchNormalization", inputs: ["x", "g3", "b3", "m3", "v3"], outputs: ["y"], attrs: { epsilon: float(1e-3) } },
          { op: "BatchNormalization", inputs: ["p", "g6", "b6", "m6", "v6"], outputs: ["q"] },
        ],
      },
      { x: randomTensor([2, 3, 4, 4], 61), p: randomTensor([5, 6], 62) },
    );
  });

  it("Softmax: opset 13 on the channel axis, opset 11 coerced to 2-D", async () => {
    const x = randomTensor([2, 3, 4, 5], 63, -3, 3);
    await checkAgainstOrt({ inputs: [{ name: "x", shape: [2, 3, 4, 5] }], outputs: [{ name: "y" }], nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["y"], attrs: { axis: 1 } }] }, { x });
    await checkAgainstOrt({ opset: 11, inputs: [{ name: "x", shape: [2, 3, 4, 5] }], outputs: [{ name: "y" }], nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["y"], attrs: { axis: 2 } }] }, { x });
    await checkAgainstOrt({ opset: 11, inputs: [{ name: "x", shape: [2, 3, 4, 5] }], outputs: [{ name: "y" }], nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["y"] }] }, { x });
  });

  it("Clip variants, LeakyRelu, Sigmoid, Tanh, Exp, Neg, Abs, Sub, Div, Max, Min", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [3, 7] }, { name: "hi", shape: [] }],
        outputs: ["r6", "cl", "lo", "rt", "lr", "sg", "th", "ex", "ng", "ab", "sb", "dv", "mx", "mn"].map((name) => ({ name })),
        initializers: { zero: tensor("f32", [], [0]), six: tensor("f32", [], [6]), a: tensor("f32", [], [-0.5]), b: tensor("f32", [], [0.25]), k: randomTensor([7], 80, 1, 2) },
        nodes: [
          { op: "Clip", inputs: ["x", "zero", "six"], outputs: ["r6"] },
          { op: "Clip", inputs: ["x", "a", "b"], outputs: ["cl"] },
          { op: "Clip", inputs: ["x", "a"], outputs: ["lo"] },
          { op: "Clip", inputs: ["x", "", "hi"], outputs: ["rt"] },
          { op: "LeakyRelu", inputs: ["x"], outputs: ["lr"], attrs: { alpha: float(0.2) } },
          { op: "Sigmoid", inputs: ["x"], outputs: ["sg"] },
          { op: "Tanh", inputs: ["x"], outputs: ["th"] },
          { op: "Exp", inputs: ["x"], outputs: ["ex"] },
          { op: "Neg", inputs: ["x"], outputs: ["ng"] },
          { op: "Abs", inputs: ["x"], outputs: ["ab"] },
          { op: "Sub", inputs: ["x", "k"], outputs: ["sb"] },
          { op: "Div", inputs: ["x", "k"], outputs: ["dv"] },
          { op: "Max", inputs: ["x", "k", "a"], outputs: ["mx"] },
          { op: "Min", inputs: ["x", "k"], outputs: ["mn"] },
        ],
      },
      { x: randomTensor([3, 7], 81, -8, 8), hi: tensor("f32", [], [1.5]) },
    );
    const text = printModule(module);
    expect(text).toContain('"float.relu6"');
    expect(text).toContain('"float.clamp"');
    expect(text).toContain('"float.minimum"');
  });

  it("Clip before opset 11 takes attributes; Clip[0, inf) is relu", async () => {
    const module = await checkAgainstOrt(
      {
        opset: 6,
        inputs: [{ name: "x", shape: [4, 4] }],
        outputs: [{ name: "y" }, { name: "z" }],
        nodes: [
          { op: "Clip", inputs: ["x"], outputs: ["y"], attrs: { min: float(0) } },
          { op: "Clip", inputs: ["x"], outputs: ["z"], attrs: { min: float(-0.5), max: float(0.5) } },
        ],
      },
      { x: randomTensor([4, 4], 82) },
    );
    expect(printModule(module)).toContain('"float.relu"');
  });
});

describe("constants and shape computation", () => {
  it("Constant, ConstantOfShape, Shape → Gather → Unsqueeze → Concat → Reshape (static shapes)", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [2, 3, 4] }],
        outputs: [{ name: "y" }, { name: "z" }],
        initializers: { idx: tensor("i64", [], [0]), minus1: tensor("i64", [1], [-1]), zeroAxis: tensor("i64", [1], [0]) },
        nodes: [
          { op: "Shape", inputs: ["x"], outputs: ["s"] },
          { op: "Gather", inputs: ["s", "idx"], outputs: ["n"], attrs: { axis: 0 } },
          { op: "Unsqueeze", inputs: ["n", "zeroAxis"], outputs: ["n1"] },
          { op: "Concat", inputs: ["n1", "minus1"], outputs: ["shape"], attrs: { axis: 0 } },
          { op: "Reshape", inputs: ["x", "shape"], outputs: ["y"] },
          { op: "Constant", inputs: [], outputs: ["dims"], attrs: { value: { t: tensor("i64", [2], [2, 12]) } } },
          { op: "ConstantOfShape", inputs: ["dims"], outputs: ["ones"], attrs: { value: { t: tensor("f32", [1], [1.5]) } } },
          { op: "Add", inputs: ["y", "ones"], outputs: ["z"] },
        ],
      },
      { x: randomTensor([2, 3, 4], 90) },
    );
  });

  it("Squeeze / Unsqueeze with axes attributes (opset 11)", async () => {
    await checkAgainstOrt(
      {
        opset: 11,
        inputs: [{ name: "x", shape: [1, 3, 1, 4] }],
        outputs: [{ name: "y" }, { name: "z" }],
        nodes: [
          { op: "Squeeze", inputs: ["x"], outputs: ["y"], attrs: { axes: [0, 2] } },
          { op: "Unsqueeze", inputs: ["y"], outputs: ["z"], attrs: { axes: [1, -1] } },
        ],
      },
      { x: randomTensor([1, 3, 1, 4], 92) },
    );
  });

  it("ReduceMean with axes as an input (opset 18)", async () => {
    await checkAgainstOrt(
      {
        opset: 18,
        inputs: [{ name: "x", shape: [2, 3, 4, 5] }],
        outputs: [{ name: "y" }],
        initializers: { axes: tensor("i64", [2], [1, -1]) },
        nodes: [{ op: "ReduceMean", inputs: ["x", "axes"], outputs: ["y"], attrs: { keepdims: 1 } }],
      },
      { x: randomTensor([2, 3, 4, 5], 93) },
    );
  });

  it("Identity and Dropout pass through", async () => {
    await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [2, 3] }],
        outputs: [{ name: "y" }],
        nodes: [
          { op: "Identity", inputs: ["x"], outputs: ["i"] },
          { op: "Dropout", inputs: ["i"], outputs: ["d"] },
          { op: "Relu", inputs: ["d"], outputs: ["y"] },
        ],
      },
      { x: randomTensor([2, 3], 91) },
    );
  });
});
