/**
 * Property: random chains of layout-sensitive ONNX ops (Conv, depthwise Conv, pools, Transpose,
 * Flatten/Unsqueeze, Concat, Softmax, Pad, BatchNormalization, broadcasting Add) import to programs
 * that agree with ONNX Runtime. Exercises the lazy NCHW ↔ NHWC tracking on arbitrary mixes.
 *
 * ORT runs with graph optimizations off: its PadFusion (microsoft/onnxruntime#18136) folds a zero Pad
 * into a following MaxPool's padding, which MaxPool ignores, so an all-negative window gets its maximum
 * instead of the padded 0 — not what the ONNX graph says. Seed 321674620 (Pad → MaxPool → Add) is such
 * a chain and is pinned below.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAgainstOrt } from "./onnx-model.js";
import { randomChain } from "./random-chain.js";

describe("layout tracking", () => {
  it("random chains of layout-sensitive ops agree with ONNX Runtime", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const { spec, inputs } = randomChain(seed);
        await checkAgainstOrt(spec, inputs, { optimize: false });
      }),
      { numRuns: 60 },
    );
  });

  it("a zero Pad before MaxPool pads with zeros (ONNX semantics, not ORT's PadFusion)", async () => {
    const { spec, inputs } = randomChain(321674620);
    expect(spec.nodes.map((n) => n.op)).toEqual(["Pad", "MaxPool", "Add"]);
    await checkAgainstOrt(spec, inputs, { optimize: false });
  });
});
