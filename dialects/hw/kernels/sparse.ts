/**
 * hw.sparse_fully_connected / hw.sparse_conv2d (1×1): fully connected with block-sparse weights.
 *
 * Layout (block CSR). The dense weights are `[OUT, IN]` (for the 1×1 conv, OHWI `[OUT, 1, 1, IN]`
 * with the two unit dims dropped), cut into blocks of `block_shape = [bh, bw]`: `R = OUT / bh` row
 * blocks (output channels) and `C = IN / bw` column blocks (input channels).
 * - `row_ptr` (i32, R + 1 entries): the stored blocks of row block r are `row_ptr[r] ≤ k < row_ptr[r+1]`;
 *   `row_ptr[0] = 0`, non-decreasing, `row_ptr[R] = nnzb`.
 * - `col_idx` (i32, nnzb entries): the column block of stored block k, strictly increasing within a row block.
 * - `values` (i8/u8, `[nnzb, bh, bw]`): block k, row-major: `values[k, i, j]` is the dense weight
 *   `w[r·bh + i, col_idx[k]·bw + j]`.
 * Blocks not stored hold `weight_zp` (a real zero), so they contribute nothing to any sum, and the
 * result equals hw.fully_connected / hw.conv2d on the densified weights (`densifyBlockSparse`), bit for bit.
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import { offsetCopy } from "./dot.js";
import {
  allocateInt,
  biasValues,
  intOutputTypeOf,
  isIntArray,
  isWideAccumulation,
  outputStage,
  type IntArray,
  type IntOutputType,
  type RequantAttrs,
} from "./output-stage.js";
import { dims4 } from "./window.js";

export interface BlockSparseWeights {
  /** `[bh, bw]`. */
  readonly blockShape: readonly [number, number];
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** `nnzb · bh · bw` weights, block after block, each row-major. */
  readonly values: Int8Array | Uint8Array;
}

export interface SparseAttrs extends RequantAttrs {
  readonly input_zp: number;
  readonly weight_zp?: number;
  readonly output_type?: IntOutputType;
}

/** Checks the block CSR structure against an input depth; returns OUT. Throws on malformed data. */
export function checkBlockSparse(w: BlockSparseWeights, inDepth: number): number {
  const [bh, bw] = w.blockShape;
  if (!(Number.isInteger(bh) && bh >= 1 && Number.isInteger(bw) && bw >= 1)) throw new RangeError(`block_shape must be two integers ≥ 1, got [${bh}, ${bw}]`);
  const R = w.rowPtr.length - 1;
  if (R < 0 || w.rowPtr[0] !== 0) throw new RangeError("row_ptr must start with 0");
  if (inDepth % bw !== 0) throw new RangeError(`input depth ${inDepth} is not a multiple of the block width ${bw}`);
  const C = inDepth / bw;
  for (let r = 0; r < R; r++) {
    const begin = w.rowPtr[r]!;
    const end = w.rowPtr[r + 1]!;
    if (end < begin) throw new RangeError(`row_ptr must be non-decreasing (row block ${r})`);
    for (let k = begin; k < end; k++) {
      const c = w.colIdx[k]!;
      if (!(c >= 0 && c < C)) throw new RangeError(`col_idx[${k}] = ${c} is outside [0, ${C})`);
      if (k > begin && c <= w.colIdx[k - 1]!) throw new RangeError(`col_idx must increase strictly within row block ${r}`);
    }
  }
  const nnzb = w.rowPtr[R]!;
  if (w.colIdx.length !== nnzb) throw new RangeError(`col_idx has ${w.colIdx.length} entries, row_ptr says ${nnzb}`);
  if (w.values.length !== nnzb * bh * bw) throw new RangeError(`values has ${w.values.length} entries, expected ${nnzb}·${bh}·${bw}`);
  return R * bh;
}

/** The dense `[OUT, IN]` weights of a block-sparse matrix; unstored blocks hold `weightZp`. */
export function densifyBlockSparse(w: BlockSparseWeights, inDepth: number, weightZp = 0): Int8Array | Uint8Array {
  const OUT = checkBlockSparse(w, inDepth);
  const [bh, bw] = w.blockShape;
  const dense = w.values instanceof Uint8Array ? new Uint8Array(OUT * inDepth) : new Int8Array(OUT * inDepth);
  dense.fill(weightZp);
  for (let r = 0; r < w.rowPtr.length - 1; r++) {
    for (let k = w.rowPtr[r]!; k < w.rowPtr[r + 1]!; k++) {
      const c = w.colIdx[k]!;
      for (let i = 0; i < bh; i++) for (let j = 0; j < bw; j++) dense[(r * bh + i) * inDepth + c * bw + j] = w.values[(k * bh + i) * bw + j]!;
    }
  }
  return dense;
}

