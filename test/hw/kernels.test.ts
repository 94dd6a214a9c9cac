import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INT32_MAX, INT32_MIN, quantizeMultiplier } from "../../src/interp/fixed-point.js";
import { ROUNDING_MODES, type RoundingMode } from "../../src/interp/rounding.js";
import { makeTensor, type DType } from "../../src/interp/tensor.js";
import { add, prepareAdd } from "../../dialects/hw/kernels/add.js";
import { broadcastBinary } from "../../dialects/hw/kernels/broadcast.js";
import { conv2d } from "../../dialects/hw/kernels/conv2d.js";
import { depthwiseConv2d } from "../../dialects/hw/kernels/depthwise-conv2d.js";
import { fullyConnected } from "../../dialects/hw/kernels/fully-connected.js";
import { lut16Interpolated, lut8 } from "../../dialects/hw/kernels/lut.js";
import { mul, prepareMul } from "../../dialects/hw/kernels/mul.js";
import { avgPool2d, maxPool2d } from "../../dialects/hw/kernels/pool.js";
import { rescale } from "../../dialects/hw/kernels/rescale.js";
import { expOnNegativeValues, prepareSoftmax, softmaxInt8 } from "../../dialects/hw/kernels/softmax.js";
import { addRef, conv2dRef, depthwiseRef, mulRef, rescaleRef, type ConvRefParams } from "./reference-kernels.js";

const int8 = fc.integer({ min: -128, max: 127 });
const int16 = fc.integer({ min: -32768, max: 32767 });
const modes = fc.constantFrom<RoundingMode>(...ROUNDING_MODES);

/** Random conv geometry with the requant parameters a real model would have (multipliers < 1). */
const convCase = fc
  .record({
    N: fc.integer({ min: 1, max: 2 }),
    H: fc.integer({ min: 1, max: 7 }),
    W: fc.integer({ min: 1, max: 7 }),
    groups: fc.integer({ min: 1, max: 2 }),
    ICg: fc.integer({ min: 1, max: 4 }),
    OCg: fc.integer({ min: 1, max: 3 }),
    KH: fc.integer({ min: 1, max: 3 }),
    KW: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pad: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    inputZp: int8,
    outputZp: int8,
    perChannel: fc.boolean(),
    reals: fc.array(fc.double({ min: 1e-5, max: 0.9, noNaN: true }), { minLength: 6, maxLength: 6 }),
    mode: modes,
    act: fc.tuple(int8, int8),
    seed: fc.integer(),
  })
  .filter((c) => c.H + c.pad[0] + c.pad[1] >= c.dilation[0] * (c.KH - 1) + 1 && c.W + c.pad[2] + c.pad[3] >= c.dilation[1] * (c.KW - 1) + 1);

/** Deterministic pseudo-random fill (xorshift) so a case is reproducible from its seed. */
function fill(n: number, min: number, max: number, seed: number): number[] {
  let s = seed | 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out.push(min + ((s >>> 0) % (max - min + 1)));
  }
  return out;
}

function requantArrays(reals: number[], channels: number, perChannel: boolean): { multiplier: number[]; shift: number[]; scale: number[] } {
  const n = perChannel ? channels : 1;
  const multiplier: number[] = [];
  const shift: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < n; c++) {
    const real = reals[c % reals.length]!;
    const q = quantizeMultiplier(real);
    multiplier.push(q.multiplier);
    shift.push(q.shift);
    scale.push(real);
  }
  return { multiplier, shift, scale };
}

