/** `builtin.module`: the top-level container (a symbol table, isolated from above). */
import { defineOp } from "../../src/ir/opdef.js";

export const moduleOp = defineOp({
  name: "builtin.module",
  summary: "A top-level container of operations",
  operands: [],
  results: [],
  attributes: {
    sym_name: { kind: "string", optional: true, doc: "Optional module name" },
    sym_visibility: { kind: "string", optional: true },
  },
  properties: ["sym_name", "sym_visibility"],
  traits: ["IsolatedFromAbove", "SymbolTable"],
  regions: 1,
});
