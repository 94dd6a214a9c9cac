/**
 * Winograd F(2×2, 3×3) for 3×3, stride-1, undilated, ungrouped f32 convolutions (Lavin & Gray 2015):
 * each 2×2 output tile is A^T [(G g G^T) ⊙ (B^T d B)] A for its 4×4 input tile d, so a tile costs 16
 * multiplies per (input, output) channel pair instead of 36. The 16 elementwise products summed over
 * input channels are 16 independent GEMMs (tiles × C) · (C × O), run on the direct kernel of
 * simd-conv.ts as 1×1 convolutions; the input and output transforms are f32x4 code over 4 channels.
 *
 *   B^T = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   A^T = [1 1 1 0; 0 1 −1 −1]
 *
 * Numerics: the filter transform is computed in f64 and rounded once; the input and output
 * transforms add and subtract in f32 (their coefficients are 0 and ±1); each GEMM accumulates in f32
 * in channel order. The result is not the direct sum's rounding sequence: it differs from it by a few
 * f32 ulps of the partial sums (~1e-6 relative), the same order as ONNX Runtime's own deviation.
 */
import { FunctionBuilder, i32, v128, Simd, I32_ADD, I32_MUL } from "./wasm-encoder.js";

type V = string;

/** Emits `out = a op b` on v128 locals. */
function vop(f: FunctionBuilder, out: V, a: V, b: V, op: number): void {
  f.get(a).get(b).simd(op).set(out);
}

/**
 * winogradInput(image, rowBytes, pixelBytes, tilesH, tilesW, channels, v, rowStride, blockBytes):
 * for every tile (th, tw), the 4×4 window at image + 2th·rowBytes + 2tw·pixelBytes; writes
 * V[ξ] = (B^T d B)[ξ] for 4 channels at a time to v + ξ·blockBytes + t·rowStride + c·4 (t = th·tilesW + tw).
 */
export function winogradInputFunction(): FunctionBuilder {
  const f = new FunctionBuilder("winogradInput", [
    ["image", i32],
    ["rowBytes", i32],
    ["pixelBytes", i32],
    ["tilesH", i32],
    ["tilesW", i32],
    ["channels", i32],
    ["v", i32],
    ["rowStride", i32],
    ["blockBytes", i32],
  ]);
  for (const n of ["th", "tw", "c", "base", "src", "dst", "t"]) f.local(n, i32);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) f.local(`d${i}${j}`, v128);
  for (let j = 0; j < 4; j++) f.local(`s${j}`, v128);
  f.i32(0).set("th");
  f.forLoop("th", "tilesH", 1, () => {
    f.i32(0).set("tw");
    f.forLoop("tw", "tilesW", 1, () => {
      f.get("image").get("th").i32(2).op(I32_MUL).get("rowBytes").op(I32_MUL).op(I32_ADD).get("tw").i32(2).op(I32_MUL).get("pixelBytes").op(I32_MUL).op(I32_ADD).set("base");
      f.get("v").get("th").get("tilesW").op(I32_MUL).get("tw").op(I32_ADD).get("rowStride").op(I32_MUL).op(I32_ADD).set("t");
      f.i32(0).set("c");
      f.forLoop("c", "channels", 4, () => {
        f.get("base").get("c").i32(4).op(I32_MUL).op(I32_ADD).set("src");
        // t = d·B row by row: [d0 − d2, d1 + d2, d2 − d1, d1 − d3].
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            f.get("src");
            if (i > 0) f.get("rowBytes").i32(i).op(I32_MUL).op(I32_ADD);
            if (j > 0) f.get("pixelBytes").i32(j).op(I32_MUL).op(I32_ADD);
            f.simdMem(Simd.load, 4).set(`d${i}${j}`);
          }
          vop(f, "s0", `d${i}0`, `d${i}2`, Simd.f32x4Sub);
          vop(f, "s1", `d${i}1`, `d${i}2`, Simd.f32x4Add);
          vop(f, "s2", `d${i}2`, `d${i}1`, Simd.f32x4Sub);
          vop(f, "s3", `d${i}1`, `d${i}3`, Simd.f32x4Sub);
          for (let j = 0; j < 4; j++) f.get(`s${j}`).set(`d${i}${j}`);
        }
        // V = B^T·t column by column, stored as ξ = 4i + j.
        f.get("t").get("c").i32(4).op(I32_MUL).op(I32_ADD).set("dst");
        for (let j = 0; j < 4; j++) {
          vop(f, "s0", `d0${j}`, `d2${j}`, Simd.f32x4Sub);
          vop(f, "s1", `d1${j}`, `d2${j}`, Simd.f32x4Add);
          vop(f, "s2", `d2${j}`, `d1${j}`, Simd.f32x4Sub);
          vop(f, "s3", `d1${j}`, `d3${j}`, Simd.f32x4Sub);
          for (let i = 0; i < 4; i++) {
            f.get("dst").get("blockBytes").i32(4 * i + j).op(I32_MUL).op(I32_ADD).get(`s${i}`).simdMem(Simd.store, 4);
          }
        }
      });
    });
  });
  return f;
}

