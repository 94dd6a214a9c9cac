/**
 * 2-D convolution, NHWC activations × OHWI weights (TFLite's layout), with strides, dilations,
 * explicit pads, groups and an optional bias.
 *
 * Runs on the WebAssembly SIMD kernel (simd-conv.ts) wherever WebAssembly SIMD exists (Node ≥ 16.4):
 * f32 accumulation, each product and sum rounded (Math.fround semantics) in (kh, kw, c) order, then
 * the bias added with one more rounding; ~10× the speed of the scalar path. 3×3 stride-1 layers with
 * ≥ 16 channels use Winograd F(2×2, 3×3) there instead (same accuracy, another rounding sequence;
 * see simd-winograd.ts). Without SIMD it falls
 * back to im2col + gemm.ts (f64 sums, one f32 rounding per output, bias before that rounding). The two
 * differ by a few f32 ulps of the partial sums, well inside the 1e-4 agreement with ONNX Runtime.
 */
import { type F32Input, type F32Tensor, checkedInts, f32Tensor, intDims, shapeToString } from "./f32-tensor.js";
import { gemm } from "./gemm.js";
import { simdConv2d } from "./simd-conv.js";

/** Padding as [top, left, bottom, right], in input pixels. */
export type Pads2d = readonly [number, number, number, number];

export interface Conv2dOptions {
  /** [strideH, strideW]; default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** [dilationH, dilationW]; default [1, 1]. */
  readonly dilations?: readonly [number, number];
  /** [top, left, bottom, right]; default no padding. Use `samePadding` for SAME / SAME_UPPER. */
  readonly pads?: Pads2d;
  /** Input and output channels are split into this many independent groups; default 1. */
  readonly groups?: number;
}

/** Output extent of one spatial dim (ONNX/TFLite formula, floor rounding). */
export function convOutputSize(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padBegin: number,
  padEnd: number,
): number {
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((input + padBegin + padEnd - effective) / stride) + 1;
}

/**
 * Pads for TFLite `SAME` / ONNX `auto_pad=SAME_UPPER` (the odd extra pixel goes at the end) or
 * ONNX `SAME_LOWER` (at the start): output = ceil(input / stride), total padding
 * max((out − 1)·stride + effectiveKernel − input, 0).
 */
export function samePadding(
  inputHW: readonly [number, number],
  kernelHW: readonly [number, number],
  strides: readonly [number, number] = [1, 1],
  dilations: readonly [number, number] = [1, 1],
  mode: "SAME_UPPER" | "SAME_LOWER" = "SAME_UPPER",
): Pads2d {
  const split = (dim: 0 | 1): [number, number] => {
    const out = Math.ceil(inputHW[dim] / strides[dim]);
    const effective = (kernelHW[dim] - 1) * dilations[dim] + 1;
    const total = Math.max((out - 1) * strides[dim] + effective - inputHW[dim], 0);
    const small = Math.floor(total / 2);
    return mode === "SAME_UPPER" ? [small, total - small] : [total - small, small];
  };
  const [top, bottom] = split(0);
  const [left, right] = split(1);
  return [top, left, bottom, right];
}

/** TFLite `VALID` / ONNX `auto_pad=VALID`: no padding. */
export function validPadding(): Pads2d {
  return [0, 0, 0, 0];
}

/**
 * conv2d: input [N, H, W, C], weights [O, KH, KW, C/groups], bias [O] → output [N, OH, OW, O].
 * On the scalar fallback, a 1×1, stride-1, unpadded convolution is a plain gemm over the input rows
 * (no im2col copy). The weights array must not be changed in place between calls: the SIMD kernel
 * keeps its packing per array (a sampled check catches most edits, not all).
 */
