/**
 * f32 general matrix multiply, the compute core of conv2d, matmul and fully_connected.
 *
 *   C[i,j] = fround(alpha · Σ_k op(A)[i,k]·op(B)[k,j] + beta · C[i,j] + bias[j])
 *
 * Accumulation: each dot product is summed in f64 (JS numbers) and rounded to f32 once, when it is
 * stored. That is at least as accurate as ONNX Runtime's f32 accumulation (MLAS), so results agree
 * with ORT to ~1e-6 relative, not bit for bit; it is also deterministic whatever the blocking, because
 * K is never split (a K split would round partial sums to f32 in C).
 *
 * Speed in plain JS comes from GotoBLAS-style packing: op(A) is packed into 4-row panels and op(B)
 * into 4-column panels (both k-major), so the 4×4 micro-kernel reads two contiguous streams and keeps
 * its 16 accumulators in registers. Transposition is absorbed by the packing, so all four
 * transA/transB combinations run the same kernel.
 */

export interface GemmOptions {
  /** op(A) = Aᵀ: A is stored K×M (row stride lda ≥ M). */
  readonly transA?: boolean;
  /** op(B) = Bᵀ: B is stored N×K (row stride ldb ≥ K), e.g. OHWI conv weights or TFLite FC weights. */
  readonly transB?: boolean;
  /** Scale of the product; default 1. */
  readonly alpha?: number;
  /** Scale of the previous C; default 0, in which case C is not read (BLAS convention: NaNs in C vanish). */
  readonly beta?: number;
  /** Shorthand for beta = 1 (C += product); an explicit `beta` wins. */
  readonly accumulate?: boolean;
  /** Per-column bias of length ≥ N, added to every row. */
  readonly bias?: Float32Array;
}

/** Register block: MR rows × NR columns of C per micro-kernel call. */
const MR = 4;
const NR = 4;
/** Packed B block budget (floats): K·NC floats ≈ 512 KiB keeps a block in L2 while A panels stream past. */
const B_BLOCK_FLOATS = 128 * 1024;
/** Below this many multiply-adds the packing costs more than it saves. */
const SMALL_GEMM_MACS = 4096;

/**
 * C (M×N, row stride ldc) ← alpha·op(A)·op(B) + beta·C + bias. See the module comment for the
 * accumulation rule. A, B and C are flat row-major arrays; pass `subarray`s to address sub-matrices.
 */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  lda: number,
  B: Float32Array,
  ldb: number,
  C: Float32Array,
  ldc: number,
  options: GemmOptions = {},
): void {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? (options.accumulate ? 1 : 0);
  const bias = options.bias;
  checkGemmArgs(M, N, K, A, lda, B, ldb, C, ldc, transA, transB, bias);
  // Sizes can arrive as heap doubles (fast-check, JSON, arithmetic on shapes). V8 then records
  // "double" feedback for all index math in the kernels and the 256³ product runs ~1.7× slower;
  // `| 0` (exact after the integer checks above) keeps them small integers.
  M |= 0; N |= 0; K |= 0; lda |= 0; ldb |= 0; ldc |= 0;
  if (M === 0 || N === 0) return;
  if (M < MR || N < NR || M * N * K < SMALL_GEMM_MACS) {
    gemmSmall(M, N, K, A, lda, B, ldb, C, ldc, transA, transB, alpha, beta, bias);
    return;
  }

  const panelsM = Math.ceil(M / MR);
  const Ap = new Float32Array(panelsM * MR * K);
  packA(M, K, A, lda, transA, Ap);

  const blockCols = Math.max(NR, Math.floor(B_BLOCK_FLOATS / Math.max(K, 1) / NR) * NR);
  const Bp = new Float32Array(Math.ceil(Math.min(blockCols, N) / NR) * NR * K);
  const tile = new Float64Array(MR * NR);
  const panelSize = MR * K;

  for (let j0 = 0; j0 < N; j0 += blockCols) {
    const nb = Math.min(blockCols, N - j0);
    packB(K, nb, j0, B, ldb, transB, Bp);
    const panelsN = Math.ceil(nb / NR);
    for (let ip = 0; ip < panelsM; ip++) {
      const aBase = ip * panelSize;
      const i0 = ip * MR;
      for (let jp = 0; jp < panelsN; jp++) {
        microKernel4x4(K, Ap, aBase, Bp, jp * panelSize, tile);
        storeTile(tile, C, ldc, i0, j0 + jp * NR, M, N, alpha, beta, bias);
      }
    }
  }
}

/**
 * 16 f64 accumulators over k; reads MR values of the A panel and NR of the B panel per step.
 * Kept as straight-line code so V8 holds the accumulators in registers.
 */
