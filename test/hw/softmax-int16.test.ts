/**
 * hw.softmax's int16 form: TFLite's SoftmaxInt16 (reference softmax.h) with the tables and parameters of
 * its Prepare (activations.cc, LUTPopulate<int16_t> with double arithmetic). Hand-derived table entries
 * and outputs, agreement with float softmax over random rows, Prepare's parameters, the verifier's
 * errors, and lowering: the int16 form in lower-to-hw equals the integer QDQ interpretation bit for bit,
 * refusing only an input zero point other than 0.
 */
import { describe, expect, it } from "vitest";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { interpret } from "../../src/interp/interpreter.js";
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierSingleRound } from "../../src/interp/fixed-point.js";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import { PassManager } from "../../src/pass/manager.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { loadTarget } from "../../src/target/load.js";
import type { Target } from "../../src/target/types.js";
import { lowerToHw } from "../../passes/index.js";
import { prepareSoftmaxInt16, SOFTMAX_INT16_MAX_DEPTH, softmaxInt16, softmaxInt16Tables } from "../../dialects/hw/kernels/softmax-int16.js";
import { runText, tensorText, values, verifierMessages } from "./hw-module.js";
import { rng } from "../support/random.js";

function int16(shape: readonly number[], v: ArrayLike<number>): Tensor {
  return makeTensor("i16", shape, Int16Array.from(v));
}

/** input_multiplier 2^30 with left shift 1 is the real multiplier 1: a scaled difference equals the difference. */
const UNIT = { input_multiplier: 1 << 30, input_left_shift: 1 } as const;


describe("int16 softmax tables (TFLite Prepare, LUTPopulate<int16_t> in double)", () => {
  const { exp, oneOverOnePlusX: rec } = softmaxInt16Tables();

  it("has TFLite's end points and hand-derived interior entries", () => {
    // Both tables: output scale 2/65535, zero point 0, so values are f(x)·65536/2 = f(x)·32768, and entry i
    // (i < 512) is round(f(x_i)·32768) − round(err/2) with err = round((f(x_{i+1})·32768 + round(f(x_i)·32768))/2)
    // − round(f(x_i + step/2)·32768), rounding ties away from zero, saturated to [−32768, 32767].
    // exp: input scale 10/65535, zero point 32767 → x_i = −10 + i·10/512.
    //   i = 0: exp(−10)·32768 = 1.4877 → 1; exp(−9.98047)·32768 = 1.5170, (1.5170 + 1)/2 → 1;
    //          midpoint exp(−9.99023)·32768 = 1.5023 → 2; err −1, round(−0.5) = −1 → 1 + 1 = 2.
    //   i = 256 (x = −5): 220.789 → 221; next 225.144; (225.144 + 221)/2 = 223.07 → 223; midpoint 222.956 → 223;
    //            err 0 → 221.
    //   i = 510: 31512.678 → 31513; next 32134.210; (32134.210 + 31513)/2 = 31823.605 → 31824;
    //            midpoint 31821.926 → 31822; err 2, bias 1 → 31512.
    //   i = 511: 32134.210 → 32134; next exp(0)·32768 = 32768; (32768 + 32134)/2 = 32451;
    //            midpoint 32449.557 → 32450; err 1, bias round(0.5) = 1 → 32133.
    //   i = 512: exp(0)·32768 = 32768, saturated to 32767.
    expect([exp[0], exp[256], exp[510], exp[511], exp[512]]).toEqual([2, 221, 31512, 32133, 32767]);
    // 1/(1 + x): input scale 1/65535, zero point −32768 → x_i = i/512.
    //   i = 0: 32768; next 32704.125; (32704.125 + 32768)/2 = 32736.06 → 32736; midpoint 32736.031 → 32736;
    //          err 0 → 32768, saturated to 32767.
    //   i = 1: 32704.125 → 32704; next 32640.498; (32640.498 + 32704)/2 = 32672.25 → 32672;
    //          midpoint 32672.280 → 32672; err 0 → 32704.
    //   i = 506: 16480.566 → 16481; next 16464.393; (16464.393 + 16481)/2 = 16472.696 → 16473;
    //            midpoint 16472.475 → 16472; err 1, bias 1 → 16480.
    //   i = 507: 16464.393 → 16464; next 16448.251; (16448.251 + 16464)/2 = 16456.125 → 16456;
    //            midpoint 16456.318 → 16456; err 0 → 16464.
    //   i = 511: 16400.016 → 16400; next 16384; 16392; midpoint 16392.004 → 16392; err 0 → 16400.
    //   i = 512: 1/2·32768 = 16384.
    expect([rec[0], rec[1], rec[506], rec[507], rec[511], rec[512]]).toEqual([32767, 32704, 16480, 16464, 16400, 16384]);
  });

  it("equals the older gen_lut tables (double, ×32768 over [min, max] in 512 steps) for these two functions", () => {
    // TFLite's gen_lut(func, min, max, table, 513), before LUTPopulate: step = (max − min)/512, values ×32768.
    const round = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));
    const genLut = (f: (x: number) => number, min: number, max: number): Int16Array => {
      const step = (max - min) / 512;
      const t = new Int16Array(513);
      for (let i = 0; i < 512; i++) {
        const sample = round(f(min + i * step) * 32768);
        const interp = round((f(min + (i + 1) * step) * 32768 + sample) / 2);
        const mid = round(f(min + i * step + step / 2) * 32768);
        t[i] = Math.min(Math.max(sample - round((interp - mid) / 2), -32768), 32767);
      }
      t[512] = Math.min(Math.max(round(f(max) * 32768), -32768), 32767);
      return t;
    };
    expect(Array.from(exp)).toEqual(Array.from(genLut(Math.exp, -10, 0)));
    expect(Array.from(rec)).toEqual(Array.from(genLut((x) => 1 / (1 + x), 0, 1)));
  });

  it("are monotonic: exp rises, 1/(1 + x) falls", () => {
    for (let i = 0; i < 512; i++) {
      expect(exp[i + 1]!).toBeGreaterThanOrEqual(exp[i]!);
      expect(rec[i + 1]!).toBeLessThanOrEqual(rec[i]!);
    }
  });

  it("hands out copies", () => {
    softmaxInt16Tables().exp[0] = 99;
    expect(softmaxInt16Tables().exp[0]).toBe(2);
  });
});

