/**
 * Runs sensitivity experiments on several cores with worker_threads, behind the synchronous pass API.
 *
 * `startWorkers` starts `threads − 1` workers and hands them, at once, the float module (as text), the
 * samples and the job list. Each worker loads qopt, computes the float references and calibrates by
 * itself — the same deterministic code as the calling thread, so the same ranges — which also warms up
 * its JIT, and then takes experiments from a shared counter (`Atomics.add` on a SharedArrayBuffer). The
 * calling thread prepares its own session meanwhile and takes experiments from the same counter
 * (`runJobsThreaded`), so the work balances itself whatever each thread's start-up time. A worker posts
 * its results on a MessagePort and raises a flag; the calling thread, once the counter is exhausted,
 * waits on the flags of the workers that took jobs with `Atomics.wait` and reads their messages with
 * `receiveMessageOnPort` — no event loop needed, so `run` stays synchronous. Workers that took no job
 * are not waited for. Every experiment is deterministic, so results do not depend on which thread ran
 * what.
 *
 * Workers run the compiled file next to this module (`sensitivity-worker.js`, in dist/). When it is not
 * there — TypeScript sources under vitest or tsx — or fewer than `MIN_OPS_FOR_THREADS` ops are
 * measured, everything runs on the calling thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Measurement } from "./sensitivity.js";
import { measureFromCounter, measureJobs, type Job, type MeasureSession } from "./sensitivity-measure.js";

/** Below this many measured ops the worker start-up (loading qopt, calibrating, cold JIT) does not pay. */
export const MIN_OPS_FOR_THREADS = 8;

/** How long the calling thread waits for a worker that took jobs before redoing them itself. */
const WORKER_TIMEOUT_MS = 30 * 60 * 1000;

/** What a worker needs to build the same session as the calling thread. */
export interface WorkerSessionSpec {
  /** The float module (before calibration) as text. */
  readonly moduleText: string;
  readonly target: string;
  readonly observer: string;
  readonly samples: MeasureSession["samples"];
  readonly selectable: readonly number[];
}

/** The message a worker receives (structured-cloned; the SharedArrayBuffers are shared). */
export interface WorkerInput {
  readonly spec: WorkerSessionSpec;
  readonly jobs: readonly Job[];
  /** Int32 [0]: index of the next job to take. */
  readonly counter: SharedArrayBuffer;
  /** Int32 [0]: 1 once the worker is ready to take jobs (set before it first reads the counter); [1]: 1 once it has posted its result. */
  readonly state: SharedArrayBuffer;
}

export type WorkerOutput =
  | { readonly ok: true; readonly done: readonly { readonly index: number; readonly result: Measurement }[]; readonly timing: { readonly readyMs: number; readonly totalMs: number } }
  | { readonly ok: false; readonly error: string; readonly done: readonly { readonly index: number; readonly result: Measurement }[] };

interface StartedWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly state: Int32Array;
}

/** Started workers and the experiments they share with the calling thread; `note` says why there are none. */
export interface WorkerPool {
  readonly workers: readonly StartedWorker[];
  /** The experiments shared out (f32 jobs need no run and are not among them), and the shared counter. */
  readonly work: readonly { readonly job: Job; readonly i: number }[];
  readonly counter: Int32Array;
  readonly note?: string;
}

export interface ThreadTiming {
  readonly jobs: number;
  readonly ms: number;
  /** Workers: time from start to their first experiment (loading qopt, references, calibration). */
  readonly readyMs?: number;
}

export interface ThreadRun {
  readonly results: Measurement[];
  /** Threads that ran experiments (1: the calling thread only). */
  readonly threadsUsed: number;
  /** Why fewer threads were used than asked for, if so. */
  readonly note?: string;
  /** Per thread (calling thread first): experiments taken and wall time. */
  readonly timing?: readonly ThreadTiming[];
}

export function defaultWorkerUrl(): URL {
  return new URL("./sensitivity-worker.js", import.meta.url);
}

/** Why `threads` threads cannot be used for `opCount` ops from here, or undefined if they can. */
export function threadsUnavailable(threads: number, opCount: number, url: URL = defaultWorkerUrl()): string | undefined {
  if (threads < 2) return "one thread asked for";
  if (availableParallelism() < 2) return "one core: one thread";
  if (opCount < MIN_OPS_FOR_THREADS) return `${opCount} ops (< ${MIN_OPS_FOR_THREADS}): one thread`;
  if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return `no compiled worker at ${url.pathname} (running from TypeScript sources): one thread`;
  return undefined;
}

