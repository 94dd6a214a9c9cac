/**
 * Diagnostics are values with a location until a CLI prints them (style: library code never prints).
 * The text format is MLIR's: `file:line:col: error: message`, the source line, a caret.
 */
import type { Location } from "./location.js";
import { resolveLocation } from "./location.js";

export type Severity = "error" | "warning" | "note" | "remark";

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly loc: Location;
  /** Length of the offending text, underlined with `~` after the caret. */
  readonly length?: number;
  readonly notes?: readonly Diagnostic[];
}

export function diagnostic(severity: Severity, loc: Location, message: string, extra?: { length?: number; notes?: Diagnostic[] }): Diagnostic {
  return { severity, loc, message, ...extra };
}

/** Thrown (and caught at API boundaries) when input is invalid; carries every diagnostic found. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
    this.name = "DiagnosticError";
  }
}

/** One diagnostic (and its notes) in MLIR's format. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines: string[] = [];
  const where = resolveLocation(d.loc);
  if (where) lines.push(`${where.file}:${where.line}:${where.col}: ${d.severity}: ${d.message}`);
  else if (d.loc.kind === "opaque") lines.push(`${d.loc.text}: ${d.severity}: ${d.message}`);
  else lines.push(`<unknown>:0: ${d.severity}: ${d.message}`);
  if (d.loc.kind === "source") {
    const text = d.loc.source.lineText(d.loc.offset);
    const col = where!.col;
    const underline = d.length !== undefined && d.length > 1 ? "~".repeat(Math.min(d.length - 1, Math.max(0, text.length - col))) : "";
    lines.push(text);
    lines.push(`${text.slice(0, col - 1).replace(/[^\t]/g, " ")}^${underline}`);
  }
  for (const note of d.notes ?? []) lines.push(formatDiagnostic(note));
  return lines.join("\n");
}

/** Collects diagnostics while a parser or verifier keeps going to find more than one. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(loc: Location, message: string, extra?: { length?: number; notes?: Diagnostic[] }): void {
    this.items.push(diagnostic("error", loc, message, extra));
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  throwIfErrors(): void {
    if (this.hasErrors) throw new DiagnosticError(this.items);
  }
}
