/**
 * Interpreter benchmark: qopt's interpreter against ONNX Runtime (CPU, one thread) on the same
 * models and inputs, in the same run. Checks that the outputs agree, prints median times and the
 * qopt/ORT ratio, and writes bench/results/interp.json.
 *
 * Models (built in code, see bench/models/: the ONNX backend-test light models are not available
 * offline): SqueezeNet 1.0 and ResNet-50 v1 at 1×3×224×224 (float), and a stack of int8 convolutions
 * (ONNX QLinearConv for ORT, the equivalent hw.conv2d program for qopt).
 *
 * Usage: npx tsc -p . && node dist/bench/interp.js [--models=squeezenet,resnet50,int8-conv-stack] [--runs=N]
 *        [--passes=fold-batch-norm,fuse]   (run qopt passes on the imported float models first, as ONNX
 *        Runtime runs its graph optimizations; rows are then named e.g. "resnet50+fold-batch-norm,fuse")
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import "../src/registry.js";
import { packageRoot } from "../src/cli/version.js";
import { simdConvAvailable } from "../dialects/float/kernels/simd-conv.js";
import { importOnnx } from "../src/import/onnx/index.js";
import { interpret } from "../src/interp/interpreter.js";
import { PassManager } from "../src/pass/manager.js";
import { parsePassList } from "../src/pass/pipeline.js";
import type { Module } from "../src/ir/operation.js";
import type { Tensor } from "../src/interp/tensor.js";
import type { BenchModel } from "./models/onnx-graph.js";
import { int8ConvStack, type Int8ConvStack } from "./models/int8-conv-stack.js";
import { resnet50Model } from "./models/resnet50.js";
import { SeededRandom } from "./models/seeded-random.js";
import { squeezenetModel } from "./models/squeezenet.js";

interface Row {
  model: string;
  kind: "float" | "int8";
  input: string;
  gmacs: number;
  runs: number;
  qopt_ms: number;
  ort_ms: number;
  ratio: number;
  /** max |qopt − ort| / max |ort| (float) or the largest integer difference (int8, must be 0). */
  max_diff: number;
  agree: boolean;
  /**
   * CPU cores kept busy by other processes during the timed runs (Linux /proc/stat minus this
   * process's own CPU time); above ~0.3 on a small machine the times are inflated by contention.
   */
  other_load: number | null;
  note?: string;
}

const ORT_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ["cpu"] };
/** Float outputs agree when max |qopt − ort| ≤ 1e-4 · max |ort|. */
const FLOAT_TOLERANCE = 1e-4;
const WARMUP = 2;

const { values } = parseArgs({
  options: {
    models: { type: "string", default: "squeezenet,resnet50,int8-conv-stack" },
    runs: { type: "string" },
    passes: { type: "string" },
  },
});
const selected = values.models!.split(",");
const runsOverride = values.runs === undefined ? undefined : Number(values.runs);
const passList = values.passes;

/** The imported module after `--passes` (unchanged without the option). */
function optimize(module: Module): Module {
  if (passList === undefined) return module;
  const pm = new PassManager();
  for (const pass of parsePassList(passList)) pm.add(pass);
  return pm.run(module);
}

/** Busy CPU time of the whole machine in seconds (USER_HZ = 100), or undefined off Linux. */
function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq] = fields as [number, number, number, number, number, number, number];
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return undefined;
  }
}

/** Measures how many cores other processes used while `run` executes. */
async function withLoad<T>(run: () => Promise<T>): Promise<{ result: T; otherLoad: number | null }> {
  const busy0 = machineBusySeconds();
  const own0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = await run();
  const busy1 = machineBusySeconds();
  const own = process.cpuUsage(own0);
  const wall = (performance.now() - wall0) / 1e3;
  if (busy0 === undefined || busy1 === undefined) return { result, otherLoad: null };
  const other = (busy1 - busy0 - (own.user + own.system) / 1e6) / wall;
  return { result, otherLoad: Math.max(0, Number(other.toFixed(2))) };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times both engines: WARMUP untimed runs each, then `runs` timed runs, alternating qopt and ORT so
 * that machine noise hits both alike. Returns the medians in ms.
 */
async function timeBoth(runs: number, qopt: () => void, ortRun: () => Promise<void>): Promise<{ qopt: number; ort: number }> {
  for (let i = 0; i < WARMUP; i++) {
    qopt();
    await ortRun();
  }
  const q: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    qopt();
    q.push(performance.now() - t);
    t = performance.now();
    await ortRun();
    o.push(performance.now() - t);
  }
  return { qopt: median(q), ort: median(o) };
}

function maxRelativeDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    const d = Math.abs(actual[i]! - expected[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
  }
  return diff / (scale || 1);
}

