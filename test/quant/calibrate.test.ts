/**
 * What calibrate.mlir cannot show: observer memory stays flat in the number of samples, the MSE
 * observer's clipping choice, the progress bar only on a terminal, weights' per-channel ranges from the
 * constants themselves, and output that verifies (in qopt and in mlir-opt).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { verifyModule } from "../../src/ir/verifier.js";
import type { Module } from "../../src/ir/operation.js";
import type { TensorType, UniformQuantType } from "../../src/ir/types.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, quantize } from "../../passes/index.js";
import { entryFunction } from "../../src/interp/interpreter.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { readRanges, RANGE_ATTR } from "../../src/quant/ranges.js";
import { HistogramObserver, makeObserver, type ObserverOptions } from "../../src/quant/observers.js";
import { mlirOptAvailable, runMlirOpt } from "../support/mlir-opt.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const dataDir = join(import.meta.dirname, "calibrate-data");

/** x → mul by 2 → relu, as in calibrate.mlir. */
const MUL_RELU = `
func.func @main(%x: tensor<1x4xf32> {qopt.name = "x"}) -> tensor<1x4xf32> {
  %c = "float.const"() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%x, %c) : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %r = "float.relu"(%m) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}`;

/** A fully connected layer whose two output channels have weights of different magnitude: max |w| 2 and 1. */
const FC = `
func.func @main(%x: tensor<1x4xf32> {qopt.name = "x"}) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.125, 0.0625, 1.0, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %f = "float.fully_connected"(%x, %w) {act = "relu"} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %f : tensor<1x2xf32>
}`;

/** Samples r0, r1, r2 of calibrate-data/calib.npy, scaled. */
function samples(scale = 1): Tensor[][] {
  const rows = [
    [1, -2, 0.5, -1],
    [-3, 2, 0, 3],
    [4, -4, 1, 2],
  ];
  return rows.map((r) => [makeTensor("f32", [1, 4], Float32Array.from(r, (v) => v * scale))]);
}

function run(text: string, ...passes: Parameters<PassManager["add"]>[0][]): Module {
  const pm = new PassManager({ verifyEach: true });
  for (const p of passes) pm.add(p);
  return pm.run(parseModule(text, { filename: "calibrate.test.mlir" }));
}

/** Observes `batches` batches twice over (calibrate's two passes), the outlier batch last. */
function observeAll(options: ObserverOptions, batches: number, batch: Float32Array, outlier: Float32Array): HistogramObserver {
  const o = makeObserver(options);
  expect(o).toBeInstanceOf(HistogramObserver);
  for (let i = 0; i < batches; i++) o.observe(batch);
  o.observe(outlier);
  for (let i = 0; i < batches; i++) o.observeHistogram(batch);
  o.observeHistogram(outlier);
  return o as HistogramObserver;
}

describe("histogram observers keep fixed bins (memory flat in the number of samples)", () => {
  // Every batch holds 0..7; one last batch holds the outlier 1024. The histogram spans [0, 1024] in 2048
  // bins of 0.5, so v lands in bin 2v and the outlier in the last bin (2047).
  const batch = Float32Array.from({ length: 8 }, (_, i) => i);
  const outlier = Float32Array.of(1024);

  it("holds 2048 bins after 10 samples and after 10,000, and every value is counted in them", () => {
    for (const batches of [10, 10_000]) {
      for (const kind of ["percentile", "mse"] as const) {
        const h = observeAll({ kind }, batches, batch, outlier).histogram!;
        expect(h.counts.length).toBe(2048);
        expect([h.lo, h.hi]).toEqual([0, 1024]);
        // 8 values per batch plus the outlier: the bins hold them all, and nothing else holds any.
        expect(h.counts.reduce((a, b) => a + b, 0)).toBe(batches * 8 + 1);
        expect(h.counts[14]).toBe(batches); // the value 7
        expect(h.counts[2047]).toBe(1);
      }
    }
  });

  it("percentile{p=99.99} clips the outlier once the bins hold enough mass", () => {
    // 10 batches: 81 values, 0.01% of them is 0.0081 < 1, so the outlier's bin is kept: [0, 1024].
    expect(observeAll({ kind: "percentile", percentile: 99.99 }, 10, batch, outlier).range()).toEqual({ min: 0, max: 1024 });
    // 10,000 batches: 80,001 values, 0.01% is 8.0001: the outlier (1) goes, and the bin of 7 (bin 14,
    // 10,000 values) is the last kept; its upper edge is 15 · 0.5 = 7.5. The lowest bin (0) holds 10,000.
    expect(observeAll({ kind: "percentile", percentile: 99.99 }, 10_000, batch, outlier).range()).toEqual({ min: 0, max: 7.5 });
  });
});

describe("mse observer", () => {
  it("clips an outlier when the rounding noise of many values outweighs the clipping error", () => {
    // N = 195,075 zeros and one 1: the histogram spans [0, 1], the zeros' bin centre is 0.5/2048 (inside
    // every candidate range) and the outlier's is x₁ = 2047.5/2048. A candidate [0, M], M = 1 − s/100,
    // costs (x₁ − M)² (clipping; for s ≥ 1) + N · (M/255)²/12 (rounding), and N/(255² · 12) = 1/4 exactly:
    // f(M) = (x₁ − M)² + M²/4, least at M = x₁/1.25 = 0.79980…; the nearest candidate is s = 20, M = 0.8
    // (f ≈ 0.19992, against 0.25000128 for the full range s = 0).
    const n = 195_075;
    const data = new Float32Array(n + 1);
    data[n] = 1;
    const o = makeObserver({ kind: "mse" });
    o.observe(data);
    o.observeHistogram(data);
    const r = o.range();
    expect(r.min).toBe(0);
    expect(r.max).toBeCloseTo(0.8, 12);
  });
});

