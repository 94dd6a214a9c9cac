/**
 * f32 convolution on WebAssembly SIMD (f32x4), generated at start-up by wasm-encoder.ts.
 *
 * Indirect convolution (the idea of XNNPACK's indirection buffer, without im2col): the input image is
 * copied once into the module's memory with its zero padding; a row table holds, for every output
 * pixel, the address of its receptive field's first tap, and a tap table the offset of each
 * (kh, kw) tap. The micro-kernel computes a 2-pixel × 16-channel tile of the output as
 *
 *   for tap in taps: for c in channels: acc[r][0..15] += x[row[r] + tap + c] · w[tap, c][0..15]
 *
 * with the weights packed into 16-column panels, k-major, so each step is two broadcast loads, four
 * 16-byte weight loads and 8 f32x4 multiply-adds on 8 accumulator registers. 1×1 convolutions, strides,
 * dilations, batches and groups are all the same kernel with different tables.
 *
 * Accumulation: f32, one product and one sum rounded per step (Math.fround semantics), in the order
 * k = (kh, kw, c), starting from 0; the bias is added at the end with one more f32 rounding. The tile
 * shape and SIMD lanes never change that order, so results do not depend on the blocking; they agree
 * with ONNX Runtime's f32 kernels to ~1e-6 relative. Exception: 3×3 stride-1 layers with ≥ 16 input
 * and output channels take Winograd F(2×2, 3×3) (`USE_WINOGRAD`, simd-winograd.ts), as accurate
 * (~4e-7 relative to an f64 reference in tests) but with its own rounding sequence.
 *
 * Measured on one core of the benchmark machine (AMD EPYC, Zen 4): ~44 GFLOP/s for 2×16 tiles against
 * ~4 GFLOP/s for the scalar JS gemm; 4×8 tiles reach ~43, 3×8 ~39, 1×24 ~32; f64x2 accumulation
 * (4×4 tiles) ~22. Unrolling the k loop is slower: V8 hoists the unrolled loads and spills.
 */
import { FunctionBuilder, i32, v128, Simd, I32_ADD, I32_MUL, I32_LOAD, I32_GE_U, I32_EQZ, SimdKernels } from "./wasm-encoder.js";
import { winogradFilter, winogradInputFunction, winogradOutputFunction } from "./simd-winograd.js";

/** Output pixels per tile (rows of the implicit A matrix). */
const MR = 2;
/** Output channels per tile: four f32x4 registers. */
const NR = 16;

/**
 * conv(rows, tiles, taps, tapCount, cCount, bp, panelBytes, panels, c, ldc, bias):
 * for each tile of MR output pixels (addresses at rows[MR·tile + r]) and each NR-column weight panel,
 * accumulate over taps × cCount channels, add the bias (if `bias` ≠ 0) and store the MR × NR tile at
 * c + tile·MR·ldc + panel·NR·4.
 *
 * Panels are the outer loop: one weight panel stays in cache while the image streams past. Measured
 * against tiles-outside (all weights reread per tile) on every SqueezeNet and ResNet-50 layer shape, it
 * is as fast or faster: +1% on 56×56×64 3×3, +10% on 7×7×512 3×3 and on 1×1 convs with large weights.
 */
