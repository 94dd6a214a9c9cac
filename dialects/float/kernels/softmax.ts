/**
 * Softmax along one axis, numerically stable: exp(x − max) / Σ exp(x − max). Exponentials and
 * the sum are f64, each result rounded to f32 once.
 */
import { type F32Input, type F32Tensor, f32Tensor, normalizeAxis } from "./f32-tensor.js";

/** softmax(x) along `axis` (negative counts from the end; default the last axis, as TFLite and ONNX ≥ 13). */
export function softmax(x: F32Input, axis = -1): F32Tensor {
  return softmaxImpl(x, axis, false);
}

/** log(softmax(x)) computed as (x − max) − log Σ exp(x − max), which stays finite where softmax underflows. */
export function logSoftmax(x: F32Input, axis = -1): F32Tensor {
  return softmaxImpl(x, axis, true);
}

function softmaxImpl(x: F32Input, axis: number, log: boolean): F32Tensor {
  const rank = x.shape.length;
  const out = f32Tensor(x.shape);
  if (rank === 0) {
    out.data[0] = log ? 0 : 1;
    return out;
  }
  const ax = normalizeAxis(axis, rank, "softmax axis");
  const len = x.shape[ax]!;
  let inner = 1;
  for (let d = ax + 1; d < rank; d++) inner *= x.shape[d]!;
  const outer = len * inner === 0 ? 0 : x.data.length / (len * inner);
  const s = x.data;
  const d = out.data;
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let k = 0, p = base; k < len; k++, p += inner) if (s[p]! > max) max = s[p]!;
      let sum = 0;
      for (let k = 0, p = base; k < len; k++, p += inner) {
        const v = Math.exp(s[p]! - max);
        e[k] = v;
        sum += v;
      }
      if (log) {
        const logSum = Math.log(sum);
        for (let k = 0, p = base; k < len; k++, p += inner) d[p] = s[p]! - max - logSum;
      } else {
        for (let k = 0, p = base; k < len; k++, p += inner) d[p] = e[k]! / sum;
      }
    }
  }
  return out;
}
