/**
 * Local response normalization across the last (channel) axis, ONNX LRN's formula:
 * square_sum[c] = Σ x[c']² for c' in [c − floor((size − 1) / 2), c + ceil((size − 1) / 2)] (clipped
 * to the channels that exist), y = x / (bias + alpha / size · square_sum)^beta. Sums and powers are
 * f64, each result rounded to f32 once.
 */
import { type F32Input, type F32Tensor, f32Tensor } from "./f32-tensor.js";

export interface LrnParams {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly bias: number;
}

export function lrn(x: F32Input, p: LrnParams): F32Tensor {
  const rank = x.shape.length;
  if (rank === 0) throw new RangeError("lrn: input must have a channel axis (rank ≥ 1)");
  const out = f32Tensor(x.shape);
  const channels = x.shape[rank - 1]! | 0;
  if (channels === 0) return out;
  const before = Math.floor((p.size - 1) / 2);
  const after = Math.ceil((p.size - 1) / 2);
  const scale = p.alpha / p.size;
  const s = x.data;
  const d = out.data;
  const squares = new Float64Array(channels);
  for (let base = 0; base < s.length; base += channels) {
    for (let c = 0; c < channels; c++) squares[c] = s[base + c]! * s[base + c]!;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      const hi = Math.min(channels - 1, c + after);
      for (let k = Math.max(0, c - before); k <= hi; k++) sum += squares[k]!;
      d[base + c] = s[base + c]! / Math.pow(p.bias + scale * sum, p.beta);
    }
  }
  return out;
}
