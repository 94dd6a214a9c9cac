/**
 * `qopt quantize MODEL.(onnx|mlir) --target=… --calib DATA -o OUT.mlir`: the one-command path —
 * import → canonicalize → fold-batch-norm → fuse → calibrate → propagate-ranges → nudge-zero-point →
 * quantize → lower-to-hw → canonicalize — with a decision log and a summary table.
 */
import { Command, Option } from "commander";
import { readFileSync } from "node:fs";
import cliProgress from "cli-progress";
import "../registry.js";
import { parseModule } from "../syntax/parser.js";
import { printModule } from "../syntax/printer.js";
import { verifyModule } from "../ir/verifier.js";
import { DiagnosticError, formatDiagnostic, type Diagnostic } from "../ir/diagnostic.js";
import type { Module, Operation, Value } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import { walkModule } from "../ir/operation.js";
import { PassManager } from "../pass/manager.js";
import { decisionLogText, getPassDefinition, instantiatePass, type Decision } from "../pass/pass.js";
import { loadTarget, TargetLoadError } from "../target/load.js";
import { importOnnx } from "../import/onnx/index.js";
import { OnnxImportError } from "../import/onnx/errors.js";
import { PROGRESS_SERVICE, type ProgressReporter } from "../../passes/calibrate.js";
import { QUANTIZE_MODES, type QuantizeMode } from "../../passes/quantize.js";
import type { Target } from "../target/types.js";
import { parseObserver } from "../quant/observers.js";
import { operandTypeOf } from "../target/op-kind.js";
import { writeFileAtomic, describeIoError } from "./io.js";
import { storedDataBytes } from "../quant/constants.js";
import { basename } from "node:path";
import { entryFunction } from "../interp/interpreter.js";
import { calibrationInputsOf, loadCalibrationData } from "../quant/calibration-data.js";
import { buildReport } from "../report/build.js";
import { PRECISION_CHOICE_SERVICE, type PrecisionChoice } from "../../passes/select-precision.js";
import { renderReportHtml } from "../report/html.js";
import { renderReportJson } from "../report/json.js";
import { processIo, type CommandIo } from "./run-command.js";

interface QuantizeOptions {
  target: string;
  calib: string;
  mode?: string;
  observer: string;
  samples?: string;
  output?: string;
  decisionLog?: string;
  perChannel: boolean;
  io: "float" | "int";
  mlirPrintDebuginfo?: boolean;
  report?: string;
  reportJson?: string;
  precision: "fixed" | "auto";
  budget?: string;
  prune?: string;
  block: string;
  pruneMinWeights: string;
  withSparsity?: boolean;
}

export function quantizeCommand(io: CommandIo = processIo): Command {
  return new Command("quantize")
    .description("Quantize a float model for a target: import, fold, fuse, calibrate, quantize, lower")
    .argument("<model>", "float model (.onnx or .mlir)")
    .requiredOption("--target <name-or-path>", "target descriptor: built-in name or ./chip.json")
    .requiredOption("--calib <data>", "calibration data: a .npy batch, a directory of samples, or name=file;name=file")
    .addOption(new Option("--mode <mode>", "quantization mode (default: int8, or int16x8 on a target whose activations are 16-bit only)").choices([...QUANTIZE_MODES]))
    .option("--observer <observer>", "minmax | moving-average | percentile{p=99.99} | mse", "minmax")
    .option("--samples <n>", "use at most N calibration samples")
    .option("--no-per-channel", "per-tensor weight scales")
    .addOption(new Option("--io <kind>", "program inputs/outputs: float (quantize at entry, dequantize at exit) or int").choices(["float", "int"]).default("float"))
    .option("-o, --output <file>", "output .mlir (written atomically; default stdout)")
    .addOption(new Option("--precision <how>", "fixed: --mode for every op; auto: per-layer choice under --budget (sensitivity analysis + Pareto search)").choices(["fixed", "auto"]).default("fixed"))
    .option("--budget <budget>", "with --precision=auto: size<=1.3x-int8, size<=BYTES, latency<=1.1x-int8, sqnr>=35, mse<=X", "size<=1.25x-int8")
    .option("--with-sparsity", "with --precision=auto: let the search also choose, per layer, block-sparse (pruned) weights the target can run")
    .option("--prune <sparsity>", "magnitude-prune weights to this sparsity before quantizing (e.g. 0.5)")
    .option("--block <shape>", "pruning block shape: 1x16, 4x1, 2:4 or target (the target's sparse shape)", "target")
    .option("--prune-min-weights <n>", "leave layers with fewer weights dense when pruning", "1024")
    .option("--report <file.html>", "write a self-contained HTML report: per-layer SQNR, ranges, scales, weight histograms")
    .option("--report-json <file.json>", "write the same report as JSON")
    .option("--mlir-print-debuginfo", "print source locations (lets `qopt compare --per-layer` match layers by location)")
    .option("--decision-log <file.jsonl>", "write every decision the passes made, one JSON object per line")
    .action((model: string, opts: QuantizeOptions) => {
      process.exitCode = quantizeMain(model, opts, io);
    });
}

