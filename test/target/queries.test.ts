// The questions passes ask a target.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  activationTypesFor,
  allowedPairs,
  blockShapes,
  fusions,
  isLegalScale,
  isPowerOfTwo,
  loadTarget,
  multiplierBits,
  nearestLegalScale,
  opCost,
  placeOp,
  powerOfTwoExponent,
  quantizedRange,
  quantizeRounding,
  requantRounding,
  supportsFusion,
  supportsOp,
  supportsSparsity,
  weightGranularity,
  zeroPointRange,
  type Target,
} from "../../src/target/index.js";

const tflite = loadTarget("tflite-int8");
const pow2 = loadTarget("npu-pow2-int8");
const sparse = loadTarget("npu-sparse-int8");
const onnx = loadTarget("onnx-qdq");
const acme = loadTarget("./targets/examples/acme-npu.json");

describe("ops", () => {
  test("supportsOp matches (activation, weight) exactly", () => {
    expect(supportsOp(tflite, "conv2d", "i8", "i8")).toBe(true);
    expect(supportsOp(tflite, "conv2d", "i16", "i8")).toBe(true);
    expect(supportsOp(tflite, "conv2d", "u8", "i8")).toBe(false);
    expect(supportsOp(tflite, "conv2d", "i8")).toBe(false); // a weighted op needs its weight type
    expect(supportsOp(tflite, "add", "i8")).toBe(true);
    expect(supportsOp(tflite, "add", "i8", "i8")).toBe(false); // ops without weights take none
    expect(supportsOp(pow2, "softmax", "i8")).toBe(false);
  });

  test("allowedPairs lists the kernels in the target's order, [] for an op it does not run", () => {
    expect(allowedPairs(tflite, "conv2d")).toEqual([
      ["i8", "i8"],
      ["i16", "i8"],
      ["f32", "i8"],
    ]);
    expect(allowedPairs(pow2, "softmax")).toEqual([]);
    expect(activationTypesFor(onnx, "conv2d")).toEqual(["u8", "i8"]);
  });

  test("placeOp: native, float island with the reason, or a legality error naming op, target and what is missing", () => {
    expect(placeOp(tflite, "conv2d", "i8", "i8")).toEqual({ kind: "native" });
    expect(placeOp(tflite, "conv2d", "u8", "i8")).toEqual({
      kind: "float-island",
      floatType: "f32",
      reason: 'target "tflite-int8" runs conv2d with (i8, i8), (i16, i8), (f32, i8), not with (u8, i8)',
    });
    expect(placeOp(tflite, "clamp", "i8")).toEqual({ kind: "float-island", floatType: "f32", reason: 'target "tflite-int8" does not run clamp' });
    expect(placeOp(pow2, "add", "i16")).toEqual({
      kind: "unsupported",
      reason: 'target "npu-pow2-int8" runs add with i8, not with i16, and allows no float fallback',
    });
  });
});

describe("quantization parameters", () => {
  test("weight granularity falls back to the default", () => {
    expect(weightGranularity(acme, "conv2d")).toBe("per-channel");
    expect(weightGranularity(acme, "fully_connected")).toBe("per-tensor");
    expect(weightGranularity(pow2, "conv2d")).toBe("per-tensor");
  });

  test("quantized ranges, narrow or not", () => {
    expect(quantizedRange("i8", false)).toEqual([-128, 127]);
    expect(quantizedRange("i8", true)).toEqual([-127, 127]);
    expect(quantizedRange("u8", false)).toEqual([0, 255]);
    expect(quantizedRange("u8", true)).toEqual([1, 255]);
    expect(quantizedRange("i16", false)).toEqual([-32768, 32767]);
    expect(quantizedRange("i16", true)).toEqual([-32767, 32767]);
  });

  test("zero-point ranges: fixed when symmetric, the declared range, else the storage range", () => {
    expect(zeroPointRange(tflite, "activations", "i8")).toEqual([-128, 127]);
    expect(zeroPointRange(tflite, "weights", "i8")).toEqual([0, 0]);
    expect(zeroPointRange(acme, "activations", "i16")).toEqual([-128, 127]);
    expect(zeroPointRange(tflite, "activations", "u8")).toBeUndefined();
    const symmetricU8: Target = { ...onnx, quantization: { ...onnx.quantization, weights: { ...onnx.quantization.weights, u8: { symmetric: true, narrowRange: false } } } };
    expect(zeroPointRange(symmetricU8, "weights", "u8")).toEqual([128, 128]);
  });

  test("rounding: what requantization and QUANTIZE do", () => {
    expect(requantRounding(tflite)).toBe("gemmlowp");
    expect(requantRounding(onnx)).toBe("half-even-float");
    expect(requantRounding(sparse)).toBe("double-round");
    expect(requantRounding(pow2)).toBe("single-round");
    expect(quantizeRounding(tflite)).toBe("half-away-from-zero");
    expect(quantizeRounding(onnx)).toBe("half-to-even");
    expect(multiplierBits(acme)).toBe(16);
    expect(multiplierBits(pow2)).toBeUndefined();
  });
});

