/**
 * The WebAssembly SIMD kernels that make the interpreter benchmark fast are bit-identical to the
 * scalar formulas they replace: float elementwise ops (NaN and signed zeros included), max pooling,
 * batch norm, the f32 convolution (sequential f32 multiply-add in (kh, kw, c) order) and the int8
 * convolution's wrapped int32 accumulators and half-even-float output stage.
 */
import { describe, expect, it } from "vitest";
import { simdConv2d } from "../../dialects/float/kernels/simd-conv.js";
import { simdBatchNorm, simdBinary, simdClamp, simdMaxPool, simdRelu } from "../../dialects/float/kernels/simd-elementwise.js";
import { conv2d as hwConv2d } from "../../dialects/hw/kernels/conv2d.js";
import { simdConvAccumulators } from "../../dialects/hw/kernels/simd-conv2d.js";
import { roundHalfEven } from "../../src/interp/rounding.js";
import { makeTensor } from "../../src/interp/tensor.js";

/** Deterministic LCG so that failures reproduce. */
function rng(seed: number): { next: () => number; int: (lo: number, hi: number) => number } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** Floats with NaN, ±0 and −∞ mixed in. */
function specialFloats(n: number, r: ReturnType<typeof rng>): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    a[i] = u < 0.03 ? NaN : u < 0.06 ? -0 : u < 0.09 ? 0 : u < 0.1 ? -Infinity : (r.next() - 0.5) * 10;
  }
  return a;
}

const identical = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i]!)));