/** Shared core: rows of `xs` (zero point removed) × sparse weightsᵀ, output stage applied, written to `out` from `o`. */
function sparseRows(
  xs: Int32Array,
  rows: readonly number[] | null,
  rowCount: number,
  IN: number,
  w: BlockSparseWeights,
  ws: Int32Array | IntArray,
  biasN: Float64Array,
  wide: boolean,
  stage: ReturnType<typeof outputStage>,
  out: IntArray,
): void {
  const [bh, bw] = w.blockShape;
  const R = w.rowPtr.length - 1;
  const OUT = R * bh;
  const acc = new Float64Array(OUT);
  const { multiplier, shift, scale, zp, min, max } = stage;
  const requant = wide ? stage.requantWide : stage.requant;
  let o = 0;
  for (let p = 0; p < rowCount; p++) {
    const xBase = (rows === null ? p : rows[p]!) * IN;
    acc.fill(0);
    for (let r = 0; r < R; r++) {
      for (let k = w.rowPtr[r]!; k < w.rowPtr[r + 1]!; k++) {
        const xb = xBase + w.colIdx[k]! * bw;
        for (let i = 0; i < bh; i++) {
          const wb = (k * bh + i) * bw;
          let s = 0;
          for (let j = 0; j < bw; j++) s += xs[xb + j]! * ws[wb + j]!;
          acc[r * bh + i] = acc[r * bh + i]! + s;
        }
      }
    }
    for (let oc = 0; oc < OUT; oc++) {
      // Exact sum (bound checked by biasValues); the int32 path wraps once, equal to C's per-add wrap.
      const sum = acc[oc]! + biasN[oc]!;
      const a = wide ? sum : sum | 0;
      const v = requant(a, multiplier[oc]!, shift[oc]!, scale[oc]!) + zp;
      out[o++] = v < min ? min : v > max ? max : v;
    }
  }
}

function prepare(input: Tensor, w: BlockSparseWeights, bias: Tensor | undefined, attrs: SparseAttrs, IN: number) {
  if (!isIntArray(input.data)) throw new RangeError("sparse: input must be an integer tensor");
  const OUT = checkBlockSparse(w, IN);
  const outType = attrs.output_type ?? intOutputTypeOf(input.dtype);
  const stage = outputStage(attrs, OUT, outType);
  const wide = isWideAccumulation(input.data, bias?.data);
  const weightZp = attrs.weight_zp ?? 0;
  const biasN = biasValues(bias?.data, OUT, wide, input.data, attrs.input_zp, w.values, weightZp, IN);
  const xs = offsetCopy(input.data, -attrs.input_zp);
  const ws = weightZp === 0 ? w.values : offsetCopy(w.values, -weightZp);
  return { OUT, outType, stage, wide, biasN, xs, ws };
}

/** Input `[..., IN]` read as `[batches, IN]`; result `[batches, OUT]` (as hw.fully_connected). */
export function sparseFullyConnected(input: Tensor, w: BlockSparseWeights, bias: Tensor | undefined, attrs: SparseAttrs): Tensor {
  const IN = input.shape[input.shape.length - 1] ?? 1;
  if (IN === 0 || input.data.length % IN !== 0) throw new RangeError(`sparse_fully_connected: input of ${input.data.length} elements is not a multiple of IN = ${IN}`);
  const B = input.data.length / IN;
  const p = prepare(input, w, bias, attrs, IN);
  const out = allocateInt(p.outType, B * p.OUT);
  sparseRows(p.xs, null, B, IN, w, p.ws, p.biasN, p.wide, p.stage, out);
  return makeTensor(p.outType, [B, p.OUT], out);
}

/** 1×1 convolution, NHWC input, `stride = [sy, sx]`, no padding: output `[N, ⌊(H−1)/sy⌋+1, ⌊(W−1)/sx⌋+1, OUT]`. */
export function sparseConv2d1x1(input: Tensor, w: BlockSparseWeights, bias: Tensor | undefined, attrs: SparseAttrs & { readonly stride: readonly [number, number] }): Tensor {
  const [N, H, W, IN] = dims4(input.shape, "sparse_conv2d input");
  const [sy, sx] = attrs.stride;
  if (!(Number.isInteger(sy) && sy >= 1 && Number.isInteger(sx) && sx >= 1)) throw new RangeError(`sparse_conv2d: strides must be ≥ 1, got [${sy}, ${sx}]`);
  const OH = Math.floor((H - 1) / sy) + 1;
  const OW = Math.floor((W - 1) / sx) + 1;
  const p = prepare(input, w, bias, attrs, IN);
  const rows: number[] = [];
  for (let b = 0; b < N; b++) for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) rows.push((b * H + y * sy) * W + x * sx);
  const out = allocateInt(p.outType, rows.length * p.OUT);
  sparseRows(p.xs, rows, rows.length, IN, w, p.ws, p.biasN, p.wide, p.stage, out);
  return makeTensor(p.outType, [N, OH, OW, p.OUT], out);
}