export function conv2d(input: F32Input, weights: F32Input, bias: F32Input | undefined, options: Conv2dOptions = {}): F32Tensor {
  const [strideH, strideW] = checkedInts("conv2d", "strides", options.strides ?? [1, 1], 2, 1) as [number, number];
  const [dilH, dilW] = checkedInts("conv2d", "dilations", options.dilations ?? [1, 1], 2, 1) as [number, number];
  const [padT, padL, padB, padR] = checkedInts("conv2d", "pads", options.pads ?? [0, 0, 0, 0], 4, 0) as [number, number, number, number];
  const [groups] = checkedInts("conv2d", "groups", [options.groups ?? 1], 1, 1) as [number];
  if (input.shape.length !== 4) throw new RangeError(`conv2d: input must be NHWC (rank 4), got ${shapeToString(input.shape)}`);
  if (weights.shape.length !== 4) throw new RangeError(`conv2d: weights must be OHWI (rank 4), got ${shapeToString(weights.shape)}`);
  const [N, H, W, C] = intDims(input.shape) as [number, number, number, number];
  const [O, KH, KW, Cg] = intDims(weights.shape) as [number, number, number, number];
  if (C % groups !== 0 || O % groups !== 0) {
    throw new RangeError(`conv2d: ${groups} groups must divide input channels ${C} and output channels ${O}`);
  }
  if (Cg !== C / groups) {
    throw new RangeError(`conv2d: weights ${shapeToString(weights.shape)} need ${C / groups} input channels per group (input ${shapeToString(input.shape)}, groups ${groups})`);
  }
  if (bias !== undefined && bias.data.length !== O) {
    throw new RangeError(`conv2d: bias has ${bias.data.length} elements, expected ${O}`);
  }
  const OH = convOutputSize(H, KH, strideH, dilH, padT, padB);
  const OW = convOutputSize(W, KW, strideW, dilW, padL, padR);
  if (OH < 1 || OW < 1) throw new RangeError(`conv2d: empty output (${OH}×${OW}) for input ${shapeToString(input.shape)}`);

  const out = f32Tensor([N, OH, OW, O]);
  const geometry = { N, H, W, C, O, KH, KW, strideH, strideW, dilH, dilW, padT, padL, padB, padR, groups, OH, OW };
  if (simdConv2d(input.data, weights.data, bias?.data, out.data, geometry)) return out;

  const Og = O / groups;
  const patch = KH * KW * Cg;
  const x = input.data;
  const w = weights.data;
  const y = out.data;

  const pointwise = KH === 1 && KW === 1 && strideH === 1 && strideW === 1 && padT === 0 && padL === 0 && padB === 0 && padR === 0;
  if (pointwise) {
    // Every pixel of every image is one row of an [N·H·W, C] matrix; each group reads its channel slice.
    for (let g = 0; g < groups; g++) {
      gemm(N * H * W, Og, Cg, x.subarray(g * Cg), C, w.subarray(g * Og * Cg), Cg, y.subarray(g * Og), O, {
        transB: true,
        bias: bias?.data.subarray(g * Og),
      });
    }
    return out;
  }

  // im2col: one row per output pixel, columns in (kh, kw, c) order to match the OHWI weight rows.
  const rows = OH * OW;
  const cols = new Float32Array(rows * patch);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      im2col(x, n, H, W, C, g * Cg, Cg, KH, KW, strideH, strideW, dilH, dilW, padT, padL, OH, OW, cols);
      gemm(rows, Og, patch, cols, patch, w.subarray(g * Og * patch), patch, y.subarray(n * rows * O + g * Og), O, {
        transB: true,
        bias: bias?.data.subarray(g * Og),
      });
    }
  }
  return out;
}

/** Fills `cols` ([OH·OW, KH·KW·Cg]) with the receptive fields of image n, channels c0..c0+Cg; padding reads as 0. */
function im2col(
  x: Float32Array,
  n: number,
  H: number,
  W: number,
  C: number,
  c0: number,
  Cg: number,
  KH: number,
  KW: number,
  strideH: number,
  strideW: number,
  dilH: number,
  dilW: number,
  padT: number,
  padL: number,
  OH: number,
  OW: number,
  cols: Float32Array,
): void {
  const image = n * H * W * C;
  let dst = 0;
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) {
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * strideH - padT + kh * dilH;
        const rowInside = ih >= 0 && ih < H;
        for (let kw = 0; kw < KW; kw++) {
          const iw = ow * strideW - padL + kw * dilW;
          if (rowInside && iw >= 0 && iw < W) {
            const src = image + (ih * W + iw) * C + c0;
            // A view + bulk copy only pays off for longer channel runs.
            if (Cg >= 16) cols.set(x.subarray(src, src + Cg), dst);
            else for (let c = 0; c < Cg; c++) cols[dst + c] = x[src + c]!;
          } else {
            for (let c = 0; c < Cg; c++) cols[dst + c] = 0;
          }
          dst += Cg;
        }
      }
    }
  }
}
