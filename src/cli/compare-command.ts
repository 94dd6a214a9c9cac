/**
 * `qopt compare A.mlir B.mlir --input NAME=file.npy … [--per-layer] [--json]`: runs two programs on the
 * same inputs and prints, per output, SQNR, max and mean absolute error and (for [N, classes] outputs)
 * top-1 agreement; with `--per-layer`, the same for every tensor matched between the programs, worst
 * SQNR first — which layer broke accuracy. A is the reference. See `src/interp/compare.ts`.
 */
import { Command } from "commander";
import "../registry.js";
import type { Module } from "../ir/operation.js";
import { parseModule } from "../syntax/parser.js";
import { verifyModule } from "../ir/verifier.js";
import { DiagnosticError, formatDiagnostic } from "../ir/diagnostic.js";
import { entryFunction, InterpreterError } from "../interp/interpreter.js";
import { compareModules, CompareError, type ModuleComparison, type TensorError } from "../interp/compare.js";
import type { Tensor } from "../interp/tensor.js";
import { readTensorFile, processIo, type CommandIo } from "./run-command.js";
import { readInput, describeIoError } from "./io.js";

interface CompareCliOptions {
  input?: string[];
  perLayer?: boolean;
  json?: boolean;
  function?: string;
  allowUnregisteredDialect?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function compareCommand(io: CommandIo = processIo): Command {
  return new Command("compare")
    .description("Run two programs on the same inputs and compare their outputs (and, with --per-layer, every matching tensor): SQNR, max/mean abs error, top-1 agreement")
    .argument("<a>", "reference program (.mlir), e.g. the float model")
    .argument("<b>", "program under test (.mlir), e.g. its quantized version")
    .option("--input <name=file>", "input by name (NAME=file.npy) or position (file.npy), .npy or ONNX .pb; repeatable", collect)
    .option("--per-layer", "also compare tensors matched by op location, qopt.name or order; worst SQNR first")
    .option("--json", "print the comparison as JSON (SQNR of identical tensors is \"Infinity\")")
    .option("--function <name>", "function to run in both programs (default @main or the first public one)")
    .option("--allow-unregistered-dialect", "accept ops of unknown dialects (they cannot run)")
    .action((a: string, b: string, opts: CompareCliOptions) => {
      process.exitCode = compareMain(a, b, opts, io);
    });
}

class UsageError extends Error {}

function load(path: string, opts: CompareCliOptions): Module {
  let text: string;
  try {
    text = readInput(path);
  } catch (e) {
    throw new UsageError(describeIoError("read", path, e));
  }
  const module = parseModule(text, { filename: path });
  const errors = verifyModule(module, { allowUnregisteredDialect: opts.allowUnregisteredDialect ?? false });
  if (errors.length > 0) throw new DiagnosticError(errors);
  return module;
}

/** `--input` values as `qopt run` takes them: by name (checked against A's inputs) or by position. */
function readInputs(module: Module, specs: readonly string[], fn: string | undefined): Record<string, Tensor> {
  const sig = entryFunction(module, fn);
  const byName: Record<string, Tensor> = {};
  const positional: Tensor[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const name = eq > 0 ? spec.slice(0, eq) : undefined;
    const path = eq > 0 ? spec.slice(eq + 1) : spec;
    let t: Tensor;
    try {
      t = readTensorFile(path);
    } catch (e) {
      throw new UsageError((e as NodeJS.ErrnoException).code ? describeIoError("read", path, e) : (e as Error).message);
    }
    if (name === undefined) positional.push(t);
    else if (!sig.inputNames.includes(name)) throw new UsageError(`no input named '${name}' (inputs: ${sig.inputNames.join(", ")})`);
    else byName[name] = t;
  }
  const free = sig.inputNames.filter((n) => !(n in byName));
  if (positional.length > free.length) {
    throw new UsageError(`${positional.length + Object.keys(byName).length} inputs given, the program takes ${sig.inputNames.length} (${sig.inputNames.join(", ")})`);
  }
  positional.forEach((t, i) => (byName[free[i]!] = t));
  const missing = sig.inputNames.filter((n) => !(n in byName));
  if (missing.length > 0) throw new UsageError(`missing input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} (pass --input NAME=file.npy)`);
  return byName;
}

function compareMain(a: string, b: string, opts: CompareCliOptions, io: CommandIo): number {
  try {
    const moduleA = load(a, opts);
    const moduleB = load(b, opts);
    const inputs = readInputs(moduleA, opts.input ?? [], opts.function);
    const result = compareModules(moduleA, moduleB, inputs, { perLayer: opts.perLayer ?? false, names: [a, b], ...(opts.function !== undefined ? { function: opts.function } : {}) });
    io.stdout(opts.json ? formatComparisonJson(result) + "\n" : formatComparison(result));
    return 0;
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
      return 1;
    }
    if (e instanceof UsageError || e instanceof CompareError || e instanceof InterpreterError) {
      io.stderr(`qopt compare: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Formatting

/** SQNR for people: `inf`, `-inf`, `nan` or two decimals. */
export function formatSqnr(db: number): string {
  if (Number.isNaN(db)) return "nan";
  if (db === Infinity) return "inf";
  if (db === -Infinity) return "-inf";
  return db.toFixed(2);
}

/** An error magnitude with 4 significant digits (`0`, `0.003125`, `1.25e-7`). */
export function formatError(v: number): string {
  if (Number.isNaN(v)) return "nan";
  return v === 0 ? "0" : String(Number(v.toPrecision(4)));
}

function formatTop1(e: TensorError): string {
  return e.top1Agreement === undefined ? "" : `${Number(e.top1Agreement.toFixed(2))}%`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: number): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string =>
    "  " +
    cells
      .map((cell, c) => (c < rightAligned ? cell.padStart(widths[c]!) : c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** The human-readable report: one line per output, then (with per-layer) a table worst-first. */
export function formatComparison(r: ModuleComparison): string {
  let text = "";
  for (const o of r.outputs) {
    const top = o.top1Agreement === undefined ? "" : `  top-1 ${formatTop1(o)}`;
    text += `output ${o.index} '${o.name}' [${o.shape.join(", ")}]: SQNR ${formatSqnr(o.sqnrDb)} dB  max abs ${formatError(o.maxAbsError)}  mean abs ${formatError(o.meanAbsError)}${top}\n`;
  }
  if (r.layers) {
    text += `\nper layer, worst SQNR first (${r.layers.length} tensors):\n`;
    const rows = r.layers.map((l) => [
      formatSqnr(l.sqnrDb),
      formatError(l.maxAbsError),
      formatError(l.meanAbsError),
      formatTop1(l),
      l.op + (l.fused ?? []).map((f) => `+${f.slice(f.indexOf(".") + 1)}`).join("") + (l.result > 0 ? `#${l.result}` : ""),
      l.location ?? "-",
      l.opB === l.op ? `by ${l.matchedBy}` : `${l.opB} by ${l.matchedBy}`,
    ]);
    text += table(["SQNR dB", "max abs", "mean abs", "top-1", "op", "location", "matched"], rows, 4);
  }
  if (r.unmatched && r.unmatched.length > 0) {
    text += `\nnot compared (${r.unmatched.length}):\n`;
    for (const u of r.unmatched) text += `  ${u.op}${u.location ? ` at ${u.location}` : ""}: ${u.reason}\n`;
  }
  return text;
}

/** JSON with non-finite numbers as the strings "Infinity", "-Infinity" and "NaN" (JSON has no such numbers). */
export function formatComparisonJson(r: ModuleComparison): string {
  return JSON.stringify(r, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value), 2);
}
