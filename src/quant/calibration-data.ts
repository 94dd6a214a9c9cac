/**
 * Calibration data: one `.npy`/`.pb` batch per model input (split along the batch dimension), or a
 * directory of per-sample files (a single-input model), or tensors given in code.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../interp/tensor.js";
import { allocate, elementCount } from "../interp/tensor.js";
import { readTensorFileAny } from "./tensor-file.js";

/** Samples: each sample holds one tensor per model input, in input order. */
export type CalibrationSamples = readonly (readonly Tensor[])[];

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

/**
 * Loads calibration data for inputs of the given ranks. `spec` is a file (single input), a directory of
 * per-sample files (single input), or `name=file;name=file` for several inputs. `batch` is how many rows
 * go into one run for inputs with a dynamic batch dimension (1 where the model's batch is static).
 */
export function loadCalibrationData(spec: string, inputNames: readonly string[], inputBatchStatic: readonly boolean[], limit?: number, batch = 32): CalibrationSamples {
  if (inputNames.length === 0) throw new CalibrationDataError(`the program has no inputs to calibrate with '${spec}'`);
  const parts = spec.includes("=") ? spec.split(";").map((p) => p.split("=") as [string, string]) : [[inputNames[0]!, spec] as [string, string]];
  const perInput = new Map<string, Tensor[]>();
  for (const [name, path] of parts) {
    if (!inputNames.includes(name)) throw new CalibrationDataError(`calibration data names input '${name}', but the model's inputs are ${inputNames.join(", ")}`);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CalibrationDataError(`calibration data '${path}' does not exist`);
    }
    if (stat.isDirectory()) {
      const files = readdirSync(path).filter((f) => f.endsWith(".npy") || f.endsWith(".pb")).sort();
      if (files.length === 0) throw new CalibrationDataError(`calibration directory '${path}' holds no .npy or .pb files`);
      perInput.set(name, files.map((f) => readTensorFileAny(join(path, f))));
    } else {
      perInput.set(name, [readTensorFileAny(path)]);
    }
  }
  for (const n of inputNames) if (!perInput.has(n)) throw new CalibrationDataError(`no calibration data for input '${n}'`);
  // Split batches into runs: static-batch inputs run row by row, dynamic ones in chunks of `batch`.
  const runsPerInput = inputNames.map((n, i) => {
    const runs: Tensor[] = [];
    for (const t of perInput.get(n)!) {
      const rows = t.shape[0] ?? 1;
      const step = inputBatchStatic[i] ? 1 : batch;
      if (t.shape.length === 0) runs.push(t);
      else for (let r = 0; r < rows; r += step) runs.push(sliceBatch(t, r, Math.min(rows, r + step)));
    }
    return runs;
  });
  const count = Math.min(...runsPerInput.map((r) => r.length));
  const samples: Tensor[][] = [];
  for (let s = 0; s < count; s++) samples.push(runsPerInput.map((r) => r[s]!));
  return limit !== undefined ? samples.slice(0, Math.max(1, Math.ceil(limit / (inputBatchStatic[0] ? 1 : batch)))) : samples;
}

/** Zero-filled tensor helper for tests and defaults. */
export function zeros(dtype: Tensor["dtype"], shape: readonly number[]): Tensor {
  return { dtype, shape, data: allocate(dtype, elementCount(shape)) };
}
