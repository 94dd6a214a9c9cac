/** fuse and fold-batch-norm keep the program's meaning: interpret before and after on random inputs. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { PassManager } from "../../src/pass/manager.js";
import { fuse, foldBatchNorm, canonicalize } from "../../passes/index.js";
import { interpret, entryFunction } from "../../src/interp/interpreter.js";
import { makeTensor } from "../../src/interp/tensor.js";
import type { Module } from "../../src/ir/operation.js";

const text = readFileSync(join(import.meta.dirname, "fuse.mlir"), "utf8");

function runAll(m: Module, name: string, input: Float32Array, shape: number[]): Float32Array {
  return interpret(m, [makeTensor("f32", shape, input)], { function: name })[0]!.data as Float32Array;
}

describe("fusion keeps meaning", () => {
  const original = parseModule(text, { filename: "fuse.mlir" });
  const variants: Array<[string, Module]> = [
    ["fuse", new PassManager({ freeze: true }).add(fuse()).run(original)],
    ["fuse npu-pow2-int8", new PassManager({ freeze: true }).add(fuse({ target: "npu-pow2-int8" })).run(original)],
    ["fold-batch-norm", new PassManager({ freeze: true }).add(foldBatchNorm()).add(canonicalize()).run(original)],
  ];
  for (const fn of ["conv_bias_relu", "fc_relu6", "conv_bn"]) {
    for (const [label, m] of variants) {
      it(`${fn} after ${label}`, () => {
        const arg = entryFunction(original, fn).func.regions[0]!.blocks[0]!.args[0]!.type;
        const shape = arg.kind === "tensor" && arg.shape ? [...arg.shape] : [];
        const n = shape.reduce((a, b) => a * b, 1);
        for (let trial = 0; trial < 5; trial++) {
          const input = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + trial) * 4);
          const want = runAll(original, fn, input, shape);
          const got = runAll(m, fn, input, shape);
          for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]!)));
        }
      });
    }
  }
});
