import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conv2d, convOutputSize, samePadding, validPadding, type Pads2d } from "../../dialects/float/kernels/conv2d.js";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { dim, expectClose, randomFloats, seedArb } from "./f32-check.js";
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permute, runOnnxOp } from "./ort-reference.js";

interface ConvCase {
  N: number; H: number; W: number; Cg: number; groups: number; Og: number; KH: number; KW: number;
  strides: [number, number]; dilations: [number, number]; pads: Pads2d; bias: boolean; seed: number;
}

/** Direct 7-loop convolution in f64, straight from the definition. */
function referenceConv(c: ConvCase, x: Float32Array, w: Float32Array, b: Float32Array | undefined): { shape: number[]; data: Float64Array } {
  const C = c.Cg * c.groups, O = c.Og * c.groups;
  const OH = Math.floor((c.H + c.pads[0] + c.pads[2] - (c.KH - 1) * c.dilations[0] - 1) / c.strides[0]) + 1;
  const OW = Math.floor((c.W + c.pads[1] + c.pads[3] - (c.KW - 1) * c.dilations[1] - 1) / c.strides[1]) + 1;
  const out = new Float64Array(c.N * OH * OW * O);
  for (let n = 0; n < c.N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let o = 0; o < O; o++) {
          const g = Math.floor(o / c.Og);
          let s = b ? b[o]! : 0;
          for (let kh = 0; kh < c.KH; kh++)
            for (let kw = 0; kw < c.KW; kw++)
              for (let ci = 0; ci < c.Cg; ci++) {
                const ih = oh * c.strides[0] - c.pads[0] + kh * c.dilations[0];
                const iw = ow * c.strides[1] - c.pads[1] + kw * c.dilations[1];
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                s += x[((n * c.H + ih) * c.W + iw) * C + g * c.Cg + ci]! * w[((o * c.KH + kh) * c.KW + kw) * c.Cg + ci]!;
              }
          out[((n * OH + oh) * OW + ow) * O + o] = s;
        }
  return { shape: [c.N, OH, OW, O], data: out };
}

const pair = (lo: number, hi: number): fc.Arbitrary<[number, number]> => fc.tuple(dim(lo, hi), dim(lo, hi));

const convCase: fc.Arbitrary<ConvCase> = fc.record({
  N: dim(1, 2), H: dim(1, 9), W: dim(1, 9), Cg: dim(1, 4), groups: dim(1, 3), Og: dim(1, 4), KH: dim(1, 3), KW: dim(1, 3),
  strides: pair(1, 3), dilations: pair(1, 2), pads: fc.tuple(dim(0, 2), dim(0, 2), dim(0, 2), dim(0, 2)), bias: fc.boolean(), seed: seedArb,
});

function tensorsFor(c: ConvCase) {
  const C = c.Cg * c.groups, O = c.Og * c.groups;
  const x = f32Tensor([c.N, c.H, c.W, C], randomFloats(c.N * c.H * c.W * C, c.seed));
  const w = f32Tensor([O, c.KH, c.KW, c.Cg], randomFloats(O * c.KH * c.KW * c.Cg, c.seed + 1));
  const b = c.bias ? f32Tensor([O], randomFloats(O, c.seed + 2)) : undefined;
  return { x, w, b };
}

function outputExists(c: ConvCase): boolean {
  return c.H + c.pads[0] + c.pads[2] >= (c.KH - 1) * c.dilations[0] + 1 && c.W + c.pads[1] + c.pads[3] >= (c.KW - 1) * c.dilations[1] + 1;
}