function convFunction(): FunctionBuilder {
  const NV = NR / 4;
  const f = new FunctionBuilder("conv", [
    ["rows", i32],
    ["tiles", i32],
    ["taps", i32],
    ["tapCount", i32],
    ["cCount", i32],
    ["bp", i32],
    ["panelBytes", i32],
    ["panels", i32],
    ["c", i32],
    ["ldc", i32],
    ["bias", i32],
  ]);
  for (const n of ["tile", "panel", "off", "b", "bPanel", "cTile", "n", "rowPtr", "tapPtr", "tapEnd"]) f.local(n, i32);
  for (let r = 0; r < MR; r++) {
    f.local(`r${r}`, i32);
    f.local(`p${r}`, i32);
  }
  for (let r = 0; r < MR; r++) for (let q = 0; q < NV; q++) f.local(`acc${r}_${q}`, v128);
  for (let q = 0; q < NV; q++) f.local(`b${q}`, v128);
  f.local("a", v128);

  const loadRows = (): void => {
    f.get("rows").get("tile").i32(MR * 4).op(I32_MUL).op(I32_ADD).set("rowPtr");
    for (let r = 0; r < MR; r++) f.get("rowPtr").mem(I32_LOAD, 2, r * 4).set(`r${r}`);
  };
  /** One MR × NR tile: rows r·, weights at bPanel, output at c + tile·MR·ldc + panel·NR·4. */
  const tile = (): void => {
    f.get("c").get("tile").i32(MR).op(I32_MUL).get("ldc").op(I32_MUL).op(I32_ADD).get("panel").i32(NR * 4).op(I32_MUL).op(I32_ADD).set("cTile");
    for (let r = 0; r < MR; r++) for (let q = 0; q < NV; q++) f.f32x4Const(0).set(`acc${r}_${q}`);
    f.get("bPanel").set("b");
    f.get("taps").set("tapPtr");
    // For each tap: point every row at it, then run over the channels.
    f.block().loop();
    f.get("tapPtr").get("tapEnd").op(I32_GE_U).brIf(1);
    f.get("tapPtr").mem(I32_LOAD, 2, 0).set("off");
    for (let r = 0; r < MR; r++) f.get(`r${r}`).get("off").op(I32_ADD).set(`p${r}`);
    f.get("cCount").set("n");
    f.block().loop();
    f.get("n").op(I32_EQZ).brIf(1);
    for (let q = 0; q < NV; q++) f.get("b").simdMem(Simd.load, 4, q * 16).set(`b${q}`);
    for (let r = 0; r < MR; r++) {
      f.get(`p${r}`).simdMem(Simd.load32Splat, 2, 0).set("a");
      for (let q = 0; q < NV; q++) f.get(`acc${r}_${q}`).get("a").get(`b${q}`).simd(Simd.f32x4Mul).simd(Simd.f32x4Add).set(`acc${r}_${q}`);
    }
    for (let r = 0; r < MR; r++) f.addTo(`p${r}`, 4);
    f.addTo("b", NR * 4).addTo("n", -1).br(0);
    f.end().end();
    f.addTo("tapPtr", 4).br(0);
    f.end().end();
    // Bias, then store the tile.
    f.get("bias").if();
    for (let q = 0; q < NV; q++) {
      f.get("bias").get("panel").i32(NR * 4).op(I32_MUL).op(I32_ADD).simdMem(Simd.load, 4, q * 16).set(`b${q}`);
      for (let r = 0; r < MR; r++) f.get(`acc${r}_${q}`).get(`b${q}`).simd(Simd.f32x4Add).set(`acc${r}_${q}`);
    }
    f.end();
    for (let r = 0; r < MR; r++) {
      for (let q = 0; q < NV; q++) {
        f.get("cTile");
        if (r > 0) f.get("ldc").i32(r).op(I32_MUL).op(I32_ADD);
        f.get(`acc${r}_${q}`).simdMem(Simd.store, 4, q * 16);
      }
    }
  };

  f.get("taps").get("tapCount").i32(4).op(I32_MUL).op(I32_ADD).set("tapEnd");
  f.get("bp").set("bPanel");
  f.i32(0).set("panel");
  f.forLoop("panel", "panels", 1, () => {
    f.i32(0).set("tile");
    f.forLoop("tile", "tiles", 1, () => {
      loadRows();
      tile();
    });
    f.addTo("bPanel", "panelBytes");
  });
  return f;
}

type ConvFn = (
  rows: number,
  tiles: number,
  taps: number,
  tapCount: number,
  cCount: number,
  bp: number,
  panelBytes: number,
  panels: number,
  c: number,
  ldc: number,
  bias: number,
) => void;

