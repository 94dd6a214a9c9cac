/** Passes never mutate their input: the pass manager can deep-freeze the IR (immer) around every pass. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import "../../src/registry.js";
import { PassManager } from "../../src/pass/manager.js";
import { canonicalize, cse } from "../../passes/index.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { arbModule } from "../support/arbitrary-ir.js";

describe("immutable IR", () => {
  it("canonicalize and cse run on frozen modules and leave the input unchanged", () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        const before = printModule(m);
        const out = new PassManager({ freeze: true, allowUnregisteredDialect: true }).add(canonicalize()).add(cse()).run(m);
        expect(printModule(m)).toBe(before);
        expect(Object.isFrozen(out.ops)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("shares untouched functions between input and output", () => {
    const m = parseModule(`
      func.func @a(%x: tensor<2xf32>) -> tensor<2xf32> {
        %0 = "float.add"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
        %1 = "float.add"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
        return %1 : tensor<2xf32>
      }
      func.func @b(%x: tensor<2xf32>) -> tensor<2xf32> {
        return %x : tensor<2xf32>
      }`);
    const out = new PassManager({ freeze: true }).add(cse()).run(m);
    expect(out.ops[1]).toBe(m.ops[1]);
    expect(out.ops[0]).not.toBe(m.ops[0]);
  });
});
