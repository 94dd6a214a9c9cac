/**
 * Block-sparse lowering of pruned weighted ops: a fully_connected or 1×1 conv2d whose float op carries
 * `qopt.block = "RxC"` and `qopt.sparsity` (set by the prune pass) becomes `hw.sparse_fully_connected` /
 * `hw.sparse_conv2d` when the target runs that block shape for the op (`supportsSparsity`) and the
 * sparsity reaches `minSparsity(target)`. The quantized weight matrix [OUT, IN] (OHWI [O, 1, 1, I] for
 * the 1×1 conv) is stored as block CSR (layout: dialects/hw/kernels/sparse.ts): blocks whose every
 * weight equals weight_zp are dropped, since the sparse kernels read unstored blocks as weight_zp —
 * so the result equals the dense op's bit for bit.
 */
import { floatAttr, stringAttr } from "../../src/ir/attr-access.js";
import type { Attribute, DenseAttr } from "../../src/ir/attributes.js";
import { attr } from "../../src/ir/attr-access.js";
import type { Operation } from "../../src/ir/operation.js";
import { i32, type IntegerType } from "../../src/ir/types.js";
import { minSparsity, supportsSparsity } from "../../src/target/queries.js";
import { BLOCK_SHAPES, type BlockShape } from "../../src/target/types.js";
import { denseInts, type LoweringEnv } from "./env.js";

/** Block CSR storage of an [OUT, IN] weight matrix. */
export interface BlockCsr {
  readonly blockShape: readonly [number, number];
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** nnzb · bh · bw weights, block after block, each row-major. */
  readonly values: Int8Array | Uint8Array;
  /** Blocks stored (nnzb) and blocks in the matrix (R · C). */
  readonly kept: number;
  readonly total: number;
}

/**
 * The block CSR form of row-major `weights` [out, inDepth] in blocks [bh, bw], dropping blocks whose
 * every weight is `zeroPoint`; blocks ordered by row block, then column block.
 */
export function toBlockCsr(weights: Int8Array | Uint8Array, out: number, inDepth: number, block: readonly [number, number], zeroPoint = 0): BlockCsr {
  const [bh, bw] = block;
  if (out % bh !== 0 || inDepth % bw !== 0) throw new RangeError(`[${out}, ${inDepth}] weights do not divide into ${bh}x${bw} blocks`);
  if (weights.length !== out * inDepth) throw new RangeError(`expected ${out}·${inDepth} weights, got ${weights.length}`);
  const R = out / bh;
  const C = inDepth / bw;
  const rowPtr = new Int32Array(R + 1);
  const cols: number[] = [];
  const stored: number[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      let zero = true;
      for (let i = 0; i < bh && zero; i++) for (let j = 0; j < bw; j++) if (weights[(r * bh + i) * inDepth + c * bw + j] !== zeroPoint) zero = false;
      if (zero) continue;
      cols.push(c);
      for (let i = 0; i < bh; i++) for (let j = 0; j < bw; j++) stored.push(weights[(r * bh + i) * inDepth + c * bw + j]!);
    }
    rowPtr[r + 1] = cols.length;
  }
  const values = weights instanceof Uint8Array ? Uint8Array.from(stored) : Int8Array.from(stored);
  return { blockShape: [bh, bw], rowPtr, colIdx: Int32Array.from(cols), values, kept: cols.length, total: R * C };
}

/** Bytes of the block CSR weights: values (1 byte each) + col_idx + row_ptr (4 bytes each). */
export function blockCsrBytes(csr: BlockCsr): number {
  return csr.values.length + 4 * csr.colIdx.length + 4 * csr.rowPtr.length;
}

/** The attributes that hold `csr` on hw.sparse_*; `element` is the weights' storage type (i8/ui8). */
export function blockCsrAttributes(csr: BlockCsr, element: IntegerType): Record<string, Attribute> {
  const [bh, bw] = csr.blockShape;
  const dense = (e: IntegerType, shape: readonly number[], data: Int32Array | Int8Array | Uint8Array): DenseAttr => denseInts(e, shape, data);
  return {
    block_shape: attr.ints([bh, bw]),
    row_ptr: dense(i32, [csr.rowPtr.length], csr.rowPtr),
    col_idx: dense(i32, [csr.colIdx.length], csr.colIdx),
    values: dense(element, [csr.kept, bh, bw], csr.values),
  };
}

export type SparseKind = "conv2d" | "fully_connected";

/**
 * The block shape to lower `op` sparse with, or undefined to keep it dense. `op` must carry
 * `qopt.block`; `blocker` says why the op's form rules sparse out (non-1×1 conv, padding, …) before the
 * target is asked. Every outcome for an op with `qopt.block` except success is logged as "sparse-skipped".
 */
export function sparseBlockShape(
  op: Operation,
  env: LoweringEnv,
  kind: SparseKind,
  kernel: readonly [number, number] | undefined,
  blocker: string | undefined,
): readonly [number, number] | undefined {
  const text = stringAttr(op, "qopt.block");
  if (text === undefined) return undefined;
  const skip = (reason: string): undefined => {
    env.decide("sparse-skipped", op, `${op.name}: stays dense despite qopt.block = "${text}": ${reason}`, { block: text, reason });
    return undefined;
  };
  const m = /^([0-9]+)x([0-9]+)$/.exec(text);
  if (!m) return skip(`${text} is not an RxC block shape (hw.sparse_* store RxC blocks, not N:M groups)`);
  if (blocker) return skip(blocker);
  if (!(BLOCK_SHAPES as readonly string[]).includes(text) || !supportsSparsity(env.target, kind, text as BlockShape, kernel)) {
    return skip(`target "${env.target.name}" has no ${text} sparse kernel for ${kind}${kernel && kind === "conv2d" ? ` with a ${kernel[0]}x${kernel[1]} kernel` : ""}`);
  }
  const sparsity = floatAttr(op, "qopt.sparsity");
  const min = minSparsity(env.target);
  if (sparsity === undefined) return skip(`it has no qopt.sparsity`);
  if (min === undefined || sparsity < min) return skip(`sparsity ${sparsity} is below the minimum ${min} of target "${env.target.name}"`);
  return [Number(m[1]), Number(m[2])];
}
