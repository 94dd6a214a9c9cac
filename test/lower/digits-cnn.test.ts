/**
 * The shared trained model (shared/models/digits-cnn) through import → fold → fuse → calibrate
 * (calib.npy) → propagate → nudge → quantize → lower-to-hw, for every built-in target. On the 824
 * validation rows (one batch: the model's batch dim is symbolic) the lowered program's top-1 agreement
 * with ONNX Runtime's float probabilities, its accuracy against the labels and the SQNR of its
 * probabilities against qopt's float run are printed; targets that cannot run the model must fail with
 * the legality errors they deserve.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { importOnnx } from "../../src/import/onnx/index.js";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { readNpyFile } from "../../src/io/npy.js";
import { listBuiltinTargets } from "../../src/target/load.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { addDifference, lowerFor, opsOf, outputQuant, sqnrDb, unequalElements, type Difference } from "./support.js";

function shared(...rel: string[]): string {
  const p = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared", ...rel);
  if (!existsSync(p)) throw new Error(`missing shared test data: ${p}`);
  return p;
}

function argmax(data: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (data[row * width + j]! > data[row * width + best]!) best = j;
  return best;
}

const dir = ["models", "digits-cnn"];
const float = importOnnx(new Uint8Array(readFileSync(shared(...dir, "model.onnx"))), { filename: "model.onnx" });
const calib: Tensor = readNpyFile(shared(...dir, "calib.npy"));
const val: Tensor = readNpyFile(shared(...dir, "val.npy"));
const labels: Tensor = readNpyFile(shared(...dir, "val_labels.npy"));
const ortProbs: Tensor = readNpyFile(shared(...dir, "val_probs_ort.npy"));
const rows = val.shape[0]!;
const floatProbs = interpret(float, [val])[0]!.data as Float32Array;

/** What each built-in target makes of the model: lowered (with its float islands) or refused with these messages. */
const expected: Readonly<Record<string, { islands: readonly string[] } | { errors: readonly string[] }>> = {
  "tflite-int8": { islands: [] },
  "npu-sparse-int8": { islands: [] },
  // relu6 is not an onnx-qdq op: it stays float; the 1x1 conv after it quantizes its input itself.
  "onnx-qdq": { islands: ["float.relu6"] },
  // The softmax runs as hw.softmax's int16 form (TFLite SoftmaxInt16).
  "tflite-int16x8": { islands: [] },
  "npu-pow2-int8": {
    errors: [
      `'float.reshape' op cannot run on target "npu-pow2-int8": it needs reshape on f32; the target does not run reshape`,
      `'float.relu6' op cannot run on target "npu-pow2-int8": it needs relu6 on i8; the target does not run relu6`,
      `'float.transpose' op cannot run on target "npu-pow2-int8": it needs transpose on i8; the target does not run transpose`,
      `'float.softmax' op cannot run on target "npu-pow2-int8": it needs softmax on i8; the target does not run softmax`,
    ],
  },
  // No float fallback: every op, the softmax included (int16 form), runs on i16 with power-of-two scales.
  "dsp-int16": { islands: [] },
};

describe("digits-cnn through lower-to-hw on every built-in target", () => {
  it("covers every built-in target", () => {
    expect(Object.keys(expected).sort()).toEqual([...listBuiltinTargets()].sort());
  });

  for (const [target, outcome] of Object.entries(expected)) {
    it(`${target}: ${"errors" in outcome ? "legality error" : "lowered"}`, () => {
      const mode = target === "tflite-int16x8" ? "int16x8" : "int8";
      if ("errors" in outcome) {
        let error: unknown;
        try {
          lowerFor(float, target, mode, [[calib]]);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DiagnosticError);
        const message = (error as Error).message;
        for (const e of outcome.errors) expect(message).toContain(e);
        console.info(`digits-cnn on ${target}: ${(error as DiagnosticError).diagnostics.length} legality errors, e.g. ${(error as DiagnosticError).diagnostics[0]!.message}`);
        return;
      }
      const l = lowerFor(float, target, mode, [[calib]]);
      const islands = l.decisions.filter((d) => d.kind === "float-island").map((d) => d.op);
      expect(islands).toEqual(outcome.islands);
      expect(opsOf(l.lowered, "float.").filter((op) => op.name !== "float.const").length).toBe(islands.length);
      const lowered = interpret(l.lowered, [val])[0]!.data as Float32Array;
      const qdq = interpret(l.qdq, [val])[0]!.data as Float32Array;
      let agree = 0;
      let correct = 0;
      let floatCorrect = 0;
      for (let r = 0; r < rows; r++) {
        const top = argmax(lowered, r, 10);
        if (top === argmax(ortProbs.data as Float32Array, r, 10)) agree++;
        if (top === Number(labels.data[r])) correct++;
        if (argmax(floatProbs, r, 10) === Number(labels.data[r])) floatCorrect++;
      }
      const sqnr = sqnrDb(floatProbs, lowered);
      const d: Difference = { total: 0, differing: 0, maxSteps: 0 };
      const step = Math.fround(outputQuant(l.qdq).scales[0]!);
      addDifference(d, qdq, lowered, step);
      // The QDQ program run as the target runs it (each node unit in its integer arithmetic) is the lowered program, bit for bit.
      const exact = unequalElements(interpretIntegerQdq(l.qdq, [val], target)[0]!.data as Float32Array, lowered);
      expect(exact).toBe(0);
      console.info(
        `digits-cnn on ${target} (${mode}): top-1 agreement with ORT ${agree}/${rows}, accuracy ${correct}/${rows} (float ${floatCorrect}/${rows}), ` +
          `SQNR of probabilities ${sqnr.toFixed(1)} dB; integer QDQ vs hw: ${exact}/${lowered.length} differ; float-simulated QDQ vs hw: ${d.differing}/${d.total} probabilities differ, max ${d.maxSteps} output steps (${step}); float islands: ${islands.join(", ") || "none"}`,
      );
      if (target === "onnx-qdq") {
        // Probabilities saturate at 0.5 through quantize's u8 softmax parameters; the ranking mostly survives.
        expect(agree).toBeGreaterThanOrEqual(rows - 8);
      } else {
        expect(agree).toBeGreaterThanOrEqual(rows - 4);
        expect(correct).toBeGreaterThanOrEqual(floatCorrect - 4);
        expect(sqnr).toBeGreaterThanOrEqual(30);
      }
    });
  }
});
