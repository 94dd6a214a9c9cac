/**
 * The int32 accumulators of hw.conv2d with 8-bit activations, on WebAssembly SIMD.
 *
 *   acc[p, o] = Σ_{tap, c} (x[p + tap, c] − input_zp) · (w[o, tap, c] − weight_zp) + bias[o]   (mod 2^32)
 *
 * Bit-exactness: with 8-bit storage both factors lie in [−255, 255], so they are exact in i16 and
 * `i32x4.dot_i16x8_s` (two products and their sum, |·| ≤ 130050) is exact; the i32x4 adds wrap mod
 * 2^32, which is C's int32 accumulation, and equals the scalar kernel's exact sum reduced once mod 2^32
 * (reduction commutes with + and ·). ONNX's `half-even-float` output stage can run here too
 * (`requantHalfEven`); the other rounding modes requantize the accumulators in conv2d.ts.
 *
 * Layout (the float SIMD conv's indirect scheme, see dialects/float/kernels/simd-conv.ts): the input,
 * zero point subtracted, is copied as i16 into a zero-padded image (padding contributes 0 = in − zp);
 * a row table gives each output pixel's window origin, a tap table each tap's offset. Reductions run
 * over channel pairs: each step broadcasts (x[c], x[c+1]) of two pixels and multiplies them with four
 * vectors of packed weights (4 output channels × the same 2 channels), so a 2-pixel × 16-channel tile
 * costs 2 broadcasts, 4 loads, 8 dot products and 8 adds per 2 channels. Odd channel counts are padded
 * with a zero channel (zero weights).
 */
import { FunctionBuilder, i32, v128, Simd, I32_ADD, I32_MUL, I32_LOAD, I32_GE_U, I32_EQZ, SimdKernels } from "../../float/kernels/wasm-encoder.js";
import { sampleOf } from "../../float/kernels/simd-conv.js";
import type { IntArray } from "./output-stage.js";

const MR = 2;
const NR = 16;

type ConvFn = (rows: number, tiles: number, taps: number, tapCount: number, pairs: number, bp: number, panelBytes: number, panels: number, c: number, ldc: number, bias: number) => void;

