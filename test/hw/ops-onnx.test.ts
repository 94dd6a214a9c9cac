/**
 * ONNX backend node tests (shared/conformance/onnx) reproduced with hw.matmul modules:
 * test_qlinearmatmul_2D_{int8,uint8}_{float32,float16} through both requantization paths
 * (half-even-float with the real scale, and QuantizeMultiplier + gemmlowp double rounding), and
 * test_matmulinteger (no requantization: the int32 accumulator).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTensorProto } from "../../src/io/onnx-tensor.js";
import { quantizeMultiplier } from "../../src/interp/fixed-point.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { conformanceDir } from "./conformance.js";
import { elementOf, floatText, runText, tensorText, values } from "./hw-module.js";

function loadCase(name: string): Tensor[] {
  const dir = path.join(conformanceDir("onnx"), name, "test_data_set_0");
  const read = (f: string): Tensor => readTensorProto(readFileSync(path.join(dir, f)), f).tensor;
  const inputs: Tensor[] = [];
  for (let i = 0; ; i++) {
    try {
      inputs.push(read(`input_${i}.pb`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") break;
      throw e;
    }
  }
  inputs.push(read("output_0.pb"));
  return inputs;
}

const scalar = (t: Tensor): number => Number(t.data[0]);

function matmulModule(a: Tensor, b: Tensor, resultElement: string, resultShape: readonly number[], attrs: readonly string[]): string {
  const aT = tensorText(a.shape, elementOf(a.dtype));
  const bT = tensorText(b.shape, elementOf(b.dtype));
  const yT = tensorText(resultShape, resultElement);
  return [
    `func.func @main(%a: ${aT}, %b: ${bT}) -> ${yT} {`,
    `  %y = "hw.matmul"(%a, %b) {${attrs.join(", ")}} : (${aT}, ${bT}) -> ${yT}`,
    `  return %y : ${yT}`,
    `}`,
  ].join("\n");
}

const QLINEAR = ["test_qlinearmatmul_2D_int8_float32", "test_qlinearmatmul_2D_int8_float16", "test_qlinearmatmul_2D_uint8_float32", "test_qlinearmatmul_2D_uint8_float16"];

describe("ONNX QLinearMatMul through hw.matmul", () => {
  describe.each(QLINEAR)("%s", (name) => {
    const [a, aScale, aZp, b, bScale, bZp, yScale, yZp, expected] = loadCase(name) as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const isHalf = name.endsWith("float16");
    // The float16 variants carry f16 scales; readTensorProto gives their exact half-precision values.
    const real = (scalar(aScale) * scalar(bScale)) / scalar(yScale);
    const zps = [`a_zp = [${scalar(aZp)}]`, `b_zp = [${scalar(bZp)}]`, `output_zp = ${scalar(yZp)}`];
    const element = elementOf(expected.dtype);

    it("reads the expected inputs", () => {
      expect(aScale.dtype).toBe(isHalf ? "f16" : "f32");
      expect(expected.dtype).toBe(a.dtype);
    });

    it("is bit-exact with rounding = half-even-float and scale = a_scale·b_scale/y_scale", () => {
      const text = matmulModule(a, b, element, expected.shape, [...zps, `rounding = "half-even-float"`, `scale = [${floatText(real)}]`]);
      const [y] = runText(text, [a, b], `${name}.mlir`);
      expect(y!.dtype).toBe(expected.dtype);
      expect(y!.shape).toEqual(expected.shape);
      expect(values(y!)).toEqual(values(expected));
    });

    it("is bit-exact with QuantizeMultiplier + gemmlowp (TFLite double rounding)", () => {
      const q = quantizeMultiplier(real);
      const text = matmulModule(a, b, element, expected.shape, [...zps, `multiplier = [${q.multiplier}]`, `shift = [${q.shift}]`]);
      const [y] = runText(text, [a, b], `${name}-fixed.mlir`);
      expect(values(y!)).toEqual(values(expected));
    });

    it("is bit-exact with QuantizeMultiplier + TOSA double-round", () => {
      const q = quantizeMultiplier(real);
      const text = matmulModule(a, b, element, expected.shape, [...zps, `multiplier = [${q.multiplier}]`, `shift = [${q.shift}]`, `rounding = "double-round"`]);
      const [y] = runText(text, [a, b], `${name}-tosa.mlir`);
      expect(values(y!)).toEqual(values(expected));
    });
  });
});

describe("ONNX MatMulInteger through hw.matmul", () => {
  it("test_matmulinteger is bit-exact (int32 accumulator, no requantization)", () => {
    const [a, b, aZp, bZp, expected] = loadCase("test_matmulinteger") as [Tensor, Tensor, Tensor, Tensor, Tensor];
    expect(expected.dtype).toBe("i32");
    const text = matmulModule(a, b, "i32", expected.shape, [`a_zp = [${scalar(aZp)}]`, `b_zp = [${scalar(bZp)}]`]);
    const [y] = runText(text, [a, b], "test_matmulinteger.mlir");
    expect(y!.dtype).toBe("i32");
    expect(values(y!)).toEqual(values(expected));
  });
});
