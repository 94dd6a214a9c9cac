/**
 * Naive reference kernels for the property tests: direct transcriptions of the TFLite / TOSA loops,
 * with explicit bounds checks, BigInt accumulators wrapped with BigInt.asIntN exactly where C wraps,
 * and the BigInt requantization references. Slow on purpose; independent of the fast kernels' loop
 * structure and of src/interp/fixed-point.ts.
 */

import type { RoundingMode } from "../../src/interp/rounding.js";
import { roundHalfEven } from "../../src/interp/rounding.js";
import { applyScale16Ref, applyScale32Ref, mbqmInt64Ref, mbqmRef, singleRoundRef, toInt32 } from "../interp/bigint-reference.js";

export function requantRef(acc: bigint, m: number, s: number, scale: number, mode: RoundingMode, wide: boolean): number {
  if (mode === "half-even-float") {
    // ONNX Runtime requantizes in float32: float(acc) · scale.
    const r = roundHalfEven(Math.fround(Math.fround(Number(acc)) * Math.fround(scale)));
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, r));
  }
  if (wide) return mbqmInt64Ref(Number(acc), m, s);
  const a = Number(acc);
  switch (mode) {
    case "gemmlowp":
      return mbqmRef(a, m, s);
    case "single-round":
      return singleRoundRef(a, m, s);
    case "double-round":
      return applyScale32Ref(a, m, 31 - s, true);
  }
}

