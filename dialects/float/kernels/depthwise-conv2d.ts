/**
 * Depthwise 2-D convolution in TFLite's layout: input [N, H, W, C], weights [1, KH, KW, C·M],
 * bias [C·M] → output [N, OH, OW, C·M], where output channel c·M + m reads only input channel c
 * (M is the depth multiplier). Direct loops; sums in f64, one f32 rounding per output.
 */
import { convOutputSize, type Pads2d } from "./conv2d.js";
import { type F32Input, type F32Tensor, checkedInts, f32Tensor, intDims, shapeToString } from "./f32-tensor.js";

export interface DepthwiseConv2dOptions {
  readonly strides?: readonly [number, number];
  readonly dilations?: readonly [number, number];
  /** [top, left, bottom, right]; default no padding. */
  readonly pads?: Pads2d;
  /** Output channels per input channel; default (weights' last dim) / C. */
  readonly depthMultiplier?: number;
}

export function depthwiseConv2d(
  input: F32Input,
  weights: F32Input,
  bias: F32Input | undefined,
  options: DepthwiseConv2dOptions = {},
): F32Tensor {
  const [strideH, strideW] = checkedInts("depthwise_conv2d", "strides", options.strides ?? [1, 1], 2, 1) as [number, number];
  const [dilH, dilW] = checkedInts("depthwise_conv2d", "dilations", options.dilations ?? [1, 1], 2, 1) as [number, number];
  const [padT, padL, padB, padR] = checkedInts("depthwise_conv2d", "pads", options.pads ?? [0, 0, 0, 0], 4, 0) as [number, number, number, number];
  if (input.shape.length !== 4) throw new RangeError(`depthwise_conv2d: input must be NHWC (rank 4), got ${shapeToString(input.shape)}`);
  if (weights.shape.length !== 4 || weights.shape[0] !== 1) {
    throw new RangeError(`depthwise_conv2d: weights must be [1, KH, KW, C·M], got ${shapeToString(weights.shape)}`);
  }
  const [N, H, W, C] = intDims(input.shape) as [number, number, number, number];
  const [, KH, KW, CM] = intDims(weights.shape) as [number, number, number, number];
  const M = (options.depthMultiplier ?? CM / C) | 0;
  if (M < 1 || C * M !== CM) {
    throw new RangeError(`depthwise_conv2d: weights ${shapeToString(weights.shape)} do not match ${C} input channels × depth multiplier ${M}`);
  }
  if (bias !== undefined && bias.data.length !== CM) {
    throw new RangeError(`depthwise_conv2d: bias has ${bias.data.length} elements, expected ${CM}`);
  }
  const OH = convOutputSize(H, KH, strideH, dilH, padT, padB);
  const OW = convOutputSize(W, KW, strideW, dilW, padL, padR);
  if (OH < 1 || OW < 1) throw new RangeError(`depthwise_conv2d: empty output (${OH}×${OW}) for input ${shapeToString(input.shape)}`);

  const out = f32Tensor([N, OH, OW, CM]);
  const x = input.data;
  const w = weights.data;
  const b = bias?.data;
  const y = out.data;
  const acc = new Float64Array(CM);
  let dst = 0;
  for (let n = 0; n < N; n++) {
    const image = n * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        if (b !== undefined) for (let k = 0; k < CM; k++) acc[k] = b[k]!;
        else acc.fill(0);
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * strideH - padT + kh * dilH;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * strideW - padL + kw * dilW;
            if (iw < 0 || iw >= W) continue;
            const src = image + (ih * W + iw) * C;
            const wRow = (kh * KW + kw) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[c] = acc[c]! + x[src + c]! * w[wRow + c]!;
            } else {
              for (let c = 0, k = 0; c < C; c++) {
                const xv = x[src + c]!;
                for (let m = 0; m < M; m++, k++) acc[k] = acc[k]! + xv * w[wRow + k]!;
              }
            }
          }
        }
        for (let k = 0; k < CM; k++) y[dst + k] = acc[k]!;
        dst += CM;
      }
    }
  }
  return out;
}
