/**
 * ONNX integer ops imported to the hw dialect and compared with ONNX Runtime (CPU) bit for bit:
 * QLinearConv and ConvInteger (no backend node test vectors exist for them here) on models built in
 * memory, QLinearMatMul and MatMulInteger beyond the conformance vectors (batches, per-column
 * parameters, ties), and the import errors for parameters that are not constants.
 */
import { describe, expect, it } from "vitest";
import { importOnnx, OnnxImportError } from "../../src/import/onnx/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { DType, Tensor } from "../../src/interp/tensor.js";
import { printModule } from "../../src/syntax/printer.js";
import type { ModelSpec } from "./onnx-model.js";
import { buildModel, importVerified, randomTensor, rng, runOrt, tensor } from "./onnx-model.js";

/** ONNX TensorProto data type codes. */
const CODE: Readonly<Record<string, number>> = { u8: 2, i8: 3, i32: 6, f32: 1 };

function ints(dtype: DType, shape: readonly number[], lo: number, hi: number, seed: number): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(dtype, shape, Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1))));
}

const RANGE: Readonly<Record<string, readonly [number, number]>> = { u8: [0, 255], i8: [-128, 127] };

/** Random values over the whole range of an 8-bit dtype. */
function full(dtype: "u8" | "i8", shape: readonly number[], seed: number): Tensor {
  const [lo, hi] = RANGE[dtype]!;
  return ints(dtype, shape, lo, hi, seed);
}

const scalar = (dtype: DType, v: number): Tensor => tensor(dtype, [], [v]);
const vector = (dtype: DType, values: readonly number[]): Tensor => tensor(dtype, [values.length], values);

