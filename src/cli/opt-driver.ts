/**
 * The work of `qopt-opt` without the process around it: split, parse, verify, run the pipeline,
 * print, or check expected diagnostics. Returns text and diagnostics; the CLI decides what to write.
 */
import type { Diagnostic } from "../ir/diagnostic.js";
import { DiagnosticError, diagnostic } from "../ir/diagnostic.js";
import { SourceFile } from "../ir/location.js";
import { verifyModule } from "../ir/verifier.js";
import { parseModule } from "../syntax/parser.js";
import { printModule, type PrintOptions } from "../syntax/printer.js";
import { PassManager, formatTimingReport, type TimingRecord } from "../pass/manager.js";
import type { Decision, Pass, PassContext } from "../pass/pass.js";
import { splitInput, joinOutputs } from "./split-input.js";
import { verifyDiagnostics } from "./verify-diagnostics.js";

export interface OptRunOptions {
  filename: string;
  passes: readonly Pass[];
  allowUnregisteredDialect?: boolean;
  splitInputFile?: boolean;
  verifyDiagnostics?: boolean;
  verifyEach?: boolean;
  printOptions?: PrintOptions;
  printIrAfterAll?: boolean;
  printIrBeforeAll?: boolean;
  printIrBefore?: readonly string[];
  printIrAfter?: readonly string[];
  timing?: boolean;
  /** Receives IR dumps and the timing report (stderr in the CLI). */
  dump?: (text: string) => void;
  /** Shared services for passes (e.g. the target). */
  services?: Map<string, unknown>;
}

export interface OptRunResult {
  /** The printed output; undefined when nothing is to be written. */
  output: string | undefined;
  diagnostics: Diagnostic[];
  ok: boolean;
  context: PassContext | undefined;
  /** Every decision the passes made, over all chunks, including those of a run that failed. */
  decisions: Decision[];
}

export function runOpt(text: string, options: OptRunOptions): OptRunResult {
  const chunks = splitInput(text, options.splitInputFile ?? false);
  const outputs: string[] = [];
  const allDiagnostics: Diagnostic[] = [];
  const timings: TimingRecord[] = [];
  let ok = true;
  let context: PassContext | undefined;
  const decisions: Decision[] = [];
  for (const chunk of chunks) {
    const source = new SourceFile(options.filename, chunk.text, chunk.firstLine);
    const produced: Diagnostic[] = [];
    let output: string | undefined;
    let pm: PassManager | undefined;
    try {
      let start = performance.now();
      let module = parseModule(chunk.text, { filename: options.filename, firstLine: chunk.firstLine });
      timings.push({ name: "Parser", ms: performance.now() - start });
      start = performance.now();
      const errors = verifyModule(module, { allowUnregisteredDialect: options.allowUnregisteredDialect ?? false });
      timings.push({ name: "(A) Verifier", ms: performance.now() - start });
      if (errors.length > 0) throw new DiagnosticError(errors);
      pm = new PassManager({
        verifyEach: options.verifyEach ?? true,
        allowUnregisteredDialect: options.allowUnregisteredDialect ?? false,
        printIrAfterAll: options.printIrAfterAll ?? false,
        printIrBeforeAll: options.printIrBeforeAll ?? false,
        printIrBefore: options.printIrBefore ?? [],
        printIrAfter: options.printIrAfter ?? [],
        ...(options.dump ? { dump: options.dump } : {}),
        ...(options.printOptions ? { printOptions: options.printOptions } : {}),
      });
      if (options.services) for (const [k, v] of options.services) pm.context.services.set(k, v);
      pm.addAll(options.passes);
      context = pm.context;
      module = pm.run(module);
      timings.push(...pm.timings);
      produced.push(...pm.context.diagnostics);
      start = performance.now();
      output = printModule(module, options.printOptions);
      timings.push({ name: "Output", ms: performance.now() - start });
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      produced.push(...e.diagnostics);
    }
    if (pm) decisions.push(...pm.context.decisions);
    if (options.verifyDiagnostics) {
      const failures = verifyDiagnostics(source, produced);
      if (failures.length > 0) ok = false;
      allDiagnostics.push(...failures);
      if (output !== undefined) outputs.push(output);
    } else {
      allDiagnostics.push(...produced);
      if (produced.some((d) => d.severity === "error")) ok = false;
      else if (output !== undefined) outputs.push(output);
    }
  }
  if (options.timing && options.dump) options.dump(formatTimingReport(timings));
  if (chunks.length === 0) allDiagnostics.push(diagnostic("error", { kind: "unknown" }, "empty input"));
  return { output: ok || !options.verifyDiagnostics ? joinOutputs(outputs) : undefined, diagnostics: allDiagnostics, ok, context, decisions };
}
