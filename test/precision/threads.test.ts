/**
 * The worker_threads path of analyze-sensitivity gives the same numbers as the single-thread path: the
 * worker calibrates by itself and must reach the same ranges. Workers run the compiled package (dist/,
 * built by `tsc -p .`); under vitest the TypeScript sources have no worker file beside them, so the pass
 * itself stays on one thread and this test points the runner at dist's worker explicitly.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { importOnnx } from "../../src/import/onnx/index.js";
import { readNpyFile } from "../../src/io/npy.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, foldBatchNorm, fuse, propagateRanges } from "../../passes/index.js";
import { loadTarget } from "../../src/target/load.js";
import { sliceBatch } from "../../src/quant/calibration-data.js";
import { selectableOps } from "../../src/quant/sensitivity.js";
import { floatOutputs, measureJobs, type Job, type MeasureSession } from "../../src/quant/sensitivity-measure.js";
import { runJobsThreaded, startWorkers } from "../../src/quant/sensitivity-threads.js";
import { printModule } from "../../src/syntax/printer.js";
import { hasShared, repoRoot, sharedDir } from "./support.js";

const worker = path.join(repoRoot, "dist", "src", "quant", "sensitivity-worker.js");

describe.skipIf(!hasShared || !existsSync(worker))("sensitivity on worker threads", () => {
  it("matches the single-thread results on digits-cnn, job for job", async () => {
    const model = path.join(sharedDir, "models", "digits-cnn");
    const imported = importOnnx(new Uint8Array(readFileSync(path.join(model, "model.onnx"))), { filename: "model.onnx" });
    const float = new PassManager().add(foldBatchNorm()).add(fuse({ target: "tflite-int8" })).run(imported);
    const calib = readNpyFile(path.join(model, "calib.npy"));
    const samples = [0, 1, 2, 3].map((b) => [sliceBatch(calib, 32 * b, 32 * b + 32)]);
    const { ops } = selectableOps(float, loadTarget("tflite-int8"));
    expect(ops.length).toBeGreaterThanOrEqual(8);
    const session: MeasureSession = {
      calibrated: new PassManager().add(calibrate({ data: samples })).add(propagateRanges()).run(float),
      target: "tflite-int8",
      samples,
      references: floatOutputs(float, samples),
      selectable: ops.map((o) => o.index),
    };
    const jobs: Job[] = ops.flatMap((o) => o.candidates.map((candidate) => ({ op: o.index, candidate })));
    const single = measureJobs(session, jobs);
    const pool = startWorkers({ threads: 2, spec: { moduleText: printModule(float), target: "tflite-int8", observer: "minmax", samples, selectable: session.selectable }, jobs, url: pathToFileURL(worker) });
    // Let the worker load qopt and calibrate first, so that it surely takes some of the jobs.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const threaded = runJobsThreaded(session, jobs, pool);
    console.info(`threads: ${JSON.stringify(threaded.timing)} ${threaded.note ?? ""}`);
    // The worker answered (a failure would leave a note); it may have found few jobs left to take.
    expect(threaded.note).toBeUndefined();
    if (availableParallelism() >= 2) {
      expect(threaded.threadsUsed).toBe(2);
      expect(threaded.timing![1]!.jobs).toBeGreaterThan(0);
    }
    // dist is compiled from these sources: the same numbers.
    threaded.results.forEach((r, i) => {
      expect(r.sqnr).toBeCloseTo(single[i]!.sqnr, 9);
      expect(r.mse).toBeCloseTo(single[i]!.mse, 15);
    });
  });
});
