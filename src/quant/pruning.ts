/**
 * Magnitude pruning of weight tensors, the computation behind the `prune` pass (TF MOT's
 * `prune_low_magnitude` with `block_size=(R, C)`, and N:M structured sparsity).
 *
 * Blocks are laid over a 2-D view [rows, cols] of the weights: rows are the output channels, cols
 * everything else in row-major order.
 * - `float.conv2d` OHWI [O, KH, KW, I] → [O, KH·KW·I]; column (kh·KW + kw)·I + i. So `1x16` is one
 *   output channel × 16 consecutive input channels at one kernel position (for a 1×1 conv: 16 input
 *   channels), and `4x1` is 4 output channels × one input element.
 * - `float.fully_connected` [N, K] → itself: `1x16` is one output row × 16 consecutive inputs.
 * - `float.depthwise_conv2d` [1, KH, KW, C·M] → [C·M, KH·KW] (output channels are the last axis): a
 *   row holds one channel's kernel taps.
 * Blocks tile the view from (0, 0); a block cut by the right or bottom edge is a smaller block (the
 * same as zero-padding it: its norm is the norm of the elements it has).
 */

export type BlockShapeSpec =
  /** R output rows × C consecutive input elements, pruned as one unit. */
  | { readonly kind: "block"; readonly rows: number; readonly cols: number; readonly text: string }
  /** In every M consecutive inputs of a row, N are kept. */
  | { readonly kind: "n:m"; readonly n: number; readonly m: number; readonly text: string };

export type PruneNorm = "l2" | "l1";

/** Parses `RxC` (`1x16`, `4x1`) or `N:M` (`2:4`); throws RangeError naming the accepted forms. */
export function parseBlockShape(text: string): BlockShapeSpec {
  const block = /^\s*([0-9]+)\s*x\s*([0-9]+)\s*$/.exec(text);
  if (block) {
    const rows = Number(block[1]);
    const cols = Number(block[2]);
    if (rows < 1 || cols < 1) throw new RangeError(`block shape '${text}': both sides must be at least 1`);
    return { kind: "block", rows, cols, text: `${rows}x${cols}` };
  }
  const nm = /^\s*([0-9]+)\s*:\s*([0-9]+)\s*$/.exec(text);
  if (nm) {
    const n = Number(nm[1]);
    const m = Number(nm[2]);
    if (m < 1 || n < 0 || n > m) throw new RangeError(`block shape '${text}': N:M needs 0 ≤ N ≤ M and M ≥ 1`);
    return { kind: "n:m", n, m, text: `${n}:${m}` };
  }
  throw new RangeError(`block shape '${text}' is neither RxC (e.g. 1x16, 4x1) nor N:M (e.g. 2:4)`);
}

/** The [rows, cols] view of a weight tensor and where each view element lives in the flat data. */
export interface WeightMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Flat (row-major) index into the weight data of view element (r, c). */
  offset(r: number, c: number): number;
}

/**
 * The view of weights of `shape` with output channels on `axis` (0 for OHWI and [N, K], 3 for
 * depthwise): rows = shape[axis], cols = the other dims in row-major order.
 */
export function weightMatrix(shape: readonly number[], axis: number): WeightMatrix {
  if (shape.length === 0) return { rows: 1, cols: 1, offset: () => 0 };
  const a = Math.min(Math.max(axis, 0), shape.length - 1);
  const rows = shape[a]!;
  let outer = 1;
  for (let d = 0; d < a; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = a + 1; d < shape.length; d++) inner *= shape[d]!;
  const cols = outer * inner;
  if (inner === cols) return { rows, cols, offset: (r, c) => r * cols + c };
  // Column c = o·inner + i (o over the dims before the axis, i over those after).
  return { rows, cols, offset: (r, c) => (Math.floor(c / inner) * rows + r) * inner + (c % inner) };
}

export interface PruneResult {
  /** The pruned weights (a new array; the input is not changed). */
  readonly data: Float32Array;
  /** Fraction of weights this pruning zeroed (weights that were zero already count only if zeroed here). */
  readonly achieved: number;
  readonly zeroedWeights: number;
  /** Blocks zeroed (RxC), or N:M groups in which something was zeroed. */
  readonly zeroedBlocks: number;
  /** Blocks (RxC) or N:M groups in the view. */
  readonly totalBlocks: number;
}