describe("progress bar", () => {
  const quantizeArgs = (dir: string): string[] => {
    const model = join(dir, "fc.mlir");
    writeFileSync(model, FC);
    return ["--import", "tsx", join(repoRoot, "src/cli/qopt.ts"), "quantize", model, "--target=tflite-int8", "--calib", join(dataDir, "calib.npy"), "-o", join(dir, "out.mlir")];
  };

  it("is quiet when stderr is not a terminal (qopt quantize with stderr piped)", () => {
    const dir = mkdtempSync(join(tmpdir(), "qopt-calibrate-"));
    try {
      const r = spawnSync(process.execPath, quantizeArgs(dir), { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(r.status, r.stderr).toBe(0);
      // The summary is there; the bar's label, its frame and cursor controls are not.
      expect(r.stderr).toContain("quantized for tflite-int8");
      expect(r.stderr).not.toContain("calibrating");
      expect(r.stderr).not.toMatch(/\u001b|\r/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The control: the same run on a pseudo-terminal (util-linux `script`) does draw the bar, so the check
  // above can fail.
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!hasScript)("is drawn on a terminal", () => {
    const dir = mkdtempSync(join(tmpdir(), "qopt-calibrate-"));
    try {
      const command = [process.execPath, ...quantizeArgs(dir)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
      const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      // Three samples, one pass (minmax): the bar ends at 3/3.
      expect(r.stdout).toMatch(/calibrating \[[^\]]*\] 3\/3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("weights", () => {
  it("are not observed: their per-channel ranges come from the constants, whatever the data", () => {
    /** The scales of the weights' qcast and of the input's (the qcast of the function argument). */
    const scales = (data: Tensor[][]): { weights: readonly number[]; input: readonly number[] } => {
      const calibrated = run(FC, calibrate({ data }));
      const constant = entryFunction(calibrated).func.regions[0]!.blocks[0]!.ops.find((op) => op.name === "float.const")!;
      expect(constant.attributes[RANGE_ATTR]).toBeUndefined();
      const quantized = run(printModule(calibrated), quantize({ perChannel: true }));
      const ops = entryFunction(quantized).func.regions[0]!.blocks[0]!.ops;
      const producer = (op: (typeof ops)[number]): string | undefined => ops.find((p) => p.results.includes(op.operands[0]!))?.name;
      const qcasts = ops.filter((o) => o.name === "quant.qcast");
      const scalesOf = (op: (typeof ops)[number] | undefined): readonly number[] => ((op!.results[0]!.type as TensorType).element as UniformQuantType).scales;
      return { weights: scalesOf(qcasts.find((o) => producer(o) === "float.const")), input: scalesOf(qcasts.find((o) => producer(o) === undefined)) };
    };
    // int8 weights as TFLite's spec has them for conv (per output channel, symmetric, narrow range):
    // scale_c = max |w_c| / 127, from the rows [0.5, −1, 0.25, 2] and [−0.125, 0.0625, 1, −0.5]: 2/127, 1/127.
    const base = scales(samples(1));
    const scaled = scales(samples(10));
    expect(base.weights.length).toBe(2);
    expect(base.weights[0]).toBeCloseTo(2 / 127, 12);
    expect(base.weights[1]).toBeCloseTo(1 / 127, 12);
    expect(scaled.weights).toEqual(base.weights);
    // The input's scale does follow the data: asymmetric int8 over x in [−4, 4] is 8/255, ten times that
    // for the scaled data.
    expect(base.input[0]).toBeCloseTo(8 / 255, 9);
    expect(scaled.input[0]).toBeCloseTo(80 / 255, 9);
  });
});

describe("calibrate's output", () => {
  it("verifies, and its ranges survive printing and parsing", () => {
    for (const observer of ["minmax", "moving-average", "percentile{p=90}", "mse"]) {
      const out = run(MUL_RELU, calibrate({ data: samples(), observer }));
      const text = printModule(out);
      const back = parseModule(text, { filename: "printed.mlir" });
      expect(verifyModule(back)).toEqual([]);
      const before = [...readRanges(entryFunction(out).func).values()];
      const after = [...readRanges(entryFunction(back).func).values()];
      // x, 2x and relu(2x); not the constant.
      expect(before).toHaveLength(3);
      expect(after).toEqual(before);
    }
  });

  it.skipIf(!mlirOptAvailable())("is valid MLIR (mlir-opt-19 reads it)", () => {
    const text = printModule(run(MUL_RELU, calibrate({ data: samples(), observer: "percentile{p=90}" })));
    const r = runMlirOpt(text, ["--allow-unregistered-dialect"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("qopt.range = [-3.000000e+00, 3.00390625");
  });

  it("takes samples=N from tensors given in code too", () => {
    // r0 alone: x in [−2, 1] (calibrate.mlir derives the same from the files).
    const out = run(MUL_RELU, calibrate({ data: samples(), samples: 1 }));
    const x = readRanges(entryFunction(out).func).get(entryFunction(out).func.regions[0]!.blocks[0]!.args[0]!);
    expect(x).toEqual({ min: -2, max: 1 });
  });
});