type WinogradInputFn = (image: number, rowBytes: number, pixelBytes: number, tilesH: number, tilesW: number, channels: number, v: number, rowStride: number, blockBytes: number) => void;
type WinogradOutputFn = (m: number, rowStride: number, blockBytes: number, tilesH: number, tilesW: number, channels: number, out: number, outRowBytes: number, pixelBytes: number, bias: number) => void;

const kernels = new SimdKernels<{ conv: ConvFn; winogradInput: WinogradInputFn; winogradOutput: WinogradOutputFn }>(() => [
  convFunction(),
  winogradInputFunction(),
  winogradOutputFunction(),
]);

/**
 * Use Winograd F(2×2, 3×3) for eligible convolutions (3×3, stride 1, no dilation, no groups, C a
 * multiple of 4, C and O ≥ 16; see simd-winograd.ts): 2.25× fewer multiplies, measured 1.4–2.1× faster
 * on the SqueezeNet and ResNet-50 3×3 layers, at the cost of a different (equally accurate) rounding
 * sequence. Turn off to make every convolution the sequential f32 sum described above.
 */
const USE_WINOGRAD = true;

/** True when the SIMD convolution kernel can run here (WebAssembly with SIMD). */
export function simdConvAvailable(): boolean {
  return kernels.exports() !== undefined;
}

/** A few values spread over an array: the staleness check of cached packings (see SimdKernels.constant). */
export function sampleOf(w: ArrayLike<number>, count = 16): number[] {
  const s: number[] = [];
  if (w.length > 0) for (let i = 0; i < count; i++) s.push(w[Math.floor((i * (w.length - 1)) / (count - 1))]!);
  return s;
}

/**
 * Writes rows o0..o0+count of `w` (each K long: OHWI weights of one group) into `dst` as panels of NR
 * columns, k-major: dst[panel·K·NR + k·NR + j] = w[(o0 + panel·NR + j)·K + k]; missing columns 0.
 */
function packWeights(w: Float32Array, o0: number, count: number, K: number, dst: Float32Array, base: number): void {
  const panels = Math.ceil(count / NR);
  dst.fill(0, base, base + panels * K * NR);
  for (let j = 0; j < count; j++) {
    const src = (o0 + j) * K;
    let d = base + Math.floor(j / NR) * K * NR + (j % NR);
    for (let k = 0; k < K; k++, d += NR) dst[d] = w[src + k]!;
  }
}

export interface SimdConvGeometry {
  readonly N: number;
  readonly H: number;
  readonly W: number;
  readonly C: number;
  readonly O: number;
  readonly KH: number;
  readonly KW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
  readonly padT: number;
  readonly padL: number;
  readonly padB: number;
  readonly padR: number;
  readonly groups: number;
  readonly OH: number;
  readonly OW: number;
}

/**
 * conv2d on the SIMD kernel: x [N, H, W, C] (NHWC), w [O, KH, KW, C/groups] (OHWI), bias [O],
 * into y [N, OH, OW, O]. Returns false (y untouched) when WebAssembly SIMD is unavailable.
 */
