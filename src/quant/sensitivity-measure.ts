/**
 * The experiment behind each sensitivity number: quantize one op alone to one candidate and measure the
 * model outputs against float on the calibration samples with the interpreter.
 *
 * "Alone" means `qopt.precision = "f32"` on every other selectable op and the candidate's precision on
 * this one, then nudge-zero-point → quantize. Calibration and range propagation do not depend on the
 * precisions, so they run once (`prepareSession`); an experiment costs one nudge + quantize and one
 * interpretation of the samples. Under `quantize`'s rules a value is quantized at the precision of the
 * op that produces it (function inputs at the target's first integer type), so an op's number covers
 * its weights, its outputs and any function input it reads: summing them over ops counts each
 * quantized tensor once (the additive-noise model `select-precision` uses).
 *
 * f16 is measured with the op's constant operands rounded to half precision; its activations stay f32
 * (the interpreter has no f16 activation storage, and `quantize` keeps `qopt.precision = "f16"` ops in
 * f32), so the f16 number is a lower bound. f32 is exact by definition and is not run.
 */
import { producerMap } from "../ir/rewriter.js";
import type { Attribute, DenseAttr } from "../ir/attributes.js";
import type { Module, Operation, Value } from "../ir/operation.js";
import { makeValue } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import { attr } from "../ir/attr-access.js";
import { entryFunction, interpret } from "../interp/interpreter.js";
import { roundToF16 } from "../interp/tensor.js";
import { PassManager } from "../pass/manager.js";
import { getPassDefinition, type PassContext, type OptionValues, type PassDefinition } from "../pass/pass.js";
import type { CalibrationSamples } from "./calibration-data.js";
import { PRECISION_ATTR } from "./activation-scheme.js";
import { sqnrDb, withOpAttributes, type Candidate, type Measurement } from "./sensitivity.js";
import { outputChannelAxis } from "./constants.js";
import { parseBlockShape, pruneWeights, weightMatrix } from "./pruning.js";

/** Everything an experiment needs; plain data apart from the module, so a worker can rebuild it from text. */
export interface MeasureSession {
  /** The float module with `qopt.range` from calibrate + propagate-ranges. */
  readonly calibrated: Module;
  /** Target spec (built-in name or path) for nudge-zero-point and quantize. */
  readonly target: string;
  readonly samples: CalibrationSamples;
  /** Float outputs per sample, per output. */
  readonly references: readonly (readonly Float32Array[])[];
  /** Body indices of every selectable op (all but the measured one are kept at f32). */
  readonly selectable: readonly number[];
}

export interface Job {
  readonly op: number;
  readonly candidate: Candidate;
}

/** Σ float², Σ (float − got)² and the element count over all samples and outputs. */
export interface ErrorSums {
  readonly signal: number;
  readonly noise: number;
  readonly count: number;
}

/** Passes are found through the registry, so this library file does not import passes/. */
function pass(name: string): PassDefinition {
  const def = getPassDefinition(name);
  if (!def) throw new Error(`pass '${name}' is not registered (import the registry)`);
  return def;
}

/** Float outputs of `module` per sample, per output (the references experiments are compared with). */
export function floatOutputs(module: Module, samples: CalibrationSamples): Float32Array[][] {
  return samples.map((sample) => interpret(module, [...sample]).map((t) => (t.data instanceof Float32Array ? Float32Array.from(t.data) : Float32Array.from(t.data as ArrayLike<number>, Number))));
}

/** Runs `module` on every sample and compares its outputs with the float references. */
export function compareWithReferences(module: Module, samples: CalibrationSamples, references: readonly (readonly Float32Array[])[]): ErrorSums {
  let signal = 0;
  let noise = 0;
  let count = 0;
  samples.forEach((sample, s) => {
    const outputs = interpret(module, [...sample]);
    outputs.forEach((t, o) => {
      const ref = references[s]![o]!;
      const got = t.data as ArrayLike<number | bigint>;
      for (let i = 0; i < ref.length; i++) {
        const r = ref[i]!;
        const d = r - Number(got[i]!);
        signal += r * r;
        noise += d * d;
      }
      count += ref.length;
    });
  });
  return { signal, noise, count };
}

export function measurementOf(sums: ErrorSums): Measurement {
  const mse = sums.count === 0 ? 0 : sums.noise / sums.count;
  return { mse, sqnr: sums.noise === 0 ? Infinity : sqnrDb(sums.signal / Math.max(1, sums.count), mse) };
}

function precisionPatches(session: MeasureSession, op: number, precision: string): Map<number, Record<string, Attribute>> {
  const patches = new Map<number, Record<string, Attribute>>();
  for (const i of session.selectable) patches.set(i, { [PRECISION_ATTR]: attr.str(i === op ? precision : "f32") });
  return patches;
}

const quietContext = (): PassContext => ({ diagnostics: [], decisions: [], services: new Map() });

/** Runs nudge-zero-point and quantize (int8 mode, per-op `qopt.precision`) for `target`. */
export function quantizeForTarget(module: Module, target: string, ctx: PassContext = quietContext()): Module {
  const options: OptionValues = { target };
  return new PassManager({ verifyEach: false, context: ctx })
    .add(pass("nudge-zero-point"), options)
    .add(pass("quantize"), { mode: "int8", target })
    .run(module);
}

