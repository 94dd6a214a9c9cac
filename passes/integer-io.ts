/**
 * `integer-io`: a quantized program takes and returns integers instead of floats — a function input used
 * only by a `quant.qcast` takes the quantized type itself (the qcast goes), and a result produced by a
 * `quant.dcast` returns the quantized value (the dcast goes unless another op still reads it) — the TFLite
 * converter's `inference_input_type/inference_output_type = int8`.
 * The scale and zero point of each boundary are logged so callers can quantize their data.
 */
import { producerMap } from "../src/ir/rewriter.js";
import type { Operation, Value } from "../src/ir/operation.js";
import { makeValue } from "../src/ir/operation.js";
import { getAttr } from "../src/ir/operation.js";
import { elementType, type Type } from "../src/ir/types.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { printType } from "../src/syntax/printer.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";

export const integerIoPass = registerPass({
  name: "integer-io",
  description: "Make a quantized program take and return quantized integers instead of floats",
  options: {},
  run(module, _options, ctx) {
    const sig = entryFunction(module);
    const func = sig.func;
    const body = func.regions[0]!.blocks[0]!;
    const fnType = getAttr(func, "function_type");
    if (!fnType || fnType.kind !== "type" || fnType.type.kind !== "function") return module;
    const replaced = new Map<Value, Value>();
    const dropped = new Set<Operation>();
    const args = body.args.map((arg, i) => {
      const users = body.ops.filter((op) => op.operands.includes(arg));
      if (users.length !== 1 || users[0]!.name !== "quant.qcast") return arg;
      const qcast = users[0]!;
      const newArg = makeValue(qcast.results[0]!.type, arg.loc);
      replaced.set(qcast.results[0]!, newArg);
      dropped.add(qcast);
      ctx.decisions.push({ pass: "integer-io", kind: "integer-input", message: `input '${sig.inputNames[i]}' is ${describe(newArg.type)}` });
      return newArg;
    });
    const ret = body.ops[body.ops.length - 1]!;
    const producers = producerMap(body.ops);
    const results = ret.operands.map((v, i) => {
      const p = producers.get(v);
      if (!p || p.name !== "quant.dcast") return v;
      ctx.decisions.push({ pass: "integer-io", kind: "integer-output", message: `output '${sig.outputNames[i]}' is ${describe(p.operands[0]!.type)}` });
      // The dequantize at exit goes too, unless something besides the return still reads it.
      if (!body.ops.some((op) => op !== ret && op.operands.includes(v))) dropped.add(p);
      return p.operands[0]!;
    });
    const ops = body.ops
      .filter((op) => !dropped.has(op))
      .map((op) => (op === ret ? { ...op, operands: results } : op))
      .map((op) => {
        const operands = op.operands.map((v) => replaced.get(v) ?? v);
        return operands.every((v, i) => v === op.operands[i]) ? op : { ...op, operands };
      });
    const newType: Type = { kind: "function", inputs: args.map((a) => a.type), results: results.map((r) => r.type) };
    const newFunc: Operation = {
      ...func,
      properties: { ...(func.properties ?? {}), function_type: { kind: "type", type: newType } },
      regions: [{ blocks: [{ args, ops }] }],
    };
    return { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) };
  },
});

function describe(t: Type): string {
  const q = elementType(t);
  if (q.kind !== "quant.uniform") return printType(t);
  const params = q.axis === undefined ? `scale ${q.scales[0]}, zero point ${q.zeroPoints[0]}` : `per-axis ${q.axis}`;
  return `${printType(t)} (${params})`;
}

export function integerIo(): Pass {
  return instantiatePass(integerIoPass);
}
