import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pads2d } from "../../dialects/float/kernels/conv2d.js";
import { depthwiseConv2d } from "../../dialects/float/kernels/depthwise-conv2d.js";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { dim, expectClose, randomFloats, seedArb } from "./f32-check.js";
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permute, runOnnxOp } from "./ort-reference.js";

interface DwCase {
  N: number; H: number; W: number; C: number; M: number; KH: number; KW: number;
  strides: [number, number]; dilations: [number, number]; pads: Pads2d; bias: boolean; seed: number;
}

/** Straight from TFLite's definition: out[..., c·M + m] = Σ x[..., c] · w[0, kh, kw, c·M + m]. */
function reference(c: DwCase, x: Float32Array, w: Float32Array, b?: Float32Array): { shape: number[]; data: Float64Array } {
  const OH = Math.floor((c.H + c.pads[0] + c.pads[2] - (c.KH - 1) * c.dilations[0] - 1) / c.strides[0]) + 1;
  const OW = Math.floor((c.W + c.pads[1] + c.pads[3] - (c.KW - 1) * c.dilations[1] - 1) / c.strides[1]) + 1;
  const CM = c.C * c.M;
  const out = new Float64Array(c.N * OH * OW * CM);
  for (let n = 0; n < c.N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let ch = 0; ch < c.C; ch++)
          for (let m = 0; m < c.M; m++) {
            const oc = ch * c.M + m;
            let s = b ? b[oc]! : 0;
            for (let kh = 0; kh < c.KH; kh++)
              for (let kw = 0; kw < c.KW; kw++) {
                const ih = oh * c.strides[0] - c.pads[0] + kh * c.dilations[0];
                const iw = ow * c.strides[1] - c.pads[1] + kw * c.dilations[1];
                if (ih >= 0 && ih < c.H && iw >= 0 && iw < c.W) s += x[((n * c.H + ih) * c.W + iw) * c.C + ch]! * w[(kh * c.KW + kw) * CM + oc]!;
              }
            out[((n * OH + oh) * OW + ow) * CM + oc] = s;
          }
  return { shape: [c.N, OH, OW, CM], data: out };
}

function tensorsFor(c: DwCase) {
  const CM = c.C * c.M;
  return {
    x: f32Tensor([c.N, c.H, c.W, c.C], randomFloats(c.N * c.H * c.W * c.C, c.seed)),
    w: f32Tensor([1, c.KH, c.KW, CM], randomFloats(c.KH * c.KW * CM, c.seed + 1)),
    b: c.bias ? f32Tensor([CM], randomFloats(CM, c.seed + 2)) : undefined,
  };
}

const dwCase: fc.Arbitrary<DwCase> = fc.record({
  N: dim(1, 2), H: dim(1, 8), W: dim(1, 8), C: dim(1, 5), M: dim(1, 3), KH: dim(1, 3), KW: dim(1, 3),
  strides: fc.tuple(dim(1, 3), dim(1, 3)), dilations: fc.tuple(dim(1, 2), dim(1, 2)),
  pads: fc.tuple(dim(0, 2), dim(0, 2), dim(0, 2), dim(0, 2)), bias: fc.boolean(), seed: seedArb,
});

describe("depthwiseConv2d", () => {
  it("matches the definition for random shapes and depth multipliers", () => {
    fc.assert(
      fc.property(dwCase, (c) => {
        fc.pre(c.H + c.pads[0] + c.pads[2] >= (c.KH - 1) * c.dilations[0] + 1 && c.W + c.pads[1] + c.pads[3] >= (c.KW - 1) * c.dilations[1] + 1);
        const { x, w, b } = tensorsFor(c);
        const y = depthwiseConv2d(x, w, b, { strides: c.strides, dilations: c.dilations, pads: c.pads });
        const ref = reference(c, x.data, w.data, b?.data);
        expect(y.shape).toEqual(ref.shape);
        expectClose(y.data, ref.data);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects weights that do not match the channels", () => {
    expect(() => depthwiseConv2d(f32Tensor([1, 4, 4, 3]), f32Tensor([1, 3, 3, 4]), undefined)).toThrow(/depth multiplier/);
    expect(() => depthwiseConv2d(f32Tensor([1, 4, 4, 3]), f32Tensor([2, 3, 3, 3]), undefined)).toThrow(/\[1, KH, KW, C·M\]/);
  });

  it("matches ONNX Runtime Conv with group = C (depth multiplier 2, stride 2, pads)", async () => {
    const c: DwCase = { N: 1, H: 9, W: 8, C: 4, M: 2, KH: 3, KW: 3, strides: [2, 2], dilations: [1, 1], pads: [1, 1, 1, 0], bias: true, seed: 7 };
    const { x, w, b } = tensorsFor(c);
    // TFLite [1, KH, KW, C·M] → ONNX OIHW [C·M, 1, KH, KW].
    const ort = await runOnnxOp("Conv", { X: permute(x, NHWC_TO_NCHW) }, { W: permute(w, [3, 0, 1, 2]), B: b! }, {
      kernel_shape: [3, 3], strides: c.strides, pads: c.pads, group: c.C,
    });
    const expected = permute(ort, NCHW_TO_NHWC);
    const y = depthwiseConv2d(x, w, b, { strides: c.strides, pads: c.pads });
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.data, expected.data, 1e-4, 0);
  });
});