/** Imports (and verifies), runs qopt and ORT on `feeds`, and expects identical outputs. Returns the printed module. */
async function expectOrtExact(spec: ModelSpec, feeds: Readonly<Record<string, Tensor>>): Promise<string> {
  const bytes = buildModel(spec);
  const module = importVerified(bytes);
  const ours = interpret(module, feeds);
  const ref = await runOrt(bytes, feeds);
  expect(ours.length).toBe(ref.length);
  ref.forEach((r, i) => {
    expect(ours[i]!.dtype, `output ${i} dtype`).toBe(r.dtype);
    expect(ours[i]!.shape, `output ${i} shape`).toEqual(r.shape);
    expect(Array.from(ours[i]!.data as ArrayLike<number>), `output ${i} values`).toEqual(Array.from(r.data as ArrayLike<number>));
  });
  return printModule(module);
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

interface QConv {
  x: Tensor;
  w: Tensor;
  xScale: number;
  xZp: number;
  wScale: readonly number[];
  wZp?: number;
  yScale: number;
  yZp: number;
  yType?: "u8" | "i8";
  bias?: readonly number[];
  attrs?: ModelSpec["nodes"][number]["attrs"];
}

/** A one-node QLinearConv model with every parameter an initializer. */
function qlinearConvModel(c: QConv): ModelSpec {
  const xType = c.x.dtype as "u8" | "i8";
  const wType = c.w.dtype as "u8" | "i8";
  const yType = c.yType ?? xType;
  const M = c.w.shape[0]!;
  const initializers: Record<string, Tensor> = {
    x_scale: scalar("f32", c.xScale),
    x_zp: scalar(xType, c.xZp),
    w: c.w,
    w_scale: c.wScale.length === 1 ? scalar("f32", c.wScale[0]!) : vector("f32", c.wScale),
    w_zp: c.wScale.length === 1 ? scalar(wType, c.wZp ?? 0) : vector(wType, new Array<number>(M).fill(c.wZp ?? 0)),
    y_scale: scalar("f32", c.yScale),
    y_zp: scalar(yType, c.yZp),
  };
  const inputs = ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp"];
  if (c.bias) {
    initializers.b = vector("i32", c.bias);
    inputs.push("b");
  }
  return {
    inputs: [{ name: "x", shape: [...c.x.shape], elemType: CODE[xType] }],
    outputs: [{ name: "y", elemType: CODE[yType] }],
    initializers,
    nodes: [{ op: "QLinearConv", name: "qconv", inputs, outputs: ["y"], ...(c.attrs ? { attrs: c.attrs } : {}) }],
    opset: 13,
  };
}

describe("QLinearConv → hw.conv2d / hw.depthwise_conv2d, bit-exact with ONNX Runtime", () => {
  it("u8 input and weights, per-tensor scales, bias, strides and pads", async () => {
    const text = await expectOrtExact(
      qlinearConvModel({
        x: full("u8", [2, 3, 9, 9], 1),
        w: full("u8", [5, 3, 3, 3], 2),
        xScale: 0.02,
        xZp: 128,
        wScale: [0.01],
        wZp: 120,
        yScale: 0.15,
        yZp: 100,
        bias: [1000, -2000, 300, 0, 55],
        attrs: { strides: [2, 2], pads: [1, 1, 1, 1] },
      }),
      { x: full("u8", [2, 3, 9, 9], 1) },
    );
    expect(text).toContain('"hw.conv2d"');
    expect(text).toContain('rounding = "half-even-float"');
    // OIHW weights become an OHWI hw.const; the int32 bias an hw.const; NCHW ↔ NHWC at the edges.
    expect(text).toMatch(/"hw\.const"\(\) \{value = dense<[^>]*> : tensor<5x3x3x3xui8>\}/);
    expect(text).toMatch(/"hw\.const"\(\) \{value = dense<\[1000, -2000, 300, 0, 55\]> : tensor<5xi32>\}/);
    expect(count(text, '"hw.transpose"')).toBe(2);
    expect(text).not.toContain("float.");
  });

  it("i8, per-channel weight scales, dilations and asymmetric pads", async () => {
    const x = full("i8", [1, 4, 10, 11], 3);
    const text = await expectOrtExact(
      qlinearConvModel({
        x,
        w: ints("i8", [6, 4, 3, 2], -127, 127, 4),
        xScale: 0.03,
        xZp: -3,
        wScale: [0.004, 0.002, 0.003, 0.005, 0.0011, 0.007],
        yScale: 0.2,
        yZp: 5,
        bias: [100, -200, 30, 0, 4000, -4000],
        attrs: { dilations: [2, 1], pads: [0, 1, 2, 1] },
      }),
      { x },
    );
    expect(text).toMatch(/scale = \[[^\]]*,[^\]]*\]/); // one scale per output channel
  });

  it("u8 input with i8 weights (ORT's u8s8 kernel) and auto_pad SAME_UPPER", async () => {
    const x = full("u8", [1, 2, 7, 6], 5);
    await expectOrtExact(
      qlinearConvModel({
        x,
        w: ints("i8", [3, 2, 3, 3], -127, 127, 6),
        xScale: 0.05,
        xZp: 10,
        wScale: [0.003, 0.004, 0.005],
        yScale: 0.3,
        yZp: 128,
        attrs: { auto_pad: "SAME_UPPER", strides: [2, 2] },
      }),
      { x },
    );
  });

  it("depthwise (group = C, two outputs per channel) → hw.depthwise_conv2d with [1, KH, KW, C·M] weights", async () => {
    const x = full("i8", [1, 3, 8, 8], 7);
    const text = await expectOrtExact(
      qlinearConvModel({
        x,
        w: ints("i8", [6, 1, 3, 3], -127, 127, 8),
        xScale: 0.04,
        xZp: 0,
        wScale: [0.01, 0.02, 0.015, 0.012, 0.009, 0.011],
        yScale: 0.1,
        yZp: -10,
        bias: [10, 20, 30, -40, -50, 60],
        attrs: { group: 3, pads: [1, 1, 1, 1] },
      }),
      { x },
    );
    expect(text).toContain('"hw.depthwise_conv2d"');
    expect(text).toContain("depth_multiplier = 2");
    expect(text).toMatch(/"hw\.const"\(\) \{value = dense<[^>]*> : tensor<1x3x3x6xi8>\}/);
  });

  it("grouped convolution (group 2) → hw.conv2d {groups = 2}", async () => {
    const x = full("u8", [1, 4, 6, 6], 9);
    const text = await expectOrtExact(
      qlinearConvModel({
        x,
        w: ints("u8", [4, 2, 3, 3], 0, 255, 10),
        xScale: 0.02,
        xZp: 100,
        wScale: [0.01],
        wZp: 128,
        yScale: 0.4,
        yZp: 90,
        attrs: { group: 2 },
      }),
      { x },
    );
    expect(text).toContain("groups = 2");
  });

  it("two QLinearConvs in a row stay NHWC between them: one transpose in, one out", async () => {
    const x = full("i8", [1, 3, 8, 8], 11);
    const spec = qlinearConvModel({ x, w: ints("i8", [4, 3, 3, 3], -127, 127, 12), xScale: 0.05, xZp: 1, wScale: [0.01], yScale: 0.1, yZp: -2, attrs: { pads: [1, 1, 1, 1] } });
    const second = { op: "QLinearConv", name: "qconv2", inputs: ["y1", "y_scale", "y_zp", "w2", "w2_scale", "w2_zp", "y2_scale", "y2_zp"], outputs: ["y"] };
    const chained: ModelSpec = {
      ...spec,
      nodes: [{ ...spec.nodes[0]!, outputs: ["y1"] }, second],
      initializers: {
        ...spec.initializers,
        w2: ints("i8", [2, 4, 1, 1], -127, 127, 13),
        w2_scale: scalar("f32", 0.02),
        w2_zp: scalar("i8", 0),
        y2_scale: scalar("f32", 0.05),
        y2_zp: scalar("i8", 3),
      },
    };
    const text = await expectOrtExact(chained, { x });
    expect(count(text, '"hw.conv2d"')).toBe(2);
    expect(count(text, '"hw.transpose"')).toBe(2);
  });

  it("QOperator form: QuantizeLinear → QLinearConv → DequantizeLinear computes NHWC throughout", async () => {
    const conv = qlinearConvModel({ x: full("u8", [1, 3, 6, 6], 14), w: ints("i8", [4, 3, 3, 3], -127, 127, 15), xScale: 0.02, xZp: 128, wScale: [0.01, 0.012, 0.008, 0.011], yScale: 0.05, yZp: 120, bias: [50, -60, 70, 0], attrs: { pads: [1, 1, 1, 1] } });
    const spec: ModelSpec = {
      ...conv,
      inputs: [{ name: "xf", shape: [1, 3, 6, 6] }],
      outputs: [{ name: "yf" }],
      nodes: [
        { op: "QuantizeLinear", name: "q", inputs: ["xf", "x_scale", "x_zp"], outputs: ["x"] },
        conv.nodes[0]!,
        { op: "DequantizeLinear", name: "dq", inputs: ["y", "y_scale", "y_zp"], outputs: ["yf"] },
      ],
    };
    const text = await expectOrtExact(spec, { xf: randomTensor([1, 3, 6, 6], 16, -2.5, 2.5) });
    // One float transpose in, one out; the integer values never change layout.
    expect(count(text, '"float.transpose"')).toBe(2);
    expect(text).not.toContain('"hw.transpose"');
    expect(text).toMatch(/"quant\.qcast"[^\n]*-> tensor<1x6x6x3x!quant\.uniform/);
  });

  it("rounds ties half to even, as ORT does", async () => {
    // x_scale · w_scale / y_scale = 0.5 and w = 1: y = round_half_even((x − x_zp) / 2) + y_zp.
    const x = tensor("i8", [1, 1, 1, 8], [5, 7, -5, -7, 1, 3, -1, 9]);
    const spec = qlinearConvModel({ x, w: tensor("i8", [1, 1, 1, 1], [1]), xScale: 1, xZp: 0, wScale: [0.5], yScale: 1, yZp: 0 });
    await expectOrtExact(spec, { x });
    const [y] = interpret(importVerified(buildModel(spec)), { x });
    expect(Array.from(y!.data as Int8Array)).toEqual([2, 4, -2, -4, 0, 2, 0, 4]);
  });

  it("requantizes near-ties in float32 as ONNX Runtime's MLAS does", async () => {
    // scale = f32(3.5/3) = 1.16666662693; acc = 3: acc·scale = 3.49999988 in double (→ 3), but the
    // float32 product rounds to 3.5 (→ 4, half to even). half-even-float follows ORT's float32.
    const s = Math.fround(3.5 / 3);
    const x = tensor("i8", [1, 1, 1, 1], [3]);
    const bytes = buildModel(qlinearConvModel({ x, w: tensor("i8", [1, 1, 1, 1], [1]), xScale: s, xZp: 0, wScale: [1], yScale: 1, yZp: 0 }));
    const [ours] = interpret(importVerified(bytes), { x });
    const [ref] = await runOrt(bytes, { x });
    expect(Array.from(ours!.data as Int8Array)).toEqual([4]);
    expect(Array.from(ref!.data as Int8Array)).toEqual([4]);
  });
});

