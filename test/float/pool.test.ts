import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pads2d } from "../../dialects/float/kernels/conv2d.js";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { avgPool2d, globalAvgPool2d, maxPool2d, mean, type Pool2dOptions } from "../../dialects/float/kernels/pool.js";
import { dim, expectClose, indices, offsetOf, randomFloats, seedArb } from "./f32-check.js";
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permute, runOnnxOp } from "./ort-reference.js";

interface PoolCase {
  N: number; H: number; W: number; C: number; kernel: [number, number]; strides: [number, number];
  pads: Pads2d; countIncludePad: boolean; seed: number;
}

/** Per output element, scan the window in the padded frame; track what is inside the input and the padded frame. */
function reference(kind: "max" | "avg", c: PoolCase): { shape: number[]; data: Float64Array } {
  const x = randomFloats(c.N * c.H * c.W * c.C, c.seed);
  const [KH, KW] = c.kernel, [SH, SW] = c.strides, [pt, pl, pb, pr] = c.pads;
  const OH = Math.floor((c.H + pt + pb - KH) / SH) + 1, OW = Math.floor((c.W + pl + pr - KW) / SW) + 1;
  const out = new Float64Array(c.N * OH * OW * c.C);
  let o = 0;
  for (let n = 0; n < c.N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let ch = 0; ch < c.C; ch++) {
          let best = -Infinity, sum = 0, inside = 0, framed = 0;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * SH - pt + kh, iw = ow * SW - pl + kw;
              framed++;
              if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
              const v = x[((n * c.H + ih) * c.W + iw) * c.C + ch]!;
              best = Math.max(best, v); sum += v; inside++;
            }
          out[o++] = kind === "max" ? best : sum / (c.countIncludePad ? framed : inside);
        }
  return { shape: [c.N, OH, OW, c.C], data: out };
}

const poolCase: fc.Arbitrary<PoolCase> = fc.record({
  N: dim(1, 2), H: dim(1, 7), W: dim(1, 7), C: dim(1, 4), kernel: fc.tuple(dim(1, 3), dim(1, 3)), strides: fc.tuple(dim(1, 3), dim(1, 3)),
  pads: fc.tuple(dim(0, 1), dim(0, 1), dim(0, 1), dim(0, 1)), countIncludePad: fc.boolean(), seed: seedArb,
});

// Pads smaller than the kernel (ONNX requires it) so no window lies wholly in padding.
const valid = (c: PoolCase) =>
  c.pads[0] < c.kernel[0] && c.pads[2] < c.kernel[0] && c.pads[1] < c.kernel[1] && c.pads[3] < c.kernel[1] &&
  c.H + c.pads[0] + c.pads[2] >= c.kernel[0] && c.W + c.pads[1] + c.pads[3] >= c.kernel[1];

describe("maxPool2d / avgPool2d", () => {
  for (const kind of ["max", "avg"] as const) {
    it(`${kind} pool matches a direct window scan`, () => {
      fc.assert(
        fc.property(poolCase, (c) => {
          fc.pre(valid(c));
          const x = f32Tensor([c.N, c.H, c.W, c.C], randomFloats(c.N * c.H * c.W * c.C, c.seed));
          const options: Pool2dOptions = { kernel: c.kernel, strides: c.strides, pads: c.pads, countIncludePad: c.countIncludePad };
          const y = kind === "max" ? maxPool2d(x, options) : avgPool2d(x, options);
          const ref = reference(kind, c);
          expect(y.shape).toEqual(ref.shape);
          expectClose(y.data, ref.data);
        }),
        { numRuns: 200 },
      );
    });
  }

  it("max pool propagates NaN", () => {
    const x = f32Tensor([1, 1, 3, 1], new Float32Array([1, NaN, 2]));
    expect(Number.isNaN(maxPool2d(x, { kernel: [1, 3] }).data[0])).toBe(true);
  });

  const ortCases: Array<{ name: string; op: "MaxPool" | "AveragePool"; options: Pool2dOptions; attrs: Record<string, number | number[]> }> = [
    { name: "AveragePool count_include_pad=1 with pads", op: "AveragePool", options: { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true }, attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 } },
    { name: "AveragePool count_include_pad=0 with pads", op: "AveragePool", options: { kernel: [3, 2], strides: [1, 2], pads: [1, 0, 1, 1] }, attrs: { kernel_shape: [3, 2], strides: [1, 2], pads: [1, 0, 1, 1] } },
    { name: "MaxPool ceil_mode with dilations", op: "MaxPool", options: { kernel: [2, 2], strides: [2, 2], dilations: [1, 2], ceilMode: true }, attrs: { kernel_shape: [2, 2], strides: [2, 2], dilations: [1, 2], ceil_mode: 1 } },
  ];
  for (const { name, op, options, attrs } of ortCases) {
    it(`matches ONNX Runtime ${name}`, async () => {
      const x = f32Tensor([2, 7, 8, 3], randomFloats(2 * 7 * 8 * 3, 5));
      const ort = permute(await runOnnxOp(op, { X: permute(x, NHWC_TO_NCHW) }, {}, attrs, 19), NCHW_TO_NHWC);
      const y = op === "MaxPool" ? maxPool2d(x, options) : avgPool2d(x, options);
      expect(y.shape).toEqual(ort.shape);
      expectClose(y.data, ort.data, 1e-5, 0);
    });
  }
});

describe("mean / globalAvgPool2d", () => {
  it("averages over any set of axes, with and without keepdims", () => {
    fc.assert(
      fc.property(
        fc.array(dim(1, 4), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({ shape: fc.constant(shape), axes: fc.subarray(shape.map((_, i) => i)), negate: fc.boolean(), keep: fc.boolean(), seed: seedArb }),
        ),
        ({ shape, axes, negate, keep, seed }) => {
          const x = f32Tensor(shape, randomFloats(shape.reduce((p, d) => p * d, 1), seed));
          const y = mean(x, axes.map((a) => (negate ? a - shape.length : a)), keep);
          const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
          expect(y.shape).toEqual(keep ? keptShape : shape.filter((_, i) => !axes.includes(i)));
          const sums = new Float64Array(y.data.length);
          for (const idx of indices(shape)) {
            const target = idx.map((v, i) => (axes.includes(i) ? 0 : v));
            sums[offsetOf(target, keptShape)] += x.data[offsetOf(idx, shape)]!;
          }
          const count = axes.reduce((p, a) => p * shape[a]!, 1);
          expectClose(y.data, sums.map((s) => s / count));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("global average pool is the mean over H and W", () => {
    const x = f32Tensor([2, 3, 4, 5], randomFloats(120, 9));
    const y = globalAvgPool2d(x);
    expect(y.shape).toEqual([2, 1, 1, 5]);
    expect(Array.from(y.data)).toEqual(Array.from(mean(x, [1, 2]).data));
  });

  it("rejects repeated or out-of-range axes", () => {
    expect(() => mean(f32Tensor([2, 3]), [1, -1])).toThrow(/listed twice/);
    expect(() => mean(f32Tensor([2, 3]), [2])).toThrow(/out of range/);
  });
});
