/**
 * The hw ops as the interpreter runs them: each op's attributes reach its kernel with the meaning the
 * op documents (padding order, zero points, defaults, int32 output without requantization, rounding
 * ties), and the dialect-level pieces (traits, constant materializer) are in place.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeTensor } from "../../src/interp/tensor.js";
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from "../../src/interp/fixed-point.js";
import { hasTrait, materializeConstant } from "../../src/ir/opdef.js";
import { unknownLoc } from "../../src/ir/location.js";
import { printOperation } from "../../src/syntax/printer.js";
import { parseModule } from "../../src/syntax/parser.js";
import { add, prepareAdd, sub } from "../../dialects/hw/kernels/add.js";
import { mul, prepareMul } from "../../dialects/hw/kernels/mul.js";
import { depthwiseConv2d } from "../../dialects/hw/kernels/depthwise-conv2d.js";
import { prepareSoftmax, softmaxInt8 } from "../../dialects/hw/kernels/softmax.js";
import { constLine, floatText, int8, runText, tensorText, values, verifierMessages } from "./hw-module.js";
import { rng } from "../support/random.js";

const randInts = (n: number, lo: number, hi: number, seed: number): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
};

/** One-op module: `%y = op(%x0, %x1, …)`, argument and result types given. */
function oneOp(op: string, argTypes: readonly string[], resultType: string, attrs: string, extra: readonly string[] = [], extraOperands: readonly string[] = [], extraTypes: readonly string[] = []): string {
  const args = argTypes.map((t, i) => `%x${i}: ${t}`).join(", ");
  const operands = [...argTypes.map((_, i) => `%x${i}`), ...extraOperands].join(", ");
  return [
    `func.func @main(${args}) -> ${resultType} {`,
    ...extra,
    `  %y = "${op}"(${operands}) {${attrs}} : (${[...argTypes, ...extraTypes].join(", ")}) -> ${resultType}`,
    `  return %y : ${resultType}`,
    `}`,
  ].join("\n");
}

describe("hw.conv2d", () => {
  it("reads padding as [top, left, bottom, right] (asymmetric padding, direct reference)", () => {
    // 1×3×4×1 input, 2×2 kernel of ones, padding top 1 and right 1 only: output 3×4.
    const x = Array.from({ length: 12 }, (_, i) => i + 1);
    const text = oneOp(
      "hw.conv2d",
      [tensorText([1, 3, 4, 1], "i8")],
      tensorText([1, 3, 4, 1], "i32"),
      "input_zp = 0, padding = [1, 0, 0, 1]",
      [constLine("w", [1, 1, 1, 1], [1, 2, 2, 1], "i8")],
      ["%w"],
      [tensorText([1, 2, 2, 1], "i8")],
    );
    const [y] = runText(text, [int8([1, 3, 4, 1], x)]);
    const at = (r: number, c: number): number => (r >= 0 && r < 3 && c >= 0 && c < 4 ? x[r * 4 + c]! : 0);
    const expected: number[] = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expected.push(at(r - 1, c) + at(r - 1, c + 1) + at(r, c) + at(r, c + 1));
    expect(y!.shape).toEqual([1, 3, 4, 1]);
    expect(values(y!)).toEqual(expected);
  });

  it("without multiplier/scale is ONNX ConvInteger: u8 input and weights with zero points, int32 result", () => {
    const x = randInts(2 * 3 * 3 * 2, 0, 255, 1);
    const w = randInts(3 * 2 * 2 * 2, 0, 255, 2);
    const text = oneOp(
      "hw.conv2d",
      [tensorText([2, 3, 3, 2], "ui8")],
      tensorText([2, 2, 2, 3], "i32"),
      "input_zp = 100, weight_zp = 130",
      [constLine("w", w, [3, 2, 2, 2], "u8")],
      ["%w"],
      [tensorText([3, 2, 2, 2], "ui8")],
    );
    const [y] = runText(text, [makeTensor("u8", [2, 3, 3, 2], Uint8Array.from(x))]);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let oy = 0; oy < 2; oy++)
        for (let ox = 0; ox < 2; ox++)
          for (let o = 0; o < 3; o++) {
            let s = 0;
            for (let ky = 0; ky < 2; ky++)
              for (let kx = 0; kx < 2; kx++)
                for (let c = 0; c < 2; c++) s += (x[((n * 3 + oy + ky) * 3 + ox + kx) * 2 + c]! - 100) * (w[((o * 2 + ky) * 2 + kx) * 2 + c]! - 130);
            expected.push(s);
          }
    expect(y!.dtype).toBe("i32");
    expect(values(y!)).toEqual(expected);
  });

  it("runs 16x8 (i16 input, i64 bias) and rounds half-even under half-even-float (ONNX QLinearConv)", () => {
    const base = (round: string) =>
      oneOp(
        "hw.conv2d",
        [tensorText([1, 1, 1, 1], "i16")],
        tensorText([1, 1, 1, 1], "i16"),
        `input_zp = 0, ${round}`,
        [constLine("w", [1], [1, 1, 1, 1], "i8"), constLine("b", [0], [1], "i64")],
        ["%w", "%b"],
        [tensorText([1, 1, 1, 1], "i8"), tensorText([1], "i64")],
      );
    const run = (round: string, v: number): number => values(runText(base(round), [makeTensor("i16", [1, 1, 1, 1], Int16Array.from([v]))])[0]!)[0]!;
    // acc · 0.5: 5 → 2.5 and −5 → −2.5 are ties. Half-even: 2, −2; the integer modes round ties up/away.
    expect(run(`rounding = "half-even-float", scale = [0.5]`, 5)).toBe(2);
    expect(run(`rounding = "half-even-float", scale = [0.5]`, 7)).toBe(4);
    expect(run(`rounding = "half-even-float", scale = [0.5]`, -5)).toBe(-2);
    expect(run(`multiplier = [1073741824], shift = [0]`, 5)).toBe(3);
    expect(run(`multiplier = [1073741824], shift = [0]`, 1000)).toBe(500);
  });
});

