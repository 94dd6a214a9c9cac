/**
 * The real model: digits-cnn imported from ONNX → fold-batch-norm → fuse → analyze-sensitivity →
 * select-precision{budget=size<=1.3x-int8} → calibrate/propagate/nudge/quantize, against all-int8, SQNR
 * of the probabilities on the first 256 validation rows (calibration: calib.npy).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importOnnx } from "../../src/import/onnx/index.js";
import { readNpyFile } from "../../src/io/npy.js";
import { PassManager } from "../../src/pass/manager.js";
import { foldBatchNorm, fuse, analyzeSensitivity, lowerToHw, selectPrecision } from "../../passes/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { PRECISION_CHOICE_SERVICE, type PrecisionChoice } from "../../passes/select-precision.js";
import type { Module } from "../../src/ir/operation.js";
import { firstRows, hasShared, precisions, quantizeFor, sharedDir, sqnr, tempCacheDir } from "./support.js";

const TARGET = "tflite-int8";

describe.skipIf(!hasShared)("mixed precision on digits-cnn", () => {
  const model = path.join(sharedDir, "models", "digits-cnn");
  const calib = path.join(model, "calib.npy");
  const cache = tempCacheDir();
  const float = (): Module => {
    const imported = importOnnx(new Uint8Array(readFileSync(path.join(model, "model.onnx"))), { filename: "model.onnx" });
    return new PassManager({ verifyEach: true }).add(foldBatchNorm()).add(fuse({ target: TARGET })).run(imported);
  };

  it("beats all-int8 under size<=1.3x-int8 on the validation rows", () => {
    const start = performance.now();
    const pm = new PassManager({ verifyEach: true })
      .add(analyzeSensitivity({ data: calib, target: TARGET, cache }))
      .add(selectPrecision({ budget: "size<=1.3x-int8", target: TARGET }));
    const chosen = pm.run(float());
    const selectMs = performance.now() - start;
    const choice = pm.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice;
    expect(choice.chosen.cost).toBeLessThanOrEqual(1.3 * choice.baseline.cost);
    expect(precisions(chosen)).toHaveLength(11);

    const val = [[firstRows(readNpyFile(path.join(model, "val.npy")), 256)]];
    const reference = float();
    const int8 = sqnr(reference, quantizeFor(reference, calib, TARGET), val);
    const mixedQdq = quantizeFor(chosen, calib, TARGET);
    const mixed = sqnr(reference, mixedQdq, val);
    // Lowered, the mixed program (i16 layers, rescales at width changes, f32 layers as islands) is its QDQ form in the target's integer arithmetic.
    const lowered = new PassManager({ verifyEach: true }).add(lowerToHw({ target: TARGET })).run(mixedQdq);
    expect(interpret(lowered, val[0]!)[0]!.data).toEqual(interpretIntegerQdq(mixedQdq, val[0]!, TARGET)[0]!.data);
    const summary = pm.context.decisions.find((d) => d.pass === "select-precision" && d.kind === "precision" && d.op === undefined)!;
    console.info(
      `digits-cnn, val[0:256], SQNR of probs vs float: all-int8 ${int8.toFixed(2)} dB, mixed (size<=1.3x-int8) ${mixed.toFixed(2)} dB; ` +
        `size ${choice.chosen.cost} vs ${choice.baseline.cost} bytes; analysis + selection ${selectMs.toFixed(0)} ms\n  ${summary.message}\n  ` +
        choice.precisions.map((p) => `${p.label}: ${p.candidate}`).join("\n  "),
    );
    expect(mixed).toBeGreaterThan(int8);
    // On the calibration data the prediction and the measurement agree within a few dB.
    expect(Math.abs(choice.predictedSqnr - choice.measured!.sqnr)).toBeLessThan(3);
  });

  it("walks up the front when an accuracy floor is missed when measured, and says so when it gives up", () => {
    // sqnr>=70: the cheapest point predicted to reach 70 dB measures lower; the corrected walk finds one that does.
    const pm = new PassManager().add(analyzeSensitivity({ data: calib, target: TARGET, cache })).add(selectPrecision({ budget: "sqnr>=70", target: TARGET }));
    pm.run(float());
    const choice = pm.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice;
    expect(choice.measured!.sqnr).toBeGreaterThanOrEqual(70);
    // With a single verification try it either verifies the first front point or gives up saying why.
    const once = new PassManager().add(analyzeSensitivity({ data: calib, target: TARGET, cache })).add(selectPrecision({ budget: "sqnr>=70", target: TARGET, verifyTries: 1 }));
    try {
      once.run(float());
      const first = once.context.services.get(PRECISION_CHOICE_SERVICE) as PrecisionChoice;
      expect(first.measured!.sqnr).toBeGreaterThanOrEqual(70);
    } catch (e) {
      expect((e as Error).message).toMatch(/no verified configuration meets sqnr>=70: the best measured is SQNR [\d.]+ dB \(predicted \d+\.\d dB, \d+ cycles\); the additive-noise prediction was optimistic here/);
    }
  });
});
