/**
 * calibrate → propagate-ranges → nudge-zero-point → quantize on a synthetic conv net: the QDQ program
 * verifies after every pass, keeps float inputs/outputs, and stays within 30 dB SQNR of float on held-back inputs.
 */
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, propagateRanges, nudgeZeroPoint, quantize } from "../../passes/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** MLIR's hex form of f32 data: raw little-endian bytes. */
function denseList(values: number[]): string {
  return `"0x${Buffer.from(Float32Array.from(values).buffer).toString("hex").toUpperCase()}"`;
}

/** conv 3x3 (4→8) + bias + relu → depthwise 3x3 → relu6 → mean over H,W → fully connected 8→3 → softmax. */
function syntheticNet(): string {
  const r = rng(7);
  const w1 = Array.from({ length: 8 * 3 * 3 * 4 }, () => (r() - 0.5) * 0.6);
  const b1 = Array.from({ length: 8 }, () => (r() - 0.5) * 0.2);
  const w2 = Array.from({ length: 3 * 3 * 8 }, () => (r() - 0.5) * 0.8);
  const w3 = Array.from({ length: 3 * 8 }, () => (r() - 0.5));
  const b3 = Array.from({ length: 3 }, () => (r() - 0.5) * 0.1);
  return `
func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x3xf32> {qopt.name = "probs"}) {
  %w1 = "float.const"() {value = dense<${denseList(w1)}> : tensor<8x3x3x4xf32>} : () -> tensor<8x3x3x4xf32>
  %b1 = "float.const"() {value = dense<${denseList(b1)}> : tensor<8xf32>} : () -> tensor<8xf32>
  %c1 = "float.conv2d"(%x, %w1, %b1) {padding = "same", act = "relu"} : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %w2 = "float.const"() {value = dense<${denseList(w2)}> : tensor<1x3x3x8xf32>} : () -> tensor<1x3x3x8xf32>
  %c2 = "float.depthwise_conv2d"(%c1, %w2) {padding = "same"} : (tensor<1x8x8x8xf32>, tensor<1x3x3x8xf32>) -> tensor<1x8x8x8xf32>
  %r2 = "float.relu6"(%c2) : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %m = "float.mean"(%r2) {axes = [1, 2], keepdims = false} : (tensor<1x8x8x8xf32>) -> tensor<1x8xf32>
  %w3 = "float.const"() {value = dense<${denseList(w3)}> : tensor<3x8xf32>} : () -> tensor<3x8xf32>
  %b3 = "float.const"() {value = dense<${denseList(b3)}> : tensor<3xf32>} : () -> tensor<3xf32>
  %fc = "float.fully_connected"(%m, %w3, %b3) : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %p = "float.softmax"(%fc) : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %p : tensor<1x3xf32>
}`;
}

function inputs(seed: number, n: number): Tensor[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => [makeTensor("f32", [1, 8, 8, 4], Float32Array.from({ length: 256 }, () => r() * 2 - 1))]);
}

function sqnrDb(ref: Float32Array, got: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    signal += ref[i]! ** 2;
    noise += (ref[i]! - got[i]!) ** 2;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

describe("int8 quantization pipeline", () => {
  const float = parseModule(syntheticNet(), { filename: "net.mlir" });
  const calib = inputs(1, 16);
  const held = inputs(2, 16);

  it("writes a verified QDQ program within 30 dB of float", () => {
    const pm = new PassManager({ verifyEach: true, freeze: true })
      .add(calibrate({ data: calib }))
      .add(propagateRanges())
      .add(nudgeZeroPoint())
      .add(quantize({ mode: "int8" }));
    const q = pm.run(float);
    const text = printModule(q);
    expect(text).toContain('"quant.qcast"');
    expect(text).toMatch(/!quant\.uniform<i8<-127:127>:f32:0, \{/); // per-channel conv weights
    expect(text).toMatch(/!quant\.uniform<i32:f32:0, \{/); // int32 bias, scale s_in·s_w
    expect(text).toContain("!quant.uniform<i8:f32, 3.906250e-03:-128>"); // softmax: 1/256, zp −128
    expect(text).toMatch(/func\.func @main\(%arg0: tensor<1x8x8x4xf32>/); // float interface kept
    let worst = Infinity;
    for (const sample of held) {
      const ref = interpret(float, sample)[0]!.data as Float32Array;
      const got = interpret(q, sample)[0]!.data as Float32Array;
      worst = Math.min(worst, sqnrDb(ref, got));
    }
    console.log(`int8 QDQ vs float: worst SQNR ${worst.toFixed(1)} dB over ${held.length} held-back inputs`);
    expect(worst).toBeGreaterThanOrEqual(30);
  });

  it("keeps weights only in dynamic-range mode and marks the ops", () => {
    const q = new PassManager({ freeze: true }).add(calibrate({ data: calib })).add(quantize({ mode: "dynamic-range" })).run(float);
    const text = printModule(q);
    expect(text).toContain("qopt.dynamic_range");
    expect(text).not.toMatch(/"quant\.qcast"\(%arg0\)/);
  });
});
