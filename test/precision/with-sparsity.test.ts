/**
 * select-precision{with-sparsity}: the search also chooses prune / not-prune per op under the same budget.
 * A synthetic net with a big fully connected layer on npu-sparse-int8: analyze-sensitivity{with-sparsity}
 * measures `i8_i8+sparse` for the layers the target runs block-sparse; a tight size budget makes the
 * search prune the big layer; the choice meets the budget and is legal on the target; and
 * select-precision → prune{only-marked} → calibrate → … → lower-to-hw emits hw.sparse_* for exactly the
 * ops marked qopt.prune.
 */
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import type { Module, Operation } from "../../src/ir/operation.js";
import { resolveLocation } from "../../src/ir/location.js";
import { boolAttr, stringAttr } from "../../src/ir/attr-access.js";
import { entryFunction } from "../../src/interp/interpreter.js";
import { PassManager } from "../../src/pass/manager.js";
import { parsePassPipeline } from "../../src/pass/pipeline.js";
import { printModule } from "../../src/syntax/printer.js";
import { parseModule } from "../../src/syntax/parser.js";
import { loadTarget } from "../../src/target/load.js";
import { minSparsity, supportsOp, supportsSparsity } from "../../src/target/queries.js";
import type { BlockShape, WeightedOpKind } from "../../src/target/types.js";
import { analyzeSensitivity, calibrate, lowerToHw, nudgeZeroPoint, propagateRanges, prune, quantize, selectPrecision } from "../../passes/index.js";
import { PRECISION_CHOICE_SERVICE, type PrecisionChoice } from "../../passes/select-precision.js";
import { PRUNE_ATTR } from "../../src/quant/sensitivity.js";
import { hexDense, opsOf, randomInputs, randomValues, rng } from "../lower/support.js";
import { tempCacheDir } from "./support.js";

const TARGET = "npu-sparse-int8";
const SPARSITY = 0.5;
const cache = tempCacheDir();

/** x[1,128] → fc 128→128 (big) → relu → fc 128→24 (sparse-capable too) → relu → fc 24→10 (24 columns: no 1x16 blocks). */
function net(): Module {
  const r = rng(11);
  // Half of the 1x16 blocks of the big layer are near zero (as trained layers often are): pruning them costs little.
  const w1 = randomValues(r, 128 * 128, 0.25).map((v, i) => (Math.floor(i / 16) % 2 === 1 ? v * 0.01 : v));
  const b1 = randomValues(r, 128, 0.1);
  const w2 = randomValues(r, 24 * 128, 0.25);
  const b2 = randomValues(r, 24, 0.1);
  const w3 = randomValues(r, 10 * 24, 0.5);
  const b3 = randomValues(r, 10, 0.1);
  const text = `func.func @main(%x: tensor<1x128xf32> {qopt.name = "x"}) -> (tensor<1x10xf32> {qopt.name = "y"}) {
  %w1 = "float.const"() {value = ${hexDense(w1)} : tensor<128x128xf32>} : () -> tensor<128x128xf32>
  %b1 = "float.const"() {value = ${hexDense(b1)} : tensor<128xf32>} : () -> tensor<128xf32>
  %f1 = "float.fully_connected"(%x, %w1, %b1) : (tensor<1x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<1x128xf32>
  %r1 = "float.relu"(%f1) : (tensor<1x128xf32>) -> tensor<1x128xf32>
  %w2 = "float.const"() {value = ${hexDense(w2)} : tensor<24x128xf32>} : () -> tensor<24x128xf32>
  %b2 = "float.const"() {value = ${hexDense(b2)} : tensor<24xf32>} : () -> tensor<24xf32>
  %f2 = "float.fully_connected"(%r1, %w2, %b2) : (tensor<1x128xf32>, tensor<24x128xf32>, tensor<24xf32>) -> tensor<1x24xf32>
  %s = "float.relu"(%f2) : (tensor<1x24xf32>) -> tensor<1x24xf32>
  %w3 = "float.const"() {value = ${hexDense(w3)} : tensor<10x24xf32>} : () -> tensor<10x24xf32>
  %b3 = "float.const"() {value = ${hexDense(b3)} : tensor<10xf32>} : () -> tensor<10xf32>
  %f3 = "float.fully_connected"(%s, %w3, %b3) : (tensor<1x24xf32>, tensor<10x24xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %f3 : tensor<1x10xf32>
}
`;
  return parseModule(text, { filename: "sparse-net.mlir" });
}

const calib = randomInputs(5, 16, [[1, 128]]);

function where(op: Operation): string {
  const l = resolveLocation(op.loc);
  return l ? `${l.file}:${l.line}:${l.col}` : "?";
}

function bodyOps(m: Module): readonly Operation[] {
  return entryFunction(m).func.regions[0]!.blocks[0]!.ops;
}