function loadModel(path: string): Module {
  if (path.endsWith(".onnx")) return importOnnx(new Uint8Array(readFileSync(path)), { filename: path });
  const module = parseModule(readFileSync(path, "utf8"), { filename: path });
  const errors = verifyModule(module);
  if (errors.length > 0) throw new DiagnosticError(errors);
  return module;
}

/** An output file the command could not write; the message names the file. */
class OutputWriteError extends Error {}

function writeOutput(path: string, text: string): void {
  try {
    writeFileAtomic(path, text);
  } catch (e) {
    throw new OutputWriteError((e as Error).message);
  }
}

/** int8, unless the target's activations are 16-bit only (then TFLite's 16x8: int16 activations, int8 weights). */
function defaultMode(target: Target): QuantizeMode {
  const a = target.types.activations;
  return a.includes("i16") && !a.includes("i8") && !a.includes("u8") ? "int16x8" : "int8";
}

/** Options commander cannot check itself; a message, or undefined when they are fine. */
function checkOptions(opts: QuantizeOptions): string | undefined {
  if (opts.samples !== undefined && !/^[1-9][0-9]*$/.test(opts.samples)) return `--samples expects a positive integer, got '${opts.samples}'`;
  try {
    parseObserver(opts.observer);
  } catch (e) {
    return `--observer: ${(e as Error).message}`;
  }
  return undefined;
}

