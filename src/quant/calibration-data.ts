/**
 * Calibration data: one `.npy`/`.pb` batch per model input (split along the batch dimension), or a
 * directory of per-sample files (a single-input model), or tensors given in code.
 */
import type { Operation } from "../ir/operation.js";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../interp/tensor.js";
import { allocate, elementCount } from "../interp/tensor.js";
import { readTensorFileAny } from "./tensor-file.js";

/** Samples: each sample holds one tensor per model input, in input order. */
export type CalibrationSamples = readonly (readonly Tensor[])[];

/** What the loader knows of an input: its shape (-1 for a dynamic dimension, null when unranked). */
export interface CalibrationInput {
  readonly shape: readonly number[] | null;
}

/** The inputs of a function as the loader needs them: one shape per block argument. */
export function calibrationInputsOf(func: Operation): CalibrationInput[] {
  return func.regions[0]!.blocks[0]!.args.map((a) => ({ shape: a.type.kind === "tensor" ? a.type.shape : null }));
}

export class CalibrationDataError extends Error {
  override name = "CalibrationDataError";
}

/** Slices rows [start, end) of a tensor's first dimension. */
export function sliceBatch(t: Tensor, start: number, end: number): Tensor {
  const rows = t.shape[0]!;
  const per = rows === 0 ? 0 : t.data.length / rows;
  const data = t.data.slice(start * per, end * per);
  return { dtype: t.dtype, shape: [end - start, ...t.shape.slice(1)], data };
}

/** Row `i` of a stack of samples, without the stacking dimension. */
function row(t: Tensor, i: number): Tensor {
  const s = sliceBatch(t, i, i + 1);
  return { ...s, shape: t.shape.slice(1) };
}

const showShape = (shape: readonly number[]): string => `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`;

/** Does a tensor of shape `got` fit an input of shape `want` (dynamic dimensions take any size)? */
function fits(want: readonly number[], got: readonly number[]): boolean {
  return want.length === got.length && want.every((d, i) => d < 0 || d === got[i]);
}

/** Only whether the batch dimension is static is known (older callers): rows one by one, or chunks. */
/**
 * The runs one file holds for an input of shape `want`. A file of one more dimension is a stack of
 * samples along its first dimension. A file of the input's rank is split along the first dimension: a
 * dynamic batch runs `batch` rows at a time (the last run takes the rest), a static one of b runs b rows
 * at a time (so a file of exactly b rows is one sample). Anything else is an error naming the file.
 */
function runsByShape(t: Tensor, want: readonly number[], batch: number, describe: () => string): Tensor[] {
  const got = t.shape;
  const runs: Tensor[] = [];
  if (got.length === want.length + 1) {
    for (let i = 0; i < got[0]!; i++) runs.push(row(t, i));
  } else if (got.length === want.length && want.length > 0) {
    const rows = got[0]!;
    const step = want[0]! < 0 ? batch : want[0]!;
    if (want[0]! < 0 || (step > 0 && rows % step === 0)) for (let r = 0; r < rows; r += step) runs.push(sliceBatch(t, r, Math.min(rows, r + step)));
  } else if (got.length === want.length) {
    runs.push(t);
  }
  if (runs.length === 0 || !runs.every((r) => fits(want, r.shape))) {
    const stack = `[N${want.map((d) => (d < 0 ? ", ?" : `, ${d}`)).join("")}]`;
    throw new CalibrationDataError(`${describe()} has shape ${showShape(got)}, but a sample of the input is ${showShape(want)} (a file holds one sample, a batch of samples along its first dimension, or a stack ${stack})`);
  }
  return runs;
}

