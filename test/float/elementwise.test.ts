import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as ew from "../../dialects/float/kernels/elementwise.js";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { dim, expectClose, indices, offsetOf, randomFloats, seedArb } from "./f32-check.js";

const binaryOps: Record<ew.BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  maximum: (x, y) => (x > y ? x : y),
  minimum: (x, y) => (x < y ? x : y),
};

/** An operand shape broadcastable to `full`: a suffix of it with some dims set to 1. */
const operandShape = (full: number[]) =>
  fc.tuple(dim(0, full.length), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length })).map(([rank, ones]) =>
    full.slice(full.length - rank).map((d, i) => (ones[i] ? 1 : d)),
  );

/** Reference broadcasting by explicit index mapping; IEEE f32 result = fround of the exact op. */
function referenceBinary(op: ew.BinaryOp, aShape: number[], a: Float32Array, bShape: number[], b: Float32Array): { shape: number[]; data: Float32Array } {
  const rank = Math.max(aShape.length, bShape.length);
  const shape = Array.from({ length: rank }, (_, i) => Math.max(aShape[aShape.length - rank + i] ?? 1, bShape[bShape.length - rank + i] ?? 1));
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  let o = 0;
  for (const idx of indices(shape)) {
    const pick = (own: number[]) => own.map((d, i) => (d === 1 ? 0 : idx[rank - own.length + i]!));
    out[o++] = binaryOps[op](a[offsetOf(pick(aShape), aShape)]!, b[offsetOf(pick(bShape), bShape)]!);
  }
  return { shape, data: out };
}

describe("binary elementwise ops", () => {
  const opArb = fc.constantFrom(...(Object.keys(binaryOps) as ew.BinaryOp[]));
  const caseArb = fc.array(dim(1, 4), { maxLength: 4 }).chain((full) =>
    fc.record({ op: opArb, full: fc.constant(full), a: operandShape(full), b: operandShape(full), swap: fc.boolean(), seed: seedArb }),
  );

  it("broadcast like numpy and round like f32, bit for bit", () => {
    fc.assert(
      fc.property(caseArb, ({ op, a: sa, b: sb, full, swap, seed }) => {
        // Half the time one operand is the full shape, which is what the fast paths look for.
        const [aShape, bShape] = swap ? [full, sb] : [sa, sb];
        const a = f32Tensor(aShape, randomFloats(aShape.reduce((p, d) => p * d, 1), seed, -4, 4));
        const b = f32Tensor(bShape, randomFloats(bShape.reduce((p, d) => p * d, 1), seed + 1, -4, 4));
        const y = ew.binary(op, a, b);
        const ref = referenceBinary(op, [...aShape], a.data, [...bShape], b.data);
        expect(y.shape).toEqual(ref.shape);
        expect(Array.from(y.data)).toEqual(Array.from(ref.data));
      }),
      { numRuns: 500 },
    );
  });

  it("covers each fast path explicitly", () => {
    const shapes: Array<[number[], number[]]> = [
      [[2, 3, 4], [2, 3, 4]], // same shape
      [[2, 3, 4], []], [[1], [2, 3]], // scalar either side
      [[2, 3, 4], [4]], [[1, 3, 4], [2, 3, 4]], [[2, 3, 4], [1, 1, 4]], // trailing block either side
      [[2, 1, 4], [3, 1]], [[1, 3, 1], [2, 1, 5]], // general
    ];
    for (const [sa, sb] of shapes) {
      const a = f32Tensor(sa, randomFloats(sa.reduce((p, d) => p * d, 1), 1));
      const b = f32Tensor(sb, randomFloats(sb.reduce((p, d) => p * d, 1), 2));
      for (const op of Object.keys(binaryOps) as ew.BinaryOp[]) {
        const ref = referenceBinary(op, sa, a.data, sb, b.data);
        expect(Array.from(ew.binary(op, a, b).data)).toEqual(Array.from(ref.data));
      }
    }
    expect(ew.add(f32Tensor([2], new Float32Array([1, 2])), f32Tensor([], new Float32Array([10]))).data).toEqual(new Float32Array([11, 12]));
    expect(ew.div(f32Tensor([1], new Float32Array([1])), f32Tensor([1], new Float32Array([3]))).data[0]).toBe(Math.fround(1 / 3));
  });

  it("rejects shapes that do not broadcast, naming both", () => {
    expect(() => ew.add(f32Tensor([2, 3]), f32Tensor([4]))).toThrow(/\[2,3\] and \[4\] do not broadcast/);
  });
});

describe("unary elementwise ops", () => {
  const cases: Array<[string, (x: ReturnType<typeof f32Tensor>) => ReturnType<typeof f32Tensor>, (v: number) => number, boolean]> = [
    ["relu", ew.relu, (v) => Math.max(v, 0), true],
    ["relu6", ew.relu6, (v) => Math.min(Math.max(v, 0), 6), true],
    ["clamp(-1.5, 2.25)", (x) => ew.clamp(x, -1.5, 2.25), (v) => Math.min(Math.max(v, -1.5), 2.25), true],
    ["leakyRelu(0.2)", (x) => ew.leakyRelu(x, 0.2), (v) => (v >= 0 ? v : Math.fround(0.2) * v), true],
    ["neg", ew.neg, (v) => -v, true],
    ["abs", ew.abs, Math.abs, true],
    ["sigmoid", ew.sigmoid, (v) => 1 / (1 + Math.exp(-v)), false],
    ["tanh", ew.tanh, Math.tanh, false],
    ["exp", ew.exp, Math.exp, false],
  ];
  for (const [name, kernel, f, exact] of cases) {
    it(`${name} matches its definition`, () => {
      fc.assert(
        fc.property(fc.array(dim(1, 5), { maxLength: 3 }), seedArb, (shape, seed) => {
          const x = f32Tensor(shape, randomFloats(shape.reduce((p, d) => p * d, 1), seed, -12, 12));
          const y = kernel(x);
          expect(y.shape).toEqual(shape);
          const ref = Float32Array.from(x.data, f);
          if (exact) expect(Array.from(y.data)).toEqual(Array.from(ref));
          else for (let i = 0; i < ref.length; i++) expectClose([y.data[i]!], [ref[i]!], 2 ** -22, 0);
        }),
        { numRuns: 100 },
      );
    });
  }

  it("sigmoid saturates without overflow and stays in [0, 1]", () => {
    const y = ew.sigmoid(f32Tensor([4], new Float32Array([-1000, -88, 88, 1000])));
    expect(Array.from(y.data).every((v) => v >= 0 && v <= 1 && Number.isFinite(v))).toBe(true);
    expect(y.data[0]).toBe(0);
    expect(y.data[3]).toBe(1);
  });

  it("relu and clamp keep NaN; clamp rejects min > max", () => {
    expect(Number.isNaN(ew.relu(f32Tensor([1], new Float32Array([NaN]))).data[0])).toBe(true);
    expect(Number.isNaN(ew.clamp(f32Tensor([1], new Float32Array([NaN])), 0, 1).data[0])).toBe(true);
    expect(() => ew.clamp(f32Tensor([1]), 2, 1)).toThrow(/min 2 is greater than max 1/);
  });
});
