/** The `func` dialect: `func.func` (a function with one region) and `func.return`. */
import { defineOp } from "../../src/ir/opdef.js";
import type { Operation } from "../../src/ir/operation.js";
import { printType } from "../../src/syntax/printer.js";

function functionTypeOf(op: Operation) {
  const attr = op.properties?.["function_type"] ?? op.attributes["function_type"];
  return attr && attr.kind === "type" && attr.type.kind === "function" ? attr.type : undefined;
}

export const funcOp = defineOp({
  name: "func.func",
  summary: "A function: a symbol with a signature and a body region",
  description: "The body's entry block arguments are the function's inputs; every block ends in `func.return` with the result types.",
  operands: [],
  results: [],
  attributes: {
    sym_name: { kind: "string", doc: "The function's symbol name" },
    function_type: { kind: "type", doc: "The function's signature" },
    sym_visibility: { kind: "string", optional: true, oneOf: ["public", "private", "nested"] },
    arg_attrs: { kind: "array", optional: true },
    res_attrs: { kind: "array", optional: true },
  },
  properties: ["sym_name", "function_type", "sym_visibility", "arg_attrs", "res_attrs"],
  traits: ["IsolatedFromAbove", "Symbol"],
  regions: 1,
  verify(op, ctx) {
    const fn = functionTypeOf(op);
    if (!fn) {
      ctx.error("requires attribute 'function_type' holding a function type");
      return;
    }
    const body = op.regions[0];
    if (!body || body.blocks.length === 0) return; // a declaration
    const entry = body.blocks[0]!;
    if (entry.args.length !== fn.inputs.length) {
      ctx.error(`entry block must have ${fn.inputs.length} arguments to match function signature`);
      return;
    }
    entry.args.forEach((a, i) => {
      if (printType(a.type) !== printType(fn.inputs[i]!)) {
        ctx.error(`type of entry block argument #${i}(${printType(a.type)}) must match the type of the corresponding argument in function signature(${printType(fn.inputs[i]!)})`);
      }
    });
    const vis = op.properties?.["sym_visibility"];
    if (vis && vis.kind === "string" && vis.value === "public" && body.blocks.length === 0) ctx.error("symbol declaration cannot have public visibility");
    for (const block of body.blocks) {
      const last = block.ops[block.ops.length - 1];
      if (!last || last.name !== "func.return") {
        ctx.error("block must end with 'func.return'");
        continue;
      }
      if (last.operands.length !== fn.results.length) {
        ctx.errorAt(last, `has ${last.operands.length} operands, but enclosing function (@${symName(op)}) returns ${fn.results.length}`);
        continue;
      }
      last.operands.forEach((v, i) => {
        if (printType(v.type) !== printType(fn.results[i]!)) {
          ctx.errorAt(last, `type of return operand ${i} (${printType(v.type)}) doesn't match function result type (${printType(fn.results[i]!)}) in function @${symName(op)}`);
        }
      });
    }
  },
});

function symName(op: Operation): string {
  const a = op.properties?.["sym_name"] ?? op.attributes["sym_name"];
  return a && a.kind === "string" ? a.value : "?";
}

export const returnOp = defineOp({
  name: "func.return",
  summary: "Returns the function's results",
  operands: [{ name: "operands", arity: "variadic" }],
  results: [],
  traits: ["Pure", "Terminator", "ReturnLike"],
});