/** Rounds the constant operands of body op `index` to f16 (new constants, inserted before it). */
function withF16Constants(module: Module, index: number): Module {
  const func = entryFunction(module).func;
  const block = func.regions[0]!.blocks[0]!;
  const producers = producerMap(block.ops);
  const target = block.ops[index]!;
  const inserted: Operation[] = [];
  const operands = target.operands.map((v) => {
    const p = producers.get(v);
    if (!p || !hasTrait(p, "ConstantLike")) return v;
    const inProps = p.properties?.["value"] !== undefined;
    const value = (inProps ? p.properties!["value"] : p.attributes["value"]) as Attribute | undefined;
    if (!value || value.kind !== "dense" || value.type.element.kind !== "float") return v;
    const dense: DenseAttr = value;
    const count = (dense.type.shape ?? []).reduce((a, b) => a * b, 1);
    const source = dense.splat ? new Float32Array(count).fill(Number(dense.data[0])) : Float32Array.from(dense.data as Float32Array);
    const rounded: DenseAttr = { ...dense, splat: false, data: source.map(roundToF16) };
    const result = makeValue(v.type);
    const copy: Operation = inProps ? { ...p, properties: { ...p.properties!, value: rounded }, results: [result] } : { ...p, attributes: { ...p.attributes, value: rounded }, results: [result] };
    inserted.push(copy);
    return result;
  });
  const ops = [...block.ops.slice(0, index), ...inserted, { ...target, operands }, ...block.ops.slice(index + 1)];
  const newFunc: Operation = { ...func, regions: [{ blocks: [{ args: block.args, ops }, ...func.regions[0]!.blocks.slice(1)] }, ...func.regions.slice(1)] };
  return { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) };
}

/**
 * Body op `index` with its constant weight (operand 1) magnitude-pruned in `block` blocks at `sparsity`
 * (l2 norm, as `prune` does by default): the constant is rewritten in place when only this op reads it,
 * else a pruned copy is inserted before the op.
 */
export function withPrunedWeights(module: Module, index: number, block: string, sparsity: number): { module: Module; achieved: number } {
  const func = entryFunction(module).func;
  const body = func.regions[0]!.blocks[0]!;
  const target = body.ops[index]!;
  const weight = target.operands[1];
  const p = weight ? body.ops.find((o) => o.results.includes(weight)) : undefined;
  const inProps = p?.properties?.["value"] !== undefined;
  const value = p ? ((inProps ? p.properties!["value"] : p.attributes["value"]) as Attribute | undefined) : undefined;
  if (!weight || !p || !value || value.kind !== "dense" || value.type.element.kind !== "float") return { module, achieved: 0 };
  const shape = value.type.shape ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  const data = value.splat ? new Float32Array(count).fill(Number(value.data[0])) : Float32Array.from(value.data as ArrayLike<number>, Number);
  const result = pruneWeights(data, weightMatrix(shape, outputChannelAxis(target.name)), parseBlockShape(block), sparsity);
  const pruned: DenseAttr = { ...value, splat: false, data: value.type.element.name === "f64" ? Float64Array.from(result.data) : result.data };
  const uses = body.ops.reduce((n, o) => n + o.operands.filter((v) => v === weight).length, 0);
  const withValue = (results: readonly Value[]): Operation => (inProps ? { ...p, properties: { ...p.properties!, value: pruned }, results } : { ...p, attributes: { ...p.attributes, value: pruned }, results });
  let ops: Operation[];
  if (uses === 1) {
    ops = body.ops.map((o) => (o === p ? withValue(p.results) : o));
  } else {
    const copy = withValue([makeValue(weight.type)]);
    ops = [...body.ops.slice(0, index), copy, { ...target, operands: target.operands.map((v, j) => (j === 1 ? copy.results[0]! : v)) }, ...body.ops.slice(index + 1)];
  }
  const newFunc: Operation = { ...func, regions: [{ blocks: [{ args: body.args, ops }, ...func.regions[0]!.blocks.slice(1)] }, ...func.regions.slice(1)] };
  return { module: { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) }, achieved: result.achieved };
}

/** The program of one experiment: `job.op` at the candidate, every other selectable op in f32. */
export function experimentModule(session: MeasureSession, job: Job): Module {
  const c = job.candidate;
  if (c.sparse) {
    // Pruning keeps the op's index when the constant is rewritten in place; a copy is inserted before it.
    const pruned = withPrunedWeights(session.calibrated, job.op, c.sparse.block, c.sparse.sparsity).module;
    const shift = entryFunction(pruned).func.regions[0]!.blocks[0]!.ops.length - entryFunction(session.calibrated).func.regions[0]!.blocks[0]!.ops.length;
    const patches = new Map<number, Record<string, Attribute>>();
    for (const i of session.selectable) patches.set(i >= job.op ? i + shift : i, { [PRECISION_ATTR]: attr.str(i === job.op ? c.precision : "f32") });
    return quantizeForTarget(withOpAttributes(pruned, patches), session.target);
  }
  if (c.activation === "f16") return withF16Constants(withOpAttributes(session.calibrated, precisionPatches(session, -1, "f32")), job.op);
  return quantizeForTarget(withOpAttributes(session.calibrated, precisionPatches(session, job.op, c.precision)), session.target);
}

/** Measures one job. f32 is exact and is not run. */
export function measureJob(session: MeasureSession, job: Job): Measurement {
  if (job.candidate.activation === "f32") return { mse: 0, sqnr: Infinity };
  return measurementOf(compareWithReferences(experimentModule(session, job), session.samples, session.references));
}

export function measureJobs(session: MeasureSession, jobs: readonly Job[]): Measurement[] {
  return jobs.map((job) => measureJob(session, job));
}

/**
 * Takes jobs from a shared counter (`Atomics.add`) until none are left: several threads running this on
 * the same counter share the work evenly whatever each one's start-up time.
 */
export function measureFromCounter(session: MeasureSession, jobs: readonly Job[], counter: Int32Array): { index: number; result: Measurement }[] {
  const done: { index: number; result: Measurement }[] = [];
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= jobs.length) return done;
    done.push({ index, result: measureJob(session, jobs[index]!) });
  }
}
