import { describe, expect, it } from "vitest";
import { makeTensor } from "../../src/interp/tensor.js";
import type { RoundingMode } from "../../src/interp/rounding.js";
import { conv2d } from "../../dialects/hw/kernels/conv2d.js";
import { fullyConnected } from "../../dialects/hw/kernels/fully-connected.js";
import { arr, def, endPadding, loadCmsisVectors, type CmsisVector } from "./conformance.js";

type Defines = Readonly<Record<string, number>>;
type Arrays = Readonly<Record<string, readonly number[]>>;

function runConv(d: Defines, a: Arrays, rounding: RoundingMode): number[] {
  const N = def(d, "INPUT_BATCHES");
  const H = def(d, "INPUT_H");
  const W = def(d, "INPUT_W");
  const IC = def(d, "IN_CH");
  const OC = def(d, "OUT_CH");
  const KH = def(d, "FILTER_Y");
  const KW = def(d, "FILTER_X");
  const sy = def(d, "STRIDE_Y");
  const sx = def(d, "STRIDE_X");
  const dy = def(d, "DILATION_Y", 1);
  const dx = def(d, "DILATION_X", 1);
  const pt = def(d, "PAD_Y");
  const pl = def(d, "PAD_X");
  const OH = def(d, "OUTPUT_H");
  const OW = def(d, "OUTPUT_W");
  const out = conv2d(
    makeTensor("i8", [N, H, W, IC], Int8Array.from(arr(a, "input"))),
    makeTensor("i8", [OC, KH, KW, IC], Int8Array.from(arr(a, "weights"))),
    makeTensor("i32", [OC], Int32Array.from(arr(a, "biases"))),
    {
      stride: [sy, sx],
      dilation: [dy, dx],
      pad: [pt, endPadding(H, KH, sy, dy, pt, OH), pl, endPadding(W, KW, sx, dx, pl, OW)],
      input_zp: -def(d, "INPUT_OFFSET"),
      output_zp: def(d, "OUTPUT_OFFSET"),
      multiplier: arr(a, "output_mult"),
      shift: arr(a, "output_shift"),
      act_min: def(d, "OUT_ACTIVATION_MIN"),
      act_max: def(d, "OUT_ACTIVATION_MAX"),
      rounding,
    },
  );
  expect(out.shape).toEqual([N, OH, OW, OC]);
  return Array.from(out.data as Int8Array);
}

function runFullyConnected(d: Defines, a: Arrays, rounding: RoundingMode): number[] {
  const IN = def(d, "ACCUMULATION_DEPTH");
  const OUT = def(d, "OUT_CH");
  const input = arr(a, "input");
  const out = fullyConnected(
    makeTensor("i8", [input.length / IN, IN], Int8Array.from(input)),
    makeTensor("i8", [OUT, IN], Int8Array.from(arr(a, "weights"))),
    makeTensor("i32", [OUT], Int32Array.from(arr(a, "biases"))),
    {
      input_zp: -def(d, "INPUT_OFFSET"),
      weight_zp: -def(d, "FILTER_OFFSET", 0),
      output_zp: def(d, "OUTPUT_OFFSET"),
      multiplier: [def(d, "OUTPUT_MULTIPLIER")],
      shift: [def(d, "OUTPUT_SHIFT")],
      act_min: def(d, "OUT_ACTIVATION_MIN"),
      act_max: def(d, "OUT_ACTIVATION_MAX"),
      rounding,
    },
  );
  expect(out.shape).toEqual([def(d, "INPUT_BATCHES"), OUT]);
  return Array.from(out.data as Int8Array);
}

function runShared(v: CmsisVector, rounding: RoundingMode): number[] {
  return v.name === "fully_connected" ? runFullyConnected(v.defines, v.arrays, rounding) : runConv(v.defines, v.arrays, rounding);
}

describe("CMSIS-NN conformance vectors (shared/conformance/cmsis-nn)", () => {
  const vectors = loadCmsisVectors();

  it("finds all 18 vectors", () => {
    expect(vectors.length).toBe(18);
  });

  describe.each(vectors.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    it("is bit-exact under gemmlowp (TFLite double rounding)", () => {
      expect(v.verifiedDouble).toBe(true);
      expect(runShared(v, "gemmlowp")).toEqual(arr(v.arrays, "output_ref"));
    });
    it("is bit-exact under double-round (TOSA apply_scale_32, equal to gemmlowp)", () => {
      expect(runShared(v, "double-round")).toEqual(arr(v.arrays, "output_ref"));
    });
    it(`${v.verifiedSingle ? "matches" : "differs from"} the reference under single-round`, () => {
      const single = runShared(v, "single-round");
      if (v.verifiedSingle) expect(single).toEqual(arr(v.arrays, "output_ref"));
      else expect(single).not.toEqual(arr(v.arrays, "output_ref"));
    });
  });

  it("single rounding tells exactly conv_2x2_dilation and kernel1x1_stride_x_y apart", () => {
    const differing = vectors
      .filter((v) => JSON.stringify(runShared(v, "single-round")) !== JSON.stringify(arr(v.arrays, "output_ref")))
      .map((v) => v.name);
    expect(differing).toEqual(["conv_2x2_dilation", "kernel1x1_stride_x_y"]);
  });
});
