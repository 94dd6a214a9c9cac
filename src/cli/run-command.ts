/**
 * `qopt run model.mlir --input NAME=file.npy …`: interprets a program on .npy / ONNX .pb inputs, writes
 * `output_N.npy` per result and prints a summary; `--repeat N` times N more runs and prints the median.
 * `--target T` runs a QDQ program's node units in T's integer arithmetic (src/quant/integer-qdq): what
 * the program lowered for T computes.
 */
import { Command } from "commander";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import "../registry.js";
import { parseModule } from "../syntax/parser.js";
import { verifyModule } from "../ir/verifier.js";
import { DiagnosticError, formatDiagnostic } from "../ir/diagnostic.js";
import { entryFunction, interpret, InterpreterError } from "../interp/interpreter.js";
import type { Tensor } from "../interp/tensor.js";
import { readNpy, writeNpy } from "../io/npy.js";
import { readTensorProto } from "../io/onnx-tensor.js";
import { loadTarget } from "../target/load.js";
import type { Target } from "../target/types.js";
import { interpretIntegerQdq } from "../quant/integer-qdq/interpret.js";
import { readInput, writeFileAtomic, describeIoError } from "./io.js";

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

interface RunOptions {
  input?: string[];
  outputDir?: string;
  repeat?: string;
  function?: string;
  target?: string;
  allowUnregisteredDialect?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Reads a `.npy` or ONNX TensorProto `.pb` file as a runtime tensor. */
export function readTensorFile(path: string): Tensor {
  const bytes = new Uint8Array(readFileSync(path));
  if (path.endsWith(".pb")) return readTensorProto(bytes, path).tensor;
  return readNpy(bytes, path);
}

export function formatTensorSummary(name: string, t: Tensor): string {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < t.data.length; i++) {
    const v = Number(t.data[i]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = t.data.length === 0 ? "empty" : `min ${fmt(min)} max ${fmt(max)}`;
  return `${name}: ${t.dtype}[${t.shape.join(", ")}] ${range}`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function runCommand(io: CommandIo = processIo): Command {
  return new Command("run")
    .description("Interpret a program on .npy or ONNX .pb inputs and write its outputs as .npy")
    .argument("<model>", "program (.mlir)")
    .option("--input <name=file>", "input by name (NAME=file.npy) or position (file.npy); repeatable", collect)
    .option("--output-dir <dir>", "directory for output_N.npy files")
    .option("--repeat <n>", "run N more times and print the median time per run")
    .option("--function <name>", "function to run (default @main or the first public one)")
    .option("--target <target>", "run a QDQ program as the target runs it: each dcast → op → qcast unit in the target's integer arithmetic (built-in name or ./file.json)")
    .option("--allow-unregistered-dialect", "accept ops of unknown dialects (they cannot run)")
    .action((model: string, opts: RunOptions) => {
      process.exitCode = runMain(model, opts, io);
    });
}

function runMain(model: string, opts: RunOptions, io: CommandIo): number {
  let text: string;
  try {
    text = readInput(model);
  } catch (e) {
    io.stderr(`qopt run: ${describeIoError("read", model, e)}\n`);
    return 1;
  }
  try {
    const module = parseModule(text, { filename: model });
    const errors = verifyModule(module, { allowUnregisteredDialect: opts.allowUnregisteredDialect ?? false });
    if (errors.length > 0) throw new DiagnosticError(errors);
    const sig = entryFunction(module, opts.function);
    const byName: Record<string, Tensor> = {};
    const positional: Tensor[] = [];
    for (const spec of opts.input ?? []) {
      const eq = spec.indexOf("=");
      const name = eq > 0 ? spec.slice(0, eq) : undefined;
      const path = eq > 0 ? spec.slice(eq + 1) : spec;
      let t: Tensor;
      try {
        t = readTensorFile(path);
      } catch (e) {
        io.stderr(`qopt run: ${(e as NodeJS.ErrnoException).code ? describeIoError("read", path, e) : (e as Error).message}\n`);
        return 1;
      }
      if (name === undefined) positional.push(t);
      else {
        if (!sig.inputNames.includes(name)) {
          io.stderr(`qopt run: no input named '${name}' (inputs: ${sig.inputNames.join(", ")})\n`);
          return 1;
        }
        byName[name] = t;
      }
    }
    // Positional inputs fill the names not given explicitly, in order.
    const free = sig.inputNames.filter((n) => !(n in byName));
    if (positional.length > free.length) {
      io.stderr(`qopt run: ${positional.length + Object.keys(byName).length} inputs given, the program takes ${sig.inputNames.length} (${sig.inputNames.join(", ")})\n`);
      return 1;
    }
    positional.forEach((t, i) => (byName[free[i]!] = t));
    const missing = sig.inputNames.filter((n) => !(n in byName));
    if (missing.length > 0) {
      io.stderr(`qopt run: missing input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} (pass --input NAME=file.npy)\n`);
      return 1;
    }
    const options = opts.function !== undefined ? { function: opts.function } : {};
    let target: Target | undefined;
    if (opts.target !== undefined) {
      try {
        target = loadTarget(opts.target);
      } catch (e) {
        io.stderr(`qopt run: ${(e as Error).message}\n`);
        return 1;
      }
    }
    const run = (): Tensor[] => (target ? interpretIntegerQdq(module, byName, target, options) : interpret(module, byName, options));
    const outputs = run();
    const repeat = opts.repeat !== undefined ? Number(opts.repeat) : 0;
    if (!Number.isInteger(repeat) || repeat < 0) {
      io.stderr(`qopt run: --repeat expects a non-negative integer, got '${opts.repeat}'\n`);
      return 1;
    }
    if (opts.outputDir !== undefined) mkdirSync(opts.outputDir, { recursive: true });
    outputs.forEach((t, i) => {
      const name = sig.outputNames[i] ?? `output_${i}`;
      let line = formatTensorSummary(name, t);
      if (opts.outputDir !== undefined) {
        const file = join(opts.outputDir, `output_${i}.npy`);
        writeFileAtomic(file, writeNpy(t));
        line += `  -> ${file}`;
      }
      io.stdout(line + "\n");
    });
    if (repeat > 0) {
      const times: number[] = [];
      for (let i = 0; i < repeat; i++) {
        const start = performance.now();
        run();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const median = times.length % 2 ? times[(times.length - 1) / 2]! : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2;
      io.stdout(`median ${median.toFixed(3)} ms over ${repeat} runs\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
      return 1;
    }
    if (e instanceof InterpreterError) {
      io.stderr(`qopt run: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