describe("select-precision with sparsity on npu-sparse-int8", () => {
  const budget = "size<=0.8x-int8";
  const pm = new PassManager({ verifyEach: true, freeze: true })
    .add(analyzeSensitivity({ data: calib, target: TARGET, cache, withSparsity: true, sparsity: SPARSITY }))
    .add(selectPrecision({ budget, target: TARGET, withSparsity: true }));
  const selected = pm.run(net());
  const choice = pm.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice;
  const marked = bodyOps(selected).filter((op) => boolAttr(op, PRUNE_ATTR));

  it("measures +sparse candidates for the ops the target runs block-sparse", () => {
    const text = printModule(selected);
    const fcs = bodyOps(selected).filter((op) => op.name === "float.fully_connected");
    const keys = fcs.map((op) => {
      const a = op.attributes["qopt.sensitivity"];
      return a && a.kind === "dict" ? Object.keys(a.entries).sort() : [];
    });
    expect(keys[0]).toContain("i8_i8+sparse");
    expect(keys[1]).toContain("i8_i8+sparse");
    // 10x24 weights do not divide into 1x16 blocks: no sparse candidate.
    expect(keys[2]).not.toContain("i8_i8+sparse");
    expect(text).toContain("qopt.sensitivity_sparsity = 5.000000e-01 : f64");
    // The annotated module round-trips through the printer and parser.
    expect(printModule(parseModule(text, { filename: "sparse-net.mlir" }))).toBe(text);
  });

  it("picks sparse for the big layer under a tight size budget, and meets the budget", () => {
    const big = bodyOps(selected).find((op) => op.name === "float.fully_connected")!;
    expect(boolAttr(big, PRUNE_ATTR)).toBe(true);
    expect(stringAttr(big, "qopt.precision")).toBe("i8");
    expect(choice.precisions.find((p) => p.label.includes("fully_connected") && p.prune)).toBeDefined();
    expect(choice.chosen.cost).toBeLessThanOrEqual(0.8 * choice.baseline.cost * (1 + 1e-9));
    expect(choice.measured!.sqnr).toBeGreaterThan(25);
    const decisions = pm.context.decisions.filter((d) => d.pass === "select-precision" && d.kind === "prune-selected");
    expect(decisions).toHaveLength(marked.length);
    // Without sparse candidates the same budget cannot be met (int8 is the smallest dense type here).
    const dense = new PassManager({ verifyEach: true })
      .add(analyzeSensitivity({ data: calib, target: TARGET, cache }))
      .add(selectPrecision({ budget, target: TARGET }));
    expect(() => dense.run(net())).toThrow(/no precision configuration meets/);
  });

  it("chooses only target-legal candidates", () => {
    const target = loadTarget(TARGET);
    for (const p of choice.precisions) {
      const op = bodyOps(selected)[p.index]!;
      const kind = op.name.slice("float.".length);
      if (op.name === "float.fully_connected") {
        const wt = p.precision === "i8" ? "i8" : p.precision;
        expect(supportsOp(target, "fully_connected", p.precision as "i8", wt as "i8") || p.precision === target.fallback.floatType).toBe(true);
      } else {
        expect(supportsOp(target, kind as "relu", p.precision as "i8") || p.precision === target.fallback.floatType).toBe(true);
      }
      if (p.prune) {
        expect(p.precision).toBe("i8");
        expect(supportsSparsity(target, kind as WeightedOpKind, "1x16" as BlockShape)).toBe(true);
        expect(SPARSITY).toBeGreaterThanOrEqual(minSparsity(target)!);
      }
    }
  });

  it("select-precision → prune{only-marked} → … → lower-to-hw emits hw.sparse_* for exactly the marked ops", () => {
    expect(marked.length).toBeGreaterThan(0);
    const rest = new PassManager({ verifyEach: true, freeze: true })
      .add(prune({ onlyMarked: true, block: "target", target: TARGET, sparsity: SPARSITY }))
      .add(calibrate({ data: calib }))
      .add(propagateRanges())
      .add(nudgeZeroPoint({ target: TARGET }))
      .add(quantize({ mode: "int8", target: TARGET }))
      .add(lowerToHw({ target: TARGET }));
    const lowered = rest.run(selected);
    const pruned = rest.context.decisions.filter((d) => d.pass === "prune" && d.kind === "pruned");
    expect(pruned).toHaveLength(marked.length);
    const sparseOps = [...opsOf(lowered, "hw.sparse_fully_connected"), ...opsOf(lowered, "hw.sparse_conv2d")];
    expect(sparseOps.map(where).sort()).toEqual(marked.map(where).sort());
  });

  it("works as a text pipeline with only-marked", () => {
    const pipeline = parsePassPipeline(
      `builtin.module(func.func(select-precision{budget=${budget} target=${TARGET} with-sparsity=true verify=false},prune{only-marked=true block=target target=${TARGET} sparsity=${SPARSITY}}))`,
    );
    const text = new PassManager({ verifyEach: true }).addAll(pipeline).run(selected);
    const prunedOps = bodyOps(text).filter((op) => op.attributes["qopt.sparsity"] !== undefined);
    expect(prunedOps.map(where).sort()).toEqual(marked.map(where).sort());
  });
});
