/**
 * `select-precision{budget=…, metric=sqnr|mse, target=…}`: chooses a precision per op from the
 * sensitivities `analyze-sensitivity` recorded, under a budget — model size (`size<=1.25x-int8`,
 * `size<=12000`), target cost-model latency (`latency<=…`) or an accuracy floor (`sqnr>=35`, `mse<=…`).
 *
 * It builds the Pareto front of (cost, predicted error) configurations — error by the additive-noise
 * model (output noise power ≈ the sum of each op's noise alone), cost from the target's cost model with
 * conversions between precisions counted — and takes the most accurate point within a cost budget, or the
 * cheapest point that reaches an accuracy floor. It then verifies the choice by quantizing and
 * interpreting on the calibration data (predicted vs measured SQNR); for an accuracy floor it walks up
 * the front until a point also meets the floor when measured. It writes `qopt.precision` on each op,
 * which `quantize` and `lower-to-hw` honour, and logs every choice (decision kind "precision").
 * When nothing meets the budget it fails and says what the best achievable value is.
 *
 * `with-sparsity=true`: the `<pair>+sparse` candidates analyze-sensitivity{with-sparsity} measured join
 * the search (size: block-CSR weights; latency: opCost at the achieved sparsity). An op chosen sparse
 * gets `qopt.precision` of its pair and `qopt.prune` (unit), and a "prune-selected" decision; then
 * `prune{only-marked=true block=target target=… sparsity=…}` prunes exactly those ops. Verification
 * prunes them the same way before quantizing.
 */
import type { Module } from "../src/ir/operation.js";
import { attr } from "../src/ir/attr-access.js";
import { unitAttr } from "../src/ir/attributes.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { PassManager } from "../src/pass/manager.js";
import { registerPass, instantiatePass, type Pass, type PassContext, type Decision } from "../src/pass/pass.js";
import { loadTarget } from "../src/target/load.js";
import { PRECISION_ATTR } from "../src/quant/activation-scheme.js";
import { calibrationInputsOf, loadCalibrationData, type CalibrationSamples } from "../src/quant/calibration-data.js";
import { formatBudget, isCostBudget, parseBudget, type Budget, type CostAxis } from "../src/quant/precision-budget.js";
import { buildPrecisionModel, type PrecisionModel } from "../src/quant/precision-model.js";
import { DEFAULT_EXHAUSTIVE_LIMIT, evaluate, paretoFront, pickFromFront, type Configuration, type Front, type Goal } from "../src/quant/precision-search.js";
import { PRUNE_ATTR, readSensitivityTable, sqnrDb, withOpAttributes, type Measurement } from "../src/quant/sensitivity.js";
import { compareWithReferences, floatOutputs, measurementOf, quantizeForTarget } from "../src/quant/sensitivity-measure.js";
import { SENSITIVITY_SESSION_SERVICE, formatDb, type SensitivitySessionService } from "./analyze-sensitivity.js";
import { calibrate } from "./calibrate.js";
import { propagateRanges } from "./propagate-ranges.js";
import { prune } from "./prune.js";

export const selectPrecisionPass = registerPass({
  name: "select-precision",
  description: "Choose i8/i16/f16/f32 per op from measured sensitivities under a size, latency or accuracy budget",
  options: {
    budget: { type: "string", description: "size<=1.25x-int8 | size<=BYTES | latency<=1.1x-int8 | latency<=CYCLES | sqnr>=DB | mse<=X" },
    metric: { type: "enum", values: ["sqnr", "mse"], default: "sqnr", description: "How errors are reported on the front and in the log" },
    cost: { type: "enum", values: ["latency", "size"], default: "latency", description: "What an accuracy floor (sqnr>=, mse<=) minimises" },
    target: { type: "string", description: "Target descriptor (built-in name or ./file.json): legal precisions and the cost model" },
    data: { type: "string", description: "Data to verify the choice on when analyze-sensitivity did not run in the same pipeline" },
    verify: { type: "bool", default: true, description: "Quantize and interpret the chosen configuration (predicted vs measured SQNR)" },
    "verify-tries": { type: "int", default: 4, description: "Front points tried for an accuracy floor until one also meets it when measured" },
    "exhaustive-limit": { type: "int", default: DEFAULT_EXHAUSTIVE_LIMIT, description: "Enumerate every configuration up to this many, else search heuristically" },
    "with-sparsity": { type: "bool", default: false, description: "Also choose prune/not-prune per op (the +sparse candidates analyze-sensitivity{with-sparsity} measured); chosen ops get qopt.prune" },
  },
  run(module, options, ctx) {
    const budgetText = options["budget"];
    if (typeof budgetText !== "string") throw new Error("select-precision needs a budget: select-precision{budget=size<=1.25x-int8} (or latency<=…, sqnr>=…)");
    const budget = parseBudget(budgetText);
    const targetSpec = options["target"];
    if (typeof targetSpec !== "string") throw new Error("select-precision needs a target: select-precision{target=tflite-int8 budget=…} (or --target)");
    return selectPrecisionWith(module, {
      budget,
      target: targetSpec,
      metric: options["metric"] === "mse" ? "mse" : "sqnr",
      cost: options["cost"] === "size" ? "size" : "latency",
      ...(typeof options["data"] === "string" ? { data: options["data"] } : {}),
      verify: options["verify"] !== false,
      verifyTries: Math.max(1, Number(options["verify-tries"] ?? 4)),
      exhaustiveLimit: Number(options["exhaustive-limit"] ?? DEFAULT_EXHAUSTIVE_LIMIT),
      withSparsity: options["with-sparsity"] === true,
    }, ctx);
  },
});

