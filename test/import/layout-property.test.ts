/**
 * Property: random chains of layout-sensitive ONNX ops (Conv, depthwise Conv, pools, Transpose,
 * Flatten/Unsqueeze, Concat, Softmax, Pad, BatchNormalization, broadcasting Add) import to programs
 * that agree with ONNX Runtime. Exercises the lazy NCHW ↔ NHWC tracking on arbitrary mixes.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkAgainstOrt } from "./onnx-model.js";
import { randomChain } from "./random-chain.js";

describe("layout tracking", () => {
  it("random chains of layout-sensitive ops agree with ONNX Runtime", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const { spec, inputs } = randomChain(seed);
        await checkAgainstOrt(spec, inputs);
      }),
      { numRuns: 60 },
    );
  });
});
