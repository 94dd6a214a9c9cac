/**
 * `analyze-sensitivity{data=…, target=…}`: for each op the target runs and each candidate precision it
 * allows (i8/i8, i16/i8, f16, f32 — the pairs in the target's `ops` table plus its float fallback),
 * quantize that op alone and measure the model output's SQNR and MSE against float on the calibration
 * data with the interpreter. Writes `qopt.sensitivity = {i16_i8 = 61.0 : f64, i8_i8 = 41.2 : f64, ...}`
 * (dB) and `qopt.sensitivity_mse` on each op, for `select-precision`.
 *
 * Measurements are cached per (op, candidate) in `cache` (default `$TMPDIR/qopt-cache`; `none` turns
 * it off), keyed by the module text, the data, the target, observer and sample limit, so running the
 * pipeline again with another budget measures nothing. With 8 or more ops the experiments run on
 * `threads` threads (worker_threads, from the compiled package only); without `threads`, on 2 when they
 * are estimated at 1.2 s or more (below that a worker's start-up costs more than it saves).
 *
 * `with-sparsity=true sparsity=0.5`: for ops the target runs block-sparse (fully_connected, 1×1 conv2d
 * in the target's block shape, at a sparsity from its `minSparsity`) also measures `<pair>+sparse`: the
 * op's weights magnitude-pruned alone at `sparsity` (as `prune{block=target}` does) and quantized with
 * its pair. Cached like the others (the key includes the sparsity); the sparsity is recorded as
 * `qopt.sensitivity_sparsity` for `select-precision{with-sparsity=true}`.
 */
import type { Module } from "../src/ir/operation.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { PassManager } from "../src/pass/manager.js";
import { registerPass, instantiatePass, type Pass, type PassContext, type OptionValues } from "../src/pass/pass.js";
import { printModule } from "../src/syntax/printer.js";
import { loadTarget } from "../src/target/load.js";
import { calibrationInputsOf, loadCalibrationData, type CalibrationSamples } from "../src/quant/calibration-data.js";
import { candidateKey, selectableOps, sensitivityAttributes, withOpAttributes, SENSITIVITY_ATTR, SENSITIVITY_MSE_ATTR, SENSITIVITY_SPARSITY_ATTR, type Measurement, type OpSensitivity, type SensitivityTable } from "../src/quant/sensitivity.js";
import { floatOutputs, type Job, type MeasureSession } from "../src/quant/sensitivity-measure.js";
import { runJobsThreaded, startWorkers } from "../src/quant/sensitivity-threads.js";
import { cacheKey, defaultCacheDir, entryKey, readCache, writeCache } from "../src/quant/sensitivity-cache.js";
import { calibrate } from "./calibrate.js";
import { propagateRanges } from "./propagate-ranges.js";

/**
 * What analyze-sensitivity leaves for select-precision in the pipeline's services: the samples it used
 * (loaded on first use) and its settings, so the chosen configuration can be verified on the same data.
 */
export const SENSITIVITY_SESSION_SERVICE = "sensitivity-session";
export interface SensitivitySessionService {
  readonly samples: () => CalibrationSamples;
  readonly observer: string;
  readonly target: string;
  readonly table: SensitivityTable;
}

export const analyzeSensitivityPass = registerPass({
  name: "analyze-sensitivity",
  description: "Measure per-op output SQNR/MSE of quantizing each op alone to each candidate precision the target allows",
  options: {
    data: { type: "string", description: "Calibration data: a .npy/.pb batch file, a directory of per-sample files, or name=file;name=file" },
    target: { type: "string", description: "Target descriptor (built-in name or ./file.json): which precisions each op may have" },
    observer: { type: "enum", values: ["minmax", "moving-average", "percentile", "mse"], default: "minmax", description: "Range observer for the calibration the experiments use" },
    samples: { type: "int", description: "Use at most this many samples" },
    cache: { type: "string", description: "Cache directory (default $TMPDIR/qopt-cache; none: no cache)" },
    threads: { type: "int", description: "Threads for the experiments (default: 2 from ~1.2 s of estimated work; workers need 8+ ops and the compiled package)" },
    "with-sparsity": { type: "bool", default: false, description: "Also measure <pair>+sparse (pruned in the target's block shape) for ops the target runs sparse" },
    sparsity: { type: "float", default: 0.5, description: "Sparsity of the +sparse candidates (with-sparsity)" },
  },
  run(module, options, ctx) {
    const data = options["data"];
    if (typeof data !== "string") throw new Error("analyze-sensitivity needs calibration data: analyze-sensitivity{data=calib.npy target=tflite-int8}");
    const sig = entryFunction(module);
    const limit = options["samples"] !== undefined ? Number(options["samples"]) : undefined;
    let loaded: CalibrationSamples | undefined;
    const samples = (): CalibrationSamples =>
      (loaded ??= loadCalibrationData(
        data,
        sig.inputNames,
        calibrationInputsOf(sig.func),
        limit,
      ));
    return analyzeWith(module, samples, data, options, ctx);
  },
});

