/**
 * QuantizeLinear / DequantizeLinear models (QDQ form) against ONNX Runtime with graph optimizations
 * off, so ORT runs the Q and DQ nodes as written instead of fusing them into integer kernels.
 */
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { printModule } from "../../src/syntax/printer.js";
import { buildModel, checkAgainstOrt, importVerified, randomTensor, runOrt, tensor } from "./onnx-model.js";

/** Random int8 weights in [-127, 127]. */
function int8Weights(shape: readonly number[], seed: number): Tensor {
  const r = randomTensor(shape, seed, -127.49, 127.49);
  return tensor("i8", shape, Array.from(r.data as Float32Array, Math.round));
}

describe("QuantizeLinear / DequantizeLinear", () => {
  it("QuantizeLinear to a uint8 graph output is exact (per tensor) and rounds ties to even", async () => {
    const spec = {
      inputs: [{ name: "x", shape: [2, 50] }],
      outputs: [{ name: "y", elemType: 2 }],
      initializers: { s: tensor("f32", [], [0.5]), zp: tensor("u8", [], [128]) },
      nodes: [{ op: "QuantizeLinear", inputs: ["x", "s", "zp"], outputs: ["y"] }],
    };
    const x = randomTensor([2, 50], 1, -70, 70);
    // Pin ties: 1.25 / 0.5 = 2.5 → 2, 1.75 / 0.5 = 3.5 → 4, -1.25 → -2 (then + 128).
    (x.data as Float32Array).set([1.25, 1.75, -1.25, -0.25, 0.25]);
    const bytes = buildModel(spec);
    const module = importVerified(bytes);
    const [ours] = interpret(module, { x });
    const [ref] = await runOrt(bytes, { x }, { optimize: false });
    expect(ours!.dtype).toBe("u8");
    expect(Array.from(ours!.data as Uint8Array)).toEqual(Array.from(ref!.data as Uint8Array));
    expect(Array.from((ours!.data as Uint8Array).slice(0, 5))).toEqual([130, 132, 126, 128, 128]);
  });

  it("DequantizeLinear of a uint8 graph input feeding a Conv", async () => {
    const x = tensor("u8", [1, 3, 5, 5], Array.from({ length: 75 }, (_, i) => (i * 37) % 256));
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 3, 5, 5], elemType: 2 }],
        outputs: [{ name: "y" }],
        initializers: { s: tensor("f32", [], [0.02]), zp: tensor("u8", [], [100]), w: randomTensor([4, 3, 3, 3], 2) },
        nodes: [
          { op: "DequantizeLinear", inputs: ["x", "s", "zp"], outputs: ["xf"] },
          { op: "Conv", inputs: ["xf", "w"], outputs: ["y"], attrs: { pads: [1, 1, 1, 1] } },
        ],
      },
      { x },
      { optimize: false },
    );
    expect(printModule(module)).toContain("!quant.uniform<u8:f32, 0.019999999552965164:100>");
  });

  it("QDQ conv: per-axis int8 weights become OHWI constants, int32 bias, quantized axis kept", async () => {
    const sx = 0.01;
    const sw = [0.004, 0.002, 0.003, 0.005];
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: ["N", 3, 6, 6] }],
        outputs: [{ name: "y" }],
        initializers: {
          sx: tensor("f32", [], [sx]),
          zx: tensor("u8", [], [128]),
          w: int8Weights([4, 3, 3, 3], 3),
          sw: tensor("f32", [4], sw),
          zw: tensor("i8", [4], [0, 0, 0, 0]),
          b: tensor("i32", [4], [1000, -2000, 300, 0]),
          sb: tensor("f32", [4], sw.map((s) => Math.fround(sx * s))),
        },
        nodes: [
          { op: "QuantizeLinear", inputs: ["x", "sx", "zx"], outputs: ["xq"] },
          { op: "DequantizeLinear", inputs: ["xq", "sx", "zx"], outputs: ["xd"] },
          { op: "DequantizeLinear", inputs: ["w", "sw", "zw"], outputs: ["wd"], attrs: { axis: 0 } },
          { op: "DequantizeLinear", inputs: ["b", "sb"], outputs: ["bd"], attrs: { axis: 0 } },
          { op: "Conv", inputs: ["xd", "wd", "bd"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "Relu", inputs: ["c"], outputs: ["y"] },
        ],
      },
      { x: randomTensor([2, 3, 6, 6], 4) },
      { optimize: false },
    );
    const text = printModule(module);
    expect(text).toContain("tensor<4x3x3x3xi8>");
    expect(text).toContain("tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.004000000189989805,0.0020000000949949026,0.003000000026077032,0.004999999888241291}>>");
    expect(text).toContain("!quant.uniform<i32:f32:0,");
    // Q then DQ with the same parameters: the dequantize reads the quantized value directly.
    expect(text.match(/"quant\.scast"/g)?.length).toBe(2);
  });

  it("QDQ depthwise conv: the per-axis dim moves to 3 in [1, KH, KW, C·M]", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 4, 5, 5] }],
        outputs: [{ name: "y" }],
        initializers: { w: int8Weights([4, 1, 3, 3], 5), sw: tensor("f32", [4], [0.01, 0.02, 0.03, 0.04]) },
        nodes: [
          { op: "DequantizeLinear", inputs: ["w", "sw"], outputs: ["wd"], attrs: { axis: 0 } },
          { op: "Conv", inputs: ["x", "wd"], outputs: ["y"], attrs: { group: 4, pads: [1, 1, 1, 1] } },
        ],
      },
      { x: randomTensor([1, 4, 5, 5], 6) },
      { optimize: false },
    );
    const text = printModule(module);
    expect(text).toContain("tensor<1x3x3x4xi8>");
    expect(text).toContain("!quant.uniform<i8:f32:3, {");
  });

  it("a Q/DQ pair between NHWC ops stays NHWC; a quantized 4-D output returns to NCHW", async () => {
    const module = await checkAgainstOrt(
      {
        inputs: [{ name: "x", shape: [1, 2, 6, 6] }],
        outputs: [{ name: "p" }, { name: "q", elemType: 3 }],
        initializers: { w: randomTensor([3, 2, 3, 3], 7), s: tensor("f32", [3], [0.05, 0.04, 0.03]), z: tensor("i8", [3], [-3, 0, 5]) },
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
          { op: "QuantizeLinear", inputs: ["c", "s", "z"], outputs: ["q"], attrs: { axis: 1 } },
          { op: "DequantizeLinear", inputs: ["q", "s", "z"], outputs: ["d"], attrs: { axis: 1 } },
          { op: "MaxPool", inputs: ["d"], outputs: ["p"], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
        ],
      },
      { x: randomTensor([1, 2, 6, 6], 8) },
      { optimize: false },
    );
    const text = printModule(module);
    // Channel axis 1 in NCHW is axis 3 in NHWC.
    expect(text).toContain("!quant.uniform<i8:f32:3, {0.05000000074505806:-3,0.03999999910593033,0.029999999329447746:5}>");
    expect(text).toContain("!quant.uniform<i8:f32:1, {0.05000000074505806:-3,0.03999999910593033,0.029999999329447746:5}>");
  });

  // Known gap, not in the importer: ONNX (and MLIR's lowering of quant.qcast) divide x / scale in
  // f32 before rounding; dialects/quant/quantize-tensor.ts divides in f64. 0.35f / 0.1f is 3.4999999
  // in f64 (→ 3) but rounds to exactly 3.5 in f32 (→ 4, half to even). Flip to `it` once the kernel
  // divides in the expressed type.
  it("QuantizeLinear near a tie matches ONNX Runtime (f32 division)", async () => {
    const bytes = buildModel({
      inputs: [{ name: "x", shape: [3] }],
      outputs: [{ name: "y", elemType: 3 }],
      initializers: { s: tensor("f32", [], [0.1]), z: tensor("i8", [], [0]) },
      nodes: [{ op: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["y"] }],
    });
    const x = tensor("f32", [3], [0.35, 0.25, 0.45]);
    const [ours] = interpret(importVerified(bytes), { x });
    const [ref] = await runOrt(bytes, { x }, { optimize: false });
    expect(Array.from(ours!.data as Int8Array)).toEqual(Array.from(ref!.data as Int8Array));
  });
});