function microKernel4x4(K: number, Ap: Float32Array, a: number, Bp: Float32Array, b: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = a + K * MR;
  for (; a < end; a += MR, b += NR) {
    const a0 = Ap[a]!, a1 = Ap[a + 1]!, a2 = Ap[a + 2]!, a3 = Ap[a + 3]!;
    const b0 = Bp[b]!, b1 = Bp[b + 1]!, b2 = Bp[b + 2]!, b3 = Bp[b + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/** Writes the valid part of a 4×4 tile (edge tiles are clipped; their padded rows/cols were zeros). */
function storeTile(
  tile: Float64Array,
  C: Float32Array,
  ldc: number,
  i0: number,
  j0: number,
  M: number,
  N: number,
  alpha: number,
  beta: number,
  bias: Float32Array | undefined,
): void {
  const rows = Math.min(MR, M - i0);
  const cols = Math.min(NR, N - j0);
  for (let r = 0; r < rows; r++) {
    const c = (i0 + r) * ldc + j0;
    for (let s = 0; s < cols; s++) {
      let v = alpha * tile[r * NR + s]!;
      if (beta !== 0) v += beta * C[c + s]!;
      if (bias !== undefined) v += bias[j0 + s]!;
      C[c + s] = v;
    }
  }
}

/** Packs op(A) (M×K) into ⌈M/4⌉ panels, each k-major: Ap[panel·4K + k·4 + r]. Missing rows stay 0. */
function packA(M: number, K: number, A: Float32Array, lda: number, transA: boolean, Ap: Float32Array): void {
  for (let i0 = 0; i0 < M; i0 += MR) {
    const rows = Math.min(MR, M - i0);
    const base = i0 * K;
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      if (transA) {
        // op(A)[i,k] = A[k·lda + i]
        for (let k = 0, src = i, dst = base + r; k < K; k++, src += lda, dst += MR) Ap[dst] = A[src]!;
      } else {
        for (let k = 0, src = i * lda, dst = base + r; k < K; k++, src++, dst += MR) Ap[dst] = A[src]!;
      }
    }
  }
}

/** Packs columns j0..j0+nb of op(B) (K×N) into panels of 4 columns, k-major: Bp[panel·4K + k·4 + s]. */
function packB(K: number, nb: number, j0: number, B: Float32Array, ldb: number, transB: boolean, Bp: Float32Array): void {
  const panels = Math.ceil(nb / NR);
  for (let p = 0; p < panels; p++) {
    const cols = Math.min(NR, nb - p * NR);
    const base = p * NR * K;
    if (cols < NR) Bp.fill(0, base, base + NR * K);
    for (let s = 0; s < cols; s++) {
      const j = j0 + p * NR + s;
      if (transB) {
        // op(B)[k,j] = B[j·ldb + k]
        for (let k = 0, src = j * ldb, dst = base + s; k < K; k++, src++, dst += NR) Bp[dst] = B[src]!;
      } else {
        for (let k = 0, src = j, dst = base + s; k < K; k++, src += ldb, dst += NR) Bp[dst] = B[src]!;
      }
    }
  }
}

/** Unpacked path for thin or tiny problems (matrix-vector products, 1-row FC layers). */
function gemmSmall(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  lda: number,
  B: Float32Array,
  ldb: number,
  C: Float32Array,
  ldc: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  bias: Float32Array | undefined,
): void {
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const acc = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    if (transB) {
      // Rows of B are contiguous: one dot product per output. Four outputs at a time: each sum still
      // runs over k in order (same result), but four independent chains hide the f64 add latency.
      let j = 0;
      for (; j + 3 < N; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        const b0 = j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        for (let k = 0, a = i * aRow; k < K; k++, a += aCol) {
          const av = A[a]!;
          s0 += av * B[b0 + k]!;
          s1 += av * B[b1 + k]!;
          s2 += av * B[b2 + k]!;
          s3 += av * B[b3 + k]!;
        }
        acc[j] = s0; acc[j + 1] = s1; acc[j + 2] = s2; acc[j + 3] = s3;
      }
      for (; j < N; j++) {
        let s = 0;
        for (let k = 0, a = i * aRow, b = j * ldb; k < K; k++, a += aCol, b++) s += A[a]! * B[b]!;
        acc[j] = s;
      }
    } else {
      // Stream rows of B into an f64 row accumulator.
      acc.fill(0);
      for (let k = 0, a = i * aRow; k < K; k++, a += aCol) {
        const av = A[a]!;
        for (let j = 0, b = k * ldb; j < N; j++, b++) acc[j] = acc[j]! + av * B[b]!;
      }
    }
    const c = i * ldc;
    for (let j = 0; j < N; j++) {
      let v = alpha * acc[j]!;
      if (beta !== 0) v += beta * C[c + j]!;
      if (bias !== undefined) v += bias[j]!;
      C[c + j] = v;
    }
  }
}

function checkGemmArgs(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  lda: number,
  B: Float32Array,
  ldb: number,
  C: Float32Array,
  ldc: number,
  transA: boolean,
  transB: boolean,
  bias: Float32Array | undefined,
): void {
  for (const [name, v] of [["M", M], ["N", N], ["K", K]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
  }
  if (M === 0 || N === 0) return;
  // Minimum extent of each operand, so out-of-bounds reads (which yield undefined → NaN) fail loudly.
  const [aRows, aCols] = transA ? [K, M] : [M, K];
  const [bRows, bCols] = transB ? [N, K] : [K, N];
  need("A", A, aRows, aCols, lda);
  need("B", B, bRows, bCols, ldb);
  need("C", C, M, N, ldc);
  if (bias !== undefined && bias.length < N) throw new RangeError(`gemm: bias has ${bias.length} elements, needs ${N}`);
}

function need(name: string, X: Float32Array, rows: number, cols: number, ld: number): void {
  if (rows === 0 || cols === 0) return;
  if (ld < cols) throw new RangeError(`gemm: leading dimension of ${name} (${ld}) is less than its row length ${cols}`);
  const extent = (rows - 1) * ld + cols;
  if (X.length < extent) throw new RangeError(`gemm: ${name} has ${X.length} elements, needs ${extent}`);
}