describe("scales", () => {
  test("any positive finite scale is legal on an 'any' target; nothing else", () => {
    expect(isLegalScale(tflite, 0.0123)).toBe(true);
    for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(isLegalScale(tflite, bad)).toBe(false);
    expect(nearestLegalScale(tflite, 0.0123)).toBe(0.0123);
  });

  test("power-of-two targets take powers of two only and round up", () => {
    expect(isLegalScale(pow2, 0.125)).toBe(true);
    expect(isLegalScale(pow2, 0.1)).toBe(false);
    expect(nearestLegalScale(pow2, 0.1)).toBe(0.125);
    expect(nearestLegalScale(pow2, 0.125)).toBe(0.125);
    expect(nearestLegalScale(pow2, 3)).toBe(4);
    expect(nearestLegalScale(pow2, 1 + Number.EPSILON)).toBe(2);
    expect(nearestLegalScale(pow2, Number.MIN_VALUE)).toBe(Number.MIN_VALUE); // 2^-1074
    expect(nearestLegalScale(pow2, 3 * Number.MIN_VALUE)).toBe(4 * Number.MIN_VALUE);
    expect(nearestLegalScale(pow2, 2 ** -1022 * 1.5)).toBe(2 ** -1021);
    expect(powerOfTwoExponent(0.125)).toBe(-3);
    expect(powerOfTwoExponent(0.1)).toBeUndefined();
  });

  test("invalid scales are a RangeError, not a silent NaN", () => {
    expect(() => nearestLegalScale(pow2, 0)).toThrow(new RangeError("a scale must be finite and positive, got 0"));
    expect(() => nearestLegalScale(pow2, Number.NaN)).toThrow(RangeError);
    expect(() => nearestLegalScale(pow2, Number.MAX_VALUE)).toThrow(new RangeError(`no power of two at or above ${Number.MAX_VALUE} is a finite number`));
    expect(nearestLegalScale(pow2, 2 ** 1023)).toBe(2 ** 1023);
  });

  test("property: the nearest power-of-two scale is a power of two, at least the input and less than twice it", () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 2 ** 1023, noNaN: true }), (s) => {
        const r = nearestLegalScale(pow2, s);
        expect(isPowerOfTwo(r)).toBe(true);
        expect(isLegalScale(pow2, r)).toBe(true);
        expect(r).toBeGreaterThanOrEqual(s);
        expect(r).toBeLessThanOrEqual(2 * s);
        if (isPowerOfTwo(s)) expect(r).toBe(s);
        else expect(r).toBeLessThan(2 * s);
        expect(r).toBe(2 ** powerOfTwoExponent(r)!);
      }),
      { numRuns: 2000 },
    );
  });

  test("property: isPowerOfTwo agrees with 2^k for every representable k", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1074, max: 1023 }), (k) => {
        expect(isPowerOfTwo(2 ** k)).toBe(true);
        expect(powerOfTwoExponent(2 ** k)).toBe(k);
        if (k < 1023 && k > -1022) expect(isPowerOfTwo(2 ** k * 1.5)).toBe(false);
      }),
    );
  });
});