describe("conv2d", () => {
  it("int8 matches the naive TFLite loop in every rounding mode (1000 random geometries)", () => {
    fc.assert(
      fc.property(convCase, (c) => {
        const IC = c.ICg * c.groups;
        const OC = c.OCg * c.groups;
        const input = fill(c.N * c.H * c.W * IC, -128, 127, c.seed);
        const weights = fill(OC * c.KH * c.KW * c.ICg, -127, 127, c.seed + 1);
        const bias = fill(OC, -20000, 20000, c.seed + 2);
        const rq = requantArrays(c.reals, OC, c.perChannel);
        const actMin = Math.min(...c.act);
        const actMax = Math.max(...c.act);
        const out = conv2d(
          makeTensor("i8", [c.N, c.H, c.W, IC], Int8Array.from(input)),
          makeTensor("i8", [OC, c.KH, c.KW, c.ICg], Int8Array.from(weights)),
          makeTensor("i32", [OC], Int32Array.from(bias)),
          {
            stride: c.stride,
            dilation: c.dilation,
            pad: c.pad,
            groups: c.groups,
            input_zp: c.inputZp,
            output_zp: c.outputZp,
            ...rq,
            act_min: actMin,
            act_max: actMax,
            rounding: c.mode,
          },
        );
        const p: ConvRefParams = {
          N: c.N, H: c.H, W: c.W, IC, OC, KH: c.KH, KW: c.KW, groups: c.groups,
          stride: c.stride, dilation: c.dilation, pad: c.pad,
          inputZp: c.inputZp, weightZp: 0, outputZp: c.outputZp, ...rq, actMin, actMax, mode: c.mode, wide: false,
        };
        expect(Array.from(out.data as Int8Array)).toEqual(conv2dRef(input, weights, bias, p));
      }),
      { numRuns: 1000 },
    );
  });

  it("16x8 with int64 bias accumulates exactly in 64 bits (TFLite int64 MultiplyByQuantizedMultiplier)", () => {
    fc.assert(
      fc.property(convCase, fc.boolean(), (c, int64Bias) => {
        const IC = c.ICg * c.groups;
        const OC = c.OCg * c.groups;
        const input = fill(c.N * c.H * c.W * IC, -32768, 32767, c.seed);
        const weights = fill(OC * c.KH * c.KW * c.ICg, -127, 127, c.seed + 1);
        // Biases beyond int32, as 16x8 models have them.
        const bias = fill(OC, -(2 ** 30), 2 ** 30, c.seed + 2).map((b) => (int64Bias ? b * 1024 : b));
        const rq = requantArrays(c.reals, OC, c.perChannel);
        const out = conv2d(
          makeTensor("i16", [c.N, c.H, c.W, IC], Int16Array.from(input)),
          makeTensor("i8", [OC, c.KH, c.KW, c.ICg], Int8Array.from(weights)),
          int64Bias ? makeTensor("i64", [OC], BigInt64Array.from(bias.map(BigInt))) : makeTensor("i32", [OC], Int32Array.from(bias)),
          { stride: c.stride, dilation: c.dilation, pad: c.pad, groups: c.groups, input_zp: 0, output_zp: 0, ...rq, rounding: c.mode },
        );
        const p: ConvRefParams = {
          N: c.N, H: c.H, W: c.W, IC, OC, KH: c.KH, KW: c.KW, groups: c.groups,
          stride: c.stride, dilation: c.dilation, pad: c.pad,
          inputZp: 0, weightZp: 0, outputZp: 0, ...rq, actMin: -32768, actMax: 32767, mode: c.mode, wide: true,
        };
        expect(out.dtype).toBe("i16");
        expect(Array.from(out.data as Int16Array)).toEqual(conv2dRef(input, weights, bias, p));
      }),
      { numRuns: 300 },
    );
  });

  it("wraps the int32 accumulator like C (conv2d, depthwise_conv2d, fully_connected)", () => {
    // Bias near INT32_MAX plus positive products overflows int32; C wraps, so must we.
    const bias = [INT32_MAX - 100, INT32_MIN + 50, INT32_MAX];
    const input = [127, -128, 90, 127, 127, -128];
    const weights = [127, -127, 100, 127, 127, 127, -127, 1, 127, -127, 127, 5, 6, 7, 8, 9, 10, 11];
    const rq = { multiplier: [2 ** 30, INT32_MAX, 1234567890], shift: [-20, -3, 0], scale: [2 ** -21, 2 ** -3, 0.5] };
    for (const mode of ROUNDING_MODES) {
      const fcOut = fullyConnected(
        makeTensor("i8", [1, 6], Int8Array.from(input)),
        makeTensor("i8", [3, 6], Int8Array.from(weights)),
        makeTensor("i32", [3], Int32Array.from(bias)),
        { input_zp: -128, output_zp: 0, ...rq, output_type: "i32", rounding: mode },
      );
      const expected = conv2dRef(input, weights, bias, {
        N: 1, H: 1, W: 1, IC: 6, OC: 3, KH: 1, KW: 1, groups: 1, stride: [1, 1], dilation: [1, 1], pad: [0, 0, 0, 0],
        inputZp: -128, weightZp: 0, outputZp: 0, ...rq, actMin: INT32_MIN, actMax: INT32_MAX, mode, wide: false,
      });
      expect(Array.from(fcOut.data as Int32Array)).toEqual(expected);
      const convOut = conv2d(
        makeTensor("i8", [1, 1, 1, 6], Int8Array.from(input)),
        makeTensor("i8", [3, 1, 1, 6], Int8Array.from(weights)),
        makeTensor("i32", [3], Int32Array.from(bias)),
        { stride: [1, 1], input_zp: -128, output_zp: 0, ...rq, output_type: "i32", rounding: mode },
      );
      expect(Array.from(convOut.data as Int32Array)).toEqual(expected);
      const dwIn = [127, 127, 127];
      const dwW = [127, 127, 127, 126, 125, 124];
      const dwOut = depthwiseConv2d(
        makeTensor("i8", [1, 1, 2, 3], Int8Array.from([...dwIn, ...dwIn])),
        makeTensor("i8", [1, 1, 2, 3], Int8Array.from(dwW)),
        makeTensor("i32", [3], Int32Array.from(bias)),
        { stride: [1, 1], input_zp: -128, output_zp: 0, ...rq, output_type: "i32", rounding: mode },
      );
      const dwExpected = depthwiseRef([...dwIn, ...dwIn], dwW, bias, {
        N: 1, H: 1, W: 2, IC: 3, OC: 3, KH: 1, KW: 2, groups: 1, stride: [1, 1], dilation: [1, 1], pad: [0, 0, 0, 0],
        inputZp: -128, weightZp: 0, outputZp: 0, ...rq, actMin: INT32_MIN, actMax: INT32_MAX, mode, wide: false, depthMultiplier: 1,
      });
      expect(Array.from(dwOut.data as Int32Array)).toEqual(dwExpected);
    }
    // The first channel really wrapped: 255·(127 − 127 + 100) + … pushes past INT32_MAX.
    expect(BigInt(INT32_MAX - 100) + BigInt(255 * 127)).toBeGreaterThan(BigInt(INT32_MAX));
  });

  it("pads with the zero point (padding contributes 0)", () => {
    // 1×1 input of value zp, 3×3 kernel of ones, pad 1 all round: every tap is zero.
    const out = conv2d(
      makeTensor("i8", [1, 1, 1, 1], Int8Array.from([-5])),
      makeTensor("i8", [1, 3, 3, 1], new Int8Array(9).fill(1)),
      undefined,
      { stride: [1, 1], pad: [1, 1, 1, 1], input_zp: -5, output_zp: 7, multiplier: [2 ** 30], shift: [1] },
    );
    expect(Array.from(out.data as Int8Array)).toEqual([7]);
  });

  it("rejects bad geometry, shapes and parameters with RangeError", () => {
    const x = makeTensor("i8", [1, 2, 2, 2], new Int8Array(8));
    const w = makeTensor("i8", [1, 3, 3, 2], new Int8Array(18));
    const base = { stride: [1, 1] as const, input_zp: 0, output_zp: 0, multiplier: [2 ** 30], shift: [0] };
    expect(() => conv2d(x, w, undefined, base)).toThrow(RangeError);
    expect(() => conv2d(x, makeTensor("i8", [1, 1, 1, 3], new Int8Array(3)), undefined, base)).toThrow(RangeError);
    expect(() => conv2d(x, makeTensor("i8", [1, 1, 1, 2], new Int8Array(2)), undefined, { ...base, act_min: -200 })).toThrow(RangeError);
    expect(() => conv2d(x, makeTensor("i8", [1, 1, 1, 2], new Int8Array(2)), undefined, { ...base, rounding: "half-even-float" })).toThrow(RangeError);
    expect(() => conv2d(x, makeTensor("i8", [1, 1, 1, 2], new Int8Array(2)), undefined, { ...base, stride: [0, 1] })).toThrow(RangeError);
    const hugeBias = makeTensor("i64", [1], BigInt64Array.from([2n ** 60n]));
    const x16 = makeTensor("i16", [1, 2, 2, 2], new Int16Array(8));
    expect(() => conv2d(x16, makeTensor("i8", [1, 1, 1, 2], new Int8Array(2)), hugeBias, base)).toThrow(/2\^53/);
  });
});

