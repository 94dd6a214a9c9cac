/**
 * `qopt import model.onnx [-o model.mlir]`: converts an ONNX model to qopt IR (MLIR text). Without
 * `-o` the program goes to stdout; with it the file is written atomically. Errors are one line
 * (no stack trace) and set the exit code; the handler never calls process.exit.
 * The main `qopt` program adds it with `program.addCommand(importCommand())`.
 */
import { Command } from "commander";
import "../registry.js";
import { importOnnxFile, OnnxImportError } from "../import/onnx/index.js";
import type { Tensor } from "../interp/tensor.js";
import { verifyModule } from "../ir/verifier.js";
import { formatDiagnostic } from "../ir/diagnostic.js";
import { printModule } from "../syntax/printer.js";
import { describeIoError, writeFileAtomic } from "./io.js";
import { readTensorFile } from "./run-command.js";

export interface ImportCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ImportCommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

interface ImportOptions {
  output?: string;
  constant?: string[];
  mlirPrintDebuginfo?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function importCommand(io: ImportCommandIo = processIo): Command {
  return new Command("import")
    .description("Convert an ONNX model to qopt IR (MLIR text); NCHW inputs and outputs keep their layout")
    .argument("<model.onnx>", "ONNX model")
    .option("-o, --output <file.mlir>", "output file (written atomically; default stdout)")
    .option("--constant <name=file>", "import graph input NAME as a constant with the value in a .npy or ONNX .pb file; repeatable", collect)
    .option("--mlir-print-debuginfo", "print locations (ONNX node names)")
    .action((model: string, opts: ImportOptions) => {
      process.exitCode = importMain(model, opts, io);
    });
}

function importMain(model: string, opts: ImportOptions, io: ImportCommandIo): number {
  const constantInputs: Record<string, Tensor> = {};
  for (const spec of opts.constant ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0) {
      io.stderr(`qopt import: --constant expects NAME=file, got '${spec}'\n`);
      return 1;
    }
    const path = spec.slice(eq + 1);
    try {
      constantInputs[spec.slice(0, eq)] = readTensorFile(path);
    } catch (e) {
      io.stderr(`qopt import: ${(e as NodeJS.ErrnoException).code ? describeIoError("read", path, e) : (e as Error).message}\n`);
      return 1;
    }
  }
  let text: string;
  try {
    const module = importOnnxFile(model, { constantInputs });
    const errors = verifyModule(module);
    if (errors.length > 0) {
      // The importer produced invalid IR: a bug, reported with the verifier's diagnostics.
      io.stderr(`qopt import: internal error: the imported program does not verify:\n${errors.map((d) => formatDiagnostic(d)).join("\n")}\n`);
      return 2;
    }
    text = printModule(module, { debugInfo: opts.mlirPrintDebuginfo ?? false });
  } catch (e) {
    if (e instanceof OnnxImportError) {
      io.stderr(`qopt import: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (opts.output === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    writeFileAtomic(opts.output, text);
  } catch (e) {
    io.stderr(`qopt import: ${describeIoError("write", opts.output, e)}\n`);
    return 1;
  }
  return 0;
}
