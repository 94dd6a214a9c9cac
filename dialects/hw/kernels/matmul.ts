/**
 * hw.matmul: integer matrix product with zero points, ONNX MatMulInteger and QLinearMatMul semantics
 * (numpy matmul broadcasting over leading batch dims):
 *   acc[..., m, n] = Σ_k (a[..., m, k] − a_zp[m or 0]) · (b[..., k, n] − b_zp[n or 0])
 * accumulated in int32 (wrapping like C) for 8-bit `a`, exactly (64-bit) for 16-bit `a`; then either
 *   - no requantization: the int32 accumulator is the result (MatMulInteger), or
 *   - out = clamp(requantize(acc, multiplier/shift/scale[n or 0]) + output_zp, act_min, act_max)
 *     (QLinearMatMul: `rounding = half-even-float` with scale = a_scale·b_scale/y_scale; or the
 *     TFLite fixed-point form, QuantizeMultiplier + gemmlowp).
 * a_zp is per row (ONNX: scalar or 1-D of M), b_zp per column (scalar or 1-D of N); requantization
 * parameters are per column.
 */

import { makeTensor, integerRange, type Tensor } from "../../../src/interp/tensor.js";
import { allocateInt, isIntArray, outputStage, dtypeOfIntArray, type IntArray, type IntOutputType, type RequantAttrs } from "./output-stage.js";
import { broadcastBinary } from "./broadcast.js";

export interface MatMulAttrs {
  /** One, or one per row of `a` (M). */
  readonly a_zp: ArrayLike<number>;
  /** One, or one per column of `b` (N). */
  readonly b_zp: ArrayLike<number>;
  /** Absent: the int32 accumulator is the result. */
  readonly requant?: RequantAttrs;
  /** Default: i32 without requantization, else `a`'s storage type. */
  readonly output_type?: IntOutputType;
}

function zeroPoints(values: ArrayLike<number>, count: number, what: string): Float64Array {
  const out = new Float64Array(count);
  if (values.length === 1) out.fill(values[0]!);
  else if (values.length === count) for (let i = 0; i < count; i++) out[i] = values[i]!;
  else throw new RangeError(`matmul: ${what} must have 1 or ${count} entries, got ${values.length}`);
  return out;
}

/** Largest |v − zp| over the dtype's values and the given zero points. */
function maxMagnitude(data: IntArray, zps: Float64Array): number {
  const r = integerRange(dtypeOfIntArray(data));
  let m = 0;
  for (const zp of zps) m = Math.max(m, Math.abs(r.min - zp), Math.abs(r.max - zp));
  return m;
}

export function matmul(a: Tensor, b: Tensor, attrs: MatMulAttrs): Tensor {
  if (!isIntArray(a.data) || !isIntArray(b.data)) throw new RangeError("matmul: operands must be integer tensors");
  if (a.shape.length < 2 || b.shape.length < 2) throw new RangeError(`matmul: operands must have rank ≥ 2, got [${a.shape.join(",")}] and [${b.shape.join(",")}]`);
  const M = a.shape[a.shape.length - 2]!;
  const K = a.shape[a.shape.length - 1]!;
  const Kb = b.shape[b.shape.length - 2]!;
  const N = b.shape[b.shape.length - 1]!;
  if (K !== Kb) throw new RangeError(`matmul: inner dimensions differ (${K} vs ${Kb})`);
  const batch = broadcastBinary(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const aZp = zeroPoints(attrs.a_zp, M, "a_zp");
  const bZp = zeroPoints(attrs.b_zp, N, "b_zp");
  const wide = a.data instanceof Int16Array || a.data instanceof Uint16Array;
  // The sums below are exact doubles while |acc| ≤ 2^53 (the int32 path then wraps once, which equals
  // C's wrap after every add because reduction mod 2^32 commutes with + and ·).
  const bound = K * maxMagnitude(a.data, aZp) * maxMagnitude(b.data, bZp);
  if (!(bound <= 2 ** 53)) throw new RangeError(`matmul: accumulator bound ${bound} exceeds 2^53`);
  const requant = attrs.requant;
  if (requant === undefined && wide) throw new RangeError("matmul: a 16-bit input needs requantization");
  const outType = attrs.output_type ?? (requant === undefined ? "i32" : (dtypeOfIntArray(a.data) as IntOutputType));
  const stage = requant === undefined ? undefined : outputStage(requant, N, outType);
  const requantize = stage === undefined ? undefined : wide ? stage.requantWide : stage.requant;
  const outMin = stage?.min ?? integerRange(outType).min;
  const outMax = stage?.max ?? integerRange(outType).max;

  // b with its zero points removed, transposed to [batch][N][K] so the inner loop runs over contiguous k.
  const bBatches = b.data.length / (K * N);
  const bt = new Float64Array(b.data.length);
  for (let t = 0; t < bBatches; t++) {
    const base = t * K * N;
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) bt[base + n * K + k] = b.data[base + k * N + n]! - bZp[n]!;
  }
  const aData = a.data;
  const out = allocateInt(outType, batch.size * M * N);
  let o = 0;
  for (let t = 0; t < batch.size; t++) {
    const aBase = (batch.index1 === null ? t : batch.index1[t]!) * M * K;
    const bBase = (batch.index2 === null ? t : batch.index2[t]!) * K * N;
    for (let m = 0; m < M; m++) {
      const aRow = aBase + m * K;
      const zp = aZp[m]!;
      for (let n = 0; n < N; n++) {
        const bRow = bBase + n * K;
        let sum = 0;
        for (let k = 0; k < K; k++) sum += (aData[aRow + k]! - zp) * bt[bRow + k]!;
        const acc = wide ? sum : sum | 0;
        if (stage === undefined || requantize === undefined) {
          out[o++] = acc < outMin ? outMin : acc > outMax ? outMax : acc;
        } else {
          const v = requantize(acc, stage.multiplier[n]!, stage.shift[n]!, stage.scale[n]!) + stage.zp;
          out[o++] = v < outMin ? outMin : v > outMax ? outMax : v;
        }
      }
    }
  }
  return makeTensor(outType, [...batch.shape, M, N], out);
}
