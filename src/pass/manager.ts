/**
 * Runs passes in order with MLIR's instrumentation: verify after each pass (on by default), IR dumps
 * before/after passes with MLIR's headers, and a timing report.
 */
import { freeze } from "immer";
import type { Module } from "../ir/operation.js";
import type { Diagnostic } from "../ir/diagnostic.js";
import { DiagnosticError, diagnostic } from "../ir/diagnostic.js";
import { verifyModule } from "../ir/verifier.js";
import { printModule, type PrintOptions } from "../syntax/printer.js";
import type { Pass, PassContext, PassDefinition } from "./pass.js";
import { instantiatePass, makePassContext } from "./pass.js";

export interface PassManagerOptions {
  verifyEach?: boolean;
  allowUnregisteredDialect?: boolean;
  printIrAfterAll?: boolean;
  printIrBeforeAll?: boolean;
  /** Pass names to dump the IR before / after. */
  printIrBefore?: readonly string[];
  printIrAfter?: readonly string[];
  timing?: boolean;
  /** Where IR dumps go (stderr in the CLI); dumps are skipped when absent. */
  dump?: (text: string) => void;
  printOptions?: PrintOptions;
  context?: PassContext;
  /**
   * Deep-freeze the module before and after every pass (immer's `freeze`), so a pass that mutates its
   * input throws instead of corrupting shared IR. On in tests; off by default for speed.
   */
  freeze?: boolean;
}

export interface TimingRecord {
  readonly name: string;
  readonly ms: number;
}

export class PassManager {
  readonly passes: Pass[] = [];
  readonly timings: TimingRecord[] = [];
  readonly context: PassContext;

  constructor(readonly options: PassManagerOptions = {}) {
    this.context = options.context ?? makePassContext();
  }

  /** Adds a pass instance, or a definition with options. */
  add(pass: Pass | PassDefinition, options?: Readonly<Record<string, unknown>>): this {
    this.passes.push("definition" in pass ? pass : instantiatePass(pass, options));
    return this;
  }

  addAll(passes: readonly Pass[]): this {
    this.passes.push(...passes);
    return this;
  }

  /** Runs every pass; throws `DiagnosticError` when a pass fails or leaves invalid IR. */
  run(module: Module): Module {
    let current = this.options.freeze ? freeze(module, true) : module;
    const verifyEach = this.options.verifyEach ?? true;
    for (const pass of this.passes) {
      const def = pass.definition;
      const display = `${def.displayName ?? pascalCase(def.name)} (${def.name})`;
      if (this.options.printIrBeforeAll || this.options.printIrBefore?.includes(def.name)) {
        this.options.dump?.(`// -----// IR Dump Before ${display} //----- //\n${printModule(current, this.options.printOptions)}`);
      }
      const start = performance.now();
      try {
        current = def.run(current, pass.options, this.context);
      } catch (e) {
        if (e instanceof DiagnosticError) throw e;
        // A pass that cannot go on (bad option value, unreadable data, unknown target) is a diagnostic, not a crash.
        throw new DiagnosticError([diagnostic("error", { kind: "unknown" }, `pass '${def.name}' failed: ${(e as Error).message}`)]);
      }
      this.timings.push({ name: display, ms: performance.now() - start });
      if (this.options.freeze) current = freeze(current, true);
      if (this.options.printIrAfterAll || this.options.printIrAfter?.includes(def.name)) {
        this.options.dump?.(`// -----// IR Dump After ${display} //----- //\n${printModule(current, this.options.printOptions)}`);
      }
      if (verifyEach) {
        const vstart = performance.now();
        const errors = verifyModule(current, { allowUnregisteredDialect: this.options.allowUnregisteredDialect ?? false });
        this.timings.push({ name: "(A) Verifier", ms: performance.now() - vstart });
        if (errors.length > 0) throw new DiagnosticError(withPassNote(errors, def.name));
      }
    }
    return current;
  }
}

function withPassNote(errors: readonly Diagnostic[], pass: string): Diagnostic[] {
  return errors.map((d) => ({ ...d, notes: [...(d.notes ?? []), diagnostic("note", { kind: "unknown" }, `the IR became invalid after pass '${pass}'`)] }));
}

function pascalCase(name: string): string {
  return name
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** MLIR's `--mlir-timing` report: wall time per pass (verifier time aggregated), with a total. */
export function formatTimingReport(records: readonly TimingRecord[]): string {
  const merged = new Map<string, number>();
  for (const r of records) merged.set(r.name, (merged.get(r.name) ?? 0) + r.ms);
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  const lines = [
    "===-------------------------------------------------------------------------===",
    "                         ... Execution time report ...",
    "===-------------------------------------------------------------------------===",
    `  Total Execution Time: ${(total / 1000).toFixed(4)} seconds`,
    "",
    "  ----Wall Time----  ----Name----",
  ];
  for (const [name, ms] of merged) {
    const pct = total > 0 ? (100 * ms) / total : 0;
    lines.push(`    ${(ms / 1000).toFixed(4)} (${pct.toFixed(1).padStart(5)}%)  ${name}`);
  }
  lines.push(`    ${(total / 1000).toFixed(4)} (100.0%)  Total`);
  return lines.join("\n") + "\n";
}