/**
 * winogradOutput(m, rowStride, blockBytes, tilesH, tilesW, channels, out, outRowBytes, pixelBytes, bias):
 * for every tile t and 4 output channels, reads M[ξ] at m + ξ·blockBytes + t·rowStride + o·4 and writes
 * Y = A^T M A + bias to the 2×2 pixels of out (row stride outRowBytes, pixel stride pixelBytes).
 */
export function winogradOutputFunction(): FunctionBuilder {
  const f = new FunctionBuilder("winogradOutput", [
    ["m", i32],
    ["rowStride", i32],
    ["blockBytes", i32],
    ["tilesH", i32],
    ["tilesW", i32],
    ["channels", i32],
    ["out", i32],
    ["outRowBytes", i32],
    ["pixelBytes", i32],
    ["bias", i32],
  ]);
  for (const n of ["th", "tw", "o", "src", "dst", "t", "base"]) f.local(n, i32);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) f.local(`u${i}${j}`, v128);
  for (const n of ["m0", "m1", "m2", "m3", "b", "y"]) f.local(n, v128);
  f.i32(0).set("th");
  f.forLoop("th", "tilesH", 1, () => {
    f.i32(0).set("tw");
    f.forLoop("tw", "tilesW", 1, () => {
      f.get("m").get("th").get("tilesW").op(I32_MUL).get("tw").op(I32_ADD).get("rowStride").op(I32_MUL).op(I32_ADD).set("t");
      f.get("out").get("th").i32(2).op(I32_MUL).get("outRowBytes").op(I32_MUL).op(I32_ADD).get("tw").i32(2).op(I32_MUL).get("pixelBytes").op(I32_MUL).op(I32_ADD).set("base");
      f.i32(0).set("o");
      f.forLoop("o", "channels", 4, () => {
        f.get("t").get("o").i32(4).op(I32_MUL).op(I32_ADD).set("src");
        // u = M·A row by row: [m0 + m1 + m2, m1 − m2 − m3].
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            f.get("src");
            if (4 * i + j > 0) f.get("blockBytes").i32(4 * i + j).op(I32_MUL).op(I32_ADD);
            f.simdMem(Simd.load, 4).set(`m${j}`);
          }
          f.get("m0").get("m1").simd(Simd.f32x4Add).get("m2").simd(Simd.f32x4Add).set(`u${i}0`);
          f.get("m1").get("m2").simd(Simd.f32x4Sub).get("m3").simd(Simd.f32x4Sub).set(`u${i}1`);
        }
        f.get("bias").get("o").i32(4).op(I32_MUL).op(I32_ADD).simdMem(Simd.load, 4).set("b");
        f.get("base").get("o").i32(4).op(I32_MUL).op(I32_ADD).set("dst");
        // Y = A^T·u, plus the bias.
        for (let j = 0; j < 2; j++) {
          f.get(`u0${j}`).get(`u1${j}`).simd(Simd.f32x4Add).get(`u2${j}`).simd(Simd.f32x4Add).get("b").simd(Simd.f32x4Add).set("y");
          f.get("dst");
          if (j > 0) f.get("pixelBytes").op(I32_ADD);
          f.get("y").simdMem(Simd.store, 4);
          f.get(`u1${j}`).get(`u2${j}`).simd(Simd.f32x4Sub).get(`u3${j}`).simd(Simd.f32x4Sub).get("b").simd(Simd.f32x4Add).set("y");
          f.get("dst").get("outRowBytes").op(I32_ADD);
          if (j > 0) f.get("pixelBytes").op(I32_ADD);
          f.get("y").simdMem(Simd.store, 4);
        }
      });
    });
  });
  return f;
}

/**
 * The 16 transformed filter values U = G g G^T of one 3×3 filter (g row-major), in f64, ξ = 4i + j.
 */
export function winogradFilter(g: ArrayLike<number>, out: Float64Array): void {
  // t = G·g (4×3), then U = t·G^T (4×4).
  const t = new Float64Array(12);
  for (let c = 0; c < 3; c++) {
    const g0 = g[c]!, g1 = g[3 + c]!, g2 = g[6 + c]!;
    t[c] = g0;
    t[3 + c] = (g0 + g1 + g2) / 2;
    t[6 + c] = (g0 - g1 + g2) / 2;
    t[9 + c] = g2;
  }
  for (let i = 0; i < 4; i++) {
    const a = t[3 * i]!, b = t[3 * i + 1]!, c = t[3 * i + 2]!;
    out[4 * i] = a;
    out[4 * i + 1] = (a + b + c) / 2;
    out[4 * i + 2] = (a - b + c) / 2;
    out[4 * i + 3] = c;
  }
}
