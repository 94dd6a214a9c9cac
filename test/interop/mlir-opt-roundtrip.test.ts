/**
 * Interop with the MLIR world: every file qopt prints is accepted by `mlir-opt-19
 * --allow-unregistered-dialect`, and what mlir-opt prints back (generic and pretty) parses in qopt to
 * the same module.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { arbModule } from "../support/arbitrary-ir.js";
import { mlirOptAvailable, runMlirOpt } from "../support/mlir-opt.js";

const available = mlirOptAvailable();
if (!available) console.warn("mlir-opt-19 not found: skipping interop tests (CI installs mlir-19-tools)");

const root = join(import.meta.dirname, "..");

/** Every `.mlir` under test/ that holds valid IR (files checked with --verify-diagnostics are invalid on purpose). */
function validFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== "artifacts" && name !== "bin") walk(p);
      } else if (name.endsWith(".mlir")) {
        const text = readFileSync(p, "utf8");
        if (!text.includes("--verify-diagnostics") && !text.includes("expected-error") && !text.includes("// INTEROP: skip")) out.push(p);
      }
    }
  };
  walk(root);
  return out;
}

/** qopt prints each chunk; mlir-opt reads all of them in one run; qopt reads mlir-opt's output back. */
function checkRoundTrip(qoptTexts: readonly string[], label: string): void {
  const joined = qoptTexts.join("// -----\n");
  for (const mode of [["--mlir-print-op-generic"], []]) {
    const r = runMlirOpt(joined, ["--allow-unregistered-dialect", "--split-input-file", ...mode]);
    expect(r.stderr, `${label}: mlir-opt-19 rejected qopt's output`).toBe("");
    expect(r.status).toBe(0);
    const back = r.stdout.split(/^\/\/ -----\n/m);
    expect(back.length).toBe(qoptTexts.length);
    back.forEach((text, i) => {
      expect(printModule(parseModule(text, { filename: `${label}#${i} (mlir-opt ${mode.join(" ") || "pretty"})` })), `${label}#${i}`).toBe(qoptTexts[i]);
    });
  }
}

describe.skipIf(!available)("mlir-opt-19 interop", () => {
  it("accepts generated modules and gives them back unchanged", () => {
    const modules = fc.sample(arbModule, { numRuns: 300, seed: 20261125 });
    checkRoundTrip(modules.map((m) => printModule(m)), "generated");
  });

  it("accepts qopt's generic form too", () => {
    const modules = fc.sample(arbModule, { numRuns: 100, seed: 7 });
    const texts = modules.map((m) => printModule(m, { generic: true }));
    const r = runMlirOpt(texts.join("// -----\n"), ["--allow-unregistered-dialect", "--split-input-file"]);
    expect(r.stderr).toBe("");
    const back = r.stdout.split(/^\/\/ -----\n/m);
    back.forEach((text, i) => expect(printModule(parseModule(text))).toBe(printModule(modules[i]!)));
  });

  for (const file of validFixtures()) {
    it(`round-trips ${relative(root, file)}`, () => {
      const text = readFileSync(file, "utf8");
      const chunks = text.split(/^\/\/ -----.*$/m);
      const printed = chunks.map((c) => printModule(parseModule(c, { filename: file })));
      checkRoundTrip(printed, relative(root, file));
    });
  }
});