export interface ConvRefParams {
  N: number;
  H: number;
  W: number;
  IC: number;
  OC: number;
  KH: number;
  KW: number;
  groups: number;
  stride: [number, number];
  dilation: [number, number];
  pad: [number, number, number, number];
  inputZp: number;
  weightZp: number;
  outputZp: number;
  multiplier: number[];
  shift: number[];
  scale: number[];
  actMin: number;
  actMax: number;
  mode: RoundingMode;
  wide: boolean;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function perChannel(values: number[], c: number): number {
  return values.length === 1 ? values[0]! : values[c]!;
}

/** TFLite ConvPerChannel, literally (plus groups and weight zero point). */
export function conv2dRef(input: ArrayLike<number>, weights: ArrayLike<number>, bias: ArrayLike<number | bigint> | null, p: ConvRefParams): number[] {
  const OH = Math.floor((p.H + p.pad[0] + p.pad[1] - p.dilation[0] * (p.KH - 1) - 1) / p.stride[0]) + 1;
  const OW = Math.floor((p.W + p.pad[2] + p.pad[3] - p.dilation[1] * (p.KW - 1) - 1) / p.stride[1]) + 1;
  const ICg = p.IC / p.groups;
  const ocPerGroup = p.OC / p.groups;
  const out: number[] = [];
  for (let b = 0; b < p.N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let oc = 0; oc < p.OC; oc++) {
          const g = Math.floor(oc / ocPerGroup);
          let acc = 0n;
          for (let ky = 0; ky < p.KH; ky++)
            for (let kx = 0; kx < p.KW; kx++)
              for (let ic = 0; ic < ICg; ic++) {
                const iy = oy * p.stride[0] - p.pad[0] + ky * p.dilation[0];
                const ix = ox * p.stride[1] - p.pad[2] + kx * p.dilation[1];
                if (iy < 0 || iy >= p.H || ix < 0 || ix >= p.W) continue;
                const x = BigInt(input[((b * p.H + iy) * p.W + ix) * p.IC + g * ICg + ic]! - p.inputZp);
                const w = BigInt(weights[((oc * p.KH + ky) * p.KW + kx) * ICg + ic]! - p.weightZp);
                acc += x * w;
                if (!p.wide) acc = BigInt.asIntN(32, acc);
              }
          if (bias !== null) acc += BigInt(bias[oc]!);
          if (!p.wide) acc = BigInt.asIntN(32, acc);
          const r = requantRef(acc, perChannel(p.multiplier, oc), perChannel(p.shift, oc), perChannel(p.scale, oc), p.mode, p.wide);
          out.push(clamp(r + p.outputZp, p.actMin, p.actMax));
        }
  return out;
}

/** TFLite DepthwiseConvPerChannel, literally: weights [1, KH, KW, C·M]. */
export function depthwiseRef(
  input: ArrayLike<number>,
  weights: ArrayLike<number>,
  bias: ArrayLike<number | bigint> | null,
  p: ConvRefParams & { depthMultiplier: number },
): number[] {
  const OH = Math.floor((p.H + p.pad[0] + p.pad[1] - p.dilation[0] * (p.KH - 1) - 1) / p.stride[0]) + 1;
  const OW = Math.floor((p.W + p.pad[2] + p.pad[3] - p.dilation[1] * (p.KW - 1) - 1) / p.stride[1]) + 1;
  const M = p.depthMultiplier;
  const OC = p.IC * M;
  const out = new Array<number>(p.N * OH * OW * OC);
  for (let b = 0; b < p.N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let ic = 0; ic < p.IC; ic++)
          for (let m = 0; m < M; m++) {
            const oc = m + ic * M;
            let acc = 0n;
            for (let ky = 0; ky < p.KH; ky++)
              for (let kx = 0; kx < p.KW; kx++) {
                const iy = oy * p.stride[0] - p.pad[0] + ky * p.dilation[0];
                const ix = ox * p.stride[1] - p.pad[2] + kx * p.dilation[1];
                if (iy < 0 || iy >= p.H || ix < 0 || ix >= p.W) continue;
                const x = BigInt(input[((b * p.H + iy) * p.W + ix) * p.IC + ic]! - p.inputZp);
                const w = BigInt(weights[(ky * p.KW + kx) * OC + oc]! - p.weightZp);
                acc += x * w;
                if (!p.wide) acc = BigInt.asIntN(32, acc);
              }
            if (bias !== null) acc += BigInt(bias[oc]!);
            if (!p.wide) acc = BigInt.asIntN(32, acc);
            const r = requantRef(acc, perChannel(p.multiplier, oc), perChannel(p.shift, oc), perChannel(p.scale, oc), p.mode, p.wide);
            out[((b * OH + oy) * OW + ox) * OC + oc] = clamp(r + p.outputZp, p.actMin, p.actMax);
          }
  return out;
}

export interface AddRefParams {
  input1Zp: number;
  input2Zp: number;
  outputZp: number;
  leftShift: number;
  m1: number;
  s1: number;
  m2: number;
  s2: number;
  mo: number;
  so: number;
  actMin: number;
  actMax: number;
  mode: "gemmlowp" | "single-round" | "double-round";
}

export function addRef(a: number, b: number, p: AddRefParams): number {
  const rq = (x: number, m: number, s: number): number => requantRef(BigInt(x), m, s, Number.NaN, p.mode, false);
  const x1 = toInt32(BigInt(a - p.input1Zp) << BigInt(p.leftShift));
  const x2 = toInt32(BigInt(b - p.input2Zp) << BigInt(p.leftShift));
  const sum = toInt32(BigInt(rq(x1, p.m1, p.s1)) + BigInt(rq(x2, p.m2, p.s2)));
  return clamp(rq(sum, p.mo, p.so) + p.outputZp, p.actMin, p.actMax);
}

export function mulRef(a: number, b: number, p: Omit<AddRefParams, "leftShift" | "m1" | "s1" | "m2" | "s2">): number {
  const prod = toInt32(BigInt(a - p.input1Zp) * BigInt(b - p.input2Zp));
  return clamp(requantRef(BigInt(prod), p.mo, p.so, Number.NaN, p.mode, false) + p.outputZp, p.actMin, p.actMax);
}

/** TOSA RESCALE on one value. */
export function rescaleRef(
  value: number | bigint,
  inputZp: number,
  outputZp: number,
  multiplier: number,
  shift: number,
  scale32: boolean,
  doubleRound: boolean,
  outMin: number,
  outMax: number,
): number {
  const v = Number(BigInt(value) - BigInt(inputZp));
  const r = scale32 ? applyScale32Ref(v, multiplier, shift, doubleRound) : applyScale16Ref(v, multiplier, shift);
  return clamp(r + outputZp, outMin, outMax);
}
