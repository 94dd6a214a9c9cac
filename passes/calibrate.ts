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
import { loadCalibrationData, type CalibrationSamples } from "../src/quant/calibration-data.js";

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
    if (typeof data !== "string") throw new Error("calibrate needs calibration data: calibrate{data=calib.npy}");
    const sig = entryFunction(module);
    const args = sig.func.regions[0]!.blocks[0]!.args;
    const samples = loadCalibrationData(
      data,
      sig.inputNames,
      args.map((a) => a.type.kind === "tensor" && a.type.shape !== null && a.type.shape[0] !== undefined && a.type.shape[0] >= 0),
      options["samples"] !== undefined ? Number(options["samples"]) : undefined,
    );
    return calibrateWith(module, samples, options, ctx);
  },
});

/** `calibrate({ data })` for code: tensors (one array per sample) or a path. */
export function calibrate(options: { data: CalibrationSamples | string; observer?: string; samples?: number }): Pass {
  if (typeof options.data === "string") {
    return instantiatePass(calibratePass, { data: options.data, ...(options.observer ? { observer: options.observer } : {}), ...(options.samples !== undefined ? { samples: options.samples } : {}) });
  }
  const samples = options.data;
  const definition = { ...calibratePass, run: (m: Module, o: OptionValues, ctx: PassContext) => calibrateWith(m, samples, o, ctx) };
  return instantiatePass(definition, options.observer ? { observer: options.observer } : {});
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

function calibrateWith(module: Module, samples: CalibrationSamples, options: OptionValues, ctx: PassContext): Module {
  if (samples.length === 0) throw new Error("calibrate: no calibration samples");
  const sig = entryFunction(module);
  const { values } = observedValues(sig.func);
  const observerOptions = parseObserver(String(options["observer"] ?? "minmax"));
  const observers = new Map<Value, Observer>();
  for (const v of values) observers.set(v, makeObserver(observerOptions));
  const progress = ctx.services.get(PROGRESS_SERVICE) as ProgressReporter | undefined;
  const needsSecondPass = [...observers.values()].some((o) => o.needsHistogram);
  const total = samples.length * (needsSecondPass ? 2 : 1);
  let done = 0;
  const run = (visit: (o: Observer, data: Float32Array) => void, label: string): void => {
    for (const sample of samples) {
      interpret(module, [...sample], {
        onValue: (value, tensor) => {
          const o = observers.get(value);
          if (o) visit(o, tensor.data as Float32Array);
        },
      });
      progress?.(++done, total, label);
    }
  };
  run((o, data) => o.observe(data), "calibrating");
  if (needsSecondPass) run((o, data) => o.observeHistogram(data), "histograms");
  ctx.decisions.push({ pass: "calibrate", kind: "calibrated", message: `recorded ranges of ${observers.size} tensors from ${samples.length} runs with the ${observerOptions.kind} observer` });
  const ranges = new Map<Value, Range>();
  for (const [v, o] of observers) ranges.set(v, o.range());
  return writeRanges(module, sig.func, ranges);
}
