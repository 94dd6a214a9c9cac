#!/usr/bin/env node
/**
 * `qopt-opt`: mlir-opt's habits for qopt's IR. Reads a file (or stdin), runs a pass pipeline, prints
 * the result; diagnostics in MLIR's format; exit code 1 on any error; `-o` writes atomically.
 */
import { Command, Option } from "commander";
import "../registry.js";
import { formatDiagnostic } from "../ir/diagnostic.js";
import { allPassDefinitions, decisionLogText, type Pass } from "../pass/pass.js";
import { parsePassList, parsePassPipeline, PipelineSyntaxError } from "../pass/pipeline.js";
import { runOpt } from "./opt-driver.js";
import { readInput, writeFileAtomic, describeIoError } from "./io.js";
import { packageVersion } from "./version.js";

interface OptCliOptions {
  output?: string;
  decisionLog?: string;
  pass?: string[];
  passPipeline?: string;
  allowUnregisteredDialect?: boolean;
  splitInputFile?: boolean;
  verifyDiagnostics?: boolean;
  mlirPrintOpGeneric?: boolean;
  mlirPrintDebuginfo?: boolean;
  verifyEach?: boolean;
  printIrAfterAll?: boolean;
  mlirPrintIrAfterAll?: boolean;
  printIrBeforeAll?: boolean;
  printIrBefore?: string[];
  printIrAfter?: string[];
  timing?: boolean;
  mlirTiming?: boolean;
  listPasses?: boolean;
  target?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").filter((s) => s.length > 0)];
}

function collectPipelines(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command("qopt-opt");
  program
    .description("Run qopt passes on MLIR files, as mlir-opt does")
    .argument("[file]", "input file ('-' for stdin)", "-")
    .option("-o, --output <file>", "output file (written atomically; default stdout)")
    .option("--pass <list>", "passes to run, e.g. 'canonicalize,cse' or 'quantize{mode=int8}'", collectPipelines)
    .option("--pass-pipeline <pipeline>", "textual pipeline, e.g. 'builtin.module(func.func(canonicalize,cse))'")
    .option("--allow-unregistered-dialect", "accept ops of dialects qopt does not know")
    .option("--split-input-file", "split the input on '// -----' and process each chunk")
    .option("--verify-diagnostics", "check '// expected-error@+N {{...}}' annotations instead of printing diagnostics")
    .option("--mlir-print-op-generic", "print every op in generic form")
    .option("--mlir-print-debuginfo", "print locations")
    .option("--no-verify-each", "do not run the verifier after each pass")
    .option("--print-ir-after-all", "print the IR after every pass (stderr)")
    .addOption(new Option("--mlir-print-ir-after-all", "alias of --print-ir-after-all").hideHelp())
    .option("--print-ir-before-all", "print the IR before every pass (stderr)")
    .option("--print-ir-before <pass>", "print the IR before the named pass (repeatable, comma list)", collect)
    .option("--print-ir-after <pass>", "print the IR after the named pass (repeatable, comma list)", collect)
    .option("--timing", "print a per-pass wall-time report (stderr)")
    .addOption(new Option("--mlir-timing", "alias of --timing").hideHelp())
    .option("--decision-log <file.jsonl>", "write every decision the passes made (fused, float island, requantize inserted, …), one JSON object per line, also when a pass fails")
    .option("--target <name-or-path>", "target descriptor for passes that take one (built-in name or ./file.json)")
    .option("--list-passes", "list the registered passes and their options")
    .version(packageVersion(), "--version")
    .showHelpAfterError()
    .action((file: string, opts: OptCliOptions) => {
      process.exitCode = main(file, opts);
    });
  return program;
}

function listPasses(): string {
  const lines: string[] = ["Available passes:"];
  for (const def of allPassDefinitions()) {
    lines.push(`  ${def.name.padEnd(22)} ${def.description}`);
    for (const [name, spec] of Object.entries(def.options)) {
      const values = spec.values ? ` (${spec.values.join("|")})` : "";
      const dflt = spec.default !== undefined ? ` [default: ${String(spec.default)}]` : "";
      lines.push(`      ${name}=<${spec.type}>${values}  ${spec.description}${dflt}`);
    }
  }
  return lines.join("\n") + "\n";
}

function main(file: string, opts: OptCliOptions): number {
  if (opts.listPasses) {
    process.stdout.write(listPasses());
    return 0;
  }
  let passes: Pass[] = [];
  try {
    if (opts.passPipeline !== undefined) passes.push(...parsePassPipeline(opts.passPipeline));
    for (const list of opts.pass ?? []) passes.push(...parsePassList(list));
  } catch (e) {
    if (e instanceof PipelineSyntaxError) {
      process.stderr.write(`qopt-opt: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (opts.target !== undefined) passes = passes.map((p) => withDefaultTarget(p, opts.target!));
  let text: string;
  try {
    text = readInput(file);
  } catch (e) {
    process.stderr.write(`qopt-opt: ${describeIoError("read", file, e)}\n`);
    return 1;
  }
  const filename = file === "-" ? "<stdin>" : file;
  const result = runOpt(text, {
    filename,
    passes,
    allowUnregisteredDialect: opts.allowUnregisteredDialect ?? false,
    splitInputFile: opts.splitInputFile ?? false,
    verifyDiagnostics: opts.verifyDiagnostics ?? false,
    verifyEach: opts.verifyEach ?? true,
    printOptions: { generic: opts.mlirPrintOpGeneric ?? false, debugInfo: opts.mlirPrintDebuginfo ?? false },
    printIrAfterAll: (opts.printIrAfterAll ?? false) || (opts.mlirPrintIrAfterAll ?? false),
    printIrBeforeAll: opts.printIrBeforeAll ?? false,
    printIrBefore: opts.printIrBefore ?? [],
    printIrAfter: opts.printIrAfter ?? [],
    timing: (opts.timing ?? false) || (opts.mlirTiming ?? false),
    dump: (t) => process.stderr.write(t),
  });
  for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
  if (opts.decisionLog !== undefined) {
    try {
      writeFileAtomic(opts.decisionLog, decisionLogText(result.decisions));
    } catch (e) {
      process.stderr.write(`qopt-opt: ${describeIoError("write", opts.decisionLog, e)}\n`);
      return 1;
    }
  }
  if (!result.ok) return 1;
  if (result.output !== undefined) {
    if (opts.output !== undefined && opts.output !== "-") {
      try {
        writeFileAtomic(opts.output, result.output);
      } catch (e) {
        process.stderr.write(`qopt-opt: ${describeIoError("write", opts.output, e)}\n`);
        return 1;
      }
    } else {
      process.stdout.write(result.output);
    }
  }
  return 0;
}

/** `--target` fills the `target` option of every pass that has one and was not given one. */
function withDefaultTarget(pass: Pass, target: string): Pass {
  if (!("target" in pass.definition.options) || pass.options["target"] !== undefined) return pass;
  return { ...pass, options: { ...pass.options, target } };
}

export function runCli(argv: readonly string[]): void {
  try {
    buildProgram().parse([...argv]);
  } catch (e) {
    process.stderr.write(`qopt-opt: internal error: ${(e as Error).message}\n`);
    if (process.env["QOPT_DEBUG"]) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 2;
  }
}

runCli(process.argv);