describe("conv2d", () => {
  it("matches a direct convolution for random shapes, strides, dilations, pads and groups", () => {
    fc.assert(
      fc.property(convCase, (c) => {
        fc.pre(outputExists(c));
        const { x, w, b } = tensorsFor(c);
        const y = conv2d(x, w, b, { strides: c.strides, dilations: c.dilations, pads: c.pads, groups: c.groups });
        const ref = referenceConv(c, x.data, w.data, b?.data);
        expect(y.shape).toEqual(ref.shape);
        expectClose(y.data, ref.data);
      }),
      { numRuns: 200 },
    );
  });

  it("takes the 1×1 gemm path with groups and bias", () => {
    fc.assert(
      fc.property(dim(1, 2), dim(1, 6), dim(1, 6), dim(1, 5), dim(1, 3), dim(1, 5), fc.boolean(), seedArb, (N, H, W, Cg, groups, Og, bias, seed) => {
        const c: ConvCase = { N, H, W, Cg, groups, Og, KH: 1, KW: 1, strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], bias, seed };
        const { x, w, b } = tensorsFor(c);
        const ref = referenceConv(c, x.data, w.data, b?.data);
        expectClose(conv2d(x, w, b, { groups }).data, ref.data);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects mismatched channels, groups and bias", () => {
    const x = f32Tensor([1, 4, 4, 4]);
    expect(() => conv2d(x, f32Tensor([2, 3, 3, 3]), undefined)).toThrow(/need 4 input channels per group/);
    expect(() => conv2d(x, f32Tensor([3, 3, 3, 2]), undefined, { groups: 2 })).toThrow(/2 groups must divide/);
    expect(() => conv2d(x, f32Tensor([2, 3, 3, 4]), f32Tensor([3]))).toThrow(/bias has 3 elements, expected 2/);
    expect(() => conv2d(x, f32Tensor([2, 5, 5, 4]), undefined)).toThrow(/empty output/);
    expect(() => conv2d(x, f32Tensor([2, 1, 1, 4]), undefined, { strides: [0, 1] })).toThrow(/strides must be integers ≥ 1/);
  });
});

describe("conv padding helpers", () => {
  it("SAME gives ceil(in / stride) outputs with the extra pixel at the end (upper) or start (lower)", () => {
    fc.assert(
      fc.property(dim(1, 20), dim(1, 20), dim(1, 5), dim(1, 5), dim(1, 4), dim(1, 4), dim(1, 3), dim(1, 3), (H, W, KH, KW, SH, SW, DH, DW) => {
        const upper = samePadding([H, W], [KH, KW], [SH, SW], [DH, DW]);
        const lower = samePadding([H, W], [KH, KW], [SH, SW], [DH, DW], "SAME_LOWER");
        expect(convOutputSize(H, KH, SH, DH, upper[0], upper[2])).toBe(Math.ceil(H / SH));
        expect(convOutputSize(W, KW, SW, DW, upper[1], upper[3])).toBe(Math.ceil(W / SW));
        expect(upper[2] - upper[0]).toBeGreaterThanOrEqual(0);
        expect(upper[2] - upper[0]).toBeLessThanOrEqual(1);
        expect(lower).toEqual([upper[2], upper[3], upper[0], upper[1]]);
      }),
    );
  });

  it("matches TFLite's worked example and VALID", () => {
    // in 5, k 3, stride 2 → out 3, total pad (3-1)·2+3-5 = 2 → 1 before, 1 after.
    expect(samePadding([5, 5], [3, 3], [2, 2])).toEqual([1, 1, 1, 1]);
    // in 6, k 3, stride 2 → out 3, total pad 1 → 0 before, 1 after (SAME_UPPER).
    expect(samePadding([6, 6], [3, 3], [2, 2])).toEqual([0, 0, 1, 1]);
    expect(validPadding()).toEqual([0, 0, 0, 0]);
  });
});

describe("conv2d against ONNX Runtime", () => {
  const cases: Array<{ name: string; c: ConvCase; autoPad?: string }> = [
    { name: "3×3, stride [2,1], dilation [1,2], asymmetric pads, bias", c: { N: 1, H: 7, W: 9, Cg: 3, groups: 1, Og: 4, KH: 3, KW: 3, strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1], bias: true, seed: 11 } },
    { name: "grouped 2×3, batch 2, no bias", c: { N: 2, H: 6, W: 5, Cg: 2, groups: 2, Og: 3, KH: 2, KW: 3, strides: [1, 1], dilations: [1, 1], pads: [0, 1, 0, 1], bias: false, seed: 22 } },
    { name: "pointwise 1×1, bias", c: { N: 1, H: 4, W: 5, Cg: 8, groups: 1, Og: 5, KH: 1, KW: 1, strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], bias: true, seed: 33 } },
    { name: "auto_pad SAME_UPPER, stride 2 (checks samePadding)", c: { N: 1, H: 8, W: 7, Cg: 3, groups: 1, Og: 6, KH: 3, KW: 3, strides: [2, 2], dilations: [1, 1], pads: samePadding([8, 7], [3, 3], [2, 2]), bias: true, seed: 44 }, autoPad: "SAME_UPPER" },
    { name: "depthwise as groups = C, larger values", c: { N: 1, H: 10, W: 10, Cg: 1, groups: 6, Og: 1, KH: 3, KW: 3, strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], bias: true, seed: 55 } },
  ];
  for (const { name, c, autoPad } of cases) {
    it(name, async () => {
      const { x, w, b } = tensorsFor(c);
      const attributes: Record<string, number | readonly number[] | string> = {
        kernel_shape: [c.KH, c.KW], strides: c.strides, dilations: c.dilations, group: c.groups,
        ...(autoPad ? { auto_pad: autoPad } : { pads: c.pads }),
      };
      const init: Record<string, { shape: readonly number[]; data: Float32Array }> = { W: permute(w, NHWC_TO_NCHW) };
      if (b) init["B"] = b;
      const ort = await runOnnxOp("Conv", { X: permute(x, NHWC_TO_NCHW) }, init, attributes);
      const expected = permute(ort, NCHW_TO_NHWC);
      const y = conv2d(x, w, b, { strides: c.strides, dilations: c.dilations, pads: c.pads, groups: c.groups });
      expect(y.shape).toEqual(expected.shape);
      expect(expected.data.some((v) => Math.abs(v) > 0.1)).toBe(true);
      // Agreement bound: max |diff| ≤ 1e-4 · max |ref| (ORT sums in f32, we sum in f64).
      expectClose(y.data, expected.data, 1e-4, 0);
    });
  }
});