describe("ConvInteger → hw.conv2d with an i32 result, bit-exact with ONNX Runtime", () => {
  const model = (x: Tensor, w: Tensor, zps: { x?: number; w?: number }, attrs?: ModelSpec["nodes"][number]["attrs"]): ModelSpec => {
    const initializers: Record<string, Tensor> = { w };
    const inputs = ["x", "w"];
    if (zps.x !== undefined || zps.w !== undefined) {
      initializers.x_zp = scalar(x.dtype, zps.x ?? 0);
      inputs.push("x_zp");
    }
    if (zps.w !== undefined) {
      initializers.w_zp = scalar(w.dtype, zps.w);
      inputs.push("w_zp");
    }
    return {
      inputs: [{ name: "x", shape: [...x.shape], elemType: CODE[x.dtype] }],
      outputs: [{ name: "y", elemType: CODE.i32 }],
      initializers,
      nodes: [{ op: "ConvInteger", name: "ci", inputs, outputs: ["y"], ...(attrs ? { attrs } : {}) }],
      opset: 10,
    };
  };

  it("u8 input and weights with zero points, pads and strides", async () => {
    const x = full("u8", [2, 3, 7, 8], 21);
    const text = await expectOrtExact(model(x, full("u8", [4, 3, 3, 3], 22), { x: 131, w: 117 }, { pads: [1, 2, 1, 0], strides: [1, 2] }), { x });
    expect(text).toContain('"hw.conv2d"');
    expect(text).toMatch(/-> tensor<2x7x4x4xi32>/);
    expect(text).not.toContain("scale");
  });

  it("without zero points", async () => {
    const x = full("u8", [1, 2, 5, 5], 23);
    await expectOrtExact(model(x, full("u8", [3, 2, 2, 2], 24), {}), { x });
  });

  it("weights fed at run time are moved to OHWI with hw.transpose", async () => {
    const x = full("u8", [1, 2, 5, 5], 25);
    const w = full("u8", [3, 2, 2, 2], 26);
    const spec = model(x, w, { x: 7, w: 9 });
    const { w: _initializer, ...initializers } = spec.initializers!;
    const text = await expectOrtExact({ ...spec, inputs: [...spec.inputs, { name: "w", shape: [3, 2, 2, 2], elemType: CODE.u8 }], initializers }, { x, w });
    expect(count(text, '"hw.transpose"')).toBe(3);
  });
});