export interface SelectPrecisionOptions {
  budget: string;
  target: string;
  metric?: "sqnr" | "mse";
  cost?: CostAxis;
  data?: string;
  verify?: boolean;
  verifyTries?: number;
  exhaustiveLimit?: number;
  withSparsity?: boolean;
}

export function selectPrecision(options: SelectPrecisionOptions): Pass {
  return instantiatePass(selectPrecisionPass, {
    budget: options.budget,
    target: options.target,
    ...(options.metric ? { metric: options.metric } : {}),
    ...(options.cost ? { cost: options.cost } : {}),
    ...(options.data ? { data: options.data } : {}),
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.verifyTries !== undefined ? { "verify-tries": options.verifyTries } : {}),
    ...(options.exhaustiveLimit !== undefined ? { "exhaustive-limit": options.exhaustiveLimit } : {}),
    ...(options.withSparsity !== undefined ? { "with-sparsity": options.withSparsity } : {}),
  });
}

interface Settings {
  readonly budget: Budget;
  readonly target: string;
  readonly metric: "sqnr" | "mse";
  readonly cost: CostAxis;
  readonly data?: string;
  readonly verify: boolean;
  readonly verifyTries: number;
  readonly exhaustiveLimit: number;
  readonly withSparsity: boolean;
}

/** What the chosen configuration is, for the caller (the last run's result is also in the decision log). */
export interface PrecisionChoice {
  readonly budget: string;
  readonly axis: CostAxis;
  readonly front: Front;
  readonly chosen: Configuration;
  readonly baseline: Configuration;
  readonly predictedSqnr: number;
  readonly baselinePredictedSqnr: number;
  readonly measured?: Measurement;
  readonly baselineMeasured?: Measurement;
  readonly precisions: readonly { readonly index: number; readonly label: string; readonly candidate: string; readonly precision: string; readonly prune: boolean }[];
}

export const PRECISION_CHOICE_SERVICE = "precision-choice";

function fmtCost(axis: CostAxis, v: number): string {
  return axis === "size" ? `${Math.round(v)} bytes` : `${Math.round(v)} cycles`;
}