describe("softmaxInt16 kernel (TFLite SoftmaxInt16)", () => {
  // Shared steps: the row maximum has difference 0 → scaled 0 → 0 + 32767 = 32767 → exp table index
  // 256 + (32767 >> 7) = 511, offset 127: 32133 + ((32767 − 32133)·127 + 64) >> 7 = 32133 + 80582 >> 7
  // = 32133 + 629 = 32762.
  it("one element: 1.0, saturated to 32767", () => {
    // sum 32762, clz32 = 17; shifted = (32762·2^16 + 2^13) >> 14 = 131048 (131048.5 floored);
    // 131048 − 98304 = 32744 → index 511, offset 104: 16400 + ((16384 − 16400)·104 + 64) >> 7 = 16400 − 13 = 16387;
    // (32762·16387 + 2^13) >> 14 = 536879086 >> 14 = 32768 → saturated to 32767.
    expect(values(softmaxInt16(int16([1], [0]), UNIT))).toEqual([32767]);
  });

  it("equal elements: exactly 1/2 and 1/4", () => {
    // Two: sum 65524, clz32 = 16; shifted = (65524·2^15 + 2^13) >> 14 = 131048 → reciprocal 16387 as above;
    // (32762·16387 + 2^14) >> 15 = 536887278 >> 15 = 16384.
    expect(values(softmaxInt16(int16([2], [7, 7]), UNIT))).toEqual([16384, 16384]);
    // Four: sum 131048, clz32 = 15; shifted = (131048·2^14 + 2^13) >> 14 = 131048 → 16387;
    // (32762·16387 + 2^15) >> 16 = 536903662 >> 16 = 8192.
    expect(values(softmaxInt16(int16([4], [-3, -3, -3, -3]), UNIT))).toEqual([8192, 8192, 8192, 8192]);
  });

  it("a difference below the table's −10 reads the table's first entry", () => {
    // Left shift 10: −32768·2^10 scaled by 2^30/2^31 = −2^24, + 32767 saturates to −32768 → index 0, offset 0: 2.
    // sum 32764, clz32 = 17; shifted = (32764·2^16 + 2^13) >> 14 = 131056; 131056 − 98304 = 32752 → offset 112:
    // 16400 + (−16·112 + 64) >> 7 = 16400 − 14 = 16386; (32762·16386 + 2^13) >> 14 = 32766, (2·16386 + 2^13) >> 14 = 2.
    expect(values(softmaxInt16(int16([2], [0, -32768]), { input_multiplier: 1 << 30, input_left_shift: 10 }))).toEqual([32766, 2]);
  });

  it("interpolates both tables: [0, −64] at real multiplier 1", () => {
    // −64 → 32703 → index 511, offset 63: 32133 + (634·63 + 64) >> 7 = 32133 + 312 = 32445.
    // sum 32762 + 32445 = 65207, clz32 = 16; shifted = (65207·2^15 + 2^13) >> 14 = 130414; 130414 − 98304 = 32110
    // → index 256 + 250 = 506, offset 110: 16480 + ((16464 − 16480)·110 + 64) >> 7 = 16480 − 14 = 16466.
    // (32762·16466 + 2^14) >> 15 = 539475476 >> 15 = 16463; (32445·16466 + 2^14) >> 15 = 534255754 >> 15 = 16304.
    // Float: softmax(0, −64·10/65535)·32768 = 16464.0, 16304.0.
    expect(values(softmaxInt16(int16([2], [0, -64]), UNIT))).toEqual([16463, 16304]);
  });

  it("normalizes each row of the last axis on its own", () => {
    const y = softmaxInt16(int16([2, 1, 2], [0, -64, 7, 7]), UNIT);
    expect(y.shape).toEqual([2, 1, 2]);
    expect(values(y)).toEqual([16463, 16304, 16384, 16384]);
  });

  it("scales the differences as the TFLite build rounds: double (gemmlowp) or single rounding", () => {
    // input scale 2^−15 → multiplier 13107·2^17, shift −2. Difference −65533:
    // gemmlowp: SRDHM = round(−65533·13107/2^14) = round(−52425.6) = −52426, then RoundingDivideByPOT(·, 2) = −13106.5 → −13107;
    // single rounding: floor(−65533·13107/2^16 + 1/2) = floor(−13106.40 + 0.5) = −13106.
    const p = prepareSoftmaxInt16(1, { scale: 2 ** -15, zeroPoint: 0 });
    expect(multiplyByQuantizedMultiplier(-65533, p.input_multiplier, p.input_left_shift)).toBe(-13107);
    expect(multiplyByQuantizedMultiplierSingleRound(-65533, p.input_multiplier, p.input_left_shift)).toBe(-13106);
    const x = int16([2], [32767, 32767 - 65533]);
    const gemmlowp = values(softmaxInt16(x, p));
    const single = values(softmaxInt16(x, { ...p, rounding: "single-round" }));
    expect(gemmlowp).not.toEqual(single);
  });

  it("agrees with float softmax: within 4/32768 while differences stay in the exp table's [−10, 0]", () => {
    // Error budget in Q0.15 steps: the exp table (interpolated, each entry biased by half its midpoint
    // error) ≈ 1, the scaled difference rounded to 10/65535 (relative exp error ≤ 7.6·10^−5, ≤ 2.5 steps),
    // the reciprocal table ≈ 1 (relative), the final rounding 1/2.
    const r = rng(11);
    let worst = 0;
    let total = 0;
    let count = 0;
    for (const scale of [2 ** -12, 1e-4, 2 ** -15, 3e-3]) {
      const p = prepareSoftmaxInt16(1, { scale, zeroPoint: 0 });
      const span = Math.min(32767, Math.floor(4.9 / Math.fround(scale))); // every difference within 9.8 in real terms
      for (const depth of [1, 2, 3, 10, 16, 33]) {
        for (let t = 0; t < 40; t++) {
          const v = Array.from({ length: depth }, () => Math.floor((2 * r() - 1) * span));
          const y = values(softmaxInt16(int16([depth], v), p));
          const max = Math.max(...v);
          const e = v.map((q) => Math.exp((q - max) * Math.fround(scale)));
          const sum = e.reduce((a, b) => a + b, 0);
          e.forEach((ei, i) => {
            const err = Math.abs(y[i]! / 32768 - ei / sum);
            worst = Math.max(worst, err);
            total += err;
            count++;
          });
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(4 / 32768);
    expect(total / count).toBeLessThan(0.5 / 32768);
  });

  it("beyond −10 each clipped element adds at most 2/32768 of error (it reads exp(−10) ≈ 2 steps, not ≈ 0)", () => {
    const r = rng(12);
    const scale = 2 ** -12; // int16 covers ±8: differences reach −16
    const p = prepareSoftmaxInt16(1, { scale, zeroPoint: 0 });
    for (const depth of [4, 16, 64]) {
      for (let t = 0; t < 30; t++) {
        const v = Array.from({ length: depth }, () => Math.floor((2 * r() - 1) * 32767));
        const y = values(softmaxInt16(int16([depth], v), p));
        const max = Math.max(...v);
        const clipped = v.filter((q) => (q - max) * scale < -10).length;
        const e = v.map((q) => Math.exp((q - max) * scale));
        const sum = e.reduce((a, b) => a + b, 0);
        e.forEach((ei, i) => expect(Math.abs(y[i]! / 32768 - ei / sum)).toBeLessThanOrEqual((4 + 2 * clipped) / 32768));
      }
    }
  });

  it("refuses rows whose int32 sum could overflow", () => {
    // 65538·32767 = 2147483646 ≤ 2^31 − 1 < 65539·32767.
    expect(SOFTMAX_INT16_MAX_DEPTH).toBe(65538);
    expect(() => softmaxInt16(int16([65539], new Int16Array(65539)), UNIT)).toThrow(/overflow/);
  });
});

describe("prepareSoftmaxInt16 (TFLite Prepare: QuantizeMultiplier(input_scale·β / (10/65535)))", () => {
  it("computes the multiplier and shift", () => {
    // 2^−12·65535/10 = 6553.5/4096 = 13107/8192 = (13107/16384)·2^1 → multiplier 13107·2^17 = 1717960704, shift 1.
    expect(prepareSoftmaxInt16(1, { scale: 2 ** -12, zeroPoint: 0 })).toEqual({ input_multiplier: 1717960704, input_left_shift: 1, rounding: "gemmlowp" });
    // 2^−15: the same mantissa, shift 1 − 3 = −2; β = 2 doubles it: shift 2.
    expect(prepareSoftmaxInt16(1, { scale: 2 ** -15, zeroPoint: 0 }, "single-round")).toEqual({ input_multiplier: 1717960704, input_left_shift: -2, rounding: "single-round" });
    expect(prepareSoftmaxInt16(2, { scale: 2 ** -12, zeroPoint: 0 })).toMatchObject({ input_multiplier: 1717960704, input_left_shift: 2 });
  });

  it("requires input zero point 0 and refuses a left shift of 31", () => {
    expect(() => prepareSoftmaxInt16(1, { scale: 2 ** -12, zeroPoint: 3 })).toThrow("needs input zero point 0, got 3");
    // 2^18·6553.5 ≥ 2^30 → frexp exponent 31 (gemmlowp); single rounding clamps it to (2^31 − 1, 30).
    expect(() => prepareSoftmaxInt16(1, { scale: 2 ** 18, zeroPoint: 0 })).toThrow("left shift of 31");
    expect(prepareSoftmaxInt16(1, { scale: 2 ** 18, zeroPoint: 0 }, "single-round")).toMatchObject({ input_multiplier: 2147483647, input_left_shift: 30 });
  });
});

describe("hw.softmax int16 form: op, verifier", () => {
  const q16 = "!quant.uniform<i16:f32, 3.0517578125e-05>";
  const op = (input: string, result: string, attrs: string, shape = "2x4"): string => `func.func @main(%x: tensor<${shape}x${input}>) -> tensor<${shape}x${result}> {
  %y = "hw.softmax"(%x) {${attrs}} : (tensor<${shape}x${input}>) -> tensor<${shape}x${result}>
  return %y : tensor<${shape}x${result}>
}`;

  it("runs the int16 kernel with the op's attributes (rounding defaults to gemmlowp)", () => {
    const x = int16([2, 4], [32767, 0, -32768, 100, -5, -5, -5, -5]);
    const p = prepareSoftmaxInt16(1, { scale: 2 ** -15, zeroPoint: 0 });
    const attrs = `input_multiplier = ${p.input_multiplier}, input_left_shift = ${p.input_left_shift}`;
    expect(values(runText(op(q16, q16, attrs), [x])[0]!)).toEqual(values(softmaxInt16(x, p)));
    expect(values(runText(op("i16", "i16", `${attrs}, rounding = "single-round"`), [x])[0]!)).toEqual(values(softmaxInt16(x, { ...p, rounding: "single-round" })));
    expect(values(runText(op(q16, q16, attrs), [x])[0]!).slice(4)).toEqual([8192, 8192, 8192, 8192]);
  });

  it("reports each misuse of the int16 form", () => {
    const ok = "input_multiplier = 1717960704, input_left_shift = -2";
    expect(verifierMessages(op(q16, q16, ok))).toEqual([]);
    expect(verifierMessages(op("i16", "i16", `${ok}, diff_min = -10`))).toEqual([`'hw.softmax' op 'diff_min' belongs to the int8 form: TFLite's int16 softmax has none`]);
    expect(verifierMessages(op("i16", "i16", "input_multiplier = 1717960704, input_left_shift = 31"))).toEqual([`'hw.softmax' op 'input_left_shift' must be an integer in [-31, 30] for an i16 input, got 31`]);
    expect(verifierMessages(op("i16", "i16", "input_multiplier = 1717960704, input_left_shift = -32"))).toEqual([`'hw.softmax' op 'input_left_shift' must be an integer in [-31, 30] for an i16 input, got -32`]);
    expect(verifierMessages(op("i16", "i8", ok))).toEqual([`'hw.softmax' op an i16 input needs an i16 result (TFLite softmax), got i8`]);
    expect(verifierMessages(op("!quant.uniform<i16:f32, 0.001:5>", q16, ok))).toEqual([`'hw.softmax' op a quantized i16 input must have zero point 0 (TFLite int16 softmax), got !quant.uniform<i16:f32, 1.000000e-03:5>`]);
    expect(verifierMessages(op(q16, "!quant.uniform<i16:f32, 0.00390625>", ok))).toEqual([`'hw.softmax' op a quantized i16 result must have scale 1/32768 and zero point 0 (TFLite int16 softmax), got !quant.uniform<i16:f32, 3.906250e-03>`]);
    expect(verifierMessages(op("i16", "i16", ok, "1x65539"))).toEqual([`'hw.softmax' op the last axis holds 65539 values; the int16 kernel's int32 sum of exponentials allows at most 65538`]);
    expect(verifierMessages(op("ui16", "ui16", ok)).join()).toContain("operand #0 ('input') must be a tensor of i8 values (int8 form) or of i16 values (int16 form)");
  });

  it("still requires diff_min on the int8 form", () => {
    expect(verifierMessages(op("i8", "i8", "input_multiplier = 1077952640, input_left_shift = 19"))).toEqual([`'hw.softmax' op requires attribute 'diff_min' (int8 form)`]);
    expect(verifierMessages(op("i8", "i16", "input_multiplier = 1077952640, input_left_shift = 19, diff_min = -3968"))).toEqual([`'hw.softmax' op an i8 input needs an i8 result (TFLite softmax), got i16`]);
  });
});

describe("lower-to-hw: an i16 softmax becomes the int16 form", () => {
  /** A QDQ softmax over a 2×8 i16 input of type `qx` with result type `qy`. */
  const qdqText = (qx: string, qy: string): string => `func.func @main(%arg0: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<2x8xf32>) -> tensor<2x8x${qx}>
  %1 = "quant.dcast"(%0) : (tensor<2x8x${qx}>) -> tensor<2x8xf32>
  %2 = "float.softmax"(%1) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x8xf32>) -> tensor<2x8x${qy}>
  %4 = "quant.dcast"(%3) : (tensor<2x8x${qy}>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}`;
  const lower = (text: string, target: string | Target) => {
    const qdq = parseModule(text, { filename: "softmax.mlir" });
    const pm = new PassManager({ verifyEach: true, freeze: true }).add(lowerToHw({ target }));
    return { qdq, lowered: pm.run(qdq), decisions: pm.context.decisions };
  };
  const samples = Array.from({ length: 8 }, (_, s) => {
    const r = rng(100 + s);
    return [makeTensor("f32", [2, 8], Float32Array.from({ length: 16 }, () => Math.fround((2 * r() - 1) * 0.9)))];
  });
  const sameAsIntegerQdq = (l: ReturnType<typeof lower>, target: string | Target): void => {
    for (const s of samples) {
      const hw = interpret(l.lowered, s)[0]!.data as Float32Array;
      const qdq = interpretIntegerQdq(l.qdq, s, target)[0]!.data as Float32Array;
      expect(Array.from(hw)).toEqual(Array.from(qdq));
    }
  };

  it("emits Prepare's parameters, rescales the fixed 1/32768 output to the cast's type, and equals the integer QDQ interpretation", () => {
    // Input 2^−15 (zp 0): multiplier 1717960704, shift −2 (see prepareSoftmaxInt16). The cast's 2^−14 differs from 1/32768: a rescale follows.
    const l = lower(qdqText("!quant.uniform<i16:f32, 3.0517578125e-05>", "!quant.uniform<i16:f32, 6.103515625e-05>"), "tflite-int16x8");
    const text = printModule(l.lowered);
    expect(text).toContain(`"hw.softmax"(%0) {input_left_shift = -2 : i64, input_multiplier = 1717960704 : i64, rounding = "gemmlowp"}`);
    expect(text).toMatch(/"hw\.softmax".*-> tensor<2x8x!quant\.uniform<i16:f32, 0\.000030517578125>>\n.*"hw\.rescale"/);
    expect(text).not.toContain("float.softmax");
    expect(l.decisions.filter((d) => d.kind === "float-island")).toEqual([]);
    sameAsIntegerQdq(l, "tflite-int16x8");
  });

  it("follows the target's single rounding (dsp-int16)", () => {
    const l = lower(qdqText("!quant.uniform<i16:f32, 3.0517578125e-05>", "!quant.uniform<i16:f32, 3.0517578125e-05>"), "dsp-int16");
    const text = printModule(l.lowered);
    expect(text).toContain(`"hw.softmax"(%0) {input_left_shift = -2 : i64, input_multiplier = 1717960704 : i64, rounding = "single-round"}`);
    expect(text).not.toContain("hw.rescale");
    sameAsIntegerQdq(l, "dsp-int16");
  });

  it("refuses an input zero point other than 0 (TFLite's Prepare): a float island, or an error without fallback", () => {
    // The built-in 16-bit targets already require symmetric i16 activations; a variant of tflite-int16x8
    // that allows asymmetric ones reaches the softmax's own rule.
    const base = loadTarget("tflite-int16x8");
    const asymmetric: Target = { ...base, quantization: { ...base.quantization, activations: { i16: { symmetric: false, narrowRange: false } } } };
    const text = qdqText("!quant.uniform<i16:f32, 3.0517578125e-05:5>", "!quant.uniform<i16:f32, 3.0517578125e-05>");
    const l = lower(text, asymmetric);
    const islands = l.decisions.filter((d) => d.kind === "float-island");
    expect(islands.map((d) => d.op)).toEqual(["float.softmax"]);
    expect(islands[0]!.message).toContain("TFLite's int16 softmax needs input zero point 0, got 5");
    sameAsIntegerQdq(l, asymmetric);
    const strict: Target = { ...asymmetric, fallback: { allowed: false } };
    let error: unknown;
    try {
      lower(text, strict);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiagnosticError);
    expect((error as Error).message).toContain("TFLite's int16 softmax needs input zero point 0, got 5; and the target allows no float fallback");
  });
});