/** Same loop nest as the float kernel, on i16 pairs and i32 accumulators. */
function convFunction(): FunctionBuilder {
  const NV = NR / 4;
  const f = new FunctionBuilder("conv", [
    ["rows", i32],
    ["tiles", i32],
    ["taps", i32],
    ["tapCount", i32],
    ["pairs", i32],
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

  f.get("taps").get("tapCount").i32(4).op(I32_MUL).op(I32_ADD).set("tapEnd");
  f.i32(0).set("tile");
  f.forLoop("tile", "tiles", 1, () => {
    f.get("rows").get("tile").i32(MR * 4).op(I32_MUL).op(I32_ADD).set("rowPtr");
    for (let r = 0; r < MR; r++) f.get("rowPtr").mem(I32_LOAD, 2, r * 4).set(`r${r}`);
    f.get("c").get("tile").i32(MR).op(I32_MUL).get("ldc").op(I32_MUL).op(I32_ADD).set("cTile");
    f.get("bp").set("bPanel");
    f.i32(0).set("panel");
    f.forLoop("panel", "panels", 1, () => {
      for (let r = 0; r < MR; r++) for (let q = 0; q < NV; q++) f.v128Const(new Array<number>(16).fill(0)).set(`acc${r}_${q}`);
      f.get("bPanel").set("b");
      f.get("taps").set("tapPtr");
      f.block().loop();
      f.get("tapPtr").get("tapEnd").op(I32_GE_U).brIf(1);
      f.get("tapPtr").mem(I32_LOAD, 2, 0).set("off");
      for (let r = 0; r < MR; r++) f.get(`r${r}`).get("off").op(I32_ADD).set(`p${r}`);
      f.get("pairs").set("n");
      f.block().loop();
      f.get("n").op(I32_EQZ).brIf(1);
      for (let q = 0; q < NV; q++) f.get("b").simdMem(Simd.load, 4, q * 16).set(`b${q}`);
      for (let r = 0; r < MR; r++) {
        // (x[c], x[c+1]) as one 32-bit lane, broadcast to all four.
        f.get(`p${r}`).simdMem(Simd.load32Splat, 2, 0).set("a");
        for (let q = 0; q < NV; q++) f.get(`acc${r}_${q}`).get("a").get(`b${q}`).simd(Simd.i32x4DotI16x8S).simd(Simd.i32x4Add).set(`acc${r}_${q}`);
      }
      for (let r = 0; r < MR; r++) f.addTo(`p${r}`, 4);
      f.addTo("b", NR * 4).addTo("n", -1).br(0);
      f.end().end();
      f.addTo("tapPtr", 4).br(0);
      f.end().end();
      f.get("bias").if();
      for (let q = 0; q < NV; q++) {
        f.get("bias").get("panel").i32(NR * 4).op(I32_MUL).op(I32_ADD).simdMem(Simd.load, 4, q * 16).set(`b${q}`);
        for (let r = 0; r < MR; r++) f.get(`acc${r}_${q}`).get(`b${q}`).simd(Simd.i32x4Add).set(`acc${r}_${q}`);
      }
      f.end();
      for (let r = 0; r < MR; r++) {
        for (let q = 0; q < NV; q++) {
          f.get("cTile");
          if (r > 0) f.get("ldc").i32(r).op(I32_MUL).op(I32_ADD);
          f.get(`acc${r}_${q}`).simdMem(Simd.store, 4, q * 16);
        }
      }
      f.addTo("cTile", NR * 4);
      f.addTo("bPanel", "panelBytes");
    });
  });
  return f;
}

type RequantFn = (c: number, rows: number, ldc: number, channels: number, scale: number, lo: number, hi: number, zp: number) => void;

/**
 * ONNX QLinearConv's output stage (`rounding = "half-even-float"`) in place on the accumulator tile
 * buffer, four channels per step, exactly as output-stage.ts computes it (ONNX Runtime's float32
 * requantization): f32(acc) · f32(scale[c]) in f32, rounded half to even (f32x4.nearest), saturated to
 * int32 (trunc_sat), then clamped and offset by the zero point. Clamping v to [min − zp, max − zp]
 * before adding zp equals clamping v + zp to [min, max] and cannot overflow.
 */
function requantHalfEvenFunction(): FunctionBuilder {
  const f = new FunctionBuilder("requantHalfEven", [["c", i32], ["rows", i32], ["ldc", i32], ["channels", i32], ["scale", i32], ["lo", i32], ["hi", i32], ["zp", i32]]);
  for (const n of ["row", "ch", "ptr"]) f.local(n, i32);
  for (const n of ["vlo", "vhi", "vzp"]) f.local(n, v128);
  f.get("lo").simd(Simd.i32x4Splat).set("vlo");
  f.get("hi").simd(Simd.i32x4Splat).set("vhi");
  f.get("zp").simd(Simd.i32x4Splat).set("vzp");
  f.i32(0).set("row");
  f.forLoop("row", "rows", 1, () => {
    f.get("c").get("row").get("ldc").op(I32_MUL).op(I32_ADD).set("ptr");
    f.i32(0).set("ch");
    f.forLoop("ch", "channels", 4, () => {
      f.get("ptr");
      f.get("ptr").simdMem(Simd.load, 4).simd(Simd.f32x4ConvertI32x4S);
      f.get("scale").get("ch").i32(4).op(I32_MUL).op(I32_ADD).simdMem(Simd.load, 4).simd(Simd.f32x4Mul);
      f.simd(Simd.f32x4Nearest).simd(Simd.i32x4TruncSatF32x4S);
      f.get("vlo").simd(Simd.i32x4MaxS).get("vhi").simd(Simd.i32x4MinS).get("vzp").simd(Simd.i32x4Add);
      f.simdMem(Simd.store, 4);
      f.addTo("ptr", 16);
    });
  });
  return f;
}

const kernels = new SimdKernels<{ conv: ConvFn; requantHalfEven: RequantFn }>(() => [convFunction(), requantHalfEvenFunction()]);

/** Where the kernel's results go: raw int32 accumulators, or finished outputs of a half-even-float stage. */
export type SimdConvTarget =
  | { readonly acc: Int32Array }
  | { readonly out: IntArray; readonly scale: Float64Array; readonly zp: number; readonly min: number; readonly max: number };

export interface SimdConvShape {
  readonly N: number;
  readonly H: number;
  readonly W: number;
  readonly C: number;
  readonly O: number;
  readonly KH: number;
  readonly KW: number;
  readonly strideY: number;
  readonly strideX: number;
  readonly dilationY: number;
  readonly dilationX: number;
  /** [top, bottom, left, right] (the kernels' TOSA order). */
  readonly pad: readonly [number, number, number, number];
  readonly groups: number;
  readonly OH: number;
  readonly OW: number;
}

/**
 * Weights minus their zero point, as i16 pairs: per 16-channel panel and per channel pair kp, four
 * vectors of 8 lanes, lane 2j + e of vector q = w[panel·16 + 4q + j][2kp + e]. `K` is the padded
 * reduction length of one output channel (taps × even channel run); padding entries are 0.
 */
function packWeights(w: IntArray, zp: number, g: SimdConvShape, group: number, cRun: number, dst: Int16Array, base: number): void {
  const Og = g.O / g.groups;
  const Cg = g.C / g.groups;
  const taps = g.KH * g.KW;
  const K = taps * cRun;
  const panels = Math.ceil(Og / NR);
  dst.fill(0, base, base + panels * K * NR);
  for (let j = 0; j < Og; j++) {
    const o = group * Og + j;
    const panel = Math.floor(j / NR);
    const lane = j % NR;
    const vectorBase = base + panel * K * NR + (lane >> 2) * 8 + (lane & 3) * 2;
    for (let t = 0; t < taps; t++) {
      for (let c = 0; c < Cg; c++) {
        const k = t * cRun + c;
        dst[vectorBase + (k >> 1) * 2 * NR + (k & 1)] = w[(o * taps + t) * Cg + c]! - zp;
      }
    }
  }
}

/**
 * Computes the wrapped int32 accumulators ([N·OH·OW, O], row-major, bias included) into `target.acc`,
 * or runs them through the half-even-float output stage into `target.out`. Returns false (nothing
 * written) without WebAssembly SIMD. The caller guarantees 8-bit inputs and weights.
 */
export function simdConvAccumulators(
  x: IntArray,
  inputZp: number,
  w: IntArray,
  weightZp: number,
  bias: Float64Array | undefined,
  g: SimdConvShape,
  target: SimdConvTarget,
): boolean {
  const simd = kernels.exports();
  if (simd === undefined) return false;
  return kernels.attempt(() => {
    const { N, H, W, C, O, KH, KW, strideY, strideX, dilationY, dilationX, groups, OH, OW } = g;
    const [padT, padB, padL, padR] = g.pad;
    const Cg = C / groups;
    const Og = O / groups;
    // Pixel stride and per-tap channel run of the i16 image, both even where pairs must not straddle.
    const stride = groups === 1 ? C + (C & 1) : C;
    const cRun = Cg + (Cg & 1);
    const mergeRow = groups === 1 && dilationX === 1;
    const Hp = H + padT + padB;
    const Wp = W + padL + padR;
    const M = N * OH * OW;
    const tiles = Math.ceil(M / MR);
    const panels = Math.ceil(Og / NR);
    const ldc = panels * NR;
    const K = KH * KW * cRun;

    // Packed weights stay in the module's memory as long as `w` does.
    const sample = sampleOf(w);
    const packedAt = Array.from({ length: groups }, (_, grp) =>
      kernels.constant(w, `conv:${weightZp}:${grp}:${cRun}:${KH}x${KW}:${C}:${O}:${groups}`, sample, panels * K * NR * 2, (mem, at) =>
        packWeights(w, weightZp, g, grp, cRun, new Int16Array(mem.u8.buffer), at >> 1),
      ),
    );
    const ws = kernels.workspace();
    // One spare pixel: with groups and an odd Cg the last pair reads one element past a group.
    const image = ws.alloc((N * Hp * Wp + 1) * stride * 2);
    const rows = ws.alloc(tiles * MR * 4);
    const taps = ws.alloc(KH * KW * 4);
    const biasAt = bias === undefined ? 0 : ws.alloc(ldc * 4);
    const scaleAt = "acc" in target ? 0 : ws.alloc(ldc * 4);
    const out = ws.alloc(tiles * MR * ldc * 4);
    const mem = ws.commit();
    const i16 = new Int16Array(mem.i32.buffer);

    const base = image >> 1;
    i16.fill(0, base, base + (N * Hp * Wp + 1) * stride);
    for (let n = 0; n < N; n++) {
      for (let h = 0; h < H; h++) {
        for (let wi = 0; wi < W; wi++) {
          const src = ((n * H + h) * W + wi) * C;
          const dst = base + ((n * Hp + h + padT) * Wp + wi + padL) * stride;
          for (let c = 0; c < C; c++) i16[dst + c] = x[src + c]! - inputZp;
        }
      }
    }
    let r = rows >> 2;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) mem.i32[r++] = image + ((n * Hp + oh * strideY) * Wp + ow * strideX) * stride * 2;
      }
    }
    for (let p = M; p < tiles * MR; p++, r++) mem.i32[r] = mem.i32[r - 1]!;
    const tapCount = mergeRow ? KH : KH * KW;
    const run = mergeRow ? KW * cRun : cRun;
    let t = taps >> 2;
    for (let kh = 0; kh < KH; kh++) {
      if (mergeRow) mem.i32[t++] = kh * dilationY * Wp * stride * 2;
      else for (let kw = 0; kw < KW; kw++) mem.i32[t++] = (kh * dilationY * Wp + kw * dilationX) * stride * 2;
    }

    for (let grp = 0; grp < groups; grp++) {
      if (bias !== undefined) {
        mem.i32.fill(0, biasAt >> 2, (biasAt >> 2) + ldc);
        // The scalar kernel adds the bias to the exact sum and wraps once; adding its int32 image here is
        // the same mod 2^32 (biases that are not int32 never reach this path: 8-bit kernels take i32 biases).
        for (let j = 0; j < Og; j++) mem.i32[(biasAt >> 2) + j] = bias[grp * Og + j]! | 0;
      }
      if (grp > 0) for (let i = rows >> 2, e = i + tiles * MR; i < e; i++) mem.i32[i] += Cg * 2;
      simd.conv(rows, tiles, taps, tapCount, run >> 1, packedAt[grp]!, K * NR * 2, panels, out, ldc * 4, biasAt);
      const dest = "acc" in target ? target.acc : target.out;
      if (!("acc" in target)) {
        // f32 scales (Float32Array.set rounds each to nearest, as Math.fround), zero in the padding lanes.
        mem.f32.fill(0, scaleAt >> 2, (scaleAt >> 2) + ldc);
        mem.f32.set(target.scale.subarray(grp * Og, (grp + 1) * Og), scaleAt >> 2);
        simd.requantHalfEven(out, M, ldc * 4, Og, scaleAt, target.min - target.zp, target.max - target.zp, target.zp);
      }
      // Typed-array `set` converts the int32 results to the destination's storage type (exact: in range).
      const src = out >> 2;
      if (groups === 1 && ldc === O) {
        dest.set(mem.i32.subarray(src, src + M * O));
      } else {
        for (let p = 0; p < M; p++) dest.set(mem.i32.subarray(src + p * ldc, src + p * ldc + Og), p * O + grp * Og);
      }
    }
    return true;
  });
}
