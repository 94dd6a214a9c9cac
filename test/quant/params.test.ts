/** Quantization parameter choice: properties from the quantization spec (≥ 1000 cases each). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chooseQuantParams, representedRange, storageRange, powerOfTwoAtLeast } from "../../src/quant/params.js";
import { quantizeValue, dequantizeValue } from "../../src/interp/rounding.js";

const arbRange = fc
  .tuple(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }))
  .map(([a, b]) => (a <= b ? { min: a, max: b } : { min: b, max: a }));
const arbStorage = fc.constantFrom("i8", "u8", "i16") as fc.Arbitrary<"i8" | "u8" | "i16">;

describe("chooseQuantParams", () => {
  it("represents real zero exactly, with an integer zero point inside the storage range", () => {
    fc.assert(
      fc.property(arbRange, arbStorage, fc.boolean(), fc.boolean(), fc.boolean(), (r, s, narrow, symmetric, pow2) => {
        const range = storageRange(s, narrow);
        const p = chooseQuantParams(r.min, r.max, range, { symmetric, powerOfTwo: pow2 });
        expect(Number.isInteger(p.zeroPoint)).toBe(true);
        expect(p.zeroPoint).toBeGreaterThanOrEqual(range.qmin);
        expect(p.zeroPoint).toBeLessThanOrEqual(range.qmax);
        expect(Number.isFinite(p.scale) && p.scale > 0).toBe(true);
        expect(dequantizeValue(quantizeValue(0, p.scale, p.zeroPoint, range.qmin, range.qmax, "half-away", "f64"), p.scale, p.zeroPoint, "f64")).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("quantize→dequantize errs by at most scale/2 inside the represented range", () => {
    fc.assert(
      fc.property(arbRange, arbStorage, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (r, s, u, symmetric) => {
        const range = storageRange(s);
        const p = chooseQuantParams(r.min, r.max, range, { symmetric });
        const rep = representedRange(p, range);
        const x = rep.min + u * (rep.max - rep.min);
        const q = quantizeValue(x, p.scale, p.zeroPoint, range.qmin, range.qmax, "half-even", "f64");
        expect(Math.abs(dequantizeValue(q, p.scale, p.zeroPoint, "f64") - x)).toBeLessThanOrEqual(p.scale / 2 + 1e-9 * Math.abs(x));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps the calibrated range when zero lies inside it (no clamping of real data)", () => {
    fc.assert(
      fc.property(arbRange, arbStorage, fc.boolean(), (r, s, pow2) => {
        const range = storageRange(s);
        const p = chooseQuantParams(r.min, r.max, range, { symmetric: true, powerOfTwo: pow2 });
        const rep = representedRange(p, range);
        expect(rep.max).toBeGreaterThanOrEqual(Math.max(r.max, 0) * (1 - 1e-12));
      }),
      { numRuns: 1000 },
    );
  });

  it("yields only power-of-two scales on power-of-two targets", () => {
    fc.assert(
      fc.property(arbRange, arbStorage, fc.boolean(), (r, s, symmetric) => {
        const p = chooseQuantParams(r.min, r.max, storageRange(s), { symmetric, powerOfTwo: true });
        expect(Number.isInteger(Math.log2(p.scale))).toBe(true);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-30, max: 1e30, noNaN: true }), (s) => {
        const p = powerOfTwoAtLeast(s);
        expect(p).toBeGreaterThanOrEqual(s);
        expect(p).toBeLessThan(2 * s);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives valid parameters for degenerate ranges", () => {
    for (const s of ["i8", "u8", "i16"] as const) {
      for (const symmetric of [false, true]) {
        const range = storageRange(s);
        const p = chooseQuantParams(0, 0, range, { symmetric });
        expect(p.scale).toBe(1);
        // references.md: a constant tensor gets zp = qmin (asymmetric); symmetric schemes keep their zero point.
        expect(p.zeroPoint).toBe(symmetric ? (range.qmin < 0 ? 0 : 128) : range.qmin);
      }
    }
    const c = chooseQuantParams(3, 3, storageRange("i8"));
    expect(Number.isFinite(c.scale) && c.scale > 0).toBe(true);
  });

  it("matches TF's Nudge on a worked example", () => {
    // [-1, 1] over int8: scale 2/255, zp_from_min = -128 + 127.5 = -0.5 → rounds half away to -1.
    const p = chooseQuantParams(-1, 1, storageRange("i8"));
    expect(p.scale).toBeCloseTo(2 / 255, 15);
    expect(p.zeroPoint).toBe(-1);
    // Narrow range int8 symmetric weights: scale = max|w| / 127.
    expect(chooseQuantParams(-0.5, 2.54, storageRange("i8", true), { symmetric: true })).toEqual({ scale: 0.02, zeroPoint: 0 });
  });
});

describe("chooseQuantParams with a target's zero-point range", () => {
  it("keeps the zero point inside the range and widens the scale so the data still fits", () => {
    // i16 asymmetric [0, 6]: the nudge puts zp at qmin = −32768; the target allows [−128, 127], so zp = −128
    // and scale = max(6 / (32767 + 128), 0 / …) = 6 / 32895.
    const p = chooseQuantParams(0, 6, storageRange("i16"), { zeroPointRange: [-128, 127] });
    expect(p.zeroPoint).toBe(-128);
    expect(p.scale).toBeCloseTo(6 / 32895, 15);
    fc.assert(
      fc.property(fc.double({ min: -100, max: 0, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: -200, max: 200 }), (lo, hi, center) => {
        fc.pre(hi - lo > 1e-6);
        const zr = [Math.max(-32768, center - 50), Math.min(32767, center + 50)] as const;
        const q = chooseQuantParams(lo, hi, storageRange("i16"), { zeroPointRange: zr });
        expect(q.zeroPoint).toBeGreaterThanOrEqual(zr[0]);
        expect(q.zeroPoint).toBeLessThanOrEqual(zr[1]);
        // The range is representable up to TF's nudge (half a step at either end), and real 0 is exactly the zero point.
        expect((-32768 - q.zeroPoint) * q.scale).toBeLessThanOrEqual(lo + q.scale / 2 + 1e-9);
        expect((32767 - q.zeroPoint) * q.scale).toBeGreaterThanOrEqual(hi - q.scale / 2 - 1e-9);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("chooseQuantParams on a symmetric type's own range", () => {
  it("gives back the scale whose full signed storage range it is (idempotent on QAT and written-back ranges)", () => {
    fc.assert(
      fc.property(fc.constantFrom("i8", "i16") as fc.Arbitrary<"i8" | "i16">, fc.integer({ min: -20, max: 4 }), fc.boolean(), (s, k, pow2) => {
        const range = storageRange(s);
        const scale = 2 ** k * (pow2 ? 1 : 1.37);
        const p = chooseQuantParams(range.qmin * scale, range.qmax * scale, range, { symmetric: true, powerOfTwo: pow2 });
        expect(p.zeroPoint).toBe(0);
        expect(p.scale).toBeCloseTo(scale, 12);
      }),
      { numRuns: 1000 },
    );
  });
});
