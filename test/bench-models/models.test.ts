/**
 * The benchmark models (bench/models/) are valid ONNX that ONNX Runtime loads, and qopt's importer +
 * interpreter agree with ONNX Runtime on small-resolution variants: max |qopt − ort| ≤ 1e-4·max |ort|
 * for float, bit-identical for the int8 stack (qopt's half-even-float requantizes in f32 as ORT does).
 */
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { importOnnx } from "../../src/import/onnx/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import { int8ConvStack } from "../../bench/models/int8-conv-stack.js";
import type { BenchModel } from "../../bench/models/onnx-graph.js";
import { resnet50Model } from "../../bench/models/resnet50.js";
import { SeededRandom } from "../../bench/models/seeded-random.js";
import { squeezenetModel } from "../../bench/models/squeezenet.js";

const ORT_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };

function maxRelativeDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    const d = Math.abs(actual[i]! - expected[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
  }
  return diff / scale;
}

async function compareFloat(model: BenchModel): Promise<{ diff: number; max: number }> {
  const count = model.inputShape.reduce((a, b) => a * b, 1);
  const x = new SeededRandom(7).uniform(count, -1, 1);
  const session = await ort.InferenceSession.create(model.bytes, ORT_OPTIONS);
  try {
    const expected = (await session.run({ [model.inputName]: new ort.Tensor("float32", x, [...model.inputShape]) }))[model.outputName]!;
    expect([...expected.dims]).toEqual([...model.outputShape]);
    const module = importOnnx(model.bytes, { filename: `${model.name}.onnx` });
    const [actual] = interpret(module, [{ dtype: "f32", shape: [...model.inputShape], data: x }]);
    expect(actual!.shape).toEqual([...model.outputShape]);
    const e = expected.data as Float32Array;
    return { diff: maxRelativeDiff(actual!.data as Float32Array, e), max: e.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
  } finally {
    await session.release();
  }
}

describe("benchmark models", () => {
  it("full-size SqueezeNet 1.0 loads in ONNX Runtime with the declared output", async () => {
    const model = squeezenetModel();
    expect(model.macs).toBeGreaterThan(8e8); // SqueezeNet 1.0 at 224: ~0.82 GMAC
    const session = await ort.InferenceSession.create(model.bytes, ORT_OPTIONS);
    expect(session.inputNames).toEqual([model.inputName]);
    expect(session.outputNames).toEqual([model.outputName]);
    await session.release();
  });

  it("SqueezeNet 1.0 at 64×64: qopt matches ONNX Runtime", async () => {
    const { diff, max } = await compareFloat(squeezenetModel({ size: 64 }));
    expect(max).toBeGreaterThan(1e-3); // a softmax over 1000 classes, not all mass in one
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it("ResNet-50 v1 at 64×64: qopt matches ONNX Runtime", async () => {
    const model = resnet50Model({ size: 64 });
    expect(model.macs).toBeGreaterThan(3e8);
    const { diff, max } = await compareFloat(model);
    expect(max).toBeGreaterThan(0.5); // finite, non-degenerate logits
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it("int8 conv stack: the hw.conv2d program matches ONNX Runtime's QLinearConv", async () => {
    const stack = int8ConvStack({
      channels: 5,
      size: 13,
      layers: [
        { out: 24, kernel: 3, stride: 2, pad: 1 },
        { out: 17, kernel: 1, stride: 1, pad: 0 },
        { out: 32, kernel: 3, stride: 1, pad: 1 },
      ],
    });
    const session = await ort.InferenceSession.create(stack.onnx.bytes, ORT_OPTIONS);
    try {
      const out = (await session.run({ [stack.onnx.inputName]: new ort.Tensor("int8", stack.inputNchw, [...stack.onnx.inputShape]) }))[stack.onnx.outputName]!;
      const expected = stack.toNhwc(out.data as Int8Array);
      const actual = stack.runQopt();
      expect(actual.length).toBe(expected.length);
      let maxDiff = 0;
      const distinct = new Set<number>();
      for (let i = 0; i < expected.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
        distinct.add(expected[i]!);
      }
      expect(distinct.size).toBeGreaterThan(20); // not saturated
      expect(maxDiff).toBe(0);
    } finally {
      await session.release();
    }
  });
});
