import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { logSoftmax, softmax } from "../../dialects/float/kernels/softmax.js";
import { dim, expectClose, indices, offsetOf, randomFloats, seedArb } from "./f32-check.js";
import { runOnnxOp } from "./ort-reference.js";

/** exp(x_i) / Σ_j exp(x_j) along `axis`, in f64 without the max shift (fine for the small inputs used). */
function reference(shape: number[], x: Float32Array, axis: number, log: boolean): Float64Array {
  const out = new Float64Array(x.length);
  for (const idx of indices(shape)) {
    let sum = 0;
    for (let k = 0; k < shape[axis]!; k++) {
      const j = [...idx];
      j[axis] = k;
      sum += Math.exp(x[offsetOf(j, shape)]!);
    }
    const v = x[offsetOf(idx, shape)]!;
    out[offsetOf(idx, shape)] = log ? v - Math.log(sum) : Math.exp(v) / sum;
  }
  return out;
}

describe("softmax", () => {
  it("matches the definition along any axis", () => {
    fc.assert(
      fc.property(
        fc.array(dim(1, 5), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({ shape: fc.constant(shape), axis: dim(-shape.length, shape.length - 1), log: fc.boolean(), seed: seedArb }),
        ),
        ({ shape, axis, log, seed }) => {
          const x = f32Tensor(shape, randomFloats(shape.reduce((p, d) => p * d, 1), seed, -5, 5));
          const y = (log ? logSoftmax : softmax)(x, axis);
          expect(y.shape).toEqual(shape);
          expectClose(y.data, reference(shape, x.data, axis < 0 ? axis + shape.length : axis, log), 1e-6, 1e-7);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is numerically stable for large logits and sums to 1", () => {
    const y = softmax(f32Tensor([2, 3], new Float32Array([1000, 1001, 1002, -1000, -1000, -1000])));
    expectClose(y.data, [0.09003057, 0.24472847, 0.66524096, 1 / 3, 1 / 3, 1 / 3], 1e-6);
    const z = logSoftmax(f32Tensor([2], new Float32Array([0, -200])));
    expect(z.data[1]).toBeCloseTo(-200, 4);
  });

  it("matches ONNX Runtime Softmax (opset 13) on axis 1", async () => {
    const x = f32Tensor([3, 7, 4], randomFloats(84, 3, -8, 8));
    const ort = await runOnnxOp("Softmax", { X: x }, {}, { axis: 1 });
    expectClose(softmax(x, 1).data, ort.data, 1e-5, 0);
  });
});
