/** The report built from a real pipeline run: layers with precisions, SQNR, ranges and weight histograms. */
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, fuse, propagateRanges, nudgeZeroPoint, quantize, lowerToHw, canonicalize } from "../../passes/index.js";
import { readNpyFile } from "../../src/io/npy.js";
import { sliceBatch } from "../../src/quant/calibration-data.js";
import { buildReport } from "../../src/report/build.js";
import { renderReportHtml } from "../../src/report/html.js";

const root = join(import.meta.dirname, "..", "..");

it("reports every quantized layer of the tiny CNN with its precision, SQNR and weights", () => {
  const float = parseModule(readFileSync(join(root, "examples/tiny-cnn.mlir"), "utf8"), { filename: "examples/tiny-cnn.mlir" });
  const calib = readNpyFile(join(root, "examples/tiny-calib.npy"));
  const samples = Array.from({ length: 8 }, (_, i) => [sliceBatch(calib, i, i + 1)]);
  const pm = new PassManager().add(fuse({ target: "tflite-int8" })).add(calibrate({ data: samples })).add(propagateRanges()).add(nudgeZeroPoint({ target: "tflite-int8" })).add(quantize({ target: "tflite-int8" }));
  const qdq = pm.run(float);
  const result = new PassManager({ context: pm.context }).add(lowerToHw({ target: "tflite-int8" })).add(canonicalize()).run(qdq);
  const report = buildReport({ model: "tiny-cnn.mlir", target: "tflite-int8", mode: "int8", float, qdq, result, inputs: samples[0]!, decisions: pm.context.decisions });
  expect(report.overall.sqnrDb).toBeGreaterThan(30);
  expect(report.overall.quantizedBytes).toBeLessThan(report.overall.floatBytes / 2);
  const conv = report.layers.find((l) => l.name.startsWith("conv2d"));
  expect(conv?.precision).toBe("i8/i8");
  expect(conv?.reason).toContain("conv2d+bias+relu");
  expect(report.weightHistograms.length).toBe(3); // conv, depthwise, fully connected weights
  const html = renderReportHtml(report);
  expect(html).toContain("tiny-cnn.mlir");
  expect(html).not.toMatch(/(src|href)="https?:/);
});
