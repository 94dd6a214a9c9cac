/**
 * A whole real architecture through the pipeline: SqueezeNet 1.0 (bench/models/, seeded weights, 48×48)
 * imported from ONNX, quantized and lowered for every built-in target. Each target that can run it
 * lowers it with no float island, and the lowered program equals the QDQ program in the target's
 * integer arithmetic bit for bit; the power-of-two NPU (no transpose, concat, softmax) refuses it with
 * legality errors.
 */
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import { importOnnx } from "../../src/import/onnx/index.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { squeezenetModel } from "../../bench/models/squeezenet.js";
import { SeededRandom } from "../../bench/models/seeded-random.js";
import { compareIntegerQdqAndHw, lowerFor } from "./support.js";

const model = squeezenetModel({ size: 48 });
const float = importOnnx(model.bytes, { filename: `${model.name}.onnx` });
const count = model.inputShape.reduce((a, b) => a * b, 1);
const sample = (seed: number): Tensor[] => [{ dtype: "f32", shape: [...model.inputShape], data: new SeededRandom(seed).uniform(count, -1, 1) }];

describe("SqueezeNet 1.0 on every built-in target", () => {
  for (const target of ["tflite-int8", "onnx-qdq", "npu-sparse-int8", "tflite-int16x8", "dsp-int16"]) {
    it(`${target}: lowers with no float island, bit-exact with integer QDQ`, () => {
      const l = lowerFor(float, target, target === "tflite-int16x8" ? "int16x8" : "int8", [sample(1), sample(2)]);
      expect(l.decisions.filter((d) => d.kind === "float-island")).toEqual([]);
      const d = compareIntegerQdqAndHw(l, target, [sample(9)]);
      expect(d.total).toBe(1000);
      expect(d.unequal).toBe(0);
      expect(d.integerUnits).toBeGreaterThan(30);
    });
  }

  it("npu-pow2-int8 refuses it with legality errors", () => {
    expect(() => lowerFor(float, "npu-pow2-int8", "int8", [sample(1)])).toThrow(DiagnosticError);
  });
});
