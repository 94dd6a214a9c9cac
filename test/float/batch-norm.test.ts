import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchNorm, batchNormScaleShift } from "../../dialects/float/kernels/batch-norm.js";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { dim, expectClose, randomFloats, seedArb } from "./f32-check.js";
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permute, runOnnxOp } from "./ort-reference.js";

describe("batchNorm", () => {
  it("computes (x − mean) / sqrt(var + ε) · gamma + beta per last-axis channel", () => {
    fc.assert(
      fc.property(fc.array(dim(1, 4), { maxLength: 3 }), dim(1, 6), fc.boolean(), fc.constantFrom(1e-5, 1e-3), seedArb, (lead, C, affine, epsilon, seed) => {
        const count = lead.reduce((p, d) => p * d, 1) * C;
        const x = f32Tensor([...lead, C], randomFloats(count, seed, -3, 3));
        const mean = f32Tensor([C], randomFloats(C, seed + 1));
        const variance = f32Tensor([C], randomFloats(C, seed + 2, 0.01, 2));
        const gamma = affine ? f32Tensor([C], randomFloats(C, seed + 3)) : undefined;
        const beta = affine ? f32Tensor([C], randomFloats(C, seed + 4)) : undefined;
        const y = batchNorm(x, { mean, variance, gamma, beta, epsilon });
        expect(y.shape).toEqual(x.shape);
        const ref = Array.from(x.data, (v, i) => {
          const c = i % C;
          return ((v - mean.data[c]!) / Math.sqrt(variance.data[c]! + epsilon)) * (gamma?.data[c] ?? 1) + (beta?.data[c] ?? 0);
        });
        expectClose(y.data, ref, 1e-6, 1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it("exposes the folded scale and shift and checks parameter lengths", () => {
    const { scale, shift } = batchNormScaleShift(1, { mean: f32Tensor([1], new Float32Array([2])), variance: f32Tensor([1], new Float32Array([4])), epsilon: 0 });
    expect(scale[0]).toBe(0.5);
    expect(shift[0]).toBe(-1);
    expect(() => batchNorm(f32Tensor([2, 3]), { mean: f32Tensor([2]), variance: f32Tensor([3]) })).toThrow(/mean has 2 elements, expected 3/);
  });

  it("matches ONNX Runtime BatchNormalization (NCHW, transposed)", async () => {
    const x = f32Tensor([2, 5, 4, 3], randomFloats(120, 8, -2, 2));
    const p = (seed: number, lo = -1, hi = 1) => f32Tensor([3], randomFloats(3, seed, lo, hi));
    const [gamma, beta, mean, variance] = [p(1), p(2), p(3), p(4, 0.1, 2)];
    const ort = await runOnnxOp("BatchNormalization", { X: permute(x, NHWC_TO_NCHW) }, { scale: gamma, B: beta, mean, var: variance }, { epsilon: 0.001 });
    const y = batchNorm(x, { mean, variance, gamma, beta, epsilon: 0.001 });
    expectClose(y.data, permute(ort, NCHW_TO_NHWC).data, 1e-5, 0);
  });
});