describe("depthwise_conv2d", () => {
  it("matches the naive TFLite loop, including depth multipliers (500 random cases)", () => {
    fc.assert(
      fc.property(convCase, fc.integer({ min: 1, max: 3 }), fc.boolean(), (c, M, wide) => {
        const C = c.ICg + c.groups - 1;
        const OC = C * M;
        const input = wide ? fill(c.N * c.H * c.W * C, -32768, 32767, c.seed) : fill(c.N * c.H * c.W * C, -128, 127, c.seed);
        const weights = fill(c.KH * c.KW * OC, -127, 127, c.seed + 1);
        const bias = fill(OC, -20000, 20000, c.seed + 2);
        const rq = requantArrays(c.reals, OC, c.perChannel);
        const inputZp = wide ? 0 : c.inputZp;
        const [actMin, actMax] = wide ? [-32768, 32767] : [Math.min(...c.act), Math.max(...c.act)];
        const out = depthwiseConv2d(
          wide ? makeTensor("i16", [c.N, c.H, c.W, C], Int16Array.from(input)) : makeTensor("i8", [c.N, c.H, c.W, C], Int8Array.from(input)),
          makeTensor("i8", [1, c.KH, c.KW, OC], Int8Array.from(weights)),
          makeTensor("i32", [OC], Int32Array.from(bias)),
          {
            stride: c.stride, dilation: c.dilation, pad: c.pad, depth_multiplier: M,
            input_zp: inputZp, output_zp: wide ? 0 : c.outputZp, ...rq, act_min: actMin, act_max: actMax, rounding: c.mode,
          },
        );
        const expected = depthwiseRef(input, weights, bias, {
          N: c.N, H: c.H, W: c.W, IC: C, OC, KH: c.KH, KW: c.KW, groups: 1,
          stride: c.stride, dilation: c.dilation, pad: c.pad, inputZp, weightZp: 0, outputZp: wide ? 0 : c.outputZp,
          ...rq, actMin, actMax, mode: c.mode, wide, depthMultiplier: M,
        });
        expect(Array.from(out.data as Int8Array | Int16Array)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("fully_connected", () => {
  it("equals a 1×1 convolution, per-tensor and per-channel, with weight zero points", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: -5, max: 5 }),
        convCase,
        (B, IN, OUT, weightZp, c) => {
          const input = fill(B * IN, -128, 127, c.seed);
          const weights = fill(OUT * IN, -127, 127, c.seed + 1);
          const bias = fill(OUT, -20000, 20000, c.seed + 2);
          const rq = requantArrays(c.reals, OUT, c.perChannel);
          const attrs = { input_zp: c.inputZp, weight_zp: weightZp, output_zp: c.outputZp, ...rq, rounding: c.mode };
          const out = fullyConnected(
            makeTensor("i8", [B, IN], Int8Array.from(input)),
            makeTensor("i8", [OUT, IN], Int8Array.from(weights)),
            makeTensor("i32", [OUT], Int32Array.from(bias)),
            attrs,
          );
          const expected = conv2dRef(input, weights, bias, {
            N: B, H: 1, W: 1, IC: IN, OC: OUT, KH: 1, KW: 1, groups: 1, stride: [1, 1], dilation: [1, 1], pad: [0, 0, 0, 0],
            inputZp: c.inputZp, weightZp, outputZp: c.outputZp, ...rq, actMin: -128, actMax: 127, mode: c.mode, wide: false,
          });
          expect(out.shape).toEqual([B, OUT]);
          expect(Array.from(out.data as Int8Array)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("add / mul (TFLite int8 and int16 reference semantics)", () => {
  const integerModes = fc.constantFrom("gemmlowp" as const, "single-round" as const, "double-round" as const);
  const scales = fc.tuple(
    fc.double({ min: 1e-3, max: 1, noNaN: true }),
    fc.double({ min: 1e-3, max: 1, noNaN: true }),
    fc.double({ min: 1e-3, max: 2, noNaN: true }),
  );

  it("add matches the reference formula element by element (int8, 10000 elements)", () => {
    fc.assert(
      fc.property(scales, int8, int8, int8, integerModes, fc.array(fc.tuple(int8, int8), { minLength: 1, maxLength: 20 }), ([s1, s2, so], z1, z2, zo, mode, pairs) => {
        const attrs = { ...prepareAdd({ scale: Math.fround(s1), zp: z1 }, { scale: Math.fround(s2), zp: z2 }, { scale: Math.fround(so), zp: zo }, "i8"), rounding: mode };
        const a = Int8Array.from(pairs.map((p) => p[0]));
        const b = Int8Array.from(pairs.map((p) => p[1]));
        const out = add(makeTensor("i8", [a.length], a), makeTensor("i8", [b.length], b), attrs);
        const p = {
          input1Zp: z1, input2Zp: z2, outputZp: zo, leftShift: 20,
          m1: attrs.input1_multiplier, s1: attrs.input1_shift, m2: attrs.input2_multiplier, s2: attrs.input2_shift,
          mo: attrs.output_multiplier, so: attrs.output_shift, actMin: -128, actMax: 127, mode,
        };
        expect(Array.from(out.data as Int8Array)).toEqual(pairs.map(([x, y]) => addRef(x, y, p)));
      }),
      { numRuns: 500 },
    );
  });

  it("add int16 uses left_shift 15 and matches the reference", () => {
    fc.assert(
      fc.property(scales, integerModes, fc.array(fc.tuple(int16, int16), { minLength: 1, maxLength: 20 }), ([s1, s2, so], mode, pairs) => {
        const attrs = { ...prepareAdd({ scale: s1, zp: 0 }, { scale: s2, zp: 0 }, { scale: so, zp: 0 }, "i16"), rounding: mode };
        expect(attrs.left_shift).toBe(15);
        const a = Int16Array.from(pairs.map((p) => p[0]));
        const b = Int16Array.from(pairs.map((p) => p[1]));
        const out = add(makeTensor("i16", [a.length], a), makeTensor("i16", [b.length], b), attrs);
        const p = {
          input1Zp: 0, input2Zp: 0, outputZp: 0, leftShift: 15,
          m1: attrs.input1_multiplier, s1: attrs.input1_shift, m2: attrs.input2_multiplier, s2: attrs.input2_shift,
          mo: attrs.output_multiplier, so: attrs.output_shift, actMin: -32768, actMax: 32767, mode,
        };
        expect(Array.from(out.data as Int16Array)).toEqual(pairs.map(([x, y]) => addRef(x, y, p)));
      }),
      { numRuns: 500 },
    );
  });

  it("add of equal scales is exact saturating addition in real terms", () => {
    const attrs = prepareAdd({ scale: 0.5, zp: 0 }, { scale: 0.5, zp: 0 }, { scale: 0.5, zp: 0 }, "i8");
    const out = add(makeTensor("i8", [4], Int8Array.from([1, -3, 100, -100])), makeTensor("i8", [4], Int8Array.from([2, 1, 100, -100])), attrs);
    expect(Array.from(out.data as Int8Array)).toEqual([3, -2, 127, -128]);
  });

  it("mul matches the reference formula (int8 and int16)", () => {
    fc.assert(
      fc.property(scales, int8, int8, int8, integerModes, fc.array(fc.tuple(int8, int8), { minLength: 1, maxLength: 20 }), ([s1, s2, so], z1, z2, zo, mode, pairs) => {
        const attrs = { ...prepareMul({ scale: s1, zp: z1 }, { scale: s2, zp: z2 }, { scale: so, zp: zo }), rounding: mode };
        const a = Int8Array.from(pairs.map((p) => p[0]));
        const b = Int8Array.from(pairs.map((p) => p[1]));
        const out = mul(makeTensor("i8", [a.length], a), makeTensor("i8", [b.length], b), attrs);
        const p = { input1Zp: z1, input2Zp: z2, outputZp: zo, mo: attrs.output_multiplier, so: attrs.output_shift, actMin: -128, actMax: 127, mode };
        expect(Array.from(out.data as Int8Array)).toEqual(pairs.map(([x, y]) => mulRef(x, y, p)));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(scales, integerModes, fc.array(fc.tuple(int16, int16), { minLength: 1, maxLength: 20 }), ([s1, s2, so], mode, pairs) => {
        const attrs = { ...prepareMul({ scale: s1, zp: 0 }, { scale: s2, zp: 0 }, { scale: so * 1000, zp: 0 }), rounding: mode };
        const a = Int16Array.from(pairs.map((p) => p[0]));
        const b = Int16Array.from(pairs.map((p) => p[1]));
        const out = mul(makeTensor("i16", [a.length], a), makeTensor("i16", [b.length], b), attrs);
        const p = { input1Zp: 0, input2Zp: 0, outputZp: 0, mo: attrs.output_multiplier, so: attrs.output_shift, actMin: -32768, actMax: 32767, mode };
        expect(Array.from(out.data as Int16Array)).toEqual(pairs.map(([x, y]) => mulRef(x, y, p)));
      }),
      { numRuns: 500 },
    );
  });

  it("broadcasts like NumPy", () => {
    const bc = broadcastBinary([2, 1, 3], [4, 1]);
    expect(bc.shape).toEqual([2, 4, 3]);
    expect(Array.from(bc.index1!)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5]);
    expect(Array.from(bc.index2!)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(broadcastBinary([3], [3]).index1).toBeNull();
    expect(() => broadcastBinary([2], [3])).toThrow(RangeError);
    const attrs = prepareMul({ scale: 1, zp: 0 }, { scale: 1, zp: 0 }, { scale: 1, zp: 0 });
    const out = mul(makeTensor("i8", [2, 2], Int8Array.from([1, 2, 3, 4])), makeTensor("i8", [2], Int8Array.from([10, -10])), attrs);
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.data as Int8Array)).toEqual([10, -20, 30, -40]);
  });

  it("rejects half-even-float (no real scales in the attributes)", () => {
    const attrs = { ...prepareMul({ scale: 1, zp: 0 }, { scale: 1, zp: 0 }, { scale: 1, zp: 0 }), rounding: "half-even-float" as never };
    expect(() => mul(makeTensor("i8", [1], Int8Array.from([1])), makeTensor("i8", [1], Int8Array.from([1])), attrs)).toThrow(RangeError);
  });
});

describe("rescale (TOSA RESCALE)", () => {
  const types: [DType, number, number][] = [
    ["i8", -128, 127],
    ["u8", 0, 255],
    ["i16", -32768, 32767],
    ["u16", 0, 65535],
    ["i32", INT32_MIN, INT32_MAX],
  ];
  const arrayOf = (dtype: DType, values: number[]) => {
    switch (dtype) {
      case "i8": return Int8Array.from(values);
      case "u8": return Uint8Array.from(values);
      case "i16": return Int16Array.from(values);
      case "u16": return Uint16Array.from(values);
      default: return Int32Array.from(values);
    }
  };

  it("matches apply_scale_32 / apply_scale_16 element by element, per-channel on the last dim", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...types.slice(0, 4)),
        fc.constantFrom(...types),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (inT, outT, scale32, doubleRound, channels, rows, seed) => {
          const [inType, inMin, inMax] = inT;
          const [outType, outMin, outMax] = outT;
          const values = fill(rows * channels, inMin, inMax, seed);
          const inputZp = inType === "i8" || inType === "u8" ? fill(1, inMin, inMax, seed + 1)[0]! : inType === "u16" ? 32768 : 0;
          const outputZp = outType === "i8" || outType === "u8" ? fill(1, outMin, outMax, seed + 2)[0]! : outType === "u16" ? 32768 : 0;
          const multiplier = fill(channels, 0, scale32 ? INT32_MAX : 32767, seed + 3);
          const shift = fill(channels, scale32 ? 20 : 2, scale32 ? 45 : 30, seed + 4);
          const dr = scale32 && doubleRound;
          const out = rescale(makeTensor(inType, [rows, channels], arrayOf(inType, values)), {
            input_zp: inputZp, output_zp: outputZp, multiplier, shift, scale32, double_round: dr, per_channel: true, output_type: outType as never,
          });
          const expected = values.map((v, i) => rescaleRef(v, inputZp, outputZp, multiplier[i % channels]!, shift[i % channels]!, scale32, dr, outMin, outMax));
          expect(Array.from(out.data as ArrayLike<number>)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads int48 accumulators from int64 storage without losing bits", () => {
    const values = [2n ** 47n - 1n, -(2n ** 47n), 123456789012n, -98765432109n, 0n, -1n];
    const out = rescale(makeTensor("i64", [values.length], BigInt64Array.from(values)), {
      input_zp: 0, output_zp: 0, multiplier: [12345], shift: [30], scale32: false, double_round: false, per_channel: false, output_type: "i32",
    });
    expect(Array.from(out.data as Int32Array)).toEqual(values.map((v) => rescaleRef(v, 0, 0, 12345, 30, false, false, INT32_MIN, INT32_MAX)));
    expect(() =>
      rescale(makeTensor("i64", [1], BigInt64Array.from([1n])), {
        input_zp: 0, output_zp: 0, multiplier: [1], shift: [2], scale32: true, double_round: false, per_channel: false, output_type: "i32",
      }),
    ).toThrow(RangeError);
  });

  it("double-round rescale equals the gemmlowp requantization of the same multiplier", () => {
    const q = quantizeMultiplier(0.0123);
    const values = Int32Array.from([-100001, -5, 0, 7, 81234, INT32_MAX, INT32_MIN]);
    const out = rescale(makeTensor("i32", [values.length], values), {
      input_zp: 0, output_zp: 0, multiplier: [q.multiplier], shift: [31 - q.shift], scale32: true, double_round: true, per_channel: false, output_type: "i32",
    });
    const viaFc = fullyConnected(makeTensor("i32", [values.length, 1], values), makeTensor("i8", [1, 1], Int8Array.from([1])), undefined, {
      input_zp: 0, output_zp: 0, multiplier: [q.multiplier], shift: [q.shift], output_type: "i32",
    });
    expect(Array.from(out.data as Int32Array)).toEqual(Array.from(viaFc.data as Int32Array));
  });
});

describe("pooling", () => {
  it("averages with TFLite's rounding: half away from zero on ties", () => {
    const t = (vals: number[]) => makeTensor("i8", [1, 1, vals.length, 1], Int8Array.from(vals));
    const avg = (vals: number[]) => (avgPool2d(t(vals), { kernel: [1, vals.length], stride: [1, 1] }).data as Int8Array)[0];
    expect(avg([1, 2])).toBe(2); // 1.5 → 2
    expect(avg([-1, -2])).toBe(-2); // −1.5 → −2
    expect(avg([1, 1, 2])).toBe(1); // 1.33 → 1
    expect(avg([-1, -1, -2])).toBe(-1);
    expect(avg([-2, -2, -1])).toBe(-2); // −1.67 → −2
    expect(avg([0, -1])).toBe(-1); // −0.5 → −1
    expect(avg([0, 1])).toBe(1);
  });

  it("counts only in-bounds elements and clamps to the activation range", () => {
    const x = makeTensor("i8", [1, 2, 2, 1], Int8Array.from([10, 20, 30, 40]));
    const out = avgPool2d(x, { kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1], act_max: 24 });
    // Top-left window sees all four values: 25 → clamped to 24.
    expect(Array.from(out.data as Int8Array)).toEqual([24, 24, 24, 24]);
    const mx = maxPool2d(x, { kernel: [2, 2], stride: [1, 1], pad: [1, 0, 1, 0], act_min: 15 });
    expect(Array.from(mx.data as Int8Array)).toEqual([15, 20, 30, 40]);
    expect(() => avgPool2d(x, { kernel: [1, 1], stride: [1, 1], pad: [2, 0, 0, 0] })).toThrow(RangeError);
  });

  it("int16 average pooling keeps the type and the rounding rule", () => {
    fc.assert(
      fc.property(fc.array(int16, { minLength: 1, maxLength: 9 }), (vals) => {
        const out = avgPool2d(makeTensor("i16", [1, 1, vals.length, 1], Int16Array.from(vals)), { kernel: [1, vals.length], stride: [1, 1] });
        const sum = vals.reduce((a, b) => a + b, 0);
        const n = vals.length;
        // `+ 0`: Math.trunc(-0.5) is -0, an integer kernel's 0.
        const expected = (sum > 0 ? Math.trunc((sum + Math.trunc(n / 2)) / n) : Math.trunc((sum - Math.trunc(n / 2)) / n)) + 0;
        expect(out.dtype).toBe("i16");
        expect((out.data as Int16Array)[0]).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("lut", () => {
  it("int8 indexes by value + 128, uint8 by value", () => {
    const table = Int8Array.from({ length: 256 }, (_, i) => 127 - i);
    const out = lut8(makeTensor("i8", [4], Int8Array.from([-128, -1, 0, 127])), table);
    expect(Array.from(out.data as Int8Array)).toEqual([127, 0, -1, -128]);
    const utable = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(Array.from(lut8(makeTensor("u8", [2], Uint8Array.from([0, 255])), utable).data as Uint8Array)).toEqual([255, 0]);
  });

  it("int16 interpolates like TFLite lut_lookup_with_interpolation", () => {
    const table = Int16Array.from({ length: 513 }, (_, i) => ((i * 97) % 65536) - 32768);
    fc.assert(
      fc.property(int16, (v) => {
        const out = (lut16Interpolated(makeTensor("i16", [1], Int16Array.from([v])), table).data as Int16Array)[0];
        const index = 256 + (v >> 7);
        const offset = v & 0x7f;
        const slope = BigInt.asIntN(16, BigInt(table[index + 1]! - table[index]!));
        const delta = (Number(slope) * offset + 64) >> 7;
        expect(out).toBe(Number(BigInt.asIntN(16, BigInt(table[index]! + delta))));
      }),
      { numRuns: 10_000 },
    );
    // A linear table reproduces the identity on its sample points and interpolates between them.
    const linear = Int16Array.from({ length: 513 }, (_, i) => Math.min(32767, (i - 256) * 128));
    expect(Array.from(lut16Interpolated(makeTensor("i16", [3], Int16Array.from([-32768, 64, 1000])), linear).data as Int16Array)).toEqual([-32768, 64, 1000]);
  });
});

describe("softmax (int8, TFLite reference)", () => {
  it("prepareSoftmax reproduces the CMSIS-NN vectors' parameters", () => {
    expect(prepareSoftmax(1, Math.fround(1 / 255))).toEqual({ input_multiplier: 1077952640, input_left_shift: 19, diff_min: -3968, rounding: "gemmlowp" });
    expect(prepareSoftmax(1, 16 / 255)).toEqual({ input_multiplier: 1077952576, input_left_shift: 23, diff_min: -248, rounding: "gemmlowp" });
  });

  it("exp_on_negative_values tracks exp within 2^-20", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31) + 1, max: 0 }), (raw) => {
        const e = expOnNegativeValues(raw, 5) / 2 ** 31;
        expect(Math.abs(e - Math.exp(raw / 2 ** 26))).toBeLessThan(2 ** -20);
      }),
      { numRuns: 10_000 },
    );
    expect(expOnNegativeValues(0, 5)).toBe(INT32_MAX);
  });

  it("approximates the float softmax to within 1/256 and keeps −128 for masked entries", () => {
    fc.assert(
      fc.property(fc.array(int8, { minLength: 1, maxLength: 40 }), fc.double({ min: 0.01, max: 0.2, noNaN: true }), (row, scale) => {
        const attrs = prepareSoftmax(1, Math.fround(scale));
        const out = softmaxInt8(makeTensor("i8", [1, row.length], Int8Array.from(row)), attrs).data as Int8Array;
        const max = Math.max(...row);
        const exps = row.map((v) => Math.exp((v - max) * Math.fround(scale)));
        const sum = exps.reduce((a, b) => a + b, 0);
        row.forEach((v, i) => {
          if (v - max < attrs.diff_min) expect(out[i]).toBe(-128);
          else expect(Math.abs((out[i]! + 128) / 256 - exps[i]! / sum)).toBeLessThanOrEqual(1.01 / 256);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
