import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INT32_MAX,
  INT32_MIN,
  applyScale16,
  applyScale32,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  multiplyByQuantizedMultiplierSingleRound,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
  saturatingRoundingMultiplyByPOT,
} from "../../src/interp/fixed-point.js";
import {
  applyScale16Ref,
  applyScale32Ref,
  mbqmInt64Ref,
  mbqmRef,
  roundingDivideByPOTRef,
  singleRoundRef,
  srdhmRef,
} from "./bigint-reference.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNS = 10_000;

function conformancePath(...parts: string[]): string {
  const dir = path.resolve(repoRoot, "../shared/conformance");
  if (!existsSync(dir)) {
    throw new Error(`conformance vectors not found at ${dir}: the shared/ folder must sit beside the repository`);
  }
  return path.join(dir, ...parts);
}

/** int32 values biased toward the cases that break fixed-point code. */
const edgeInt32 = fc.constantFrom(
  INT32_MIN,
  INT32_MIN + 1,
  INT32_MAX,
  INT32_MAX - 1,
  0,
  1,
  -1,
  2,
  -2,
  ...Array.from({ length: 31 }, (_, i) => 2 ** i),
  ...Array.from({ length: 31 }, (_, i) => -(2 ** i)),
  ...Array.from({ length: 30 }, (_, i) => 2 ** (i + 1) + 1),
  ...Array.from({ length: 30 }, (_, i) => -(2 ** (i + 1)) - 1),
  ...Array.from({ length: 30 }, (_, i) => 2 ** (i + 1) - 1),
  ...Array.from({ length: 30 }, (_, i) => -(2 ** (i + 1)) + 1),
);
const int32 = fc.oneof(
  { arbitrary: fc.integer({ min: INT32_MIN, max: INT32_MAX }), weight: 3 },
  { arbitrary: edgeInt32, weight: 2 },
  { arbitrary: fc.integer({ min: -300_000, max: 300_000 }), weight: 2 },
);
/** Multipliers as QuantizeMultiplier makes them ([2^30, 2^31)), plus powers of two that create exact ties. */
const multiplier = fc.oneof(
  fc.integer({ min: 2 ** 30, max: INT32_MAX }),
  fc.constantFrom(2 ** 30, 2 ** 29, 3 * 2 ** 28, 2 ** 30 + 2 ** 29, INT32_MAX, 1, 0),
  fc.integer({ min: 0, max: INT32_MAX }),
);
/** x values at and around ties of x / 2^e. */
const nearTie = fc
  .tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -2, max: 2 }))
  .map(([e, k, d]) => {
    const v = k * 2 ** e + 2 ** (e - 1) + d;
    return Math.max(INT32_MIN, Math.min(INT32_MAX, v));
  });

describe("TFLite quantization_util golden values", () => {
  const golden = JSON.parse(readFileSync(conformancePath("tflite", "quantization_util_golden.json"), "utf8")) as {
    QuantizeMultiplier: [number, [number, number]][];
    "MultiplyByQuantizedMultiplier_after_QuantizeMultiplier(x,real,expected)": [number, number, number][];
  };
  it.each(golden.QuantizeMultiplier)("QuantizeMultiplier(%s)", (m, [q, shift]) => {
    expect(quantizeMultiplier(m)).toEqual({ multiplier: q, shift });
  });
  it.each(golden["MultiplyByQuantizedMultiplier_after_QuantizeMultiplier(x,real,expected)"])(
    "MultiplyByQuantizedMultiplier(%s, QuantizeMultiplier(%s)) = %s",
    (x, real, expected) => {
      const { multiplier, shift } = quantizeMultiplier(real);
      expect(multiplyByQuantizedMultiplier(x, multiplier, shift)).toBe(expected);
    },
  );
  it("counts every golden entry", () => {
    expect(golden.QuantizeMultiplier.length).toBe(21);
    expect(golden["MultiplyByQuantizedMultiplier_after_QuantizeMultiplier(x,real,expected)"].length).toBe(10);
  });
});

