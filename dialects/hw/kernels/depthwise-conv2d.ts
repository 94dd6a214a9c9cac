/**
 * hw.depthwise_conv2d: integer depthwise convolution with fused requantization and clamp.
 *
 * TFLite reference_integer_ops::DepthwiseConvPerChannel, CMSIS-NN arm_depthwise_conv_s8:
 *   output channel o = c·M + m (M = depth multiplier) reads input channel c only;
 *   acc[n,y,x,o] = Σ_{ky,kx} (in[n, y·sy − pt + ky·dy, x·sx − pl + kx·dx, c] − input_zp) · w[0,ky,kx,o] + bias[o]
 *   out = clamp(requantize(acc, multiplier[o], shift[o]) + output_zp, act_min, act_max)
 * Weights `[1, KH, KW, C·M]` (TFLite layout; per-channel quantization on dim 3). Accumulation width
 * as in conv2d (int32 wrap for 8-bit activations, exact 64-bit for 16-bit).
 *
 * Loop order: per output pixel, taps outer and channels inner, so both the input pixel and the
 * weight row are read contiguously; partial sums live in one channel-sized buffer per call.
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import {
  allocateInt,
  biasValues,
  intOutputTypeOf,
  isIntArray,
  isWideAccumulation,
  outputStage,
  type IntOutputType,
  type RequantAttrs,
} from "./output-stage.js";
import { offsetCopy } from "./dot.js";
import { dims4, window2D, type WindowAttrs } from "./window.js";

export interface DepthwiseConv2DAttrs extends WindowAttrs, RequantAttrs {
  readonly input_zp: number;
  readonly weight_zp?: number;
  /** Output channels per input channel; default: weight channels / input channels. */
  readonly depth_multiplier?: number;
  readonly output_type?: IntOutputType;
}

export function depthwiseConv2d(input: Tensor, weights: Tensor, bias: Tensor | undefined, attrs: DepthwiseConv2DAttrs): Tensor {
  if (!isIntArray(input.data) || !isIntArray(weights.data)) throw new RangeError("depthwise_conv2d: input and weights must be integer tensors");
  const inp = input.data;
  const w = weights.data;
  const [N, H, W, C] = dims4(input.shape, "depthwise_conv2d input");
  const [one, KH, KW, OC] = dims4(weights.shape, "depthwise_conv2d weights");
  const M = attrs.depth_multiplier ?? OC / C;
  if (one !== 1 || !Number.isInteger(M) || M < 1 || C * M !== OC) {
    throw new RangeError(`depthwise_conv2d: weights [${weights.shape.join(",")}] do not fit ${C} input channels with depth multiplier ${M}`);
  }
  const win = window2D(attrs, H, W, KH, KW);
  const OH = win.y.outSize;
  const OW = win.x.outSize;
  const outType = attrs.output_type ?? intOutputTypeOf(input.dtype);
  const stage = outputStage(attrs, OC, outType);
  const wide = isWideAccumulation(inp, bias?.data);
  const weightZp = attrs.weight_zp ?? 0;
  const biasN = biasValues(bias?.data, OC, wide, inp, attrs.input_zp, w, weightZp, KH * KW);
  const out = allocateInt(outType, N * OH * OW * OC);
  // Exact partial sums in doubles (bound checked by biasValues); the int32 path wraps once at the end,
  // which equals C's wrap after every add (reduction mod 2^32 commutes with + and ·).
  const acc = new Float64Array(OC);
  const xs = offsetCopy(inp, -attrs.input_zp);
  const ws = weightZp === 0 ? w : offsetCopy(w, -weightZp);
  const { multiplier, shift, scale, zp, min, max } = stage;
  const requant = wide ? stage.requantWide : stage.requant;
  const dy = win.dilationY;
  const dx = win.dilationX;

  let o = 0;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = win.y.origin[oy]!;
      const ky0 = win.y.tapBegin[oy]!;
      const ky1 = win.y.tapEnd[oy]!;
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = win.x.origin[ox]!;
        const kx0 = win.x.tapBegin[ox]!;
        const kx1 = win.x.tapEnd[ox]!;
        acc.set(biasN);
        for (let ky = ky0; ky < ky1; ky++) {
          const inRow = ((b * H + iy0 + ky * dy) * W + ix0) * C;
          const wRow = ky * KW * OC;
          for (let kx = kx0; kx < kx1; kx++) {
            const ip = inRow + kx * dx * C;
            const wp = wRow + kx * OC;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[c] = acc[c]! + xs[ip + c]! * ws[wp + c]!;
            } else {
              for (let c = 0, oc = 0; c < C; c++) {
                const v = xs[ip + c]!;
                for (let m = 0; m < M; m++, oc++) acc[oc] = acc[oc]! + v * ws[wp + oc]!;
              }
            }
          }
        }
        for (let oc = 0; oc < OC; oc++) {
          const a = wide ? acc[oc]! : acc[oc]! | 0;
          const v = requant(a, multiplier[oc]!, shift[oc]!, scale[oc]!) + zp;
          out[o++] = v < min ? min : v > max ? max : v;
        }
      }
    }
  }
  return makeTensor(outType, [N, OH, OW, OC], out);
}