describe("SIMD float kernels", () => {
  it("relu, clamp and same-shape binary ops equal the scalar loops", () => {
    const r = rng(1);
    for (let iter = 0; iter < 200; iter++) {
      const n = r.int(0, 50);
      const x = specialFloats(n, r);
      const y = specialFloats(n, r);
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      expect(simdRelu(x, got)).toBe(true);
      for (let i = 0; i < n; i++) want[i] = x[i]! < 0 ? 0 : x[i]!;
      expect(identical(got, want)).toBe(true);
      const lo = Math.fround(-1.5), hi = Math.fround(2.25);
      simdClamp(x, got, lo, hi);
      for (let i = 0; i < n; i++) want[i] = x[i]! < lo ? lo : x[i]! > hi ? hi : x[i]!;
      expect(identical(got, want)).toBe(true);
      const ops = { add: (a: number, b: number) => a + b, sub: (a: number, b: number) => a - b, mul: (a: number, b: number) => a * b, div: (a: number, b: number) => a / b, maximum: Math.max, minimum: Math.min };
      for (const [op, f] of Object.entries(ops)) {
        simdBinary(op as keyof typeof ops, x, y, got);
        for (let i = 0; i < n; i++) want[i] = f(x[i]!, y[i]!);
        expect(identical(got, want), op).toBe(true);
      }
    }
  });

  it("batch norm equals x·scale + shift in f64 rounded once", () => {
    const r = rng(2);
    for (let iter = 0; iter < 100; iter++) {
      const C = 2 * r.int(1, 6);
      const P = r.int(0, 7);
      const x = specialFloats(P * C, r);
      const scale = Float64Array.from({ length: C }, () => r.next() * 3 - 1);
      const shift = Float64Array.from({ length: C }, () => r.next() - 0.5);
      const got = new Float32Array(P * C);
      const want = new Float32Array(P * C);
      expect(simdBatchNorm(x, got, scale, shift)).toBe(true);
      for (let o = 0; o < P * C; o += C) for (let c = 0; c < C; c++) want[o + c] = x[o + c]! * scale[c]! + shift[c]!;
      expect(identical(got, want)).toBe(true);
    }
  });

  it("max pooling equals the scalar window loop (padding, ceil mode, NaN, −0)", () => {
    const r = rng(3);
    for (let iter = 0; iter < 150; iter++) {
      const N = r.int(1, 2), H = r.int(1, 7), W = r.int(1, 7), C = 4 * r.int(1, 3);
      const KH = r.int(1, 3), KW = r.int(1, 3), SH = r.int(1, 2), SW = r.int(1, 2), padT = r.int(0, 1), padL = r.int(0, 1), padB = r.int(0, 1), padR = r.int(0, 1);
      const ceil = r.next() < 0.5;
      const size = (input: number, k: number, s: number, pb: number, pe: number): number => {
        const span = input + pb + pe - k;
        if (!ceil) return Math.floor(span / s) + 1;
        let o = Math.ceil(span / s) + 1;
        if ((o - 1) * s >= input + pb) o--;
        return o;
      };
      const OH = size(H, KH, SH, padT, padB), OW = size(W, KW, SW, padL, padR);
      if (OH < 1 || OW < 1) continue;
      const x = specialFloats(N * H * W * C, r);
      const got = new Float32Array(N * OH * OW * C);
      expect(simdMaxPool(x, got, { N, H, W, C, KH, KW, SH, SW, DH: 1, DW: 1, padT, padL, OH, OW })).toBe(true);
      const want = new Float32Array(got.length);
      const acc = new Float32Array(C);
      let dst = 0;
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) {
            acc.fill(-Infinity);
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * SH - padT + kh;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * SW - padL + kw;
                if (iw < 0 || iw >= W) continue;
                const src = ((n * H + ih) * W + iw) * C;
                for (let c = 0; c < C; c++) {
                  const v = x[src + c]!;
                  if (v > acc[c]! || v !== v) acc[c] = v;
                }
              }
            }
            want.set(acc, dst);
            dst += C;
          }
      expect(identical(got, want)).toBe(true);
    }
  });

  it("conv2d is the sequential f32 multiply-add over (kh, kw, c), plus the bias rounded once (direct kernel)", () => {
    const r = rng(4);
    for (let iter = 0; iter < 124; iter++) {
      // The last cases have large packed weights (many panels, long reductions).
      const large = iter >= 120;
      const N = r.int(1, 2), H = large ? r.int(3, 5) : r.int(1, 8), W = large ? r.int(3, 5) : r.int(1, 8), groups = large ? 1 : r.int(1, 3), Cg = large ? r.int(200, 260) : r.int(1, 20), Og = large ? r.int(150, 170) : r.int(1, 40);
      const KH = large ? 3 : r.int(1, 3), KW = large ? 3 : r.int(1, 3), sH = r.int(1, 2), sW = r.int(1, 2), dH = large ? 1 : r.int(1, 2), dW = large ? 1 : r.int(1, 2);
      const pT = r.int(0, 2), pL = r.int(0, 2), pB = r.int(0, 2), pR = r.int(0, 2);
      const C = Cg * groups, O = Og * groups;
      const OH = Math.floor((H + pT + pB - (KH - 1) * dH - 1) / sH) + 1, OW = Math.floor((W + pL + pR - (KW - 1) * dW - 1) / sW) + 1;
      expect(large && (OH < 1 || OW < 1)).toBe(false);
      if (OH < 1 || OW < 1) continue;
      // 3×3 stride-1 layers with ≥ 16 channels take Winograd: checked by the next test.
      if (KH === 3 && KW === 3 && sH === 1 && sW === 1 && dH === 1 && dW === 1 && groups === 1 && C % 4 === 0 && C >= 16 && O >= 16) continue;
      const x = Float32Array.from({ length: N * H * W * C }, () => r.next() * 2 - 1);
      const w = Float32Array.from({ length: O * KH * KW * Cg }, () => r.next() * 2 - 1);
      const bias = r.next() < 0.5 ? Float32Array.from({ length: O }, () => r.next()) : undefined;
      const got = new Float32Array(N * OH * OW * O);
      const geometry = { N, H, W, C, O, KH, KW, strideH: sH, strideW: sW, dilH: dH, dilW: dW, padT: pT, padL: pL, padB: pB, padR: pR, groups, OH, OW };
      expect(simdConv2d(x, w, bias, got, geometry)).toBe(true);
      const want = new Float32Array(got.length);
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++)
            for (let o = 0; o < O; o++) {
              const g = Math.floor(o / Og);
              let acc = 0;
              for (let kh = 0; kh < KH; kh++)
                for (let kw = 0; kw < KW; kw++)
                  for (let c = 0; c < Cg; c++) {
                    const ih = oh * sH - pT + kh * dH, iw = ow * sW - pL + kw * dW;
                    const xv = ih < 0 || ih >= H || iw < 0 || iw >= W ? 0 : x[((n * H + ih) * W + iw) * C + g * Cg + c]!;
                    acc = Math.fround(acc + Math.fround(xv * w[((o * KH + kh) * KW + kw) * Cg + c]!));
                  }
              want[((n * OH + oh) * OW + ow) * O + o] = bias ? Math.fround(acc + bias[o]!) : acc;
            }
      expect(identical(got, want)).toBe(true);
    }
  });

  it("Winograd F(2×2, 3×3) convolutions agree with an f64 direct convolution to 1e-5 relative", () => {
    const r = rng(7);
    let checked = 0;
    for (let iter = 0; iter < 40; iter++) {
      const N = r.int(1, 2), H = r.int(1, 11), W = r.int(1, 11), C = 4 * r.int(4, 12), O = r.int(16, 70);
      const pT = r.int(0, 2), pL = r.int(0, 2), pB = r.int(0, 2), pR = r.int(0, 2);
      const OH = H + pT + pB - 2, OW = W + pL + pR - 2;
      if (OH < 1 || OW < 1) continue;
      const x = Float32Array.from({ length: N * H * W * C }, () => r.next() * 2 - 1);
      const w = Float32Array.from({ length: O * 9 * C }, () => r.next() * 2 - 1);
      const b = Float32Array.from({ length: O }, () => r.next());
      const y = new Float32Array(N * OH * OW * O);
      simdConv2d(x, w, b, y, { N, H, W, C, O, KH: 3, KW: 3, strideH: 1, strideW: 1, dilH: 1, dilW: 1, padT: pT, padL: pL, padB: pB, padR: pR, groups: 1, OH, OW });
      let scale = 0;
      let diff = 0;
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++)
            for (let o = 0; o < O; o++) {
              let s = b[o]!;
              for (let kh = 0; kh < 3; kh++)
                for (let kw = 0; kw < 3; kw++) {
                  const ih = oh - pT + kh, iw = ow - pL + kw;
                  if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  for (let c = 0; c < C; c++) s += x[((n * H + ih) * W + iw) * C + c]! * w[((o * 3 + kh) * 3 + kw) * C + c]!;
                }
              scale = Math.max(scale, Math.abs(s));
              diff = Math.max(diff, Math.abs(y[((n * OH + oh) * OW + ow) * O + o]! - s));
            }
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("SIMD int8 convolution", () => {
  it("accumulators equal the exact sum wrapped to int32 (i8/u8, weight zero points, groups, odd channels)", () => {
    const r = rng(5);
    for (let iter = 0; iter < 150; iter++) {
      const N = r.int(1, 2), H = r.int(1, 7), W = r.int(1, 7), groups = r.int(1, 3), Cg = r.int(1, 19), Og = r.int(1, 37);
      const KH = r.int(1, 3), KW = r.int(1, 3), sY = r.int(1, 2), sX = r.int(1, 2), dY = r.int(1, 2), dX = r.int(1, 2);
      const pad: [number, number, number, number] = [r.int(0, 2), r.int(0, 2), r.int(0, 2), r.int(0, 2)];
      const C = Cg * groups, O = Og * groups;
      const OH = Math.floor((H + pad[0] + pad[1] - (KH - 1) * dY - 1) / sY) + 1, OW = Math.floor((W + pad[2] + pad[3] - (KW - 1) * dX - 1) / sX) + 1;
      if (OH < 1 || OW < 1) continue;
      const u8 = r.next() < 0.5;
      const x = u8 ? Uint8Array.from({ length: N * H * W * C }, () => r.int(0, 255)) : Int8Array.from({ length: N * H * W * C }, () => r.int(-128, 127));
      const w = r.next() < 0.3 ? Uint8Array.from({ length: O * KH * KW * Cg }, () => r.int(0, 255)) : Int8Array.from({ length: O * KH * KW * Cg }, () => r.int(-128, 127));
      const xzp = u8 ? r.int(0, 255) : r.int(-128, 127);
      const wzp = r.next() < 0.5 ? 0 : w instanceof Uint8Array ? r.int(0, 255) : r.int(-128, 127);
      const bias = r.next() < 0.5 ? undefined : Float64Array.from({ length: O }, () => r.int(-2147483648, 2147483647));
      const acc = new Int32Array(N * OH * OW * O);
      const shape = { N, H, W, C, O, KH, KW, strideY: sY, strideX: sX, dilationY: dY, dilationX: dX, pad, groups, OH, OW };
      expect(simdConvAccumulators(x, xzp, w, wzp, bias, shape, { acc })).toBe(true);
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++)
            for (let o = 0; o < O; o++) {
              const g = Math.floor(o / Og);
              let s = 0;
              for (let kh = 0; kh < KH; kh++)
                for (let kw = 0; kw < KW; kw++)
                  for (let c = 0; c < Cg; c++) {
                    const ih = oh * sY - pad[0] + kh * dY, iw = ow * sX - pad[2] + kw * dX;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    s += (x[((n * H + ih) * W + iw) * C + g * Cg + c]! - xzp) * (w[((o * KH + kh) * KW + kw) * Cg + c]! - wzp);
                  }
              expect(acc[((n * OH + oh) * OW + ow) * O + o]).toBe((s + (bias ? bias[o]! : 0)) | 0);
            }
    }
  });

  it("the half-even-float output stage equals roundHalfEven(f32(acc)·f32(scale)) + zp, clamped", () => {
    const r = rng(6);
    for (let iter = 0; iter < 100; iter++) {
      const N = r.int(1, 2), H = r.int(1, 6), W = r.int(1, 6), groups = r.int(1, 2), Cg = r.int(1, 9), Og = r.int(1, 21), KH = r.int(1, 3), KW = r.int(1, 3);
      const C = Cg * groups, O = Og * groups;
      const pad: [number, number, number, number] = [r.int(0, 1), r.int(0, 1), r.int(0, 1), r.int(0, 1)];
      const OH = H + pad[0] + pad[1] - KH + 1, OW = W + pad[2] + pad[3] - KW + 1;
      if (OH < 1 || OW < 1) continue;
      const u8 = r.next() < 0.5;
      const x = u8 ? Uint8Array.from({ length: N * H * W * C }, () => r.int(0, 255)) : Int8Array.from({ length: N * H * W * C }, () => r.int(-128, 127));
      const w = Int8Array.from({ length: O * KH * KW * Cg }, () => r.int(-127, 127));
      const b = Int32Array.from({ length: O }, () => r.int(-5000, 5000));
      const xzp = u8 ? r.int(0, 255) : r.int(-128, 127), ozp = u8 ? r.int(0, 255) : r.int(-128, 127);
      // Dyadic scales put many products exactly on .5 ties.
      const scale = Array.from({ length: O }, () => (r.next() < 0.4 ? r.int(1, 64) / 128 : r.next() * 0.05));
      const actMin = u8 ? r.int(0, 50) : r.int(-128, -50), actMax = u8 ? r.int(200, 255) : r.int(50, 127);
      const y = hwConv2d(makeTensor(u8 ? "u8" : "i8", [N, H, W, C], x), makeTensor("i8", [O, KH, KW, Cg], w), makeTensor("i32", [O], b), {
        stride: [1, 1],
        pad,
        input_zp: xzp,
        groups,
        multiplier: scale.map(() => 1 << 30),
        shift: scale.map(() => 0),
        scale,
        output_zp: ozp,
        act_min: actMin,
        act_max: actMax,
        rounding: "half-even-float",
      });
      const got = y.data as Int8Array | Uint8Array;
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++)
            for (let o = 0; o < O; o++) {
              const g = Math.floor(o / Og);
              let s = 0;
              for (let kh = 0; kh < KH; kh++)
                for (let kw = 0; kw < KW; kw++)
                  for (let c = 0; c < Cg; c++) {
                    const ih = oh - pad[0] + kh, iw = ow - pad[2] + kw;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    s += (x[((n * H + ih) * W + iw) * C + g * Cg + c]! - xzp) * w[((o * KH + kh) * KW + kw) * Cg + c]!;
                  }
              const v = roundHalfEven(Math.fround(Math.fround((s + b[o]!) | 0) * Math.fround(scale[o]!))) + ozp;
              expect(got[((n * OH + oh) * OW + ow) * O + o]).toBe(v < actMin ? actMin : v > actMax ? actMax : v);
            }
    }
  });
});