/** `analyzeSensitivity({ data, target })` for code: tensors (one array per sample) or a path. */
export function analyzeSensitivity(options: { data: CalibrationSamples | string; target: string; observer?: string; samples?: number; cache?: string; threads?: number; withSparsity?: boolean; sparsity?: number }): Pass {
  const given = {
    target: options.target,
    ...(options.withSparsity !== undefined ? { "with-sparsity": options.withSparsity } : {}),
    ...(options.sparsity !== undefined ? { sparsity: options.sparsity } : {}),
    ...(options.observer !== undefined ? { observer: options.observer } : {}),
    ...(options.samples !== undefined ? { samples: options.samples } : {}),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  };
  if (typeof options.data === "string") return instantiatePass(analyzeSensitivityPass, { data: options.data, ...given });
  const data = options.samples !== undefined ? options.data.slice(0, options.samples) : options.data;
  const definition = { ...analyzeSensitivityPass, run: (m: Module, o: OptionValues, ctx: PassContext) => analyzeWith(m, () => data, data, o, ctx) };
  return instantiatePass(definition, given);
}

function analyzeWith(module: Module, samples: () => CalibrationSamples, dataKey: string | CalibrationSamples, options: OptionValues, ctx: PassContext): Module {
  const targetSpec = options["target"];
  if (typeof targetSpec !== "string") throw new Error("analyze-sensitivity needs a target: analyze-sensitivity{target=tflite-int8 data=…} (or --target)");
  const target = loadTarget(targetSpec);
  const observer = String(options["observer"] ?? "minmax");
  const start = performance.now();
  const withSparsity = options["with-sparsity"] === true;
  const sparsity = typeof options["sparsity"] === "number" ? options["sparsity"] : 0.5;
  if (withSparsity && !(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparsity must be in [0, 1], got ${sparsity}`);
  const { ops, notes } = selectableOps(module, target, withSparsity ? { sparsity } : {});
  for (const note of notes) ctx.decisions.push({ pass: "analyze-sensitivity", kind: "not-selectable", message: note });
  if (ops.length === 0) {
    ctx.decisions.push({ pass: "analyze-sensitivity", kind: "sensitivity", message: `no op has a choice of precision on target "${target.name}"` });
    return module;
  }
  // Earlier results on the input are not part of what is measured (nor of the cache key).
  const clean = withOpAttributes(module, new Map(ops.map((o) => [o.index, {}])), [SENSITIVITY_ATTR, SENSITIVITY_MSE_ATTR, SENSITIVITY_SPARSITY_ATTR]);

  const cacheOption = typeof options["cache"] === "string" && options["cache"] !== "" ? options["cache"] : defaultCacheDir();
  const cacheDir = cacheOption === "none" ? undefined : cacheOption;
  const key = cacheKey({ moduleText: printModule(clean), data: dataKey, targetJson: JSON.stringify(target), observer, ...(options["samples"] !== undefined ? { samples: Number(options["samples"]) } : {}) });
  const cached = cacheDir ? readCache(cacheDir, key) : { entries: new Map<string, Measurement>() };
  const entries = new Map(cached.entries);
  let signalPower = cached.signalPower;

  const jobs: Job[] = [];
  for (const o of ops) for (const c of o.candidates) if (!entries.has(entryKey(o.index, candidateKey(c)))) jobs.push({ op: o.index, candidate: c });
  let threadsUsed = 0;
  let threadNote: string | undefined;
  let threadTiming: unknown;
  if (jobs.length > 0 || signalPower === undefined) {
    const data = samples();
    const selectable = ops.map((o) => o.index);
    const references = floatOutputs(clean, data);
    const calibrationStart = performance.now();
    const session = prepareSession(clean, data, targetSpec, observer, selectable, references);
    // One experiment costs about one calibration run (one interpretation of the samples) plus a quantize.
    // Unless `threads` is given, workers are used only from MIN_PARALLEL_MS of estimated work: below that,
    // starting one (loading qopt, its own references and calibration, a cold JIT) costs more than it
    // saves. Workers need 8+ ops and the compiled package.
    const estimateMs = jobs.filter((j) => j.candidate.activation !== "f32").length * (performance.now() - calibrationStart) * 1.2;
    const threads = options["threads"] !== undefined ? Number(options["threads"]) : estimateMs >= MIN_PARALLEL_MS ? 2 : 1;
    const pool = startWorkers({ threads, spec: { moduleText: printModule(clean), target: targetSpec, observer, samples: data, selectable }, jobs });
    let signal = 0;
    let count = 0;
    for (const perSample of session.references) for (const out of perSample) for (const v of out) (signal += v * v), count++;
    signalPower = count === 0 ? 0 : signal / count;
    const run = runJobsThreaded(session, jobs, pool);
    threadsUsed = run.threadsUsed;
    threadNote = options["threads"] === undefined && threads === 1 ? `about ${estimateMs.toFixed(0)} ms of experiments (< ${MIN_PARALLEL_MS} ms): one thread` : run.note;
    threadTiming = run.timing;
    jobs.forEach((job, i) => entries.set(entryKey(job.op, candidateKey(job.candidate)), run.results[i]!));
    if (cacheDir) {
      const problem = writeCache(cacheDir, key, { entries, signalPower });
      if (problem) ctx.decisions.push({ pass: "analyze-sensitivity", kind: "cache", message: `could not write the sensitivity cache in ${cacheDir}: ${problem}` });
    }
  }

  const table: SensitivityTable = {
    signalPower: signalPower ?? 0,
    ops: ops.map((o): OpSensitivity => ({
      index: o.index,
      name: o.op.name,
      kind: o.kind,
      label: o.label,
      candidates: o.candidates,
      results: Object.fromEntries(o.candidates.map((c) => [c.id, entries.get(entryKey(o.index, candidateKey(c)))!])),
    })),
  };
  for (const o of table.ops) {
    const parts = o.candidates.map((c) => `${c.id} ${formatDb(o.results[c.id]!.sqnr)}`);
    ctx.decisions.push({ pass: "analyze-sensitivity", kind: "sensitivity", op: o.name, message: `${o.label}: output SQNR with this op alone quantized: ${parts.join(", ")}`, details: { index: o.index, results: o.results } });
  }
  const ms = performance.now() - start;
  const fromCache = ops.reduce((n, o) => n + o.candidates.length, 0) - jobs.length;
  const exact = jobs.filter((j) => j.candidate.activation === "f32").length;
  ctx.decisions.push({
    pass: "analyze-sensitivity",
    kind: "sensitivity-summary",
    message:
      jobs.length === 0
        ? `all ${fromCache} measurements of ${ops.length} ops from the cache (${ms.toFixed(0)} ms)`
        : `measured ${jobs.length - exact} (op, candidate) pairs of ${ops.length} ops (${exact} f32, exact by definition) on ${threadsUsed} thread${threadsUsed === 1 ? "" : "s"} in ${ms.toFixed(0)} ms${fromCache > 0 ? `, ${fromCache} from the cache` : ""}${threadNote ? ` (${threadNote})` : ""}`,
    details: { ops: ops.length, measured: jobs.length, fromCache, threads: threadsUsed, ms, cacheKey: key, signalPower: table.signalPower, ...(threadTiming ? { threadTiming } : {}) },
  });
  ctx.services.set(SENSITIVITY_SESSION_SERVICE, { samples, observer, target: targetSpec, table } satisfies SensitivitySessionService);
  return withOpAttributes(clean, sensitivityAttributes(table));
}

/** Estimated experiment time from which worker threads are used when `threads` is not given. */
export const MIN_PARALLEL_MS = 1200;

/**
 * The measurement session of a module: float references on the samples, and the module calibrated
 * (calibrate → propagate-ranges) once for every experiment. Worker threads build theirs with this too.
 */
export function prepareSession(module: Module, samples: CalibrationSamples, target: string, observer: string, selectable: readonly number[], references = floatOutputs(module, samples)): MeasureSession {
  const calibrated = new PassManager({ verifyEach: false }).add(calibrate({ data: samples, observer })).add(propagateRanges()).run(module);
  return { calibrated, target, samples, references, selectable };
}

/** `41.2 dB`, or `exact` for a lossless result. */
export function formatDb(db: number): string {
  return db === Infinity ? "exact" : `${db.toFixed(1)} dB`;
}
