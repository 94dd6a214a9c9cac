/**
 * analyze-sensitivity → select-precision on examples/tiny-cnn.mlir, as text pipelines: the table lands on
 * the ops, precisions are chosen under a budget, verified and logged, the cache makes a re-run with
 * another budget instant, impossible budgets fail with the best achievable value, and the result is
 * deterministic and round-trips through the printer.
 */
import { describe, expect, it } from "vitest";
import { readNpyFile } from "../../src/io/npy.js";
import { PassManager } from "../../src/pass/manager.js";
import { parsePassPipeline } from "../../src/pass/pipeline.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import type { Module } from "../../src/ir/operation.js";
import { sliceBatch } from "../../src/quant/calibration-data.js";
import { example, precisions, quantizeFor, sqnr, tempCacheDir, tinyCnn } from "./support.js";

const calib = example("tiny-calib.npy");
const cache = tempCacheDir();

function run(module: Module, pipeline: string): { out: Module; pm: PassManager } {
  const pm = new PassManager({ verifyEach: true, freeze: true }).addAll(parsePassPipeline(`builtin.module(func.func(${pipeline}))`));
  return { out: pm.run(module), pm };
}

const summaryOf = (pm: PassManager) => pm.context.decisions.find((d) => d.pass === "select-precision" && d.kind === "precision" && d.op === undefined)!;

const analyze = (target = "tflite-int8"): string => `fuse{target=${target}},analyze-sensitivity{data=${calib} target=${target} cache=${cache}}`;

describe("mixed precision on tiny-cnn", () => {
  const first = run(tinyCnn(), `${analyze()},select-precision{budget=size<=1.3x-int8 target=tflite-int8}`);

  it("records per-op sensitivities and writes a verified, logged choice", () => {
    const text = printModule(first.out);
    expect(text).toMatch(/qopt\.sensitivity = \{f32 = 0x7FF0000000000000 : f64, i16_i8 = [0-9.e+-]+ : f64, i8_i8 = [0-9.e+-]+ : f64\}/);
    expect(text).toContain("qopt.sensitivity_mse = {");
    // Every op with a choice got a precision: conv, depthwise, mean, fully connected, softmax.
    expect(precisions(first.out).map(([name]) => name)).toEqual(["float.conv2d", "float.depthwise_conv2d", "float.mean", "float.fully_connected", "float.softmax"]);
    const decisions = first.pm.context.decisions.filter((d) => d.pass === "select-precision" && d.kind === "precision");
    expect(decisions.filter((d) => d.op !== undefined)).toHaveLength(5);
    const summary = decisions.find((d) => d.op === undefined)!;
    expect(summary.message).toMatch(/^size<=1\.3x-int8: chose \d+ bytes \(1\.\d+x all-i8\), predicted SQNR [\d.]+ dB, measured SQNR [\d.]+ dB; all-i8: predicted SQNR [\d.]+ dB, measured [\d.]+ dB; Pareto front of \d+ points from 243 configurations \(exhaustive\)$/);
    const d = summary.details as { cost: number; baselineCost: number; predictedSqnr: number; measuredSqnr: number; baselineMeasuredSqnr: number };
    expect(d.cost).toBeLessThanOrEqual(1.3 * d.baselineCost);
    expect(d.measuredSqnr).toBeGreaterThan(d.baselineMeasuredSqnr);
    console.info(`tiny-cnn size<=1.3x-int8: ${summary.message}`);
    // Discardable attributes print and parse back unchanged (infinite SQNR as MLIR's hex form).
    expect(printModule(parseModule(text, { filename: "again.mlir" }))).toBe(text);
  });

  it("quantize honours the choice: mixed precision beats all-int8 within the size budget", () => {
    const float = run(tinyCnn(), "fuse{target=tflite-int8}").out;
    const samples = [[sliceBatch(readNpyFile(example("tiny-input.npy")), 0, 1)], ...Array.from({ length: 8 }, (_, i) => [sliceBatch(readNpyFile(calib), 24 + i, 25 + i)])];
    const int8 = sqnr(float, quantizeFor(float, calib, "tflite-int8"), samples);
    const mixed = sqnr(float, quantizeFor(first.out, calib, "tflite-int8"), samples);
    console.info(`tiny-cnn: all-int8 ${int8.toFixed(1)} dB, mixed (size<=1.3x-int8) ${mixed.toFixed(1)} dB`);
    expect(mixed).toBeGreaterThan(int8);
  });

  it("re-runs with another budget from the cache, and chooses deterministically", () => {
    const again = run(tinyCnn(), `${analyze()},select-precision{budget=latency<=1.05x-int8 target=tflite-int8 verify=false}`);
    const summary = again.pm.context.decisions.find((d) => d.kind === "sensitivity-summary")!;
    expect(summary.message).toMatch(/^all 15 measurements of 5 ops from the cache/);
    const analyzedTwice = (m: Module): string => printModule(m).replace(/qopt\.precision = "[a-z0-9]+", /g, "");
    expect(analyzedTwice(again.out)).toBe(analyzedTwice(first.out)); // the same table from the cache
    const third = run(tinyCnn(), `${analyze()},select-precision{budget=latency<=1.05x-int8 target=tflite-int8 verify=false}`);
    expect(printModule(third.out)).toBe(printModule(again.out));
    const lat = summaryOf(again.pm);
    const details = lat.details as { cost: number; baselineCost: number };
    expect(details.cost).toBeLessThanOrEqual(1.05 * details.baselineCost);
  });

  it("reaches an accuracy floor at the least latency, verified by measurement", () => {
    const { out, pm } = run(tinyCnn(), `${analyze()},select-precision{budget=sqnr>=60 target=tflite-int8}`);
    const summary = summaryOf(pm);
    const d = summary.details as { predictedSqnr: number; measuredSqnr: number; axis: string };
    expect(d.axis).toBe("latency");
    expect(d.predictedSqnr).toBeGreaterThanOrEqual(60);
    expect(d.measuredSqnr).toBeGreaterThanOrEqual(60);
    expect(precisions(out).some(([, p]) => p !== "i8")).toBe(true);
  });

  it("fails with the best achievable value when no configuration meets the budget", () => {
    expect(() => run(tinyCnn(), `${analyze()},select-precision{budget=size<=100 target=tflite-int8}`)).toThrow(
      /select-precision' failed: no precision configuration meets size<=100 \(100 bytes\): the smallest achievable size is \d+ bytes \(1\.000x the all-i8 configuration\)/,
    );
    // npu-sparse-int8 has i8 and an f16 fallback only: f16 is close to float, but not exact.
    expect(() => run(tinyCnn(), `${analyze("npu-sparse-int8")},select-precision{budget=sqnr>=200 target=npu-sparse-int8}`)).toThrow(
      /no precision configuration meets sqnr>=200: the best achievable is predicted SQNR [\d.]+ dB \(every op at its most accurate candidate: \d+ ops at f16/,
    );
    expect(() => run(tinyCnn(), `${analyze()},select-precision{budget=size<=1.3x-int9 target=tflite-int8}`)).toThrow(/invalid budget 'size<=1.3x-int9'/);
    expect(() => run(tinyCnn(), "select-precision{budget=size<=1.3x-int8 target=tflite-int8}")).toThrow(/run analyze-sensitivity\{data=… target=…\} first/);
    try {
      run(tinyCnn(), `${analyze()},select-precision{budget=size<=100 target=tflite-int8}`);
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
    }
  });
});