async function benchFloat(model: BenchModel, runs: number): Promise<Row> {
  const count = model.inputShape.reduce((a, b) => a * b, 1);
  const x = new SeededRandom(7).uniform(count, -1, 1);
  const session = await ort.InferenceSession.create(model.bytes, ORT_OPTIONS);
  const feeds = { [model.inputName]: new ort.Tensor("float32", x, [...model.inputShape]) };
  const imported: Module = importOnnx(model.bytes, { filename: `${model.name}.onnx` });
  const module = optimize(imported);
  const input: Tensor = { dtype: "f32", shape: [...model.inputShape], data: x };

  const expected = (await session.run(feeds))[model.outputName]!.data as Float32Array;
  const actual = interpret(module, [input])[0]!.data as Float32Array;
  const diff = maxRelativeDiff(actual, expected);
  const { result: t, otherLoad } = await withLoad(() =>
    timeBoth(
      runs,
      () => void interpret(module, [input]),
      async () => void (await session.run(feeds)),
    ),
  );
  await session.release();
  return {
    model: passList === undefined ? model.name : `${model.name}+${passList}`,
    kind: "float",
    input: `1x3x${model.inputShape[2]}x${model.inputShape[3]} f32`,
    gmacs: model.macs / 1e9,
    runs,
    qopt_ms: t.qopt,
    ort_ms: t.ort,
    ratio: t.qopt / t.ort,
    max_diff: diff,
    agree: diff <= FLOAT_TOLERANCE,
    other_load: otherLoad,
  };
}

async function benchInt8(stack: Int8ConvStack, runs: number): Promise<Row> {
  const session = await ort.InferenceSession.create(stack.onnx.bytes, ORT_OPTIONS);
  const feeds = { [stack.onnx.inputName]: new ort.Tensor("int8", stack.inputNchw, [...stack.onnx.inputShape]) };
  const expectedNchw = (await session.run(feeds))[stack.onnx.outputName]!.data as Int8Array;
  const actualNhwc = stack.runQopt();
  const expected = stack.toNhwc(expectedNchw);
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(actualNhwc[i]! - expected[i]!));
  const { result: t, otherLoad } = await withLoad(() =>
    timeBoth(
      runs,
      () => void stack.runQopt(),
      async () => void (await session.run(feeds)),
    ),
  );
  await session.release();
  const s = stack.onnx.inputShape;
  return {
    model: stack.onnx.name,
    kind: "int8",
    input: `${s.join("x")} i8`,
    gmacs: stack.onnx.macs / 1e9,
    runs,
    qopt_ms: t.qopt,
    ort_ms: t.ort,
    ratio: t.qopt / t.ort,
    max_diff: maxDiff,
    // qopt's half-even-float output stage computes as ONNX Runtime does (f32 multiply, ties to even):
    // the int8 outputs must be identical.
    agree: maxDiff === 0,
    other_load: otherLoad,
    note: stack.note,
  };
}

const rows: Row[] = [];
const NAME_WIDTH = passList === undefined ? 18 : 20 + passList.length;
const print = (r: Row): void => {
  console.log(
    `${r.model.padEnd(NAME_WIDTH)} ${r.qopt_ms.toFixed(1).padStart(9)} ${r.ort_ms.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(7)}   ` +
      `${(r.gmacs / (r.qopt_ms / 1e3)).toFixed(1).padStart(6)} ${(r.gmacs / (r.ort_ms / 1e3)).toFixed(1).padStart(6)}   ${r.agree ? "ok" : "MISMATCH"} (max diff ${r.max_diff.toExponential(2)})` +
      (r.other_load !== null && r.other_load > 0.3 ? `  [other processes used ${r.other_load} cores: times inflated]` : ""),
  );
};
console.log(`${"model".padEnd(NAME_WIDTH)} ${"qopt ms".padStart(9)} ${"ort ms".padStart(8)} ${"ratio".padStart(7)}   qGMAC/s oGMAC/s  outputs`);
for (const name of selected) {
  let row: Row;
  switch (name) {
    case "squeezenet":
      row = await benchFloat(squeezenetModel(), runsOverride ?? 10);
      break;
    case "resnet50":
      row = await benchFloat(resnet50Model(), runsOverride ?? 5);
      break;
    case "int8-conv-stack":
      row = await benchInt8(int8ConvStack(), runsOverride ?? 20);
      break;
    default:
      throw new Error(`unknown model '${name}' (squeezenet, resnet50, int8-conv-stack)`);
  }
  rows.push(row);
  print(row);
}
const root = packageRoot();
mkdirSync(join(root, "bench/results"), { recursive: true });
const round = (v: number, digits: number): number => Number(v.toPrecision(digits));
writeFileSync(
  join(root, "bench/results/interp.json"),
  JSON.stringify(
    {
      benchmark: "interpreter vs onnxruntime-node (CPU, 1 thread)",
      onnxruntime: ort.env.versions.common,
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      wasm_simd: simdConvAvailable(),
      ...(passList === undefined ? {} : { passes: passList }),
      warmup: WARMUP,
      statistic: "median",
      float_tolerance: FLOAT_TOLERANCE,
      date: new Date().toISOString(),
      results: rows.map((r) => ({ ...r, gmacs: round(r.gmacs, 4), qopt_ms: round(r.qopt_ms, 4), ort_ms: round(r.ort_ms, 4), ratio: round(r.ratio, 3), max_diff: round(r.max_diff, 3) })),
    },
    null,
    2,
  ) + "\n",
);
console.log("wrote bench/results/interp.json");
if (rows.some((r) => !r.agree)) process.exitCode = 1;
