/** The TypeScript API as README shows it: parse → passes → print, build IR in code, interpret. */
import { describe, expect, it } from "vitest";
import { parseModule, printModule, PassManager, passes, interpret, buildFunction, makeModule, verifyModule, tensorType, f32, attr, makeTensor, DiagnosticError } from "../src/index.js";

describe("TypeScript API", () => {
  it("parses, runs a pipeline and prints", () => {
    const m = parseModule(
      `func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
         %0 = "float.add"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
         %1 = "float.add"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
         %2 = "float.mul"(%0, %1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
         return %2 : tensor<4xf32>
       }`,
      { filename: "api.mlir" },
    );
    const out = new PassManager({ verifyEach: true }).add(passes.cse()).add(passes.canonicalize()).run(m);
    const text = printModule(out);
    expect(text.match(/float\.add/g)?.length).toBe(1);
    const [y] = interpret(out, [makeTensor("f32", [4], Float32Array.from([1, 2, 3, -1]))]);
    expect(Array.from(y!.data as Float32Array)).toEqual([4, 16, 36, 4]);
  });

  it("builds IR in code with inferred result types", () => {
    const t = tensorType([2, 2], f32);
    const fn = buildFunction("main", [t, t], (b, [x, y]) => {
      const s = b.value("float.add", [x!, y!], { act: attr.str("relu") });
      return [b.value("float.mul", [s, y!])];
    });
    const m = makeModule([fn]);
    expect(verifyModule(m)).toEqual([]);
    expect(printModule(m)).toContain('"float.add"(%arg0, %arg1) {act = "relu"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>');
    const [out] = interpret(m, [makeTensor("f32", [2, 2], Float32Array.from([1, -5, 2, 3])), makeTensor("f32", [2, 2], Float32Array.from([1, 1, 2, 2]))]);
    expect(Array.from(out!.data as Float32Array)).toEqual([2, 0, 8, 10]);
  });

  it("throws located diagnostics for bad input", () => {
    expect(() => parseModule('"t.x"(', { filename: "bad.mlir" })).toThrow(DiagnosticError);
    try {
      parseModule('"t.x"(', { filename: "bad.mlir" });
    } catch (e) {
      expect((e as DiagnosticError).message).toMatch(/^bad\.mlir:1:7: error: /);
    }
  });
});
