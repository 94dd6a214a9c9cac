/** Shared pieces of the mixed-precision tests: paths, pipelines, SQNR. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import type { Module } from "../../src/ir/operation.js";
import { entryFunction, interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, nudgeZeroPoint, propagateRanges, quantize } from "../../passes/index.js";
import { PRECISION_ATTR } from "../../src/quant/activation-scheme.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const example = (name: string): string => path.join(repoRoot, "examples", name);
export const sharedDir = path.resolve(repoRoot, "../shared");
export const hasShared = existsSync(path.join(sharedDir, "models", "digits-cnn", "model.onnx"));

export function tinyCnn(): Module {
  return parseModule(readFileSync(example("tiny-cnn.mlir"), "utf8"), { filename: "tiny-cnn.mlir" });
}

/** A fresh directory, removed after the file's tests (call while collecting: at top level or in describe). */
export function tempCacheDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "qopt-precision-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** calibrate → propagate-ranges → nudge-zero-point → quantize (int8 mode; per-op qopt.precision honoured). */
export function quantizeFor(module: Module, data: string | readonly (readonly Tensor[])[], target: string): Module {
  return new PassManager({ verifyEach: true })
    .add(calibrate({ data }))
    .add(propagateRanges())
    .add(nudgeZeroPoint({ target }))
    .add(quantize({ mode: "int8", target }))
    .run(module);
}

/** SQNR (dB) of `got` against `reference` over all outputs of all inputs. */
export function sqnr(reference: Module, got: Module, inputs: readonly (readonly Tensor[])[]): number {
  let signal = 0;
  let noise = 0;
  for (const sample of inputs) {
    const ref = interpret(reference, [...sample]);
    const out = interpret(got, [...sample]);
    ref.forEach((r, o) => {
      const a = r.data as Float32Array;
      const b = out[o]!.data as Float32Array;
      for (let i = 0; i < a.length; i++) {
        signal += a[i]! ** 2;
        noise += (a[i]! - b[i]!) ** 2;
      }
    });
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

/** `qopt.precision` of every body op that has one: [op name, precision]. */
export function precisions(module: Module): [string, string][] {
  const body = entryFunction(module).func.regions[0]!.blocks[0]!;
  const out: [string, string][] = [];
  for (const op of body.ops) {
    const p = op.attributes[PRECISION_ATTR];
    if (p && p.kind === "string") out.push([op.name, p.value]);
  }
  return out;
}

export function firstRows(t: Tensor, rows: number): Tensor {
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return { dtype: t.dtype, shape: [rows, ...t.shape.slice(1)], data: (t.data as Float32Array).slice(0, rows * per) };
}