/** Splits an `a=x.npy;b=y.npy` spec; a plain path is the data of the first input. */
function parseSpec(spec: string, firstInput: string): Array<[string, string]> {
  if (!spec.includes("=")) return [[firstInput, spec]];
  return spec
    .split(";")
    .filter((p) => p.trim() !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      if (eq < 0) throw new CalibrationDataError(`calibration data '${p}' names no input: write name=file;name=file`);
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

/** File names in the order people number them: `x-2.npy` before `x-10.npy`. */
const naturalOrder = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

/**
 * Loads calibration data. `spec` is a file (single input), a directory of per-sample files (single
 * input, taken in natural name order), or `name=file;name=file` for several inputs (each a file or a
 * directory). `inputs` gives each input's shape (`calibrationInputsOf`), so that a file is split into
 * samples by its rank. Inputs with a dynamic batch dimension run
 * `batch` rows at a time. `limit` keeps the first `limit` samples (rows of a dynamic batch).
 */
export function loadCalibrationData(spec: string, inputNames: readonly string[], inputs: readonly CalibrationInput[], limit?: number, batch = 32): CalibrationSamples {
  if (inputNames.length === 0) throw new CalibrationDataError(`the program has no inputs to calibrate with '${spec}'`);
  const perInput = new Map<string, Tensor[]>();
  for (const [name, path] of parseSpec(spec, inputNames[0]!)) {
    const index = inputNames.indexOf(name);
    if (index < 0) throw new CalibrationDataError(`calibration data names input '${name}', but the model's inputs are ${inputNames.join(", ")}`);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CalibrationDataError(`calibration data '${path}' does not exist`);
    }
    const files = stat.isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith(".npy") || f.endsWith(".pb"))
          .sort(naturalOrder)
          .map((f) => join(path, f))
      : [path];
    if (files.length === 0) throw new CalibrationDataError(`calibration directory '${path}' holds no .npy or .pb files`);
    const input = inputs[index];
    const runs: Tensor[] = [];
    for (const file of files) {
      let t: Tensor;
      try {
        t = readTensorFileAny(file);
      } catch (e) {
        throw new CalibrationDataError(`cannot read calibration data: ${(e as Error).message}`);
      }
      // An unranked input takes each file as one sample.
      if (input?.shape) runs.push(...runsByShape(t, input.shape, batch, () => `calibration data '${file}' for input '${name}'`));
      else runs.push(t);
    }
    perInput.set(name, runs);
  }
  for (const n of inputNames) if (!perInput.has(n)) throw new CalibrationDataError(`no calibration data for input '${n}' (inputs: ${inputNames.join(", ")}; write name=file;name=file)`);
  const runsPerInput = inputNames.map((n) => perInput.get(n)!);
  const count = runsPerInput[0]!.length;
  // Inputs are paired run by run: a different count means the files do not belong together.
  runsPerInput.forEach((r, i) => {
    if (r.length !== count) throw new CalibrationDataError(`calibration data for input '${inputNames[i]}' holds ${r.length} runs, for '${inputNames[0]}' ${count}: every input needs one per sample`);
  });
  const samples: Tensor[][] = [];
  for (let s = 0; s < count; s++) samples.push(runsPerInput.map((r) => r[s]!));
  return limit !== undefined ? limitSamples(samples, limit, inputs) : samples;
}

/** Does the input run several samples at once (a dynamic leading dimension)? */
function batched(input: CalibrationInput | undefined): boolean {
  return input?.shape != null && input.shape.length > 0 && input.shape[0]! < 0;
}

/**
 * The first `limit` samples: a run of an input with a dynamic batch dimension holds as many samples as
 * rows, so the run that crosses the limit is cut to the rows that remain.
 */
export function limitSamples(samples: CalibrationSamples, limit: number, inputs: readonly CalibrationInput[]): CalibrationSamples {
  if (!Number.isInteger(limit) || limit < 1) throw new CalibrationDataError(`samples must be a positive integer, got ${limit}`);
  const out: Tensor[][] = [];
  let taken = 0;
  for (const sample of samples) {
    if (taken >= limit) break;
    const i = sample.findIndex((t, k) => batched(inputs[k]) && t.shape.length > 0);
    const rows = i < 0 ? 1 : sample[i]!.shape[0]!;
    const keep = Math.min(rows, limit - taken);
    out.push(keep === rows ? [...sample] : sample.map((t, k) => (batched(inputs[k]) && t.shape.length > 0 ? sliceBatch(t, 0, keep) : t)));
    taken += keep;
  }
  return out;
}

/** Zero-filled tensor helper for tests and defaults. */
export function zeros(dtype: Tensor["dtype"], shape: readonly number[]): Tensor {
  return { dtype, shape, data: allocate(dtype, elementCount(shape)) };
}
