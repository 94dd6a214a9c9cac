/**
 * `calibrate{data=…, observer=…, samples=N}`: runs the interpreter on representative inputs and records
 * each float tensor's range as `qopt.range = [min, max]` on the op that produces it (function inputs:
 * in their argument attributes). Values whose quantization is already fixed (they feed a `quant.qcast`
 * or come from a `quant.dcast`, as after quantization-aware training) are left alone.
 */
import type { Module, Operation, Value } from "../src/ir/operation.js";
import { writeRanges, type Range } from "../src/quant/ranges.js";
import { hasTrait } from "../src/ir/opdef.js";
import { elementType } from "../src/ir/types.js";
import { entryFunction, interpret } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass, type PassContext, type OptionValues } from "../src/pass/pass.js";
import { makeObserver, parseObserver, type Observer } from "../src/quant/observers.js";
import { calibrationInputsOf, limitSamples, loadCalibrationData, type CalibrationSamples } from "../src/quant/calibration-data.js";
import { DiagnosticError, diagnostic } from "../src/ir/diagnostic.js";
import type { Tensor } from "../src/interp/tensor.js";

/** Reports calibration progress (the CLI shows a bar on a terminal). Registered under this service name. */
export const PROGRESS_SERVICE = "progress";
export type ProgressReporter = (done: number, total: number, label: string) => void;

export const calibratePass = registerPass({
  name: "calibrate",
  description: "Run representative inputs through the interpreter and record qopt.range on float tensors",
  options: {
    data: { type: "string", description: "A .npy/.pb batch file, a directory of per-sample files, or name=file;name=file" },
    observer: { type: "enum", values: ["minmax", "moving-average", "percentile", "mse"], default: "minmax", description: "How a range is chosen from the observed values (percentile{p=99.99})" },
    samples: { type: "int", description: "Use at most this many samples" },
  },
  run(module, options, ctx) {
    const data = options["data"];
    const sig = entryFunction(module);
    const samples = located(sig.func, () => {
      if (typeof data !== "string") throw new Error("no calibration data: write calibrate{data=calib.npy}");
      return loadCalibrationData(data, sig.inputNames, calibrationInputsOf(sig.func));
    });
    return calibrateWith(module, samples, options, ctx);
  },
});

/** `calibrate({ data })` for code: tensors (one array per sample) or a path. */
export function calibrate(options: { data: CalibrationSamples | string; observer?: string; samples?: number }): Pass {
  const given = { ...(options.observer ? { observer: options.observer } : {}), ...(options.samples !== undefined ? { samples: options.samples } : {}) };
  if (typeof options.data === "string") return instantiatePass(calibratePass, { data: options.data, ...given });
  const samples = options.data;
  const definition = { ...calibratePass, run: (m: Module, o: OptionValues, ctx: PassContext) => calibrateWith(m, samples, o, ctx) };
  return instantiatePass(definition, given);
}

/** Each input's shape, so that calibration files split into samples by their rank. */
/**
 * Bad calibration data or options are errors of the function being calibrated (as MLIR reports a pass's
 * failure on the op it runs on): located there, with the message saying which file or sample.
 */
function located<T>(func: Operation, work: () => T, context?: string): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof DiagnosticError || !(e instanceof Error)) throw e;
    throw new DiagnosticError([diagnostic("error", func.loc, `pass 'calibrate' failed: ${context ? `${context}: ` : ""}${e.message}`)]);
  }
}

/** Values whose ranges calibration records: float tensors computed by non-constant ops, and inputs. */
function observedValues(func: Operation): { values: Set<Value>; fixed: Set<Value> } {
  const body = func.regions[0]!.blocks[0]!;
  const values = new Set<Value>();
  const fixed = new Set<Value>();
  const isFloatTensor = (v: Value): boolean => v.type.kind === "tensor" && elementType(v.type).kind === "float";
  for (const a of body.args) if (isFloatTensor(a)) values.add(a);
  for (const op of body.ops) {
    if (op.name === "quant.qcast") fixed.add(op.operands[0]!);
    if (op.name === "quant.dcast") fixed.add(op.results[0]!);
    if (hasTrait(op, "ConstantLike")) continue;
    for (const r of op.results) if (isFloatTensor(r)) values.add(r);
  }
  for (const f of fixed) values.delete(f);
  return { values, fixed };
}

function calibrateWith(module: Module, given: CalibrationSamples, options: OptionValues, ctx: PassContext): Module {
  const sig = entryFunction(module);
  const limit = options["samples"];
  const samples = located(sig.func, () => {
    const kept = limit !== undefined ? limitSamples(given, Number(limit), calibrationInputsOf(sig.func)) : given;
    if (kept.length === 0) throw new Error("no calibration samples");
    return kept;
  });
  const { values } = observedValues(sig.func);
  const observerOptions = located(sig.func, () => parseObserver(String(options["observer"] ?? "minmax")));
  const observers = new Map<Value, Observer>();
  for (const v of values) observers.set(v, makeObserver(observerOptions));
  const progress = ctx.services.get(PROGRESS_SERVICE) as ProgressReporter | undefined;
  const needsSecondPass = [...observers.values()].some((o) => o.needsHistogram);
  const total = samples.length * (needsSecondPass ? 2 : 1);
  let done = 0;
  const run = (visit: (o: Observer, data: Float32Array) => void, label: string): void => {
    const onValue = (value: Value, tensor: Tensor): void => {
      const o = observers.get(value);
      if (o) visit(o, tensor.data as Float32Array);
    };
    samples.forEach((sample, i) => {
      located(sig.func, () => interpret(module, [...sample], { onValue }), `calibration run ${i + 1} of ${samples.length}`);
      progress?.(++done, total, label);
    });
  };
  run((o, data) => o.observe(data), "calibrating");
  if (needsSecondPass) run((o, data) => o.observeHistogram(data), "histograms");
  ctx.decisions.push({ pass: "calibrate", kind: "calibrated", message: `recorded ranges of ${observers.size} tensors from ${samples.length} runs with the ${observerOptions.kind} observer` });
  const ranges = new Map<Value, Range>();
  for (const [v, o] of observers) ranges.set(v, o.range());
  return writeRanges(module, sig.func, ranges);
}