describe("hw.depthwise_conv2d", () => {
  it("equals the kernel with the padding order converted and depth multiplier 2", () => {
    const [N, H, W, C, M, KH, KW] = [1, 5, 4, 3, 2, 3, 2];
    const x = randInts(N * H * W * C, -128, 127, 3);
    const w = randInts(KH * KW * C * M, -127, 127, 4);
    const b = randInts(C * M, -1000, 1000, 5);
    const mult = randInts(C * M, 1 << 30, 2 ** 31 - 1, 6);
    const shift = randInts(C * M, -9, -6, 7);
    const padding = [2, 0, 1, 1]; // top, left, bottom, right
    const OH = H + padding[0]! + padding[2]! - KH + 1;
    const OW = W + padding[1]! + padding[3]! - KW + 1;
    const text = oneOp(
      "hw.depthwise_conv2d",
      [tensorText([N, H, W, C], "i8")],
      tensorText([N, OH, OW, C * M], "i8"),
      `input_zp = 7, output_zp = -3, multiplier = [${mult.join(", ")}], shift = [${shift.join(", ")}], padding = [${padding.join(", ")}], depth_multiplier = ${M}, act_min = -100, act_max = 120`,
      [constLine("w", w, [1, KH, KW, C * M], "i8"), constLine("b", b, [C * M], "i32")],
      ["%w", "%b"],
      [tensorText([1, KH, KW, C * M], "i8"), tensorText([C * M], "i32")],
    );
    const input = int8([N, H, W, C], x);
    const [y] = runText(text, [input]);
    const direct = depthwiseConv2d(input, int8([1, KH, KW, C * M], w), makeTensor("i32", [C * M], Int32Array.from(b)), {
      stride: [1, 1],
      pad: [2, 1, 0, 1], // the kernel's [top, bottom, left, right]
      input_zp: 7,
      output_zp: -3,
      multiplier: mult,
      shift,
      act_min: -100,
      act_max: 120,
    });
    expect(y!.shape).toEqual(direct.shape);
    expect(values(y!)).toEqual(values(direct));
  });
});

