import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INT32_MAX, INT32_MIN, quantizeMultiplier } from "../../src/interp/fixed-point.js";
import {
  dequantizeValue,
  quantizeValue,
  requantize,
  requantizer,
  roundHalfAwayFromZero,
  roundHalfEven,
  saturate,
} from "../../src/interp/rounding.js";
import { applyScale32Ref, mbqmRef, singleRoundRef } from "./bigint-reference.js";

const RUNS = 10_000;
const int32 = fc.oneof(
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.constantFrom(INT32_MIN, INT32_MAX, 0, 1, -1, 2 ** 30, -(2 ** 30)),
);

describe("ties", () => {
  it("half-even and half-away on ±2.5 and friends", () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(-3.5)).toBe(-4);
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(-0.5)).toBe(0);
    expect(Object.is(roundHalfEven(-0.4), 0)).toBe(true);
    expect(roundHalfAwayFromZero(0.5)).toBe(1);
    expect(roundHalfAwayFromZero(-0.5)).toBe(-1);
    expect(Object.is(roundHalfAwayFromZero(-0.4), 0)).toBe(true);
    // The largest double below 0.5 must not round up (a naive floor(x + 0.5) gets this wrong).
    expect(roundHalfEven(0.49999999999999994)).toBe(0);
    expect(roundHalfAwayFromZero(0.49999999999999994)).toBe(0);
    expect(roundHalfAwayFromZero(-0.49999999999999994)).toBe(0);
    expect(roundHalfEven(2 ** 53)).toBe(2 ** 53);
    expect(roundHalfEven(2 ** 52 + 1)).toBe(2 ** 52 + 1);
    expect(roundHalfEven(2 ** 52 - 0.5)).toBe(2 ** 52);
    expect(roundHalfEven(2 ** 52 - 1.5)).toBe(2 ** 52 - 2);
  });
  it("agree with each other away from ties and differ only on odd ties", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        const even = roundHalfEven(x);
        const away = roundHalfAwayFromZero(x);
        expect(Math.abs(even - x)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(away - x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(x - Math.trunc(x)) !== 0.5) expect(even).toBe(away);
        else expect(even % 2).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("single vs double rounding at M = 0.25, x = 1", () => {
    const q = quantizeMultiplier(0.25);
    expect(requantize(1, q, "gemmlowp")).toBe(1);
    expect(requantize(1, q, "double-round")).toBe(1);
    expect(requantize(1, q, "single-round")).toBe(0);
    expect(requantize(1, { ...q, scale: 0.25 }, "half-even-float")).toBe(0);
  });
  it("INT32_MIN · INT32_MIN saturation through requantize", () => {
    // M = 1 is (2^30, 1): x·2 wraps INT32_MIN to 0 in gemmlowp's C code; SRDHM(MIN, MIN) saturates.
    expect(requantize(INT32_MIN, { multiplier: INT32_MIN, shift: 0 }, "gemmlowp")).toBe(INT32_MAX);
  });
});