describe("QLinearMatMul / MatMulInteger → hw.matmul, bit-exact with ONNX Runtime", () => {
  const qlinear = (a: Tensor, b: Tensor, p: { aScale: number; aZp: number; bScale: readonly number[]; bZp: number; yScale: number; yZp: number }, bConstant: boolean): ModelSpec => {
    const t = a.dtype;
    const initializers: Record<string, Tensor> = {
      a_scale: scalar("f32", p.aScale),
      a_zp: scalar(t, p.aZp),
      b_scale: p.bScale.length === 1 ? scalar("f32", p.bScale[0]!) : vector("f32", p.bScale),
      b_zp: scalar(b.dtype, p.bZp),
      y_scale: scalar("f32", p.yScale),
      y_zp: scalar(t, p.yZp),
    };
    if (bConstant) initializers.b = b;
    return {
      inputs: [{ name: "a", shape: [...a.shape], elemType: CODE[t] }, ...(bConstant ? [] : [{ name: "b", shape: [...b.shape], elemType: CODE[b.dtype] }])],
      outputs: [{ name: "y", elemType: CODE[t] }],
      initializers,
      nodes: [{ op: "QLinearMatMul", name: "qmm", inputs: ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"], outputs: ["y"] }],
      opset: 13,
    };
  };

  it("batched a [2, 3, 16] × constant b [16, 5] (an hw.const), per-column b_scale", async () => {
    const a = full("u8", [2, 3, 16], 31);
    const text = await expectOrtExact(qlinear(a, full("u8", [16, 5], 32), { aScale: 0.02, aZp: 128, bScale: [0.01, 0.02, 0.005, 0.03, 0.012], bZp: 120, yScale: 0.3, yZp: 110 }, true), { a });
    expect(text).toMatch(/"hw\.const"\(\) \{value = dense<[^>]*> : tensor<16x5xui8>\}/);
    expect(text).toMatch(/"hw\.matmul"\([^)]*\) \{a_zp = \[128\], b_zp = \[120\], output_zp = 110 : i64, rounding = "half-even-float", scale = \[[^\]]*,/);
  });

  it("i8 run-time operands; ties round half to even", async () => {
    // a_scale · b_scale / y_scale = 0.5, b = identity: y = round_half_even(a / 2).
    const a = tensor("i8", [2, 4], [5, 7, -5, -7, 1, 3, -1, 9]);
    const b = tensor("i8", [4, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const spec = qlinear(a, b, { aScale: 1, aZp: 0, bScale: [0.5], bZp: 0, yScale: 1, yZp: 0 }, false);
    await expectOrtExact(spec, { a, b });
    const [y] = interpret(importVerified(buildModel(spec)), { a, b });
    expect(Array.from(y!.data as Int8Array)).toEqual([2, 4, -2, -4, 0, 2, 0, 4]);
  });

  it("MatMulInteger with a per-column b_zero_point", async () => {
    const a = full("u8", [3, 7], 33);
    const spec: ModelSpec = {
      inputs: [{ name: "a", shape: [3, 7], elemType: CODE.u8 }],
      outputs: [{ name: "y", elemType: CODE.i32 }],
      initializers: { b: full("u8", [7, 4], 34), a_zp: scalar("u8", 100), b_zp: vector("u8", [1, 128, 255, 7]) },
      nodes: [{ op: "MatMulInteger", name: "mmi", inputs: ["a", "b", "a_zp", "b_zp"], outputs: ["y"] }],
      opset: 10,
    };
    const text = await expectOrtExact(spec, { a });
    expect(text).toContain("b_zp = [1, 128, 255, 7]");
  });
});

describe("integer op import errors", () => {
  const message = (spec: ModelSpec): string => {
    try {
      importOnnx(buildModel(spec), { filename: "model.onnx" });
    } catch (e) {
      expect(e).toBeInstanceOf(OnnxImportError);
      return (e as Error).message;
    }
    throw new Error("import succeeded");
  };
  const conv = qlinearConvModel({ x: full("u8", [1, 2, 4, 4], 41), w: full("u8", [2, 2, 1, 1], 42), xScale: 0.1, xZp: 3, wScale: [0.1, 0.2], wZp: 5, yScale: 0.1, yZp: 7 });

  it("a zero point that is a graph input must be bound as a constant", () => {
    const { x_zp: _unbound, ...initializers } = conv.initializers!;
    const spec: ModelSpec = { ...conv, inputs: [...conv.inputs, { name: "x_zp", shape: [], elemType: CODE.u8 }], initializers };
    expect(message(spec)).toBe(
      "model.onnx: node 'qconv' (QLinearConv): x_zero_point ('x_zp') must be a constant: an initializer, a Constant node, or a graph input bound to a value " +
        "(importOnnx's constantInputs, `qopt import --constant x_zp=file`); hw ops take it as an attribute",
    );
    // Bound, it imports.
    expect(() => importVerified(buildModel(spec), { constantInputs: { x_zp: scalar("u8", 3) } })).not.toThrow();
  });

  it("weight zero points that differ per channel", () => {
    const spec: ModelSpec = { ...conv, initializers: { ...conv.initializers, w_zp: vector("u8", [5, 6]) } };
    expect(message(spec)).toBe("model.onnx: node 'qconv' (QLinearConv): w_zero_point ('w_zp') must hold one value (hw convolutions take one weight zero point for all output channels), got [5, 6]");
  });

  it("DynamicQuantizeLinear feeding MatMulInteger: a run-time zero point cannot become an attribute", () => {
    const spec: ModelSpec = {
      inputs: [{ name: "x", shape: [2, 3] }],
      outputs: [{ name: "y", elemType: CODE.i32 }],
      initializers: { w: full("u8", [3, 2], 43) },
      nodes: [
        { op: "DynamicQuantizeLinear", name: "dq", inputs: ["x"], outputs: ["xq", "xs", "xz"] },
        { op: "MatMulInteger", name: "mm", inputs: ["xq", "w", "xz"], outputs: ["y"] },
      ],
      opset: 11,
    };
    expect(message(spec)).toMatch(/^model\.onnx: node 'mm' \(MatMulInteger\): a_zero_point \('xz'\) must be a constant: /);
  });
});
