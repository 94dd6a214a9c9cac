/**
 * compareModules: identical programs, a perturbed copy, the float tiny CNN against its int8 QDQ version
 * (plain and fused), the metrics on hand-computed cases, and the errors for programs that cannot be compared.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, propagateRanges, nudgeZeroPoint, quantize, fuse } from "../../passes/index.js";
import { compareModules, tensorError, CompareError } from "../../src/interp/compare.js";
import { InterpreterError } from "../../src/interp/interpreter.js";
import { makeTensor } from "../../src/interp/tensor.js";
import { readNpyFile } from "../../src/io/npy.js";
import type { Module } from "../../src/ir/operation.js";

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const tinyText = readFileSync(example("tiny-cnn.mlir"), "utf8");
const tinyInput = readNpyFile(example("tiny-input.npy"));
const calib = example("tiny-calib.npy");

function tinyFloat(): Module {
  return parseModule(tinyText, { filename: "examples/tiny-cnn.mlir" });
}

function tinyInt8(options: { fuse?: boolean } = {}): Module {
  const pm = new PassManager({ verifyEach: true });
  if (options.fuse) pm.add(fuse());
  return pm.add(calibrate({ data: calib })).add(propagateRanges()).add(nudgeZeroPoint()).add(quantize({ mode: "int8" })).run(tinyFloat());
}

describe("compareModules", () => {
  it("identical programs: ∞ dB, no error, 100% top-1 agreement, on every output and layer", () => {
    const r = compareModules(tinyFloat(), tinyFloat(), { x: tinyInput }, { perLayer: true });
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ index: 0, name: "probs", shape: [1, 3], sqnrDb: Infinity, maxAbsError: 0, meanAbsError: 0, top1Agreement: 100 });
    expect(r.layers!.map((l) => l.op)).toEqual([
      "float.conv2d",
      "float.add",
      "float.relu",
      "float.depthwise_conv2d",
      "float.relu6",
      "float.mean",
      "float.fully_connected",
      "float.softmax",
    ]);
    for (const l of r.layers!) {
      expect(l.sqnrDb).toBe(Infinity);
      expect(l.matchedBy).toBe("location");
    }
    expect(r.unmatched).toEqual([]);
  });

  it("a perturbed copy: finite SQNR from the perturbed layer on, ∞ before it, worst first", () => {
    // The fully connected layer's bias, nudged.
    const perturbed = tinyText.replace('dense<"0x4D54C33C41D9D13B4D3219BD">', "dense<[0.05, 0.0, -0.05]>");
    expect(perturbed).not.toBe(tinyText);
    const b = parseModule(perturbed, { filename: "examples/tiny-cnn.mlir" });
    const r = compareModules(tinyFloat(), b, { x: tinyInput }, { perLayer: true });
    expect(Number.isFinite(r.outputs[0]!.sqnrDb)).toBe(true);
    expect(r.outputs[0]!.maxAbsError).toBeGreaterThan(0);
    const rows = r.layers!;
    expect(rows.slice(0, 2).map((l) => l.op).sort()).toEqual(["float.fully_connected", "float.softmax"]);
    for (const l of rows.slice(0, 2)) expect(Number.isFinite(l.sqnrDb)).toBe(true);
    for (const l of rows.slice(2)) expect(l.sqnrDb).toBe(Infinity);
    // Sorted by SQNR ascending.
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.sqnrDb).toBeLessThanOrEqual(rows[i]!.sqnrDb);
  });

  it("float vs int8 QDQ: per-layer rows for conv, depthwise, fc and softmax, on the dequantized tensors", () => {
    const q = tinyInt8();
    const r = compareModules(tinyFloat(), q, { x: tinyInput }, { perLayer: true });
    const out = r.outputs[0]!;
    expect(out.sqnrDb).toBeGreaterThan(25);
    expect(out.sqnrDb).toBeLessThan(Infinity);
    expect(out.top1Agreement).toBe(100);
    const byOp = new Map(r.layers!.map((l) => [l.op, l]));
    for (const op of ["float.conv2d", "float.depthwise_conv2d", "float.fully_connected", "float.softmax"]) {
      const row = byOp.get(op);
      expect(row, op).toBeDefined();
      expect(row!.matchedBy).toBe("location");
      expect(row!.sqnrDb).toBeGreaterThan(20);
      expect(row!.sqnrDb).toBeLessThan(Infinity);
      expect(row!.location).toMatch(/^examples\/tiny-cnn\.mlir:\d+:3$/);
    }
    // The softmax row is the program's output: the same tensor, so the same numbers.
    expect(byOp.get("float.softmax")!.sqnrDb).toBeCloseTo(out.sqnrDb, 9);
    const rows = r.layers!;
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.sqnrDb).toBeLessThanOrEqual(rows[i]!.sqnrDb);
    expect(r.unmatched).toEqual([]);
  });

  it("matches through printing with locations, and by order when a program has none", () => {
    const q = tinyInt8();
    const withLocs = parseModule(printModule(q, { debugInfo: true }), { filename: "out/tiny.int8.mlir" });
    const noLocs = parseModule(printModule(q), { filename: "out/tiny.int8.mlir" });
    const direct = compareModules(tinyFloat(), q, { x: tinyInput }, { perLayer: true });
    const printed = compareModules(tinyFloat(), withLocs, { x: tinyInput }, { perLayer: true });
    const ordered = compareModules(tinyFloat(), noLocs, { x: tinyInput }, { perLayer: true });
    expect(printed.layers!.every((l) => l.matchedBy === "location")).toBe(true);
    expect(ordered.layers!.every((l) => l.matchedBy === "order")).toBe(true);
    const summary = (rows: typeof direct.layers): string[] => rows!.map((l) => `${l.op} ${l.sqnrDb.toFixed(6)}`);
    expect(summary(printed.layers)).toEqual(summary(direct.layers));
    expect(summary(ordered.layers)).toEqual(summary(direct.layers));
  });

  it("compares an op B fused (conv + bias + relu) with the end of A's chain", () => {
    const r = compareModules(tinyFloat(), tinyInt8({ fuse: true }), { x: tinyInput }, { perLayer: true });
    const conv = r.layers!.find((l) => l.op === "float.conv2d")!;
    expect(conv.fused).toEqual(["float.add", "float.relu"]);
    expect(conv.sqnrDb).toBeGreaterThan(20);
    const dw = r.layers!.find((l) => l.op === "float.depthwise_conv2d")!;
    expect(dw.fused).toEqual(["float.relu6"]);
    expect(r.layers!.map((l) => l.op).sort()).toEqual(["float.conv2d", "float.depthwise_conv2d", "float.fully_connected", "float.mean", "float.softmax"]);
    expect(r.unmatched).toEqual([]);
  });

  it("matches by qopt.name when locations differ", () => {
    const text = (w: string, line: number): string => `
func.func @main(%x: tensor<2x2xf32> {qopt.name = "x"}) -> (tensor<2x2xf32> {qopt.name = "y"}) {
  %w = "float.const"() {value = dense<${w}> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %y = "float.fully_connected"(%x, %w) {qopt.name = "dense1"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> loc("m.mlir":${line}:3)
  %z = "float.relu"(%y) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %z : tensor<2x2xf32>
}`;
    const a = parseModule(text("[[1.0, 0.0], [0.0, 1.0]]", 10), { filename: "a.mlir" });
    const b = parseModule(text("[[1.0, 0.0], [0.0, 2.0]]", 20), { filename: "b.mlir" });
    const x = makeTensor("f32", [2, 2], Float32Array.from([1, 2, 3, 4]));
    const r = compareModules(a, b, { x }, { perLayer: true });
    const fcRow = r.layers!.find((l) => l.op === "float.fully_connected")!;
    expect(fcRow.matchedBy).toBe("name");
    // y = x·wᵀ: A [[1, 2], [3, 4]], B [[1, 4], [3, 8]]: noise 4 + 16, signal 30.
    expect(fcRow.sqnrDb).toBeCloseTo(10 * Math.log10(30 / 20), 12);
    expect(fcRow.top1Agreement).toBe(100);
    expect(r.layers!.find((l) => l.op === "float.relu")!.matchedBy).toBe("order");
  });

  it("lists matched tensors whose shapes differ as not compared", () => {
    const a = parseModule(
      `func.func @main(%x: tensor<2x2xf32> {qopt.name = "x"}) -> (tensor<2x2xf32> {qopt.name = "y"}) {
  %r = "float.reshape"(%x) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = "float.relu"(%r) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}`,
      { filename: "m.mlir" },
    );
    const b = parseModule(
      `func.func @main(%x: tensor<2x2xf32> {qopt.name = "x"}) -> (tensor<2x2xf32> {qopt.name = "y"}) {
  %r = "float.reshape"(%x) : (tensor<2x2xf32>) -> tensor<4xf32>
  %t = "float.relu"(%r) : (tensor<4xf32>) -> tensor<4xf32>
  %y = "float.reshape"(%t) : (tensor<4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}`,
      { filename: "m.mlir" },
    );
    const r = compareModules(a, b, { x: makeTensor("f32", [2, 2], Float32Array.from([1, -2, 3, -4])) }, { perLayer: true, names: ["a.mlir", "b.mlir"] });
    expect(r.outputs[0]!.sqnrDb).toBe(Infinity);
    expect(r.layers).toEqual([]);
    expect(r.unmatched).toEqual([
      { op: "float.reshape", location: "m.mlir:2:3", reason: "shape [2, 2] in a.mlir, [4] in b.mlir (float.reshape)" },
      { op: "float.relu", location: "m.mlir:3:3", reason: "shape [2, 2] in a.mlir, [4] in b.mlir (float.relu)" },
    ]);
  });

  it("takes positional inputs and names the programs in errors", () => {
    const r = compareModules(tinyFloat(), tinyFloat(), [tinyInput]);
    expect(r.outputs[0]!.sqnrDb).toBe(Infinity);
    expect(r.layers).toBeUndefined();
    const other = parseModule(
      `func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) {
  return %x, %x : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>
}`,
      { filename: "two.mlir" },
    );
    expect(() => compareModules(tinyFloat(), other, { x: tinyInput }, { names: ["float.mlir", "two.mlir"] })).toThrow(
      new CompareError("the programs have different outputs: float.mlir returns 1 (probs), two.mlir returns 2 (output_0, output_1)"),
    );
    const reshaped = parseModule(
      `func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x256xf32> {qopt.name = "probs"}) {
  %y = "float.reshape"(%x) : (tensor<1x8x8x4xf32>) -> tensor<1x256xf32>
  return %y : tensor<1x256xf32>
}`,
      { filename: "flat.mlir" },
    );
    expect(() => compareModules(tinyFloat(), reshaped, { x: tinyInput })).toThrow(new CompareError("output 0 'probs': A gives shape [1, 3], B gives [1, 256]"));
    expect(() => compareModules(tinyFloat(), tinyFloat(), {})).toThrow(new CompareError("missing input 'x' (A takes x)"));
    const batch = makeTensor("f32", [2, 8, 8, 4]);
    expect(() => compareModules(tinyFloat(), tinyFloat(), { x: batch })).toThrow(InterpreterError);
    expect(() => compareModules(tinyFloat(), tinyFloat(), { x: batch })).toThrow(/^A: input 'x': expected shape \[1, 8, 8, 4\], got \[2, 8, 8, 4\]$/);
  });
});

describe("tensorError", () => {
  it("computes SQNR, max and mean abs error and top-1 agreement as defined", () => {
    const ref = [1, 2, 3, 4, 4, 6, 6, 4];
    const test = [1, 2, 3, 3, 4, 6, 6, 3];
    const e = tensorError(ref, test, [2, 4]);
    expect(e.sqnrDb).toBeCloseTo(10 * Math.log10(134 / 2), 12);
    expect(e.maxAbsError).toBe(1);
    expect(e.meanAbsError).toBe(0.25);
    // Row 0: argmax 3 vs 2 (the first of two maxima); row 1: 1 vs 1.
    expect(e.top1Agreement).toBe(50);
    expect(e.elements).toBe(8);
  });

  it("gives ∞ for identical tensors, −∞ against a zero reference, NaN when NaNs differ; top-1 only for [N, classes]", () => {
    expect(tensorError([1, -2], [1, -2]).sqnrDb).toBe(Infinity);
    expect(tensorError([0, 0], [0, 0]).sqnrDb).toBe(Infinity);
    expect(tensorError([0, 0], [0, 1]).sqnrDb).toBe(-Infinity);
    expect(tensorError([NaN, 1], [NaN, 1]).sqnrDb).toBe(Infinity);
    expect(tensorError([NaN, 1], [0, 1]).sqnrDb).toBeNaN();
    expect(tensorError([1, 2, 3], [1, 2, 3], [3]).top1Agreement).toBeUndefined();
    expect(tensorError([1, 2, 3], [1, 2, 3], [3, 1]).top1Agreement).toBeUndefined();
    expect(tensorError([1, 2, 3, 4], [2, 1, 3, 4], [2, 2]).top1Agreement).toBe(50);
    expect(() => tensorError([1], [1, 2])).toThrow(CompareError);
  });
});