/**
 * Prunes `data` (laid out as `matrix` says) in `block` units.
 * - RxC: each block's score is its L2 (or L1) norm; blocks are zeroed lowest score first (ties: lower
 *   block index first, blocks numbered row-major over the block grid) while zeroing the next one brings
 *   the zeroed count closer to `sparsity` · size — so the result is within half a block of the request.
 * - N:M: in each group of M consecutive elements of a row the N largest |w| stay (ties: lower index
 *   stays); `sparsity` does not apply (the result is 1 − N/M, or near it with a short last group).
 */
export function pruneWeights(data: Float32Array, matrix: WeightMatrix, block: BlockShapeSpec, sparsity: number, norm: PruneNorm = "l2"): PruneResult {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparsity must be in [0, 1], got ${sparsity}`);
  const out = Float32Array.from(data);
  const total = matrix.rows * matrix.cols;
  const counts = block.kind === "block" ? pruneBlocks(data, out, matrix, block.rows, block.cols, sparsity, norm) : pruneNM(data, out, matrix, block.n, block.m);
  return { data: out, achieved: total === 0 ? 0 : counts.zeroedWeights / total, ...counts };
}

type Counts = Pick<PruneResult, "zeroedWeights" | "zeroedBlocks" | "totalBlocks">;

function pruneBlocks(data: Float32Array, out: Float32Array, m: WeightMatrix, br: number, bc: number, sparsity: number, norm: PruneNorm): Counts {
  const gridRows = Math.ceil(m.rows / br);
  const gridCols = Math.ceil(m.cols / bc);
  const count = gridRows * gridCols;
  const scores = new Float64Array(count);
  const sizes = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    const r0 = Math.floor(b / gridCols) * br;
    const c0 = (b % gridCols) * bc;
    const r1 = Math.min(r0 + br, m.rows);
    const c1 = Math.min(c0 + bc, m.cols);
    let s = 0;
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const w = data[m.offset(r, c)]!;
        s += norm === "l2" ? w * w : Math.abs(w);
      }
    }
    // Ordering by the sum of squares is ordering by the L2 norm; keep the norm itself for clarity.
    scores[b] = norm === "l2" ? Math.sqrt(s) : s;
    sizes[b] = (r1 - r0) * (c1 - c0);
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || a - b);
  const wanted = sparsity * m.rows * m.cols;
  let zeroed = 0;
  let blocks = 0;
  for (const b of order) {
    // Zero the next block only if that brings the count closer to the request (ties: stop).
    if (zeroed + sizes[b]! / 2 >= wanted) break;
    const r0 = Math.floor(b / gridCols) * br;
    const c0 = (b % gridCols) * bc;
    const r1 = Math.min(r0 + br, m.rows);
    const c1 = Math.min(c0 + bc, m.cols);
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[m.offset(r, c)] = 0;
    zeroed += sizes[b]!;
    blocks++;
  }
  return { zeroedWeights: zeroed, zeroedBlocks: blocks, totalBlocks: count };
}

function pruneNM(data: Float32Array, out: Float32Array, m: WeightMatrix, n: number, groupSize: number): Counts {
  let zeroed = 0;
  let groups = 0;
  let touched = 0;
  const idx: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let c0 = 0; c0 < m.cols; c0 += groupSize) {
      const c1 = Math.min(c0 + groupSize, m.cols);
      groups++;
      if (c1 - c0 <= n) continue;
      idx.length = 0;
      for (let c = c0; c < c1; c++) idx.push(c);
      idx.sort((a, b) => Math.abs(data[m.offset(r, b)]!) - Math.abs(data[m.offset(r, a)]!) || a - b);
      for (let k = n; k < idx.length; k++) out[m.offset(r, idx[k]!)] = 0;
      zeroed += idx.length - n;
      touched++;
    }
  }
  return { zeroedWeights: zeroed, zeroedBlocks: touched, totalBlocks: groups };
}
