/**
 * Worker entry for `startWorkers` / `runJobsThreaded`: loads qopt at once (overlapping the calling
 * thread's calibration), waits for the session, takes experiments from the shared counter until none
 * are left, posts the results on its port and raises the shared flag. qopt is imported dynamically
 * inside the try, so even a failure to load it reaches the calling thread as a message instead of a
 * worker that silently died.
 */
import { once } from "node:events";
import { workerData, type MessagePort } from "node:worker_threads";
import type { Measurement } from "./sensitivity.js";
import type { WorkerOutput, WorkerRequest } from "./sensitivity-threads.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const started = performance.now();
const done: { index: number; result: Measurement }[] = [];
let output: WorkerOutput | undefined;
try {
  const loading = Promise.all([import("../registry.js"), import("../syntax/parser.js"), import("./sensitivity-measure.js")]);
  const [request] = (await once(port, "message")) as [WorkerRequest];
  const [, { parseModule }, { measureJob }] = await loading;
  const loaded = performance.now();
  if (request.kind === "run") {
    const input = request.input;
    const calibrated = parseModule(input.moduleText, { filename: "<sensitivity>" });
    const session = { calibrated, target: input.target, samples: input.samples, references: input.references, selectable: input.selectable };
    const counter = new Int32Array(input.counter);
    for (;;) {
      const index = Atomics.add(counter, 0, 1);
      if (index >= input.jobs.length) break;
      done.push({ index, result: measureJob(session, input.jobs[index]!) });
    }
    output = { ok: true, done, timing: { loadMs: loaded - started, totalMs: performance.now() - started } };
  }
} catch (e) {
  output = { ok: false, error: e instanceof Error ? e.message : String(e), done };
}
if (output) {
  port.postMessage(output);
  const f = new Int32Array(flag);
  Atomics.store(f, 0, 1);
  Atomics.notify(f, 0);
}
port.close();
