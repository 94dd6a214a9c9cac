/**
 * Matrix products on tensors: `matmul` (numpy/ONNX MatMul semantics with batch broadcasting and
 * optional transposition of the last two dims) and `fullyConnected` (TFLite FULLY_CONNECTED:
 * weights [N, K]). Both go through gemm.ts, so sums are f64 with one f32 rounding per output.
 */
import { broadcastShapes } from "./elementwise.js";
import { type F32Input, type F32Tensor, f32Tensor, shapeToString, stridesOf } from "./f32-tensor.js";
import { gemm } from "./gemm.js";

export interface MatmulOptions {
  /** Use the transpose of a's last two dims (ignored for 1-D a, as in numpy). */
  readonly transA?: boolean;
  /** Use the transpose of b's last two dims (ignored for 1-D b). */
  readonly transB?: boolean;
}

/**
 * numpy.matmul: a [..., M, K] · b [..., K, N] → [..., M, N], batch dims broadcast.
 * A 1-D a is treated as [1, K] and a 1-D b as [K, 1], and that unit dim is dropped from the result.
 */
export function matmul(a: F32Input, b: F32Input, options: MatmulOptions = {}): F32Tensor {
  if (a.shape.length === 0 || b.shape.length === 0) throw new RangeError("matmul: operands must have rank ≥ 1");
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  const transA = !aVec && (options.transA ?? false);
  const transB = !bVec && (options.transB ?? false);
  const aShape = aVec ? [1, a.shape[0]!] : a.shape;
  const bShape = bVec ? [b.shape[0]!, 1] : b.shape;
  const ar = aShape.length;
  const br = bShape.length;
  // Stored dims; op(A) is M×K and op(B) is K×N.
  const [aRows, aCols] = [aShape[ar - 2]!, aShape[ar - 1]!];
  const [bRows, bCols] = [bShape[br - 2]!, bShape[br - 1]!];
  const [M, K] = transA ? [aCols, aRows] : [aRows, aCols];
  const [Kb, N] = transB ? [bCols, bRows] : [bRows, bCols];
  if (K !== Kb) {
    throw new RangeError(`matmul: inner dimensions differ (${K} vs ${Kb}) for ${shapeToString(a.shape)} · ${shapeToString(b.shape)}`);
  }
  const aBatch = aShape.slice(0, ar - 2);
  const bBatch = bShape.slice(0, br - 2);
  const batch = broadcastShapes(aBatch, bBatch);

  const resultShape = [...batch];
  if (!aVec) resultShape.push(M);
  if (!bVec) resultShape.push(N);
  const out = f32Tensor(resultShape);
  const batchCount = batch.reduce((p, d) => p * d, 1);
  const aMat = aRows * aCols;
  const bMat = bRows * bCols;
  const cMat = M * N;
  const lda = aCols;
  const ldb = bCols;

  // b shared by every batch and a untransposed: stack all of a's rows into one tall gemm.
  if (bBatch.every((d) => d === 1) && !transA && aBatch.length === batch.length) {
    gemm(batchCount * M, N, K, a.data, lda, b.data, ldb, out.data, N, { transB });
    return out;
  }

  const aOffsets = batchOffsets(aBatch, batch, aMat);
  const bOffsets = batchOffsets(bBatch, batch, bMat);
  for (let i = 0; i < batchCount; i++) {
    gemm(M, N, K, a.data.subarray(aOffsets[i]!), lda, b.data.subarray(bOffsets[i]!), ldb, out.data.subarray(i * cMat), N, {
      transA,
      transB,
    });
  }
  return out;
}

/** Element offset of each broadcast batch index into an operand whose batch dims are `own` (right-aligned). */
function batchOffsets(own: readonly number[], batch: readonly number[], matrixSize: number): number[] {
  const count = batch.reduce((p, d) => p * d, 1);
  const offsets = new Array<number>(count);
  const lead = batch.length - own.length;
  const ownStrides = stridesOf(own);
  const index = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let off = 0;
    for (let d = 0; d < own.length; d++) {
      if (own[d] !== 1) off += index[lead + d]! * ownStrides[d]!;
    }
    offsets[i] = off * matrixSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++index[d]! < batch[d]!) break;
      index[d] = 0;
    }
  }
  return offsets;
}

export interface FullyConnectedOptions {
  /** Keep the input's leading dims ([..., N]); false flattens them to [rows, N] like TFLite's default. Default true. */
  readonly keepNumDims?: boolean;
}

/** TFLite FULLY_CONNECTED: input [..., K] · weightsᵀ, weights [N, K], + bias [N] → [..., N]. */
export function fullyConnected(
  input: F32Input,
  weights: F32Input,
  bias: F32Input | undefined,
  options: FullyConnectedOptions = {},
): F32Tensor {
  if (weights.shape.length !== 2) throw new RangeError(`fully_connected: weights must be [N, K], got ${shapeToString(weights.shape)}`);
  const [N, K] = weights.shape as [number, number];
  if (input.shape.length === 0 || input.data.length % K !== 0 || (options.keepNumDims !== false && input.shape[input.shape.length - 1] !== K)) {
    throw new RangeError(`fully_connected: input ${shapeToString(input.shape)} does not end in K = ${K}`);
  }
  if (bias !== undefined && bias.data.length !== N) {
    throw new RangeError(`fully_connected: bias has ${bias.data.length} elements, expected ${N}`);
  }
  const rows = input.data.length / K;
  const shape = options.keepNumDims === false ? [rows, N] : [...input.shape.slice(0, -1), N];
  const out = f32Tensor(shape);
  gemm(rows, N, K, input.data, K, weights.data, K, out.data, N, { transB: true, bias: bias?.data });
  return out;
}
