import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { fullyConnected, matmul } from "../../dialects/float/kernels/matmul.js";
import { dim, expectClose, indices, offsetOf, randomFloats, seedArb } from "./f32-check.js";

/** An operand's batch shape: a suffix of `full` with some dims collapsed to 1 (numpy-broadcastable). */
const batchOf = (full: number[]) =>
  fc.tuple(dim(0, full.length), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length })).map(([rank, ones]) =>
    full.slice(full.length - rank).map((d, i) => (ones[i] ? 1 : d)),
  );

const matmulCase = fc
  .array(dim(1, 3), { minLength: 0, maxLength: 3 })
  .chain((full) =>
    fc.record({
      full: fc.constant(full), aBatch: batchOf(full), bBatch: batchOf(full),
      M: dim(1, 6), N: dim(1, 6), K: dim(0, 6), transA: fc.boolean(), transB: fc.boolean(),
      aVec: fc.boolean(), bVec: fc.boolean(), seed: seedArb,
    }),
  );

describe("matmul", () => {
  it("follows numpy.matmul: broadcast batches, transposes, 1-D operands", () => {
    fc.assert(
      fc.property(matmulCase, (c) => {
        // numpy allows a 1-D operand only without its own batch dims.
        const aShape = c.aVec ? [c.K] : [...c.aBatch, ...(c.transA ? [c.K, c.M] : [c.M, c.K])];
        const bShape = c.bVec ? [c.K] : [...c.bBatch, ...(c.transB ? [c.N, c.K] : [c.K, c.N])];
        const a = f32Tensor(aShape, randomFloats(aShape.reduce((p, d) => p * d, 1), c.seed));
        const b = f32Tensor(bShape, randomFloats(bShape.reduce((p, d) => p * d, 1), c.seed + 1));
        const y = matmul(a, b, { transA: c.transA, transB: c.transB });

        const aB = c.aVec ? [] : c.aBatch, bB = c.bVec ? [] : c.bBatch;
        const rank = Math.max(aB.length, bB.length);
        const batch = Array.from({ length: rank }, (_, i) => Math.max(aB[aB.length - rank + i] ?? 1, bB[bB.length - rank + i] ?? 1));
        const M = c.aVec ? 1 : c.M, N = c.bVec ? 1 : c.N;
        const expectedShape = [...batch, ...(c.aVec ? [] : [M]), ...(c.bVec ? [] : [N])];
        expect(y.shape).toEqual(expectedShape);

        const ref = new Float64Array(y.data.length);
        let o = 0;
        for (const bi of indices(batch)) {
          const pick = (own: number[]) => own.map((d, i) => (d === 1 ? 0 : bi[rank - own.length + i]!));
          const ai = pick(aB), bj = pick(bB);
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let k = 0; k < c.K; k++) {
                const av = c.aVec ? a.data[k]! : a.data[offsetOf([...ai, ...(c.transA ? [k, i] : [i, k])], aShape)]!;
                const bv = c.bVec ? b.data[k]! : b.data[offsetOf([...bj, ...(c.transB ? [j, k] : [k, j])], bShape)]!;
                s += av * bv;
              }
              ref[o++] = s;
            }
        }
        expectClose(y.data, ref);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects mismatched inner dims and non-broadcastable batches", () => {
    expect(() => matmul(f32Tensor([2, 3]), f32Tensor([4, 2]))).toThrow(/inner dimensions differ \(3 vs 4\)/);
    expect(() => matmul(f32Tensor([2, 2, 3]), f32Tensor([3, 3, 2]))).toThrow(/do not broadcast/);
  });
});

describe("fullyConnected", () => {
  it("computes input · weightsᵀ + bias over leading dims", () => {
    fc.assert(
      fc.property(fc.array(dim(1, 3), { maxLength: 3 }), dim(1, 8), dim(1, 8), fc.boolean(), fc.boolean(), seedArb, (lead, N, K, withBias, keep, seed) => {
        const rows = lead.reduce((p, d) => p * d, 1);
        const x = f32Tensor([...lead, K], randomFloats(rows * K, seed));
        const w = f32Tensor([N, K], randomFloats(N * K, seed + 1));
        const b = withBias ? f32Tensor([N], randomFloats(N, seed + 2)) : undefined;
        const y = fullyConnected(x, w, b, { keepNumDims: keep });
        expect(y.shape).toEqual(keep ? [...lead, N] : [rows, N]);
        const ref = new Float64Array(rows * N);
        for (let r = 0; r < rows; r++)
          for (let n = 0; n < N; n++) {
            let s = b ? b.data[n]! : 0;
            for (let k = 0; k < K; k++) s += x.data[r * K + k]! * w.data[n * K + k]!;
            ref[r * N + n] = s;
          }
        expectClose(y.data, ref);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects inputs whose last dim is not K", () => {
    expect(() => fullyConnected(f32Tensor([2, 5]), f32Tensor([3, 4]), undefined)).toThrow(/does not end in K = 4/);
  });
});