function quantizeMain(model: string, opts: QuantizeOptions, io: CommandIo): number {
  // Every pass's decisions, kept here so that a failed run still writes its decision log.
  let decisions: readonly Decision[] = [];
  try {
    const target = loadTarget(opts.target); // fail early, with the target's own message
    const optionError = checkOptions(opts);
    if (optionError) {
      io.stderr(`qopt quantize: ${optionError}\n`);
      return 1;
    }
    const mode = opts.mode ?? defaultMode(target);
    const float = loadModel(model);
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: "  {label} [{bar}] {value}/{total}", clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    let started = false;
    const progress: ProgressReporter = (done, total, label) => {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0, { label });
        started = true;
      }
      bar.update(done, { label });
      if (done === total) bar.stop();
    };
    // Two stages so the report can read the QDQ form (weights, ranges) as well as the final program.
    const pm = new PassManager({ verifyEach: true });
    const lowering = new PassManager({ verifyEach: true, context: pm.context });
    pm.context.services.set(PROGRESS_SERVICE, progress);
    decisions = pm.context.decisions;
    let stage = pm;
    const step = (name: string, options: Record<string, unknown> = {}): void => {
      const def = getPassDefinition(name);
      if (def) stage.add(instantiatePass(def, options));
    };
    step("canonicalize");
    step("fold-batch-norm");
    step("fuse", { target: opts.target });
    step("canonicalize");
    // Pruning corrects biases with the calibration data (the mean effect of the zeroed weights).
    const joint = opts.precision === "auto" && opts.withSparsity === true;
    const sparsity = opts.prune ?? "0.5";
    if (opts.prune !== undefined && !joint) step("prune", { sparsity: opts.prune, block: opts.block, target: opts.target, data: opts.calib, "min-weights": opts.pruneMinWeights });
    if (opts.precision === "auto") {
      step("analyze-sensitivity", { data: opts.calib, target: opts.target, observer: opts.observer.replace(/\{.*$/, ""), ...(joint ? { "with-sparsity": true, sparsity } : {}) });
      step("select-precision", { budget: opts.budget, target: opts.target, ...(joint ? { "with-sparsity": true } : {}) });
      // The layers the search chose sparse are pruned (biases corrected with the calibration data).
      if (joint) step("prune", { sparsity, block: "target", target: opts.target, data: opts.calib, "only-marked": true });
    }
    step("calibrate", { data: opts.calib, observer: opts.observer, ...(opts.samples !== undefined ? { samples: opts.samples } : {}) });
    step("propagate-ranges");
    step("nudge-zero-point", { target: opts.target });
    step("quantize", { mode, target: opts.target, "per-channel": opts.perChannel });
    stage = lowering;
    step("lower-to-hw", { target: opts.target });
    if (opts.io === "int") step("integer-io");
    step("canonicalize");
    const qdq = pm.run(float);
    const result = lowering.run(qdq);
    const text = printModule(result, { debugInfo: opts.mlirPrintDebuginfo ?? false });
    if (opts.output !== undefined) writeOutput(opts.output, text);
    else io.stdout(text);
    if (opts.report !== undefined || opts.reportJson !== undefined) {
      const sig = entryFunction(float);
      const samples = loadCalibrationData(opts.calib, sig.inputNames, calibrationInputsOf(sig.func));
      const choice = pm.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice | undefined;
      const pareto = choice
        ? {
            points: choice.front.points.map((p, i) => ({ cost: p.cost, error: p.error, label: `front point ${i + 1}` })),
            chosen: Math.max(0, choice.front.points.findIndex((p) => p.cost === choice.chosen.cost && p.error === choice.chosen.error)),
            costLabel: choice.axis === "size" ? "bytes" : "cycles",
            errorLabel: "predicted noise (relative power)",
          }
        : undefined;
      const report = buildReport({ model: basename(model), target: loadTarget(opts.target).name, mode: opts.precision === "auto" ? `mixed (${opts.budget})` : mode, float, qdq, result, inputs: samples[0] ?? [], decisions: pm.context.decisions, ...(pareto ? { pareto } : {}) });
      if (opts.report !== undefined) writeOutput(opts.report, renderReportHtml(report));
      if (opts.reportJson !== undefined) writeOutput(opts.reportJson, renderReportJson(report));
    }
    if (opts.decisionLog !== undefined) writeOutput(opts.decisionLog, decisionLogText(decisions));
    io.stderr(summaryTable(float, result, pm.context.decisions, { target: opts.target, mode }));
    const chosen = pm.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice | undefined;
    if (chosen) {
      const unit = chosen.axis === "size" ? "bytes" : "cycles";
      const measured = chosen.measured ? `, measured ${chosen.measured.sqnr.toFixed(1)} dB` : "";
      io.stderr(
        `  budget ${chosen.budget} met: ${Math.round(chosen.chosen.cost)} ${unit} (all-int8: ${Math.round(chosen.baseline.cost)}), ` +
          `predicted SQNR ${chosen.predictedSqnr.toFixed(1)} dB${measured} on calibration data (all-int8 predicted ${chosen.baselinePredictedSqnr.toFixed(1)} dB)\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) io.stderr(describeDiagnostic(d) + "\n");
      // A failed run writes no program, but its log says what the passes decided (e.g. which ops the target cannot run).
      if (opts.decisionLog !== undefined) {
        try {
          writeOutput(opts.decisionLog, decisionLogText(decisions));
        } catch (w) {
          io.stderr(`qopt quantize: ${(w as Error).message}\n`);
        }
      }
      return 1;
    }
    if (e instanceof TargetLoadError || e instanceof OnnxImportError || e instanceof OutputWriteError) {
      io.stderr(`qopt quantize: ${e.message}\n`);
      return 1;
    }
    // What is left of I/O errors is reading the model.
    if ((e as NodeJS.ErrnoException).code) {
      io.stderr(`qopt quantize: ${describeIoError("read", (e as NodeJS.ErrnoException).path ?? model, e)}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * A diagnostic as the command reports it: at its source location, or — for a pass that stopped without
 * one (calibration data that does not exist, a budget nothing meets) — as this command's own error.
 */
function describeDiagnostic(d: Diagnostic): string {
  if (d.loc.kind !== "unknown") return formatDiagnostic(d);
  return [`qopt quantize: ${d.message}`, ...(d.notes ?? []).map(formatDiagnostic)].join("\n");
}

/**
 * The precision an op of the final program computes in: the storage type of an integer op's result (i8,
 * u8, i16), the float type of a float op (f32, f16), and "f32 (i8 weights)" for a float op that reads
 * dequantized weights (TFLite's hybrid kernels, dynamic-range and weight-only modes).
 */
function precisionOf(op: Operation, producers: ReadonlyMap<Value, Operation>): string {
  const result = op.results[0] ? operandTypeOf(op.results[0].type) : undefined;
  if (op.name.startsWith("hw.")) return result ?? "integer";
  const weight = hasTrait(op, "WeightedOp") && op.operands[1] ? producers.get(op.operands[1]) : undefined;
  const weightType = weight?.name === "quant.dcast" ? operandTypeOf(weight.operands[0]!.type) : undefined;
  const own = result ?? op.name.slice(0, op.name.indexOf("."));
  return weightType ? `${own} (${weightType} weights)` : own;
}

/** Ops per precision, float islands, and weight bytes before and after. */
export function summaryTable(before: Module, after: Module, decisions: readonly Decision[], opts: { target: string; mode: string }): string {
  const counts = new Map<string, number>();
  const floatBytes = storedDataBytes(before);
  const quantBytes = storedDataBytes(after);
  const producers = new Map<Value, Operation>();
  walkModule(after, (op) => {
    for (const r of op.results) producers.set(r, op);
  });
  walkModule(after, (op) => {
    // Constants, casts and the function itself compute nothing.
    if (op.name === "func.func" || op.name === "func.return" || op.name.endsWith(".const") || op.name.startsWith("quant.") || op.name === "float.cast") return;
    const key = precisionOf(op, producers);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const lines = [`quantized for ${opts.target} (${opts.mode})`, "  ops by precision:"];
  const width = Math.max(14, ...[...counts.keys()].map((k) => k.length));
  for (const [k, n] of counts) lines.push(`    ${k.padEnd(width)} ${n}`);
  const islands = decisions.filter((d) => d.kind === "float-island");
  if (islands.length > 0) {
    lines.push("  float islands:");
    for (const d of islands) lines.push(`    ${d.message}`);
  }
  for (const d of decisions.filter((x) => x.kind === "integer-input" || x.kind === "integer-output")) lines.push(`  ${d.message}`);
  for (const d of decisions.filter((x) => x.pass === "select-precision" && x.kind !== "precision")) lines.push(`  ${d.message}`);
  const pruned = decisions.filter((x) => x.kind === "pruned");
  if (pruned.length > 0) lines.push(`  pruned ${pruned.length} layers: ${pruned.map((d) => d.message).join("; ")}`);
  lines.push(`  constants: ${(floatBytes / 1024).toFixed(1)} KiB float → ${(quantBytes / 1024).toFixed(1)} KiB`);
  lines.push(`  decisions: ${decisions.length} (write them with --decision-log FILE.jsonl)`);
  return lines.join("\n") + "\n";
}
