import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gemm } from "../../dialects/float/kernels/gemm.js";
import { dim, expectClose, randomFloats, seedArb } from "./f32-check.js";

/** Textbook reference in f64, reading op(A) and op(B) element by element. */
function referenceGemm(
  M: number, N: number, K: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number, C: Float32Array, ldc: number,
  o: { transA: boolean; transB: boolean; alpha: number; beta: number; bias?: Float32Array },
): Float64Array {
  const out = new Float64Array(C.length);
  for (let i = 0; i < C.length; i++) out[i] = C[i]!;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = o.transA ? A[k * lda + i]! : A[i * lda + k]!;
        const b = o.transB ? B[j * ldb + k]! : B[k * ldb + j]!;
        s += a * b;
      }
      out[i * ldc + j] = o.alpha * s + (o.beta === 0 ? 0 : o.beta * C[i * ldc + j]!) + (o.bias?.[j] ?? 0);
    }
  }
  return out;
}

describe("gemm", () => {
  it("matches the triple loop for every transpose combination, strides, alpha, beta and bias", () => {
    fc.assert(
      fc.property(
        dim(0, 19), dim(0, 19), dim(0, 23), fc.boolean(), fc.boolean(), dim(0, 3), dim(0, 3), dim(0, 3),
        fc.constantFrom(1, 0.5, -2), fc.constantFrom(0, 1, 0.25), fc.boolean(), seedArb,
        (M, N, K, transA, transB, padA, padB, padC, alpha, beta, withBias, seed) => {
          const lda = (transA ? M : K) + padA;
          const ldb = (transB ? K : N) + padB;
          const ldc = N + padC;
          const A = randomFloats((transA ? K : M) * lda, seed);
          const B = randomFloats((transB ? N : K) * ldb, seed + 1);
          const C = randomFloats(M * ldc, seed + 2);
          const bias = withBias ? randomFloats(N, seed + 3) : undefined;
          const expected = referenceGemm(M, N, K, A, lda, B, ldb, C, ldc, { transA, transB, alpha, beta, bias });
          gemm(M, N, K, A, lda, B, ldb, C, ldc, { transA, transB, alpha, beta, bias });
          // Padding columns of C (j ≥ N) must be untouched: the reference copied them from C.
          expectClose(C, expected, 1e-6, 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("exercises the packed path and its edge tiles on larger sizes", () => {
    for (const [M, N, K] of [[33, 47, 65], [64, 64, 64], [5, 130, 7], [130, 5, 3]] as const) {
      for (const transB of [false, true]) {
        const A = randomFloats(M * K, M), B = randomFloats(K * N, N), C = new Float32Array(M * N);
        gemm(M, N, K, A, K, B, transB ? K : N, C, N, { transB });
        expectClose(C, referenceGemm(M, N, K, A, K, B, transB ? K : N, C, N, { transA: false, transB, alpha: 1, beta: 0 }));
      }
    }
  });

  it("rounds each output to f32 exactly once (f64 accumulation)", () => {
    // 2^24 + 1 + 1: an f32 running sum loses both 1s (2^24 + 1 rounds to 2^24); an f64 sum keeps
    // them and 2^24 + 2 is representable in f32.
    const A = new Float32Array([2 ** 24, 1, 1]);
    const B = new Float32Array([1, 1, 1]);
    const C = new Float32Array(1);
    gemm(1, 1, 3, A, 3, B, 1, C, 1);
    expect(C[0]).toBe(2 ** 24 + 2);
  });

  it("ignores NaN in C when beta is 0, and accumulate adds into C", () => {
    const A = new Float32Array([1, 2]), B = new Float32Array([3, 4]);
    const C = new Float32Array([NaN]);
    gemm(1, 1, 2, A, 2, B, 1, C, 1);
    expect(C[0]).toBe(11);
    gemm(1, 1, 2, A, 2, B, 1, C, 1, { accumulate: true });
    expect(C[0]).toBe(22);
  });

  it("rejects operands that are too short", () => {
    expect(() => gemm(2, 2, 2, new Float32Array(3), 2, new Float32Array(4), 2, new Float32Array(4), 2)).toThrow(/A has 3 elements, needs 4/);
    expect(() => gemm(2, 2, 2, new Float32Array(4), 1, new Float32Array(4), 2, new Float32Array(4), 2)).toThrow(/leading dimension of A/);
  });

  it("agrees with a naive triple loop on 256×256×256 (timing lives in bench/interp.ts)", () => {
    const n = 256;
    const A = randomFloats(n * n, 1), B = randomFloats(n * n, 2);
    const C1 = new Float32Array(n * n), C2 = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * B[k * n + j]!;
        C2[i * n + j] = s;
      }
    }
    gemm(n, n, n, A, n, B, n, C1, n);
    expectClose(C1, C2);
  });
});