export function simdConv2d(x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array, g: SimdConvGeometry): boolean {
  const simd = kernels.exports();
  if (simd === undefined) return false;
  return kernels.attempt(() => {
    const { N, H, W, C, O, KH, KW, strideH, strideW, dilH, dilW, padT, padL, padB, padR, groups, OH, OW } = g;
    if (USE_WINOGRAD && groups === 1 && KH === 3 && KW === 3 && strideH === 1 && strideW === 1 && dilH === 1 && dilW === 1 && C % 4 === 0 && C >= 16 && O >= 16) {
      winogradConv2d(x, w, bias, y, g);
      return true;
    }
    const Cg = C / groups;
    const Og = O / groups;
    const K = KH * KW * Cg;
    const Hp = H + padT + padB;
    const Wp = W + padL + padR;
    const M = N * OH * OW;
    const tiles = Math.ceil(M / MR);
    const panels = Math.ceil(Og / NR);
    const ldc = panels * NR;
    const padded = padT + padB + padL + padR > 0;

    // Packed weights live in the module's memory as long as `w` does (packed once per weights array).
    const sample = sampleOf(w);
    const packedAt = Array.from({ length: groups }, (_, grp) =>
      kernels.constant(w, `conv:${grp}:${Og}:${K}`, sample, panels * K * NR * 4, (mem, at) => packWeights(w, grp * Og, Og, K, mem.f32, at >> 2)),
    );
    const ws = kernels.workspace();
    const image = ws.alloc(N * Hp * Wp * C * 4);
    const rows = ws.alloc(tiles * MR * 4);
    const taps = ws.alloc(KH * KW * 4);
    const biasAt = bias === undefined ? 0 : ws.alloc(ldc * 4);
    const out = ws.alloc(tiles * MR * ldc * 4);
    const mem = ws.commit();

    // The padded image; padding reads as zero.
    if (!padded) {
      mem.f32.set(x.subarray(0, N * H * W * C), image >> 2);
    } else {
      const base = image >> 2;
      mem.f32.fill(0, base, base + N * Hp * Wp * C);
      const rowLen = W * C;
      for (let n = 0; n < N; n++) {
        for (let h = 0; h < H; h++) {
          const src = (n * H + h) * rowLen;
          mem.f32.set(x.subarray(src, src + rowLen), base + ((n * Hp + h + padT) * Wp + padL) * C);
        }
      }
    }
    // Row table: each output pixel's window origin; the last tile repeats the final pixel.
    let r = rows >> 2;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) mem.i32[r++] = image + ((n * Hp + oh * strideH) * Wp + ow * strideW) * C * 4;
      }
    }
    for (let p = M; p < tiles * MR; p++, r++) mem.i32[r] = mem.i32[r - 1]!;
    // Taps. Without groups and dilation along W, the KW taps of one kernel row are KW·C consecutive
    // floats of the padded image, in the weights' (kw, c) order: one run of KW·C channels per kernel row
    // (7 runs of 21 instead of 49 of 3 for a 7×7 conv on RGB; the summation order is unchanged).
    const mergeRow = groups === 1 && dilW === 1;
    const tapCount = mergeRow ? KH : KH * KW;
    const run = mergeRow ? KW * C : Cg;
    let t = taps >> 2;
    for (let kh = 0; kh < KH; kh++) {
      if (mergeRow) mem.i32[t++] = kh * dilH * Wp * C * 4;
      else for (let kw = 0; kw < KW; kw++) mem.i32[t++] = (kh * dilH * Wp + kw * dilW) * C * 4;
    }

    for (let grp = 0; grp < groups; grp++) {
      if (bias !== undefined) {
        mem.f32.fill(0, biasAt >> 2, (biasAt >> 2) + ldc);
        mem.f32.set(bias.subarray(grp * Og, (grp + 1) * Og), biasAt >> 2);
      }
      // Channels of this group start grp·Cg floats into each pixel: shift the row addresses.
      if (grp > 0) for (let i = rows >> 2, e = i + tiles * MR; i < e; i++) mem.i32[i] += Cg * 4;
      simd.conv(rows, tiles, taps, tapCount, run, packedAt[grp]!, K * NR * 4, panels, out, ldc * 4, biasAt);
      // Copy the valid part out: M rows of Og channels into y at channel offset grp·Og.
      const src = out >> 2;
      if (groups === 1 && ldc === O) {
        y.set(mem.f32.subarray(src, src + M * O));
      } else {
        for (let p = 0; p < M; p++) y.set(mem.f32.subarray(src + p * ldc, src + p * ldc + Og), p * O + grp * Og);
      }
    }
    return true;
  });
}

/**
 * 3×3, stride 1 convolution by Winograd F(2×2, 3×3), one image at a time: transform the input tiles,
 * run 16 GEMMs (tiles × C)·(C × O) on the direct kernel as 1×1 convolutions whose single tap selects
 * the ξ block, then transform back and add the bias. C must be a multiple of 4.
 */
