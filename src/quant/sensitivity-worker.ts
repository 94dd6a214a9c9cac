/**
 * Worker entry for `startWorkers`: loads qopt, builds the same session as the calling thread (parse the
 * float module, float references, calibration — deterministic, so the same ranges; it also warms up the
 * JIT), takes experiments from the shared counter until none are left, posts the results on its port
 * and raises its flag. Everything is imported dynamically inside the try, so even a failure to load qopt
 * reaches the calling thread as a message instead of a worker that silently died.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import type { Measurement } from "./sensitivity.js";
import type { WorkerInput, WorkerOutput } from "./sensitivity-threads.js";

const { input, port } = workerData as { input: WorkerInput; port: MessagePort };
const state = new Int32Array(input.state);
const started = performance.now();
const done: { index: number; result: Measurement }[] = [];
let output: WorkerOutput;
try {
  await import("../registry.js");
  const { parseModule } = await import("../syntax/parser.js");
  const { measureJob } = await import("./sensitivity-measure.js");
  const { prepareSession } = await import("../../passes/analyze-sensitivity.js");
  const { spec } = input;
  const session = prepareSession(parseModule(spec.moduleText, { filename: "<sensitivity>" }), spec.samples, spec.target, spec.observer, spec.selectable);
  const ready = performance.now();
  Atomics.store(state, 0, 1);
  const counter = new Int32Array(input.counter);
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= input.jobs.length) break;
    done.push({ index, result: measureJob(session, input.jobs[index]!) });
  }
  output = { ok: true, done, timing: { readyMs: ready - started, totalMs: performance.now() - started } };
} catch (e) {
  output = { ok: false, error: e instanceof Error ? e.message : String(e), done };
}
port.postMessage(output);
Atomics.store(state, 1, 1);
Atomics.notify(state, 1);
port.close();
