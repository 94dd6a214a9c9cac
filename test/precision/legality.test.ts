/**
 * Only target-legal precisions are candidates, and only candidates are ever chosen: on every built-in
 * target, on random targets (properties), and end to end on tiny-cnn under random targets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { listBuiltinTargets, loadTarget, tryLoadTarget } from "../../src/target/load.js";
import { allowedPairs, floatFallback } from "../../src/target/queries.js";
import { OP_KINDS, isWeightedOpKind, type OpKind, type OperandType, type Target } from "../../src/target/types.js";
import { candidatesFor } from "../../src/quant/sensitivity.js";
import { PassManager } from "../../src/pass/manager.js";
import { parsePassPipeline } from "../../src/pass/pipeline.js";
import { entryFunction } from "../../src/interp/interpreter.js";
import { PRECISION_ATTR } from "../../src/quant/activation-scheme.js";
import { example, repoRoot, tinyCnn } from "./support.js";

/** Is `precision` (with i8 weights for integer activations) a kernel the target has, or its float fallback? */
function legal(target: Target, kind: OpKind, activation: OperandType, weight: OperandType | undefined): boolean {
  if (activation === floatFallback(target)) return true;
  return allowedPairs(target, kind).some((e) => e[0] === activation && (isWeightedOpKind(kind) ? e[1] === weight : true));
}

function checkCandidates(target: Target): void {
  for (const kind of OP_KINDS) {
    const { candidates } = candidatesFor(target, kind);
    expect(new Set(candidates.map((c) => c.id)).size).toBe(candidates.length);
    for (const c of candidates) {
      expect(legal(target, kind, c.activation, c.weight), `${target.name} ${kind} ${c.id}`).toBe(true);
      expect(c.precision).toBe(c.activation);
    }
  }
}

const base = JSON.parse(readFileSync(path.join(repoRoot, "targets", "tflite-int8.json"), "utf8")) as Record<string, unknown>;

/** Random descriptors: tflite-int8 with a random ops table over i8/i16/f16/f32 and a random fallback. */
const randomTarget: fc.Arbitrary<Target> = fc
  .record({
    kinds: fc.subarray([...OP_KINDS], { minLength: 1 }),
    weighted: fc.subarray<[OperandType, OperandType]>([["i8", "i8"], ["i16", "i8"], ["f32", "i8"], ["f16", "f16"], ["f32", "f32"]], { minLength: 1 }),
    plain: fc.subarray<[OperandType]>([["i8"], ["i16"], ["f16"], ["f32"]], { minLength: 1 }),
    fallback: fc.constantFrom({ allowed: false }, { allowed: true, floatType: "f16" }, { allowed: true, floatType: "f32" }),
  })
  .map(({ kinds, weighted, plain, fallback }) => {
    const ops = Object.fromEntries(kinds.map((k) => [k, isWeightedOpKind(k) ? weighted : plain]));
    const descriptor = {
      ...base,
      name: "random-chip",
      types: { activations: ["i8", "i16", "f16", "f32"], weights: ["i8", "f16", "f32"], bias: ["i32", "i64"] },
      quantization: { ...(base["quantization"] as object), weightGranularity: { default: "per-tensor" } },
      ops,
      fusions: [],
      fallback,
      cost: { macsPerCycle: { i8: 32, i16: 16, f16: 12, f32: 8 }, bytesPerCycle: 16, opOverheadCycles: 200 },
    };
    const result = tryLoadTarget(descriptor as unknown as Target);
    if (!result.ok) throw new Error(result.errors.map((e) => e.text).join("\n"));
    return result.target;
  });

describe("candidate legality", () => {
  it.each(listBuiltinTargets())("%s: every candidate is a kernel of the target or its float fallback", (name) => {
    checkCandidates(loadTarget(name));
  });

  it("holds on random targets", () => {
    fc.assert(fc.property(randomTarget, checkCandidates), { numRuns: 200 });
  });

  it("select-precision writes only legal precisions (tiny-cnn, random targets)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "qopt-precision-targets-"));
    let chosen = 0;
    let checked = 0;
    fc.assert(
      fc.property(randomTarget, fc.constantFrom("size<=1.5x-int8", "latency<=1.2x-int8", "sqnr>=45"), (target, budget) => {
        const file = path.join(dir, `chip-${chosen++}.json`);
        writeFileSync(file, JSON.stringify(target));
        const pm = new PassManager({ verifyEach: true }).addAll(
          parsePassPipeline(`builtin.module(func.func(analyze-sensitivity{data=${example("tiny-calib.npy")} target=${file} samples=4 cache=none},select-precision{budget=${budget} target=${file} verify=false}))`),
        );
        let out;
        try {
          out = pm.run(tinyCnn());
        } catch (e) {
          // An impossible budget is a clear failure, not a wrong choice.
          expect((e as Error).message).toMatch(/no precision configuration meets/);
          return;
        }
        checked++;
        for (const op of entryFunction(out).func.regions[0]!.blocks[0]!.ops) {
          const p = op.attributes[PRECISION_ATTR];
          if (!p || p.kind !== "string") continue;
          const kind = op.name.slice("float.".length) as OpKind;
          const activation = p.value as OperandType;
          expect(legal(target, kind, activation, isWeightedOpKind(kind) && activation !== "f16" && activation !== "f32" ? "i8" : activation), `${op.name} at ${p.value}`).toBe(true);
        }
      }),
      { numRuns: 6, seed: 7 },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