describe("quantizeMultiplier", () => {
  it("reconstructs the multiplier within half a unit of the last place", () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -31, max: 2 ** 20, noNaN: true }), (m) => {
        const { multiplier, shift } = quantizeMultiplier(m);
        expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
        expect(multiplier).toBeLessThanOrEqual(INT32_MAX);
        expect(Math.abs(multiplier * 2 ** (shift - 31) - m)).toBeLessThanOrEqual(2 ** (shift - 32));
      }),
      { numRuns: RUNS },
    );
  });
  it("rounds f·2^31 half away from zero and applies the q == 2^31 fix", () => {
    // f = 1 − 2^−33: f·2^31 = 2^31 − 0.25 → rounds to 2^31 → (2^30, e + 1).
    expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    // f·2^31 = 2^30 + 0.5 exactly → away from zero.
    expect(quantizeMultiplier(0.5 + 2 ** -32)).toEqual({ multiplier: 2 ** 30 + 1, shift: 0 });
    expect(quantizeMultiplier(-(0.5 + 2 ** -32))).toEqual({ multiplier: -(2 ** 30) - 1, shift: 0 });
    // Negative: −2^31 is not the fixed-up value and stays (C tests only q_fixed == +2^31).
    expect(quantizeMultiplier(-(1 - 2 ** -33))).toEqual({ multiplier: INT32_MIN, shift: 0 });
  });
  it("flushes e < −31 to (0, 0) and clamps shift > 30 for single rounding", () => {
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
    expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: 2 ** 30, shift: 41 });
    expect(quantizeMultiplier(2 ** 40, { singleRounding: true })).toEqual({ multiplier: INT32_MAX, shift: 30 });
    // MAX_VALUE = (1 − 2^−53)·2^1024: f·2^31 rounds to 2^31, so the fix moves the exponent to 1025.
    expect(quantizeMultiplier(Number.MAX_VALUE)).toEqual({ multiplier: 2 ** 30, shift: 1025 });
    expect(() => quantizeMultiplier(Number.NaN)).toThrow(RangeError);
  });
});

