/**
 * Runs sensitivity experiments on several cores with worker_threads, behind the synchronous pass API.
 *
 * Workers can be started early (`startWorkers`, before calibration) so that loading qopt overlaps the
 * calling thread's own work. The calling thread and `threads − 1` workers then take experiments from
 * one shared counter (`Atomics.add` on a SharedArrayBuffer), so the work balances itself whatever each
 * thread's start-up time. A worker gets the calibrated module as text, the samples, the float
 * references and the job list in one message; it runs what it takes with the same code as the calling
 * thread, posts its results on a MessagePort and raises a flag. The calling thread, once the
 * counter is exhausted, waits on each flag with `Atomics.wait` and reads the message with
 * `receiveMessageOnPort` — no event loop needed, so `run` stays synchronous. Every experiment is
 * deterministic, so the results do not depend on which thread ran what.
 *
 * Workers run the compiled file next to this module (`sensitivity-worker.js`, in dist/). When it is not
 * there — TypeScript sources under vitest or tsx — or fewer than `MIN_OPS_FOR_THREADS` ops are
 * measured, everything runs on the calling thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { printModule } from "../syntax/printer.js";
import type { Measurement } from "./sensitivity.js";
import { measureFromCounter, measureJobs, type Job, type MeasureSession } from "./sensitivity-measure.js";

/** Below this many measured ops the worker start-up (≈ loading qopt and parsing the module) does not pay. */
export const MIN_OPS_FOR_THREADS = 8;

/** How long the calling thread waits for a worker before redoing the worker's share itself. */
const WORKER_TIMEOUT_MS = 30 * 60 * 1000;

/** The session message a worker receives (structured-cloned; the SharedArrayBuffers are shared). */
export interface WorkerInput {
  readonly moduleText: string;
  readonly target: string;
  readonly samples: MeasureSession["samples"];
  readonly references: MeasureSession["references"];
  readonly selectable: readonly number[];
  readonly jobs: readonly Job[];
  /** Int32 [0]: index of the next job to take. */
  readonly counter: SharedArrayBuffer;
}

/** What the calling thread posts to a started worker: a session, or nothing to do. */
export type WorkerRequest = { readonly kind: "run"; readonly input: WorkerInput } | { readonly kind: "cancel" };

export type WorkerOutput =
  | { readonly ok: true; readonly done: readonly { readonly index: number; readonly result: Measurement }[]; readonly timing: { readonly loadMs: number; readonly totalMs: number } }
  | { readonly ok: false; readonly error: string; readonly done: readonly { readonly index: number; readonly result: Measurement }[] };

export interface ThreadOptions {
  /** Threads to use, the calling one included (default: 2, capped by the machine's cores). */
  readonly threads?: number;
  /** Number of distinct ops among the jobs; threads are used from MIN_OPS_FOR_THREADS. */
  readonly opCount?: number;
  /** The worker script (default: the compiled `sensitivity-worker.js` beside this module). */
  readonly workerUrl?: URL;
  /** Workers started earlier with `startWorkers` (then `threads` and `workerUrl` are not used to start more). */
  readonly pool?: WorkerPool;
}

interface StartedWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** Int32 [0]: 1 once the worker has posted its result. */
  readonly flag: Int32Array;
}

/** Workers that are loading qopt and wait for a session; `note` says why there are none. */
export interface WorkerPool {
  readonly workers: readonly StartedWorker[];
  readonly note?: string;
}

/** Can `threads` threads be used for `opCount` ops from here? Undefined if yes, else why not. */
export function threadsUnavailable(threads: number, opCount: number, url: URL = defaultWorkerUrl()): string | undefined {
  if (threads < 2) return "one thread asked for";
  if (availableParallelism() < 2) return "one core: one thread";
  if (opCount < MIN_OPS_FOR_THREADS) return `${opCount} ops (< ${MIN_OPS_FOR_THREADS}): one thread`;
  if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return `no compiled worker at ${url.pathname} (running from TypeScript sources): one thread`;
  return undefined;
}

/** Starts `threads − 1` workers (capped by the cores) that load qopt and then wait for `runJobsThreaded`. */
export function startWorkers(threads: number, opCount: number, url: URL = defaultWorkerUrl()): WorkerPool {
  const note = threadsUnavailable(threads, opCount, url);
  if (note) return { workers: [], note };
  const count = Math.min(threads, availableParallelism()) - 1;
  const workers = Array.from({ length: count }, (): StartedWorker => {
    const flag = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    const worker = new Worker(url, { workerData: { port: channel.port2, flag }, transferList: [channel.port2] });
    worker.unref();
    return { worker, port: channel.port1, flag: new Int32Array(flag) };
  });
  return { workers };
}

