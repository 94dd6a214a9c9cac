/**
 * Inference batch normalization: y = (x − mean) / sqrt(var + ε) · gamma + beta, per channel on the
 * last axis (NHWC). Evaluated as x·scale + shift with scale and shift kept in f64 and one f32
 * rounding per output; ONNX Runtime does the same fold in f32, which agrees to ~1e-6 relative.
 */
import { type F32Input, type F32Tensor, f32Tensor, shapeToString } from "./f32-tensor.js";
import { simdBatchNorm } from "./simd-elementwise.js";

export interface BatchNormParams {
  readonly mean: F32Input;
  readonly variance: F32Input;
  /** Scale; default all ones. */
  readonly gamma?: F32Input;
  /** Offset; default all zeros. */
  readonly beta?: F32Input;
  /** Default 1e-5 (ONNX BatchNormalization). */
  readonly epsilon?: number;
}

export function batchNorm(x: F32Input, params: BatchNormParams): F32Tensor {
  const { scale, shift } = batchNormScaleShift(channelsOf(x), params);
  const out = f32Tensor(x.shape);
  const C = scale.length;
  const s = x.data;
  const d = out.data;
  if (simdBatchNorm(s, d, scale, shift)) return out;
  for (let o = 0; o < s.length; o += C) {
    for (let c = 0; c < C; c++) d[o + c] = s[o + c]! * scale[c]! + shift[c]!;
  }
  return out;
}

/**
 * The affine form of batch norm, y = x·scale + shift with scale = gamma / sqrt(var + ε) and
 * shift = beta − mean·scale, kept in f64. Also what fold-batch-norm multiplies into conv weights.
 */
export function batchNormScaleShift(channels: number, params: BatchNormParams): { scale: Float64Array; shift: Float64Array } {
  const eps = params.epsilon ?? 1e-5;
  const vectors = { mean: params.mean, variance: params.variance, gamma: params.gamma, beta: params.beta };
  for (const [name, v] of Object.entries(vectors)) {
    if (v !== undefined && v.data.length !== channels) {
      throw new RangeError(`batch_norm: ${name} has ${v.data.length} elements, expected ${channels} (one per channel)`);
    }
  }
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const k = (params.gamma?.data[c] ?? 1) / Math.sqrt(params.variance.data[c]! + eps);
    scale[c] = k;
    shift[c] = (params.beta?.data[c] ?? 0) - params.mean.data[c]! * k;
  }
  return { scale, shift };
}

function channelsOf(x: F32Input): number {
  if (x.shape.length === 0) throw new RangeError(`batch_norm: input must have a channel axis, got ${shapeToString(x.shape)}`);
  return x.shape[x.shape.length - 1]!;
}