describe("requantize", () => {
  it("gemmlowp and single-round follow their BigInt references", () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: INT32_MAX }), fc.integer({ min: -31, max: 30 }), (acc, m, s) => {
        expect(requantize(acc, { multiplier: m, shift: s }, "gemmlowp")).toBe(mbqmRef(acc, m, s));
        expect(requantize(acc, { multiplier: m, shift: s }, "single-round")).toBe(singleRoundRef(acc, m, s));
      }),
      { numRuns: RUNS },
    );
  });
  it("double-round is TOSA apply_scale_32 with s = 31 − shift", () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: INT32_MAX }), fc.integer({ min: -31, max: 29 }), (acc, m, s) => {
        expect(requantize(acc, { multiplier: m, shift: s }, "double-round")).toBe(applyScale32Ref(acc, m, 31 - s, true));
      }),
      { numRuns: RUNS },
    );
  });
  it("double-round equals gemmlowp (multiplier ≥ 0, shift ≤ 0)", () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: INT32_MAX }), fc.integer({ min: -31, max: 0 }), (acc, m, s) => {
        const p = { multiplier: m, shift: s };
        expect(requantize(acc, p, "double-round")).toBe(requantize(acc, p, "gemmlowp"));
      }),
      { numRuns: RUNS },
    );
  });
  it("double-round equals gemmlowp (shift > 0 while acc · 2^shift fits int32)", () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 29 }), fc.integer({ min: INT32_MIN, max: INT32_MAX }))
      .map(([s, raw]) => [s, Math.trunc(raw / 2 ** s)] as const);
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: INT32_MAX }), ([s, acc], m) => {
        const p = { multiplier: m, shift: s };
        expect(requantize(acc, p, "double-round")).toBe(requantize(acc, p, "gemmlowp"));
      }),
      { numRuns: RUNS },
    );
  });
  it("double-round equals gemmlowp on exact ties", () => {
    // multiplier 2^30 (M = 0.5·2^shift) puts x at exact .5 ties for odd x.
    fc.assert(
      fc.property(int32, fc.integer({ min: -31, max: 0 }), (acc, s) => {
        const p = { multiplier: 2 ** 30, shift: s };
        expect(requantize(acc, p, "double-round")).toBe(requantize(acc, p, "gemmlowp"));
      }),
      { numRuns: RUNS },
    );
  });
  it("half-even-float rounds acc·scale to even and needs a scale", () => {
    expect(requantize(5, { multiplier: 0, shift: 0, scale: 0.5 }, "half-even-float")).toBe(2);
    expect(requantize(-5, { multiplier: 0, shift: 0, scale: 0.5 }, "half-even-float")).toBe(-2);
    expect(requantize(7, { multiplier: 0, shift: 0, scale: 0.5 }, "half-even-float")).toBe(4);
    expect(requantize(INT32_MAX, { multiplier: 0, shift: 0, scale: 4 }, "half-even-float")).toBe(INT32_MAX);
    expect(() => requantize(5, { multiplier: 0, shift: 0 }, "half-even-float")).toThrow(RangeError);
    expect(() => requantizer("nope" as never)).toThrow(RangeError);
  });
});

describe("quantizeValue / dequantizeValue", () => {
  it("pins ties: QuantizeLinear half-even, TFLite QUANTIZE half-away", () => {
    expect(quantizeValue(2.5, 1, 0, -128, 127, "half-even")).toBe(2);
    expect(quantizeValue(2.5, 1, 0, -128, 127, "half-away")).toBe(3);
    expect(quantizeValue(-2.5, 1, 0, -128, 127, "half-even")).toBe(-2);
    expect(quantizeValue(-2.5, 1, 0, -128, 127, "half-away")).toBe(-3);
    expect(quantizeValue(0.25, 0.1, 10, -128, 127, "half-even")).toBe(12); // 2.5 → 2, + 10
    expect(quantizeValue(0.25, 0.1, 10, -128, 127, "half-away")).toBe(13);
  });
  it("saturates and adds the zero point after rounding", () => {
    expect(quantizeValue(1000, 1, 0, -128, 127, "half-even")).toBe(127);
    expect(quantizeValue(-1000, 1, 5, 0, 255, "half-even")).toBe(0);
    expect(quantizeValue(Infinity, 0.5, 0, -128, 127, "half-away")).toBe(127);
    expect(saturate(-200, -128, 127)).toBe(-128);
  });
  it("divides in float32 by default", () => {
    // 0.3 / 0.1 is 2.9999999999999996 in f64 but exactly 3 in f32.
    const x = Math.fround(0.3);
    const s = Math.fround(0.1);
    expect(Math.fround(x / s)).toBe(3);
    expect(quantizeValue(x, s, 0, -128, 127, "half-even")).toBe(3);
  });
  it("dequantizes (q − zp)·scale, rounded to f32 by default", () => {
    expect(dequantizeValue(10, 0.5, 4)).toBe(3);
    expect(dequantizeValue(3, 0.1, 0, "f64")).toBe(3 * 0.1);
    expect(dequantizeValue(3, 0.1, 0)).toBe(Math.fround(3 * 0.1));
  });
  it("round-trips within half a step", () => {
    fc.assert(
      fc.property(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -20, max: 20 }), (q, zp) => {
        const scale = Math.fround(0.0371);
        const real = dequantizeValue(q, scale, zp);
        expect(quantizeValue(real, scale, zp, -128, 127, "half-even")).toBe(Math.max(-128, Math.min(127, q)));
      }),
      { numRuns: 2000 },
    );
  });
});