function selectPrecisionWith(module: Module, s: Settings, ctx: PassContext): Module {
  const target = loadTarget(s.target);
  const { table, notes } = readSensitivityTable(module, target, { withSparsity: s.withSparsity });
  if (!table) throw new Error("select-precision needs per-op sensitivities (qopt.sensitivity): run analyze-sensitivity{data=… target=…} first");
  for (const note of notes) ctx.decisions.push({ pass: "select-precision", kind: "not-selectable", message: note });
  const model = buildPrecisionModel(module, target, table);
  if (model.ops.length === 0) {
    ctx.decisions.push({ pass: "select-precision", kind: "precision", message: "no op has a choice of precision; nothing to select" });
    return module;
  }
  const axis: CostAxis = isCostBudget(s.budget) ? s.budget.kind : s.cost;
  const problem = model.problem(axis);
  const front = paretoFront(problem, { exhaustiveLimit: s.exhaustiveLimit });
  const baselineEval = evaluate(problem, model.baseline);
  const baseline: Configuration = { choice: model.baseline, ...baselineEval };
  const sqnrOf = (error: number): number => sqnrDb(model.signalPower, error);
  const errorText = (error: number): string => (s.metric === "mse" ? `MSE ${error.toExponential(3)}` : `SQNR ${formatDb(sqnrOf(error))}`);

  const budget = s.budget;
  const goal: Goal =
    budget.kind === "sqnr"
      ? { kind: "max-error", limit: model.signalPower / 10 ** (budget.minDb / 10) }
      : budget.kind === "mse"
        ? { kind: "max-error", limit: budget.max }
        : { kind: "max-cost", limit: budget.relative ? budget.limit * baseline.cost : budget.limit };

  const pick = pickFromFront(front, goal);
  const budgetText = formatBudget(s.budget);
  if (!pick.ok) {
    const describe = (c: Configuration): string => describeConfig(model, c);
    if (goal.kind === "max-cost") {
      throw new Error(
        `no precision configuration meets ${budgetText} (${fmtCost(axis, goal.limit)}): the smallest achievable ${axis} is ${fmtCost(axis, pick.best.cost)} ` +
          `(${(pick.best.cost / baseline.cost).toFixed(3)}x the all-${model.baselineType} configuration) with ${describe(pick.best)}`,
      );
    }
    throw new Error(
      `no precision configuration meets ${budgetText}: the best achievable is predicted ${s.budget.kind === "mse" ? `MSE ${pick.best.error.toExponential(3)}` : `SQNR ${formatDb(sqnrOf(pick.best.error))}`} ` +
        `(every op at its most accurate candidate: ${describe(pick.best)})`,
    );
  }

  // Verify by quantizing and interpreting; for an accuracy floor, walk up the front until measured meets it.
  let chosen = pick.config;
  let measured: Measurement | undefined;
  let baselineMeasured: Measurement | undefined;
  const verification = s.verify ? verifier(module, model, s, ctx) : undefined;
  if (s.verify && !verification) ctx.decisions.push({ pass: "select-precision", kind: "precision", message: "not verified: no calibration data (run analyze-sensitivity in the same pipeline or give data=…)" });
  if (verification) {
    const tried: string[] = [];
    // For an accuracy floor, correct the prediction by how far off it was (measured / predicted noise,
    // the worst seen) and try the cheapest front point that still meets the floor after the correction.
    let position = pick.position;
    let bias = 1;
    let best: { config: Configuration; m: Measurement } | undefined;
    for (let tries = 1; ; tries++) {
      const candidate = front.points[position]!;
      const m = verification(applyChoice(module, model, candidate.choice));
      tried.push(`${fmtCost(axis, candidate.cost)}: predicted ${formatDb(sqnrOf(candidate.error))}, measured ${formatDb(m.sqnr)}`);
      if (!best || m.mse < best.m.mse) best = { config: candidate, m };
      chosen = candidate;
      measured = m;
      if (goal.kind === "max-cost" || m.mse <= goal.limit * (1 + 1e-9)) break;
      bias = Math.max(bias, candidate.error > 0 ? m.mse / candidate.error : Infinity);
      const next = front.points.findIndex((p, i) => i > position && p.error * bias <= goal.limit);
      position = next >= 0 ? next : position + 1 < front.points.length ? front.points.length - 1 : -1;
      if (position < 0 || tries >= s.verifyTries) {
        throw new Error(
          `no verified configuration meets ${budgetText}: the best measured is SQNR ${formatDb(best.m.sqnr)} (predicted ${formatDb(sqnrOf(best.config.error))}, ${fmtCost(axis, best.config.cost)}); ` +
            `the additive-noise prediction was optimistic here (tried ${tried.join("; ")}) — lower the floor, raise verify-tries, or use a cost budget`,
        );
      }
    }
    baselineMeasured = verification(applyChoice(module, model, model.baseline));
  }

  const result = applyChoice(module, model, chosen.choice);
  const precisions = model.ops.map((o, k) => {
    const c = o.candidates[chosen.choice[k]!]!;
    return { index: o.index, label: o.label, candidate: c.id, precision: c.precision, prune: c.sparse !== undefined };
  });
  model.ops.forEach((o, k) => {
    const i = chosen.choice[k]!;
    const c = o.candidates[i]!;
    const alone = o.candidates.map((cand, j) => `${cand.id} ${formatDb(o.sqnr[j]!)}`).join(", ");
    ctx.decisions.push({
      pass: "select-precision",
      kind: "precision",
      op: o.name,
      message: `${o.label}: ${c.id} (qopt.precision = "${c.precision}"${c.sparse ? `, ${PRUNE_ATTR}` : ""}; alone: ${alone}; ${o.size[i]} bytes, ${Math.round(o.latency[i]!)} cycles)`,
      details: { index: o.index, candidate: c.id, precision: c.precision, size: o.size[i], latency: o.latency[i], sqnrAlone: o.sqnr[i], mseAlone: o.mse[i], ...(c.sparse ? { prune: true, block: c.sparse.block, sparsity: c.sparse.sparsity, achieved: o.sparsity[i] } : {}) },
    });
    if (c.sparse) {
      ctx.decisions.push({
        pass: "select-precision",
        kind: "prune-selected",
        op: o.name,
        message: `${o.label}: pruned ${c.sparse.block} blocks at sparsity ${c.sparse.sparsity} (achieved ${Number(o.sparsity[i]!.toPrecision(6))}) with ${c.id.slice(0, -"+sparse".length)}: ${PRUNE_ATTR} set for prune{only-marked=true}`,
        details: { index: o.index, candidate: c.id, block: c.sparse.block, sparsity: c.sparse.sparsity, achieved: o.sparsity[i], size: o.size[i] },
      });
    }
  });
  const summary: Decision = {
    pass: "select-precision",
    kind: "precision",
    message:
      `${budgetText}: chose ${fmtCost(axis, chosen.cost)} (${(chosen.cost / baseline.cost).toFixed(3)}x all-${model.baselineType}), predicted ${errorText(chosen.error)}` +
      `${measured ? `, measured SQNR ${formatDb(measured.sqnr)}` : ""}; all-${model.baselineType}: predicted ${errorText(baseline.error)}${baselineMeasured ? `, measured ${formatDb(baselineMeasured.sqnr)}` : ""}; ` +
      `Pareto front of ${front.points.length} points from ${front.evaluated} configurations (${front.exhaustive ? "exhaustive" : "heuristic"})`,
    details: {
      budget: budgetText,
      axis,
      metric: s.metric,
      cost: chosen.cost,
      baselineCost: baseline.cost,
      predictedSqnr: sqnrOf(chosen.error),
      predictedMse: chosen.error,
      baselinePredictedSqnr: sqnrOf(baseline.error),
      ...(measured ? { measuredSqnr: measured.sqnr, measuredMse: measured.mse } : {}),
      ...(baselineMeasured ? { baselineMeasuredSqnr: baselineMeasured.sqnr } : {}),
      exhaustive: front.exhaustive,
      front: front.points.slice(0, 256).map((p) => ({ cost: p.cost, [s.metric]: s.metric === "mse" ? p.error : sqnrOf(p.error), choice: p.choice.map((c, k) => model.ops[k]!.candidates[c]!.id) })),
    },
  };
  ctx.decisions.push(summary);
  const choice: PrecisionChoice = {
    budget: budgetText,
    axis,
    front,
    chosen,
    baseline,
    predictedSqnr: sqnrOf(chosen.error),
    baselinePredictedSqnr: sqnrOf(baseline.error),
    ...(measured ? { measured } : {}),
    ...(baselineMeasured ? { baselineMeasured } : {}),
    precisions,
  };
  ctx.services.set(PRECISION_CHOICE_SERVICE, choice);
  return result;
}