export interface StartOptions {
  /** Threads to use, the calling one included (capped by the machine's cores). */
  readonly threads: number;
  readonly spec: WorkerSessionSpec;
  readonly jobs: readonly Job[];
  /** The worker script (default: the compiled `sensitivity-worker.js` beside this module). */
  readonly url?: URL;
}

/** Starts the workers and gives them their session and the jobs at once (they start taking jobs when ready). */
export function startWorkers(options: StartOptions): WorkerPool {
  const work = options.jobs.map((job, i) => ({ job, i })).filter((w) => w.job.candidate.activation !== "f32");
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const opCount = new Set(work.map((w) => w.job.op)).size;
  const note = work.length < 2 ? "fewer than two experiments: one thread" : threadsUnavailable(options.threads, opCount, options.url ?? defaultWorkerUrl());
  if (note) return { workers: [], work, counter, note };
  const count = Math.min(options.threads, availableParallelism()) - 1;
  const workers = Array.from({ length: count }, (): StartedWorker => {
    const state = new SharedArrayBuffer(8);
    const channel = new MessageChannel();
    const input: WorkerInput = { spec: options.spec, jobs: work.map((w) => w.job), counter: counter.buffer as SharedArrayBuffer, state };
    const worker = new Worker(options.url ?? defaultWorkerUrl(), { workerData: { input, port: channel.port2 }, transferList: [channel.port2] });
    worker.unref();
    return { worker, port: channel.port1, state: new Int32Array(state) };
  });
  return { workers, work, counter };
}

/** Measures `jobs` (the ones the pool was started with, in order) on this thread and the pool's workers. */
export function runJobsThreaded(session: MeasureSession, jobs: readonly Job[], pool?: WorkerPool): ThreadRun {
  if (!pool || pool.workers.length === 0) return { results: measureJobs(session, jobs), threadsUsed: 1, ...(pool?.note ? { note: pool.note } : {}) };
  const { work, counter } = pool;
  const workJobs = work.map((w) => w.job);
  const byWork = new Array<Measurement | undefined>(work.length);
  const ownStart = performance.now();
  const own = measureFromCounter(session, workJobs, counter);
  for (const d of own) byWork[d.index] = d.result;
  const timing: ThreadTiming[] = [{ jobs: own.length, ms: performance.now() - ownStart }];
  let used = 1;
  const problems: string[] = [];
  for (const w of pool.workers) {
    // A worker that was not ready to take jobs by now never will take one (the counter is exhausted): do
    // not wait for it. (It marks itself ready before it first reads the counter.)
    if (Atomics.load(w.state, 0) === 0) {
      w.port.close();
      void w.worker.terminate();
      timing.push({ jobs: 0, ms: 0 });
      continue;
    }
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(w.state, 1) === 0 && Date.now() < deadline) Atomics.wait(w.state, 1, 0, 1000);
    const received = Atomics.load(w.state, 1) === 1 ? receiveMessageOnPort(w.port) : undefined;
    w.port.close();
    const message = received?.message as WorkerOutput | undefined;
    for (const d of message?.done ?? []) byWork[d.index] = d.result;
    if (message?.ok) {
      if (message.done.length > 0) used++;
      timing.push({ jobs: message.done.length, ms: message.timing.totalMs, readyMs: message.timing.readyMs });
    } else {
      void w.worker.terminate();
      problems.push(message ? message.error : "the worker did not answer");
    }
  }
  // A job a failed worker took and did not finish runs here: a worker problem costs time, never results.
  const results: Measurement[] = jobs.map(() => ({ mse: 0, sqnr: Infinity }));
  work.forEach((w, k) => (results[w.i] = byWork[k] ?? measureJobs(session, [w.job])[0]!));
  const idle = timing.slice(1).filter((t) => t.jobs === 0).length;
  const note = problems.length > 0 ? `worker failed (${problems.join("; ")}); its unfinished jobs ran on the calling thread` : idle > 0 ? `${idle} worker${idle === 1 ? " was" : "s were"} still starting when the experiments ran out` : undefined;
  return { results, threadsUsed: used, timing, ...(note ? { note } : {}) };
}
