/**
 * Every CMSIS-NN vector of shared/conformance/cmsis-nn run through the hw OPS: a module in text with
 * `hw.const` weights and bias and the vector's parameters as attributes, verified and interpreted.
 */
import { describe, expect, it } from "vitest";
import type { RoundingMode } from "../../src/interp/rounding.js";
import { arr, def, endPadding, loadCmsisVectors, type CmsisVector } from "./conformance.js";
import { constLine, int8, runText, tensorText, values } from "./hw-module.js";

/** The vector as an hw module; returns the text and the input tensor. */
function moduleFor(v: CmsisVector, rounding: RoundingMode, elements = { input: "i8", output: "i8" }): { text: string; input: ReturnType<typeof int8> } {
  const d = v.defines;
  const a = v.arrays;
  const common = [
    `input_zp = ${-def(d, "INPUT_OFFSET")}`,
    `output_zp = ${def(d, "OUTPUT_OFFSET")}`,
    `act_min = ${def(d, "OUT_ACTIVATION_MIN")}`,
    `act_max = ${def(d, "OUT_ACTIVATION_MAX")}`,
    `rounding = "${rounding}"`,
  ];
  if (v.name === "fully_connected") {
    const IN = def(d, "ACCUMULATION_DEPTH");
    const OUT = def(d, "OUT_CH");
    const B = arr(a, "input").length / IN;
    const inT = tensorText([B, IN], elements.input);
    const wT = tensorText([OUT, IN], "i8");
    const bT = tensorText([OUT], "i32");
    const outT = tensorText([B, OUT], elements.output);
    const attrs = [...common, `weight_zp = ${-def(d, "FILTER_OFFSET", 0)}`, `multiplier = [${def(d, "OUTPUT_MULTIPLIER")}]`, `shift = [${def(d, "OUTPUT_SHIFT")}]`];
    const text = [
      `func.func @main(%x: ${inT}) -> ${outT} {`,
      constLine("w", arr(a, "weights"), [OUT, IN], "i8"),
      constLine("b", arr(a, "biases"), [OUT], "i32"),
      `  %y = "hw.fully_connected"(%x, %w, %b) {${attrs.join(", ")}} : (${inT}, ${wT}, ${bT}) -> ${outT}`,
      `  return %y : ${outT}`,
      `}`,
    ].join("\n");
    return { text, input: int8([B, IN], arr(a, "input")) };
  }
  const [N, H, W, IC, OC] = ["INPUT_BATCHES", "INPUT_H", "INPUT_W", "IN_CH", "OUT_CH"].map((k) => def(d, k)) as [number, number, number, number, number];
  const [KH, KW, sy, sx] = ["FILTER_Y", "FILTER_X", "STRIDE_Y", "STRIDE_X"].map((k) => def(d, k)) as [number, number, number, number];
  const [dy, dx] = [def(d, "DILATION_Y", 1), def(d, "DILATION_X", 1)];
  const [pt, pl, OH, OW] = [def(d, "PAD_Y"), def(d, "PAD_X"), def(d, "OUTPUT_H"), def(d, "OUTPUT_W")];
  // The op's padding is [top, left, bottom, right]; CMSIS-NN gives the start padding only.
  const padding = [pt, pl, endPadding(H, KH, sy, dy, pt, OH), endPadding(W, KW, sx, dx, pl, OW)];
  const inT = tensorText([N, H, W, IC], elements.input);
  const wT = tensorText([OC, KH, KW, IC], "i8");
  const bT = tensorText([OC], "i32");
  const outT = tensorText([N, OH, OW, OC], elements.output);
  const attrs = [
    ...common,
    `multiplier = [${arr(a, "output_mult").join(", ")}]`,
    `shift = [${arr(a, "output_shift").join(", ")}]`,
    `strides = [${sy}, ${sx}]`,
    `dilations = [${dy}, ${dx}]`,
    `padding = [${padding.join(", ")}]`,
  ];
  const text = [
    `func.func @main(%x: ${inT}) -> ${outT} {`,
    constLine("w", arr(a, "weights"), [OC, KH, KW, IC], "i8"),
    constLine("b", arr(a, "biases"), [OC], "i32"),
    `  %y = "hw.conv2d"(%x, %w, %b) {${attrs.join(", ")}} : (${inT}, ${wT}, ${bT}) -> ${outT}`,
    `  return %y : ${outT}`,
    `}`,
  ].join("\n");
  return { text, input: int8([N, H, W, IC], arr(a, "input")) };
}

function run(v: CmsisVector, rounding: RoundingMode): number[] {
  const { text, input } = moduleFor(v, rounding);
  const [out] = runText(text, [input], `${v.name}.mlir`);
  return values(out!);
}

describe("CMSIS-NN conformance vectors through hw.conv2d / hw.fully_connected", () => {
  const vectors = loadCmsisVectors();

  it("runs all 18 vectors", () => {
    expect(vectors.length).toBe(18);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s is bit-exact under gemmlowp and double-round", (_name, v) => {
    const expected = arr(v.arrays, "output_ref");
    expect(run(v, "gemmlowp")).toEqual(expected);
    expect(run(v, "double-round")).toEqual(expected);
  });

  it("under single-round exactly conv_2x2_dilation and kernel1x1_stride_x_y differ", () => {
    const differing = vectors.filter((v) => JSON.stringify(run(v, "single-round")) !== JSON.stringify(arr(v.arrays, "output_ref"))).map((v) => v.name);
    expect(differing).toEqual(["conv_2x2_dilation", "kernel1x1_stride_x_y"]);
    for (const v of vectors) expect(v.verifiedSingle).toBe(!differing.includes(v.name));
  });

  it("accepts !quant.uniform input and result types (same storage integers, same result)", () => {
    for (const v of vectors) {
      const zpIn = -def(v.defines, "INPUT_OFFSET");
      const zpOut = def(v.defines, "OUTPUT_OFFSET");
      const { text, input } = moduleFor(v, "gemmlowp", {
        input: `!quant.uniform<i8:f32, 0.5:${zpIn}>`,
        output: `!quant.uniform<i8:f32, 0.25:${zpOut}>`,
      });
      const [out] = runText(text, [input], `${v.name}-quant.mlir`);
      expect(values(out!), v.name).toEqual(arr(v.arrays, "output_ref"));
    }
  });
});