function winogradConv2d(x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array, g: SimdConvGeometry): void {
  const simd = kernels.exports()!;
  const { N, H, W, C, O, padT, padL, padB, padR, OH, OW } = g;
  const tilesH = Math.ceil(OH / 2);
  const tilesW = Math.ceil(OW / 2);
  const T = tilesH * tilesW;
  const tiles = Math.ceil(T / MR);
  const rowsT = tiles * MR;
  const panels = Math.ceil(O / NR);
  const ldc = panels * NR;
  // The padded image must hold every 4×4 window, including those of the partial last tiles.
  const Hp = Math.max(H + padT + padB, 2 * tilesH + 2);
  const Wp = Math.max(W + padL + padR, 2 * tilesW + 2);
  const panelBytes = C * NR * 4;

  // U[ξ] packed like the direct kernel's weights (K = C), 16 blocks, computed in f64 and rounded once.
  const filterBytes = 16 * panels * panelBytes;
  const packed = kernels.constant(w, `winograd:${O}:${C}`, sampleOf(w), filterBytes, (mem, at) => {
    const base = at >> 2;
    mem.f32.fill(0, base, base + filterBytes / 4);
    const taps = new Float64Array(9);
    const u = new Float64Array(16);
    for (let o = 0; o < O; o++) {
      const lane = base + Math.floor(o / NR) * C * NR + (o % NR);
      for (let c = 0; c < C; c++) {
        for (let k = 0; k < 9; k++) taps[k] = w[(o * 9 + k) * C + c]!;
        winogradFilter(taps, u);
        for (let xi = 0; xi < 16; xi++) mem.f32[lane + xi * (panels * C * NR) + c * NR] = u[xi]!;
      }
    }
  });

  const ws = kernels.workspace();
  const image = ws.alloc(Hp * Wp * C * 4);
  const rows = ws.alloc(rowsT * 4);
  const taps = ws.alloc(16 * 4);
  const vBlock = rowsT * C * 4;
  const v = ws.alloc(16 * vBlock);
  const mBlock = rowsT * ldc * 4;
  const m = ws.alloc(16 * mBlock);
  const outRow = 2 * tilesW;
  const out = ws.alloc(2 * tilesH * outRow * ldc * 4);
  const biasAt = ws.alloc(ldc * 4);
  const mem = ws.commit();

  for (let i = 0; i < rowsT; i++) mem.i32[(rows >> 2) + i] = v + Math.min(i, T - 1) * C * 4;
  for (let xi = 0; xi < 16; xi++) mem.i32[(taps >> 2) + xi] = xi * vBlock;
  mem.f32.fill(0, biasAt >> 2, (biasAt >> 2) + ldc);
  if (bias !== undefined) mem.f32.set(bias.subarray(0, O), biasAt >> 2);

  const rowLen = W * C;
  for (let n = 0; n < N; n++) {
    const base = image >> 2;
    mem.f32.fill(0, base, base + Hp * Wp * C);
    for (let h = 0; h < H; h++) {
      const src = (n * H + h) * rowLen;
      mem.f32.set(x.subarray(src, src + rowLen), base + ((h + padT) * Wp + padL) * C);
    }
    simd.winogradInput(image, Wp * C * 4, C * 4, tilesH, tilesW, C, v, C * 4, vBlock);
    for (let xi = 0; xi < 16; xi++) {
      simd.conv(rows, tiles, taps + xi * 4, 1, C, packed + xi * panels * panelBytes, panelBytes, panels, m + xi * mBlock, ldc * 4, 0);
    }
    simd.winogradOutput(m, ldc * 4, mBlock, tilesH, tilesW, ldc, out, outRow * ldc * 4, ldc * 4, biasAt);
    // Copy the OH × OW valid pixels out.
    const src = out >> 2;
    const image0 = n * OH * OW * O;
    if (ldc === O) {
      for (let oh = 0; oh < OH; oh++) y.set(mem.f32.subarray(src + oh * outRow * O, src + oh * outRow * O + OW * O), image0 + oh * OW * O);
    } else {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const p = src + (oh * outRow + ow) * ldc;
          y.set(mem.f32.subarray(p, p + O), image0 + (oh * OW + ow) * O);
        }
      }
    }
  }
}