describe("saturatingRoundingDoublingHighMul", () => {
  it("saturates INT32_MIN · INT32_MIN", () => {
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1);
  });
  it("rounds ties toward +∞ (gemmlowp nudge)", () => {
    // 1·2^30 / 2^31 = 0.5 → 1; −1·2^30 / 2^31 = −0.5 → 0; 3·2^30/2^31 = 1.5 → 2; −1.5 → −1.
    expect(saturatingRoundingDoublingHighMul(1, 2 ** 30)).toBe(1);
    expect(saturatingRoundingDoublingHighMul(-1, 2 ** 30)).toBe(0);
    expect(saturatingRoundingDoublingHighMul(3, 2 ** 30)).toBe(2);
    expect(saturatingRoundingDoublingHighMul(-3, 2 ** 30)).toBe(-1);
  });
  it("matches the BigInt reference", () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(saturatingRoundingDoublingHighMul(a, b)).toBe(srdhmRef(a, b));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(nearTie, multiplier, (a, b) => {
        expect(saturatingRoundingDoublingHighMul(a, b)).toBe(srdhmRef(a, b));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("roundingDivideByPOT", () => {
  it("rounds ties away from zero", () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(-6, 2)).toBe(-2);
    expect(roundingDivideByPOT(6, 2)).toBe(2);
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1);
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1);
    expect(roundingDivideByPOT(-(2 ** 30), 31)).toBe(-1);
    expect(roundingDivideByPOT(2 ** 30 - 1, 31)).toBe(0);
  });
  it("matches the BigInt reference", () => {
    fc.assert(
      fc.property(fc.oneof(int32, nearTie), fc.integer({ min: 0, max: 31 }), (x, e) => {
        expect(roundingDivideByPOT(x, e)).toBe(roundingDivideByPOTRef(x, e));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("multiplyByQuantizedMultiplier (gemmlowp double rounding)", () => {
  it("M = 0.25, x = 1 rounds twice to 1", () => {
    const { multiplier, shift } = quantizeMultiplier(0.25);
    expect(multiplyByQuantizedMultiplier(1, multiplier, shift)).toBe(1);
    expect(multiplyByQuantizedMultiplierSingleRound(1, multiplier, shift)).toBe(0);
  });
  it("matches the BigInt reference", () => {
    fc.assert(
      fc.property(fc.oneof(int32, nearTie), multiplier, fc.integer({ min: -31, max: 31 }), (x, q, shift) => {
        expect(multiplyByQuantizedMultiplier(x, q, shift)).toBe(mbqmRef(x, q, shift));
      }),
      { numRuns: RUNS },
    );
  });
  it("handles negative multipliers like TFLite (QuantizeMultiplier of a negative real)", () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: INT32_MIN, max: -1 }), fc.integer({ min: -31, max: 8 }), (x, q, shift) => {
        expect(multiplyByQuantizedMultiplier(x, q, shift)).toBe(mbqmRef(x, q, shift));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("multiplyByQuantizedMultiplierSingleRound", () => {
  it("matches the BigInt reference", () => {
    fc.assert(
      fc.property(fc.oneof(int32, nearTie), multiplier, fc.integer({ min: -31, max: 30 }), (x, q, shift) => {
        expect(multiplyByQuantizedMultiplierSingleRound(x, q, shift)).toBe(singleRoundRef(x, q, shift));
      }),
      { numRuns: RUNS },
    );
  });
  it("rounds ties half up (toward +∞)", () => {
    expect(multiplyByQuantizedMultiplierSingleRound(-1, 2 ** 30, 0)).toBe(0); // −0.5 → 0
    expect(multiplyByQuantizedMultiplierSingleRound(1, 2 ** 30, 0)).toBe(1); // 0.5 → 1
    expect(multiplyByQuantizedMultiplierSingleRound(-3, 2 ** 30, 0)).toBe(-1); // −1.5 → −1
  });
});

describe("multiplyByQuantizedMultiplierInt64 (16x8)", () => {
  it("matches the BigInt reference over 48-bit accumulators", () => {
    const acc48 = fc.oneof(
      fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 }),
      fc.constantFrom(-(2 ** 47), 2 ** 47 - 1, 0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 31, -(2 ** 31) - 1),
      int32,
    );
    fc.assert(
      fc.property(acc48, multiplier, fc.integer({ min: -31, max: 7 }), (x, q, shift) => {
        expect(multiplyByQuantizedMultiplierInt64(x, q, shift)).toBe(mbqmInt64Ref(x, q, shift));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("TOSA applyScale32 / applyScale16", () => {
  it("applyScale32 matches the BigInt reference (both rounding flags)", () => {
    fc.assert(
      fc.property(fc.oneof(int32, nearTie), multiplier, fc.integer({ min: 2, max: 62 }), fc.boolean(), (v, m, s, dr) => {
        expect(applyScale32(v, m, s, dr)).toBe(applyScale32Ref(v, m, s, dr));
      }),
      { numRuns: RUNS },
    );
  });
  it("applyScale16 matches the BigInt reference over int48 values", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 }), int32, fc.constantFrom(-(2 ** 47), 2 ** 47 - 1)),
        fc.integer({ min: 0, max: 32767 }),
        fc.integer({ min: 2, max: 62 }),
        (v, m, s) => {
          expect(applyScale16(v, m, s)).toBe(applyScale16Ref(v, m, s));
        },
      ),
      { numRuns: RUNS },
    );
  });
  it("enforces the spec's REQUIREs on multiplier and shift", () => {
    expect(() => applyScale32(1, -1, 31, true)).toThrow(RangeError);
    expect(() => applyScale32(1, 1, 1, true)).toThrow(RangeError);
    expect(() => applyScale32(1, 1, 63, true)).toThrow(RangeError);
    expect(() => applyScale16(1, 40000, 20)).toThrow(RangeError);
  });
});

describe("saturatingRoundingMultiplyByPOT", () => {
  it("saturates left shifts and rounds right shifts", () => {
    expect(saturatingRoundingMultiplyByPOT(2 ** 29, 2)).toBe(INT32_MAX);
    expect(saturatingRoundingMultiplyByPOT(-(2 ** 29), 2)).toBe(INT32_MIN);
    expect(saturatingRoundingMultiplyByPOT(2 ** 29 - 1, 1)).toBe(2 ** 30 - 2);
    expect(saturatingRoundingMultiplyByPOT(-(2 ** 29) - 1, 2)).toBe(INT32_MIN);
    expect(saturatingRoundingMultiplyByPOT(6, -2)).toBe(2);
    expect(saturatingRoundingMultiplyByPOT(-6, -2)).toBe(-2);
  });
});