describe("hw.fully_connected", () => {
  it("keeps leading dims when the result type does ([2, 3, IN] → [2, 3, OUT])", () => {
    const x = randInts(2 * 3 * 4, -128, 127, 8);
    const w = randInts(5 * 4, -127, 127, 9);
    const flat = oneOp("hw.fully_connected", [tensorText([2, 3, 4], "i8")], tensorText([6, 5], "i32"), "input_zp = 1", [constLine("w", w, [5, 4], "i8")], ["%w"], [tensorText([5, 4], "i8")]);
    const kept = flat.replaceAll("tensor<6x5xi32>", "tensor<2x3x5xi32>");
    const [a] = runText(flat, [int8([2, 3, 4], x)]);
    const [b] = runText(kept, [int8([2, 3, 4], x)]);
    expect(a!.shape).toEqual([6, 5]);
    expect(b!.shape).toEqual([2, 3, 5]);
    expect(values(b!)).toEqual(values(a!));
    expect(values(a!)[0]).toBe([0, 1, 2, 3].reduce((s, k) => s + (x[k]! - 1) * w[k]!, 0));
  });
});

describe("hw.matmul", () => {
  it("rounds ties half to even under half-even-float and upward under gemmlowp", () => {
    const text = (attrs: string) => oneOp("hw.matmul", [tensorText([1, 1], "i8"), tensorText([1, 1], "i8")], tensorText([1, 1], "i8"), attrs);
    const run = (attrs: string, a: number): number => values(runText(text(attrs), [int8([1, 1], [a]), int8([1, 1], [1])])[0]!)[0]!;
    expect(run(`rounding = "half-even-float", scale = [0.5]`, 5)).toBe(2); // 2.5 → 2
    expect(run(`rounding = "half-even-float", scale = [0.5]`, 3)).toBe(2); // 1.5 → 2
    expect(run(`rounding = "half-even-float", scale = [0.5]`, -5)).toBe(-2);
    // SRDHM rounds ties upward (floor(x + 1/2)): 2.5 → 3 and −2.5 → −2.
    expect(run(`multiplier = [1073741824], shift = [0]`, 5)).toBe(3);
    expect(run(`multiplier = [1073741824], shift = [0]`, 3)).toBe(2);
    expect(run(`multiplier = [1073741824], shift = [0]`, -5)).toBe(-2);
  });

  it("supports per-row a_zp, per-column b_zp and scales, and broadcast batch dims", () => {
    const a = randInts(2 * 3 * 4, -128, 127, 10);
    const b = randInts(4 * 2, -128, 127, 11);
    const text = oneOp("hw.matmul", [tensorText([2, 3, 4], "i8"), tensorText([4, 2], "i8")], tensorText([2, 3, 2], "i32"), "a_zp = [1, 2, 3], b_zp = [-4, 5]");
    const [y] = runText(text, [int8([2, 3, 4], a), int8([4, 2], b)]);
    const expected: number[] = [];
    for (let t = 0; t < 2; t++)
      for (let m = 0; m < 3; m++)
        for (let n = 0; n < 2; n++) {
          let s = 0;
          for (let k = 0; k < 4; k++) s += (a[(t * 3 + m) * 4 + k]! - (m + 1)) * (b[k * 2 + n]! - [-4, 5][n]!);
          expected.push(s);
        }
    expect(values(y!)).toEqual(expected);
    const scaled = oneOp("hw.matmul", [tensorText([2, 3, 4], "i8"), tensorText([4, 2], "i8")], tensorText([2, 3, 2], "i8"), `a_zp = [1, 2, 3], b_zp = [-4, 5], rounding = "half-even-float", scale = [${floatText(0.01)}, ${floatText(0.002)}], output_zp = 3`);
    const [z] = runText(scaled, [int8([2, 3, 4], a), int8([4, 2], b)]);
    expect(values(z!)).toEqual(expected.map((v, i) => Math.max(-128, Math.min(127, Math.round(v * [0.01, 0.002][i % 2]!) + 3))));
  });
});

