/** The integer parameter rules lower-to-hw writes (src/quant/lowering-params.ts), one by one. */
import { describe, expect, it } from "vitest";
import {
  LoweringRefusal,
  PURE_SHIFT_MULTIPLIER,
  activationBounds,
  dequantizeAll,
  lutInputs16,
  lutInputs8,
  quantizeAll,
  quantizeBias,
  requantParams,
  rescaleParams,
} from "../../src/quant/lowering-params.js";

describe("requantParams", () => {
  it("is TFLite's QuantizeMultiplier per channel for the fixed-point modes", () => {
    const p = requantParams([0.5, 0.25, 0.3], { rounding: "gemmlowp", wide: false, powerOfTwo: false });
    expect(p).toEqual({ form: "fixed-point", multiplier: [2 ** 30, 2 ** 30, 1288490189], shift: [0, -1, -1] });
  });

  it("carries the real multipliers for half-even-float (ONNX QLinear ops)", () => {
    expect(requantParams([0.3], { rounding: "half-even-float", wide: false, powerOfTwo: false })).toEqual({ form: "scale", scale: [0.3] });
  });

  it("refuses shifts the output stage cannot hold: above 7 for 16-bit activations, above 29 for double rounding", () => {
    expect(() => requantParams([2 ** 8], { rounding: "gemmlowp", wide: true, powerOfTwo: false })).toThrow(LoweringRefusal);
    expect(requantParams([2 ** 6], { rounding: "gemmlowp", wide: true, powerOfTwo: false })).toEqual({ form: "fixed-point", multiplier: [2 ** 30], shift: [7] });
    expect(() => requantParams([2 ** 29], { rounding: "double-round", wide: false, powerOfTwo: false })).toThrow(/left shift of 30/);
  });

  it("on power-of-two targets accepts only pure shifts (multiplier 2^30)", () => {
    expect(requantParams([2 ** -7, 2 ** 3], { rounding: "single-round", wide: false, powerOfTwo: true })).toEqual({ form: "fixed-point", multiplier: [PURE_SHIFT_MULTIPLIER, PURE_SHIFT_MULTIPLIER], shift: [-6, 4] });
    expect(() => requantParams([0.3], { rounding: "single-round", wide: false, powerOfTwo: true })).toThrow(/not a power of two/);
  });
});

describe("rescaleParams", () => {
  it("gives TOSA's right shift 31 − TFLite shift", () => {
    expect(rescaleParams(0.1, 0.2, false)).toEqual({ multiplier: 2 ** 30, shift: 31 });
    expect(rescaleParams(0.1, 0.05, false)).toEqual({ multiplier: 2 ** 30, shift: 29 });
    expect(rescaleParams(0.25, 1, true)).toEqual({ multiplier: 2 ** 30, shift: 32 });
    expect(() => rescaleParams(0.3, 1, true)).toThrow(LoweringRefusal);
  });
});

describe("activationBounds", () => {
  const out = { scale: 0.05, zeroPoint: -128, qmin: -128, qmax: 127 };
  it("quantizes relu6's [0, 6] and clamps to the storage range", () => {
    expect(activationBounds({ min: 0, max: 6 }, out, "half-away")).toEqual({ actMin: -128, actMax: -8 });
    expect(activationBounds({ min: 0, max: Infinity }, out, "half-away")).toEqual({ actMin: -128, actMax: 127 });
    expect(activationBounds({ min: -Infinity, max: Infinity }, { ...out, qmin: -127 }, "half-away")).toEqual({ actMin: -127, actMax: 127 });
    expect(activationBounds({ min: -100, max: 100 }, out, "half-away")).toEqual({ actMin: -128, actMax: 127 });
  });

  it("rounds ties as the target's QUANTIZE: 0.125 / 0.25 = 0.5 → 1 away from zero, 0 to even", () => {
    const o = { scale: 0.25, zeroPoint: 0, qmin: -128, qmax: 127 };
    expect(activationBounds({ min: 0.125, max: Infinity }, o, "half-away").actMin).toBe(1);
    expect(activationBounds({ min: 0.125, max: Infinity }, o, "half-even").actMin).toBe(0);
  });
});

describe("quantizeBias", () => {
  it("divides by s_in·s_w[c] and rounds as the target", () => {
    const b = quantizeBias([0.25, -0.375, 0.125], [0.25, 0.25, 0.25], 32, "half-away");
    expect([...(b.data as Int32Array)]).toEqual([1, -2, 1]);
    expect(b.clamped).toBe(0);
    expect([...(quantizeBias([-0.375], [0.25], 32, "half-even").data as Int32Array)]).toEqual([-2]);
  });

  it("clamps to ±(2^31 − 1) for int32 and keeps int64 exact for 16-bit activations", () => {
    const b32 = quantizeBias([1e6], [1e-6], 32, "half-away");
    expect([...(b32.data as Int32Array)]).toEqual([2147483647]);
    expect(b32.clamped).toBe(1);
    const b64 = quantizeBias([1e6, -3], [1e-6, 1e-6], 64, "half-away");
    expect([...(b64.data as BigInt64Array)]).toEqual([1000000000000n, -3000000n]);
  });
});

describe("lookup table inputs", () => {
  it("index 8-bit tables as the hw.lut kernel does, and sample int16 every 128 steps", () => {
    expect(lutInputs8(false)[0]).toBe(-128);
    expect(lutInputs8(false)[255]).toBe(127);
    expect(lutInputs8(true)[200]).toBe(200);
    const s = lutInputs16();
    expect([s[0], s[256], s[512], s.length]).toEqual([-32768, 0, 32768, 513]);
  });

  it("dequantize and quantize as the QDQ interpreter (f32)", () => {
    const real = dequantizeAll(Int32Array.from([-128, 0, 127]), 0.1, -3);
    expect([...real]).toEqual([Math.fround(-12.5), Math.fround(0.3), Math.fround(13)]);
    expect([...quantizeAll(Float32Array.from([0.5, 1.5, 200]), { scale: 1, zeroPoint: 0, qmin: -128, qmax: 127 }, "half-even")]).toEqual([0, 2, 127]);
  });
});