describe("fusions and sparsity", () => {
  test("fusions", () => {
    expect(supportsFusion(pow2, "conv2d+bias+relu")).toBe(true);
    expect(supportsFusion(pow2, "fully_connected+bias+relu")).toBe(false);
    expect(fusions(acme)).toEqual(["conv2d+bias+relu", "conv2d+bias+relu6", "depthwise_conv2d+bias+relu6", "fully_connected+bias", "add+relu"]);
  });

  test("block shapes per target and per op", () => {
    expect(blockShapes(tflite)).toEqual([]);
    expect(blockShapes(acme)).toEqual(["2:4"]);
    expect(blockShapes(acme, "conv2d")).toEqual(["2:4"]);
    expect(blockShapes(acme, "matmul")).toEqual([]);
    expect(supportsSparsity(acme, "conv2d", "2:4", [1, 1])).toBe(true);
    expect(supportsSparsity(acme, "conv2d", "2:4", [3, 3])).toBe(false);
    expect(supportsSparsity(acme, "fully_connected", "1x16")).toBe(false);
    expect(supportsSparsity(tflite, "fully_connected", "1x16")).toBe(false);
  });
});

describe("cost", () => {
  test("a roofline: overhead + max(compute, memory)", () => {
    // tflite-int8: i8 32 MACs/cycle, 16 bytes/cycle, 200 cycles per op.
    expect(opCost(tflite, "conv2d", { macs: 3200, bytes: 160 }, "i8", "i8")).toBe(200 + 100);
    expect(opCost(tflite, "conv2d", { macs: 32, bytes: 1600 }, "i8", "i8")).toBe(200 + 100);
    expect(opCost(tflite, "reshape", { macs: 0, bytes: 0 }, "i8")).toBe(200);
  });

  test("an op at mixed types runs at the slower rate", () => {
    expect(opCost(tflite, "conv2d", { macs: 3200, bytes: 0 }, "i16", "i8")).toBe(200 + 200);
    expect(opCost(tflite, "conv2d", { macs: 3200, bytes: 0 }, "f32", "i8")).toBe(200 + 400);
  });

  test("sparse work counts its non-zero part only where a sparse kernel pays", () => {
    const dense = opCost(sparse, "fully_connected", { macs: 2048 * 100, bytes: 0 }, "i8", "i8");
    expect(dense).toBe(30 + 100);
    expect(opCost(sparse, "fully_connected", { macs: 2048 * 100, bytes: 0, sparsity: 0.75 }, "i8", "i8")).toBe(30 + 25);
    // Below minSparsity (0.5) the dense kernel runs.
    expect(opCost(sparse, "fully_connected", { macs: 2048 * 100, bytes: 0, sparsity: 0.25 }, "i8", "i8")).toBe(dense);
    // A 3x3 conv2d has no sparse kernel; a 1x1 one does.
    expect(opCost(sparse, "conv2d", { macs: 2048 * 100, bytes: 0, sparsity: 0.75, kernel: [3, 3] }, "i8", "i8")).toBe(dense);
    expect(opCost(sparse, "conv2d", { macs: 2048 * 100, bytes: 0, sparsity: 0.75, kernel: [1, 1] }, "i8", "i8")).toBe(30 + 25);
    // A dense-only target ignores sparsity.
    expect(opCost(tflite, "fully_connected", { macs: 3200, bytes: 0, sparsity: 0.9 }, "i8", "i8")).toBe(300);
  });

  test("a type the cost model does not price, and negative work, are RangeErrors", () => {
    expect(() => opCost(pow2, "conv2d", { macs: 1, bytes: 1 }, "i16", "i8")).toThrow(new RangeError('target "npu-pow2-int8" has no cost for i16 (cost.macsPerCycle lists i8)'));
    expect(() => opCost(pow2, "conv2d", { macs: -1, bytes: 1 }, "i8", "i8")).toThrow(new RangeError("op work must be non-negative, got macs=-1, bytes=1"));
  });

  test("mixed precision can compare candidates: int8 is cheaper than int16 on every built-in that has both", () => {
    const work = { macs: 1e6, bytes: 1e3 };
    for (const t of [tflite, acme]) expect(opCost(t, "conv2d", work, "i8", "i8")).toBeLessThan(opCost(t, "conv2d", work, "i16", "i8"));
  });
});
