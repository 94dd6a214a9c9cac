/** `select-precision`'s budget syntax: the forms it reads, and clear errors for everything else. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BudgetError, formatBudget, parseBudget } from "../../src/quant/precision-budget.js";

describe("budget parsing", () => {
  it.each([
    ["size<=1.3x-int8", { kind: "size", limit: 1.3, relative: true }],
    ["size<=1.25x-int8", { kind: "size", limit: 1.25, relative: true }],
    ["size <= 2x-int8", { kind: "size", limit: 2, relative: true }],
    ["size<=12000", { kind: "size", limit: 12000, relative: false }],
    ["size<=12000B", { kind: "size", limit: 12000, relative: false }],
    ["size<=1.2e4", { kind: "size", limit: 12000, relative: false }],
    ["latency<=50000", { kind: "latency", limit: 50000, relative: false }],
    ["latency<=1.1x-int8", { kind: "latency", limit: 1.1, relative: true }],
    ["latency<=3000cycles", { kind: "latency", limit: 3000, relative: false }],
    ["sqnr>=35", { kind: "sqnr", minDb: 35 }],
    ["sqnr>=42.5dB", { kind: "sqnr", minDb: 42.5 }],
    ["mse<=1e-4", { kind: "mse", max: 1e-4 }],
  ])("%s", (text, expected) => {
    expect(parseBudget(text)).toEqual(expected);
  });

  it.each([
    ["", /empty/],
    ["size", /unknown quantity 'size'|expected/],
    ["size>=1000", /upper bound: write size<=/],
    ["size<=-5", /not a number of bytes/],
    ["size<=0", /must be a positive number/],
    ["size<=1.3x-int4", /not a number of bytes or a multiple of int8/],
    ["size<=lots", /not a number of bytes/],
    ["latency<=fast", /not a number of cycles/],
    ["sqnr<=35", /SQNR budget is a floor: write sqnr>=/],
    ["sqnr>=high", /not a number of dB/],
    ["mse>=1", /upper bound/],
    ["accuracy>=0.9", /unknown quantity 'accuracy'/],
    ["1.3x-int8", /no quantity/],
  ])("rejects %j with a clear message", (text, message) => {
    expect(() => parseBudget(text)).toThrow(BudgetError);
    expect(() => parseBudget(text)).toThrow(message);
    // Every message quotes the input and lists the accepted forms.
    expect(() => parseBudget(text)).toThrow(/expected size<=N \(bytes\), size<=Nx-int8, latency<=N/);
  });

  it("formats what it parses, and parses what it formats", () => {
    const budget = fc.oneof(
      fc.record({ kind: fc.constantFrom("size" as const, "latency" as const), limit: fc.double({ min: 1e-3, max: 1e9, noNaN: true }), relative: fc.boolean() }),
      fc.record({ kind: fc.constant("sqnr" as const), minDb: fc.double({ min: -50, max: 200, noNaN: true }) }),
      fc.record({ kind: fc.constant("mse" as const), max: fc.double({ min: 0, max: 1e3, noNaN: true }) }),
    );
    fc.assert(
      fc.property(budget, (b) => {
        const text = formatBudget(b);
        expect(formatBudget(parseBudget(text))).toBe(text);
        expect(parseBudget(text)).toEqual(b.kind === "sqnr" ? { kind: "sqnr", minDb: b.minDb === 0 ? 0 : b.minDb } : b);
      }),
    );
  });
});
