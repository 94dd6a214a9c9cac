/**
 * `--verify-diagnostics`, as mlir-opt: `// expected-error@+1 {{text}}` (also `@-N`, `@N`, `@above`,
 * `@below`, `expected-warning`, `expected-note`, `expected-remark`, and `-re` variants whose `{{...}}`
 * parts inside the text are regular expressions). Every diagnostic must be expected and every
 * expectation met.
 */
import type { Diagnostic, Severity } from "../ir/diagnostic.js";
import { resolveLocation, SourceFile } from "../ir/location.js";
import { diagnostic } from "../ir/diagnostic.js";

interface Expectation {
  readonly severity: Severity;
  readonly line: number;
  readonly text: string;
  readonly regex: RegExp | undefined;
  readonly offset: number;
  matched: boolean;
}

const designator = /expected-(error|warning|note|remark)(-re)?\s*(?:@([+-]?[0-9]+|above|below))?\s*\{\{(.*)\}\}/;

export function collectExpectations(source: SourceFile): Expectation[] | Diagnostic {
  const lines = source.text.split("\n");
  const out: Expectation[] = [];
  let offset = 0;
  const isDesignatorLine = (i: number): boolean => designator.test(lines[i] ?? "");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = designator.exec(line);
    if (m) {
      const at = m[3];
      let target = i;
      if (at === undefined) target = i;
      else if (at === "above") {
        target = i - 1;
        while (target > 0 && isDesignatorLine(target)) target--;
      } else if (at === "below") {
        target = i + 1;
        while (target < lines.length - 1 && isDesignatorLine(target)) target++;
      } else if (at.startsWith("+") || at.startsWith("-")) target = i + Number(at);
      else target = Number(at) - source.firstLine;
      const text = m[4]!;
      let regex: RegExp | undefined;
      if (m[2]) {
        // Literal text with {{regex}} parts.
        const pattern = text
          .split(/(\{\{.*?\}\})/)
          .map((part) => (part.startsWith("{{") && part.endsWith("}}") ? `(?:${part.slice(2, -2)})` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
          .join("");
        try {
          regex = new RegExp(pattern);
        } catch {
          return diagnostic("error", { kind: "source", source, offset: offset + line.indexOf("expected-") }, `invalid regular expression in '${m[0]}'`);
        }
      }
      out.push({ severity: m[1] as Severity, line: target + source.firstLine, text, regex, offset: offset + line.indexOf("expected-"), matched: false });
    }
    offset += line.length + 1;
  }
  return out;
}

/** Checks produced diagnostics against the expectations; returns the verification failures. */
export function verifyDiagnostics(source: SourceFile, produced: readonly Diagnostic[]): Diagnostic[] {
  const expectations = collectExpectations(source);
  if (!Array.isArray(expectations)) return [expectations];
  const failures: Diagnostic[] = [];
  const flat: Diagnostic[] = [];
  for (const d of produced) {
    flat.push(d);
    for (const n of d.notes ?? []) if (n.loc.kind !== "unknown") flat.push(n);
  }
  for (const d of flat) {
    const where = resolveLocation(d.loc);
    const match = where
      ? expectations.find((e) => !e.matched && e.severity === d.severity && e.line === where.line && (e.regex ? e.regex.test(d.message) : d.message.includes(e.text)))
      : undefined;
    if (match) match.matched = true;
    else failures.push({ ...d, severity: "error", message: `unexpected ${d.severity}: ${d.message}`, notes: [] });
  }
  for (const e of expectations) {
    if (!e.matched) failures.push(diagnostic("error", { kind: "source", source, offset: e.offset }, `expected ${e.severity} "${e.text}" was not produced`));
  }
  return failures;
}
