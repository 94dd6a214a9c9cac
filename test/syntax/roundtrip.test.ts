import { describe, expect, it } from "vitest";
import fc from "fast-check";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { arbAttribute, arbModule } from "../support/arbitrary-ir.js";
import { makeModule, makeOperation } from "../../src/ir/operation.js";
import { attrDict } from "../../src/ir/attributes.js";

describe("print∘parse round trip", () => {
  it("print(parse(print(m))) === print(m) for generated modules", () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        const text = printModule(m);
        const again = printModule(parseModule(text, { filename: "gen.mlir" }));
        expect(again).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it("generic form round-trips to the same pretty module", () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        const generic = printModule(m, { generic: true });
        expect(printModule(parseModule(generic))).toBe(printModule(m));
      }),
      { numRuns: 200 },
    );
  });

  it("every attribute value survives the round trip", () => {
    fc.assert(
      fc.property(arbAttribute, (a) => {
        const m = makeModule([makeOperation({ name: "t.op", attributes: attrDict([["a", a]]) })]);
        const text = printModule(m);
        expect(printModule(parseModule(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("generated modules verify with unregistered dialects allowed", () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        expect(verifyModule(m, { allowUnregisteredDialect: true })).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
