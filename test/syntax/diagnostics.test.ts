/** Invalid input gives MLIR-style located diagnostics (file:line:col, the line, a caret), never a crash. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { DiagnosticError, formatDiagnostic } from "../../src/ir/diagnostic.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { arbModule } from "../support/arbitrary-ir.js";

function errorOf(text: string): string {
  try {
    const m = parseModule(text, { filename: "in.mlir" });
    const errors = verifyModule(m, { allowUnregisteredDialect: true });
    return errors.map(formatDiagnostic).join("\n");
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join("\n");
    throw e;
  }
}

describe("parse diagnostics", () => {
  const cases: Array<[string, string]> = [
    ['"t.x"( : () -> ()', 'in.mlir:1:8: error: expected \')\', found \':\'\n"t.x"( : () -> ()\n       ^'],
    ['%0 = "t.x"() : () -> !quant.uniform<i8:f32, 0.1:300>', "in.mlir:1:45: error: illegal zero point: 300 is outside the storage range [-128, 127]"],
    ['%0 = "t.x"() : () -> !quant.uniform<i8<-127:127>:f32, 0.1:-128>', "illegal zero point: -128 is outside the storage range [-127, 127]"],
    ['%0 = "t.x"() : () -> !quant.uniform<i8:f32, -0.5>', "illegal scale: -0.5"],
    ['%0 = "t.x"() : () -> !quant.uniform<i8<-200:127>:f32, 0.5>', "illegal storage min and storage max: (-200:127)"],
    ['"t.x"() {a = dense<[1, 2]> : tensor<3xi8>} : () -> ()', "inferred shape of elements literal ([2]) does not match type ([3])"],
    ['"t.x"() {a = dense<[1.5]> : tensor<1xi8>} : () -> ()', "expected an integer value, found a float"],
    ['"t.x"() {a = dense<[300]> : tensor<1xi8>} : () -> ()', "integer value 300 is out of range for i8"],
    ['"t.x"() {a = dense<"0x0102"> : tensor<3xi8>} : () -> ()', "hex dense attribute has 2 bytes, expected 3"],
    ['"t.x"() {a = 300 : i8} : () -> ()', "in.mlir:1:14: error: integer constant out of range for attribute\n\"t.x\"() {a = 300 : i8} : () -> ()\n             ^~~"],
    ['%0 = "t.x"() : () -> (i32, i32)', "operation defines 2 results but was provided 1 to bind"],
    ['"t.x"() {a = #undefined} : () -> ()', "undefined symbol alias id 'undefined'"],
    ['"t.x"() : () -> !q', "undefined symbol alias id 'q'"],
    ["foo.bar %x", "custom op 'foo.bar' is unknown"],
    ['"t.x"(%a) : (i32) -> ()', "use of undeclared SSA value name '%a'"],
    ['%0 = "t.x"() : () -> i32\n%0 = "t.y"() : () -> i32', "in.mlir:2:1: error: redefinition of SSA value '%0'"],
    ['%0 = "t.x"() : () -> i32\n"t.y"(%0) : (f32) -> ()', "use of value '%0' expects different type than prior uses: 'f32' vs 'i32'"],
    ['"t.x"() : () -> tensor<4x!quant.uniform<i8:f32:1, {0.1, 0.2}>>', "quantized dimension 1 of tensor<4x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01}>> must be less than the tensor rank 1"],
    ['"t.x"() : () -> tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>', "has size 3 but 2 scales"],
    ["func.func @f() {\n  \"t.y\"() : () -> ()\n}", "in.mlir:1:1: error: 'func.func' op block must end with 'func.return'"],
    ["func.func @f() -> i32 {\n  return\n}", "in.mlir:2:3: error: 'func.return' op has 0 operands, but enclosing function (@f) returns 1"],
    ['"t.x"() : () -> i32 §', "in.mlir:1:21: error: unexpected character '§'"],
    ['"t.x"() {a = "unterminated} : () -> ()', "error:"],
  ];
  for (const [input, expected] of cases) {
    it(`reports: ${expected.split("\n")[0]!.slice(0, 70)}`, () => {
      expect(errorOf(input)).toContain(expected);
    });
  }

  it("names unregistered ops unless they are allowed", () => {
    const m = parseModule('"t.x"() : () -> ()', { filename: "u.mlir" });
    expect(verifyModule(m).map(formatDiagnostic).join("\n")).toContain("u.mlir:1:1: error: operation 't.x' belongs to an unregistered dialect");
    expect(verifyModule(m, { allowUnregisteredDialect: true })).toEqual([]);
  });

  it("rejects unknown ops of registered dialects even when unregistered dialects are allowed", () => {
    const m = parseModule('"quant.frobnicate"() : () -> ()');
    expect(verifyModule(m, { allowUnregisteredDialect: true }).map((d) => d.message).join()).toContain("'quant.frobnicate' op is unregistered");
  });

  it("checks registered ops against their definitions", () => {
    const m = parseModule('%0 = "quant.qcast"() : () -> tensor<4xf32>');
    const msgs = verifyModule(m).map((d) => d.message);
    expect(msgs.join("\n")).toContain("'quant.qcast' op expected 1 operand, but found 0");
  });
});

describe("fuzz: mutated valid files", () => {
  const mutation = fc.record({
    kind: fc.constantFrom("delete", "insert", "duplicate", "replace"),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.integer({ min: 1, max: 12 }),
    text: fc.constantFrom("(", ")", "{", "}", "<", ">", ":", ",", "%0", "%arg9", "#0", "!quant.uniform<", "dense<", "0x", "-", "1.5e", '"', "\\", "^bb1", "@", "// -----", "\n", "x", "?", "tensor<", "->", "=", "loc(", "array<i64:", "9999999999999999999999"),
  });

  it("produce diagnostics or a valid module, never a crash", () => {
    fc.assert(
      fc.property(arbModule, fc.array(mutation, { minLength: 1, maxLength: 4 }), (m, mutations) => {
        let text = printModule(m);
        for (const mu of mutations) {
          const i = Math.floor(mu.at * text.length);
          if (mu.kind === "delete") text = text.slice(0, i) + text.slice(i + mu.len);
          else if (mu.kind === "insert") text = text.slice(0, i) + mu.text + text.slice(i);
          else if (mu.kind === "duplicate") text = text.slice(0, i) + text.slice(i, i + mu.len) + text.slice(i);
          else text = text.slice(0, i) + mu.text + text.slice(i + mu.len);
        }
        try {
          const parsed = parseModule(text, { filename: "fuzz.mlir" });
          verifyModule(parsed, { allowUnregisteredDialect: true });
          printModule(parsed);
        } catch (e) {
          if (!(e instanceof DiagnosticError)) throw e;
          const d = e.diagnostics[0]!;
          expect(d.loc.kind).toBe("source");
          expect(formatDiagnostic(d)).toMatch(/^fuzz\.mlir:\d+:\d+: error: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