describe("hw.add / hw.sub / hw.mul", () => {
  const p1 = { scale: Math.fround(0.05), zp: -3 };
  const p2 = { scale: Math.fround(0.11), zp: 10 };
  const po = { scale: Math.fround(0.13), zp: -7 };

  it("run the TFLite kernels with the Prepare parameters as attributes (broadcasting)", () => {
    const addAttrs = prepareAdd(p1, p2, po, "i8");
    const mulAttrs = prepareMul(p1, p2, po);
    const x = randInts(2 * 3 * 4, -128, 127, 12);
    const z = randInts(4, -128, 127, 13);
    const attrText = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} = ${v}`).join(", ");
    for (const [name, attrs, kernel] of [
      ["hw.add", addAttrs, () => add(int8([2, 3, 4], x), int8([4], z), { ...addAttrs, act_min: -100, act_max: 100 })],
      ["hw.mul", mulAttrs, () => mul(int8([2, 3, 4], x), int8([4], z), { ...mulAttrs, act_min: -100, act_max: 100 })],
      ["hw.sub", addAttrs, () => sub(int8([2, 3, 4], x), int8([4], z), { ...addAttrs, act_min: -100, act_max: 100 })],
    ] as const) {
      const text = oneOp(name, [tensorText([2, 3, 4], "i8"), tensorText([4], "i8")], tensorText([2, 3, 4], "i8"), `${attrText(attrs as unknown as Record<string, number>)}, act_min = -100, act_max = 100`);
      const [y] = runText(text, [int8([2, 3, 4], x), int8([4], z)]);
      expect(values(y!), name).toEqual(values(kernel()));
    }
  });

  it("sub subtracts after scaling, as TFLite's SubElementwise (values derived by hand)", () => {
    // s1 = 1/16, s2 = 1/32, s_out = 1/16, zero points 0. Prepare: twice_max = 1/8; input1 (1/16)/(1/8) = 0.5 →
    // (2^30, 0); input2 0.25 → (2^30, −1); output (1/8)/(2^20·(1/16)) = 2^-19 → (2^30, −18).
    const attrs = prepareAdd({ scale: 1 / 16, zp: 0 }, { scale: 1 / 32, zp: 0 }, { scale: 1 / 16, zp: 0 }, "i8");
    expect([attrs.input1_multiplier, attrs.input1_shift, attrs.input2_multiplier, attrs.input2_shift, attrs.output_multiplier, attrs.output_shift]).toEqual([2 ** 30, 0, 2 ** 30, -1, 2 ** 30, -18]);
    // 1.0 − 0.25: a = 16·2^20 → 2^23; b = 8·2^20 → 2^21; (2^23 − 2^21)·2^-19 = 12 = 0.75·16.
    // 0.25 − 1.0 → −12; −0.5 − 0.5 (−8 − 16) → −16; 7.9375 − (−4) (127 − (−128)) → 11.9375·16 = 191 → 127 (saturated).
    const y = sub(int8([4], [16, 4, -8, 127]), int8([4], [8, 32, 16, -128]), attrs);
    expect(values(y)).toEqual([12, -12, -16, 127]);
  });

  it("int16 add with TFLite's left shift 15", () => {
    const attrs = prepareAdd({ scale: 0.001, zp: 0 }, { scale: 0.002, zp: 0 }, { scale: 0.003, zp: 0 }, "i16");
    expect(attrs.left_shift).toBe(15);
    const x = randInts(6, -32768, 32767, 14);
    const z = randInts(6, -32768, 32767, 15);
    const text = oneOp("hw.add", [tensorText([6], "i16"), tensorText([6], "i16")], tensorText([6], "i16"), Object.entries(attrs).map(([k, v]) => `${k} = ${v}`).join(", "));
    const tx = makeTensor("i16", [6], Int16Array.from(x));
    const tz = makeTensor("i16", [6], Int16Array.from(z));
    const [y] = runText(text, [tx, tz]);
    expect(values(y!)).toEqual(values(add(tx, tz, attrs)));
  });
});

describe("hw.rescale", () => {
  it("follows TOSA: shift is a right shift, double_round = TFLite gemmlowp", () => {
    const text = (attrs: string, inT = tensorText([4], "i32"), outT = tensorText([4], "i8")) => oneOp("hw.rescale", [inT], outT, attrs);
    const x = makeTensor("i32", [4], Int32Array.from([3, -3, 1000, -1000]));
    // multiplier 2^30 with shift 31: × 0.5; ties round up (+∞) in apply_scale_32.
    expect(values(runText(text("input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31]"), [x])[0]!)).toEqual([2, -1, 127, -128]);
    expect(values(runText(text("input_zp = 0, output_zp = 5, multiplier = [1073741824], shift = [32]"), [x])[0]!)).toEqual([6, 4, 127, -128]);
    const q = quantizeMultiplier(0.3);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: 4, maxLength: 4 }), (vs) => {
        const input = makeTensor("i32", [4], Int32Array.from(vs));
        const tosa = runText(text(`input_zp = 0, output_zp = 0, multiplier = [${q.multiplier}], shift = [${31 - q.shift}], double_round = true`, tensorText([4], "i32"), tensorText([4], "i32")), [input])[0]!;
        expect(tosa.dtype).toBe("i32");
        expect(values(tosa)).toEqual(vs.map((v) => multiplyByQuantizedMultiplier(v, q.multiplier, q.shift)));
      }),
      { numRuns: 200 },
    );
  });

  it("per_channel uses one multiplier per last-dim channel; u8 storage reads unsigned", () => {
    const text = oneOp("hw.rescale", [tensorText([2, 2], "ui8")], tensorText([2, 2], "i8"), "input_zp = 128, output_zp = 0, multiplier = [1073741824, 1073741824], shift = [30, 31], per_channel = true");
    const [y] = runText(text, [makeTensor("u8", [2, 2], Uint8Array.from([130, 130, 0, 255]))]);
    // (130 − 128) × 1 = 2, × 0.5 = 1; (0 − 128) × 1 → −128; (255 − 128) × 0.5 = 63.5 → 64.
    expect(values(y!)).toEqual([2, 1, -128, 64]);
  });
});

describe("hw.lut", () => {
  it("indexes an 8-bit table by value + 128", () => {
    const table = Array.from({ length: 256 }, (_, i) => 127 - i);
    const text = oneOp("hw.lut", [tensorText([4], "i8")], tensorText([4], "i8"), `table = ${denseTable(table)}`);
    const [y] = runText(text, [int8([4], [-128, -1, 0, 127])]);
    expect(values(y!)).toEqual([127, 0, -1, -128]);
  });
});

function denseTable(table: readonly number[]): string {
  return `dense<[${table.join(", ")}]> : tensor<${table.length}xi8>`;
}

describe("hw.max_pool2d / hw.avg_pool2d", () => {
  it("infer their result types and read padding as [top, left, bottom, right]", () => {
    const x = int8([1, 2, 3, 1], [1, 2, 3, 4, 5, 6]);
    // padding left 1 only: width 3 + 1 − 2 + 1 = 3 outputs, height 2 − 2 + 1 = 1.
    const max = oneOp("hw.max_pool2d", [tensorText([1, 2, 3, 1], "i8")], tensorText([1, 1, 3, 1], "i8"), "kernel = [2, 2], padding = [0, 1, 0, 0]");
    expect(values(runText(max, [x])[0]!)).toEqual([4, 5, 6]);
    const avg = max.replace("hw.max_pool2d", "hw.avg_pool2d");
    // Windows: {1,4}, {1,2,4,5}, {2,3,5,6}: averages 2.5 → 3, 3, 4.
    expect(values(runText(avg, [x])[0]!)).toEqual([3, 3, 4]);
    expect(verifierMessages(max.replaceAll("tensor<1x1x3x1xi8>", "tensor<1x1x2x1xi8>")).join()).toContain(
      "result #0 has type tensor<1x1x2x1xi8> but the op infers tensor<1x1x3x1xi8>",
    );
  });
});

describe("hw.softmax", () => {
  it("runs the TFLite int8 kernel with Prepare's parameters", () => {
    const p = prepareSoftmax(1, Math.fround(0.1));
    const row = randInts(2 * 10, -128, 127, 16);
    const q = "!quant.uniform<i8:f32, 0.00390625:-128>";
    const text = oneOp("hw.softmax", [tensorText([2, 10], "i8")], tensorText([2, 10], q), `input_multiplier = ${p.input_multiplier}, input_left_shift = ${p.input_left_shift}, diff_min = ${p.diff_min}`);
    const [y] = runText(text, [int8([2, 10], row)]);
    expect(values(y!)).toEqual(values(softmaxInt8(int8([2, 10], row), p)));
  });
});

describe("shape ops", () => {
  it("reshape, transpose, concat and pad move stored integers", () => {
    const x = int8([2, 3], [1, 2, 3, 4, 5, 6]);
    const t = (op: string, outShape: number[], attrs: string) => oneOp(op, [tensorText([2, 3], "i8")], tensorText(outShape, "i8"), attrs);
    expect(values(runText(t("hw.transpose", [3, 2], "perm = [1, 0]"), [x])[0]!)).toEqual([1, 4, 2, 5, 3, 6]);
    const r = runText(t("hw.reshape", [3, 2], ""), [x])[0]!;
    expect(r.shape).toEqual([3, 2]);
    expect(values(r)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(values(runText(t("hw.pad", [3, 5], "pads = [1, 0, 0, 2], pad_value = -1"), [x])[0]!)).toEqual([-1, -1, -1, -1, -1, 1, 2, 3, -1, -1, 4, 5, 6, -1, -1]);
    const concat = `func.func @main(%a: tensor<2x3xi8>, %b: tensor<2x1xi8>) -> tensor<2x4xi8> {
  %y = "hw.concat"(%a, %b) {axis = -1} : (tensor<2x3xi8>, tensor<2x1xi8>) -> tensor<2x4xi8>
  return %y : tensor<2x4xi8>
}`;
    expect(values(runText(concat, [x, int8([2, 1], [7, 8])])[0]!)).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
  });

  it("pad fills with the input's zero point by default", () => {
    const q = "!quant.uniform<i8:f32, 0.1:-5>";
    const text = oneOp("hw.pad", [tensorText([2], q)], tensorText([4], q), "pads = [1, 1]");
    expect(values(runText(text, [int8([2], [3, 4])])[0]!)).toEqual([-5, 3, 4, -5]);
  });
});

describe("hw.const and the dialect", () => {
  it("holds quantized constants as their storage integers", () => {
    const text = `func.func @main() -> tensor<3x!quant.uniform<u8:f32, 0.5:128>> {
  %c = "hw.const"() {value = dense<[0, 128, 255]> : tensor<3xui8>} : () -> tensor<3x!quant.uniform<u8:f32, 0.5:128>>
  return %c : tensor<3x!quant.uniform<u8:f32, 0.5:128>>
}`;
    const [c] = runText(text, []);
    expect(c!.dtype).toBe("u8");
    expect(values(c!)).toEqual([0, 128, 255]);
  });

  it("materializes integer constants", () => {
    const m = parseModule(`"t.x"() {v = dense<[1, 2]> : tensor<2xi8>} : () -> ()`, { filename: "m.mlir" });
    const value = m.ops[0]!.attributes["v"]!;
    const op = materializeConstant("hw", value, { kind: "tensor", shape: [2], element: { kind: "int", width: 8, signedness: "signless" } }, unknownLoc);
    expect(op && printOperation(op)).toContain('"hw.const"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<2xi8>');
    expect(materializeConstant("hw", value, { kind: "tensor", shape: [3], element: { kind: "int", width: 8, signedness: "signless" } }, unknownLoc)).toBeUndefined();
  });

  it("declares the traits passes ask about", () => {
    for (const op of ["hw.reshape", "hw.transpose", "hw.concat", "hw.pad", "hw.max_pool2d", "hw.avg_pool2d"]) expect(hasTrait(op, "SameOperandsAndResultScale"), op).toBe(true);
    for (const op of ["hw.conv2d", "hw.depthwise_conv2d", "hw.fully_connected"]) expect(hasTrait(op, "WeightedOp"), op).toBe(true);
    expect(hasTrait("hw.const", "ConstantLike")).toBe(true);
    for (const op of ["hw.conv2d", "hw.matmul", "hw.rescale", "hw.add", "hw.mul", "hw.lut", "hw.softmax", "hw.sparse_conv2d", "hw.sparse_fully_connected", "hw.const"]) {
      expect(hasTrait(op, "Pure"), op).toBe(true);
    }
  });
});