function describeConfig(model: PrecisionModel, c: Configuration): string {
  const counts = new Map<string, number>();
  c.choice.forEach((i, k) => {
    const id = model.ops[k]!.candidates[i]!.id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return [...counts].map(([id, n]) => `${n} op${n === 1 ? "" : "s"} at ${id}`).join(", ");
}

function applyChoice(module: Module, model: PrecisionModel, choice: readonly number[]): Module {
  return withOpAttributes(
    module,
    new Map(
      model.ops.map((o, k) => {
        const c = o.candidates[choice[k]!]!;
        return [o.index, { [PRECISION_ATTR]: attr.str(c.precision), ...(c.sparse ? { [PRUNE_ATTR]: unitAttr } : {}) }];
      }),
    ),
    [PRUNE_ATTR],
  );
}

/** Quantizes a module with precisions set (calibrate → propagate → nudge → quantize) and measures it against float. */
function verifier(module: Module, model: PrecisionModel, s: Settings, ctx: PassContext): ((configured: Module) => Measurement) | undefined {
  const session = ctx.services.get(SENSITIVITY_SESSION_SERVICE) as SensitivitySessionService | undefined;
  let samples: CalibrationSamples | undefined;
  let observer = "minmax";
  if (s.data !== undefined) {
    const sig = entryFunction(module);
    samples = loadCalibrationData(s.data, sig.inputNames, calibrationInputsOf(sig.func));
    if (session) observer = session.observer;
  } else if (session) {
    samples = session.samples();
    observer = session.observer;
  }
  if (!samples) return undefined;
  const data = samples;
  const references = floatOutputs(module, data);
  // Ops chosen sparse are pruned as prune{only-marked block=target} will (all at the analysed sparsity).
  const sparse = model.ops.flatMap((o) => o.candidates.flatMap((c) => (c.sparse ? [c.sparse.sparsity] : [])));
  return (configured) => {
    const pm = new PassManager({ verifyEach: false });
    if (sparse.length > 0) pm.add(prune({ onlyMarked: true, block: "target", target: s.target, sparsity: sparse[0]! }));
    const calibrated = pm.add(calibrate({ data, observer })).add(propagateRanges()).run(configured);
    return measurementOf(compareWithReferences(quantizeForTarget(calibrated, s.target), data, references));
  };
}