/** Tells started workers there is nothing to do. */
export function cancelWorkers(pool: WorkerPool): void {
  for (const w of pool.workers) {
    w.port.postMessage({ kind: "cancel" } satisfies WorkerRequest);
    w.port.close();
  }
}

export interface ThreadTiming {
  readonly jobs: number;
  readonly ms: number;
  /** Workers: time to load qopt before the first job. */
  readonly loadMs?: number;
}

export interface ThreadRun {
  readonly results: Measurement[];
  /** Threads that ran experiments (1: the calling thread only). */
  readonly threadsUsed: number;
  /** Why fewer threads were used than asked for, if so. */
  readonly note?: string;
  /** Per thread (calling thread first): jobs taken and wall time. */
  readonly timing?: readonly ThreadTiming[];
}

export function defaultWorkerUrl(): URL {
  return new URL("./sensitivity-worker.js", import.meta.url);
}

/** Measures `jobs`, in order, on the calling thread and the pool's (or newly started) workers. */
export function runJobsThreaded(session: MeasureSession, jobs: readonly Job[], options: ThreadOptions = {}): ThreadRun {
  // f32 needs no run; only real experiments are shared out.
  const work = jobs.map((job, i) => ({ job, i })).filter((w) => w.job.candidate.activation !== "f32");
  const opCount = options.opCount ?? new Set(jobs.map((j) => j.op)).size;
  const pool = options.pool ?? startWorkers(options.threads ?? 2, opCount, options.workerUrl ?? defaultWorkerUrl());
  if (pool.workers.length === 0 || work.length < 2) {
    cancelWorkers(pool);
    return { results: measureJobs(session, jobs), threadsUsed: 1, ...(pool.note ? { note: pool.note } : {}) };
  }

  const workJobs = work.map((w) => w.job);
  const counterBuffer = new SharedArrayBuffer(4);
  const counter = new Int32Array(counterBuffer);
  const input: WorkerInput = { moduleText: printModule(session.calibrated), target: session.target, samples: session.samples, references: session.references, selectable: session.selectable, jobs: workJobs, counter: counterBuffer };
  for (const w of pool.workers) w.port.postMessage({ kind: "run", input } satisfies WorkerRequest);

  const byWork = new Array<Measurement | undefined>(work.length);
  const ownStart = performance.now();
  const own = measureFromCounter(session, workJobs, counter);
  for (const d of own) byWork[d.index] = d.result;
  const timing: ThreadTiming[] = [{ jobs: own.length, ms: performance.now() - ownStart }];
  let used = 1;
  const problems: string[] = [];
  if (own.length === work.length) {
    // This thread did every job before any worker took one: nothing to wait for.
    for (const w of pool.workers) {
      w.port.close();
      void w.worker.terminate();
    }
    return { results: jobs.map((job, i) => (job.candidate.activation === "f32" ? { mse: 0, sqnr: Infinity } : byWork[work.findIndex((x) => x.i === i)]!)), threadsUsed: 1, timing, note: "the workers were still starting when every job was done" };
  }
  for (const w of pool.workers) {
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(w.flag, 0) === 0 && Date.now() < deadline) Atomics.wait(w.flag, 0, 0, 1000);
    const received = Atomics.load(w.flag, 0) === 1 ? receiveMessageOnPort(w.port) : undefined;
    w.port.close();
    const message = received?.message as WorkerOutput | undefined;
    for (const d of message?.done ?? []) byWork[d.index] = d.result;
    if (message?.ok) {
      if (message.done.length > 0) used++;
      timing.push({ jobs: message.done.length, ms: message.timing.totalMs, loadMs: message.timing.loadMs });
    } else {
      void w.worker.terminate();
      problems.push(message ? message.error : "the worker did not answer");
    }
  }
  // A job a failed worker took and did not finish runs here: a worker problem costs time, never results.
  const results: Measurement[] = jobs.map(() => ({ mse: 0, sqnr: Infinity }));
  work.forEach((w, k) => (results[w.i] = byWork[k] ?? measureJobs(session, [w.job])[0]!));
  return { results, threadsUsed: used, timing, ...(problems.length > 0 ? { note: `worker failed (${problems.join("; ")}); its unfinished jobs ran on the calling thread` } : {}) };
}
