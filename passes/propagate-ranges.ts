/**
 * `propagate-ranges`: makes the recorded ranges consistent with what each op does, reading traits, not
 * op names — same-scale ops (reshape, transpose, max_pool, pad, concat) share one range (concat: the
 * union of its inputs), clamping ops tighten, fixed-range ops (sigmoid, tanh, softmax) get the range of
 * the quantization spec's fixed parameters, and tensors without data get interval arithmetic.
 * Iterates to a fixed point (MLIR's QuantizationDriver does the same with a worklist).
 */
import type { Operation, Value } from "../src/ir/operation.js";
import { getOpDef, hasTrait } from "../src/ir/opdef.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass, type PassContext } from "../src/pass/pass.js";
import { readRanges, writeRanges, type Range } from "../src/quant/ranges.js";

export const propagateRangesPass = registerPass({
  name: "propagate-ranges",
  description: "Share ranges across same-scale ops, tighten through clamps, pin fixed-range ops, fill gaps by interval arithmetic",
  options: {},
  run(module, _options, ctx) {
    const func = entryFunction(module).func;
    const ranges = readRanges(func);
    const fixed = fixedValues(func);
    const body = func.regions[0]!.blocks[0]!;
    for (let round = 0; round < 16; round++) {
      let changed = false;
      for (const op of body.ops) if (propagate(op, ranges, fixed, ctx, round === 0)) changed = true;
      if (!changed) break;
    }
    return writeRanges(module, func, ranges);
  },
});

export function propagateRanges(): Pass {
  return instantiatePass(propagateRangesPass);
}

/** Values with quantization fixed by the input IR (QAT `qcast`/`dcast` pairs): never changed here. */
function fixedValues(func: Operation): Set<Value> {
  const fixed = new Set<Value>();
  for (const op of func.regions[0]!.blocks[0]!.ops) {
    if (op.name === "quant.qcast") fixed.add(op.operands[0]!);
    if (op.name === "quant.dcast") fixed.add(op.results[0]!);
  }
  return fixed;
}

/** The quantization spec's fixed output ranges, as real ranges whose int8 parameters are exactly 1/256, zp −128 ([0,1) ops) or 1/128, zp 0 ([−1,1) ops). */
function specRange(r: { min: number; max: number }): Range {
  return r.min < 0 ? { min: -1, max: 127 / 128 } : { min: 0, max: 255 / 256 };
}

function same(a: Range | undefined, b: Range | undefined): boolean {
  return a !== undefined && b !== undefined && a.min === b.min && a.max === b.max;
}

function propagate(op: Operation, ranges: Map<Value, Range>, fixed: Set<Value>, ctx: PassContext, log: boolean): boolean {
  if (op.results.length !== 1) return false;
  const result = op.results[0]!;
  if (fixed.has(result)) return false;
  const def = getOpDef(op.name);
  if (!def) return false;
  const current = ranges.get(result);
  let next: Range | undefined;
  if (def.fixedOutputRange) {
    next = specRange(def.fixedOutputRange);
  } else if (hasTrait(op, "SameOperandsAndResultScale")) {
    const inputs = op.operands.map((v) => ranges.get(v)).filter((r): r is Range => r !== undefined);
    if (inputs.length === op.operands.length && inputs.length > 0) {
      next = { min: Math.min(...inputs.map((r) => r.min)), max: Math.max(...inputs.map((r) => r.max)) };
      if (log && inputs.some((r) => !same(r, next))) {
        ctx.decisions.push({ pass: "propagate-ranges", kind: "requantize-inputs", op: op.name, message: `${op.name}: inputs with different ranges share the union; quantize inserts a requantize on the narrower ones` });
      }
    } else if (current && op.operands.length === 1 && !ranges.has(op.operands[0]!) && !fixed.has(op.operands[0]!)) {
      // Backward: a same-scale op's input takes the output's range when it has none.
      ranges.set(op.operands[0]!, current);
      return true;
    }
  } else if (hasTrait(op, "RangeClamp")) {
    const input = ranges.get(op.operands[0]!);
    const bounds = def.inferRange?.([{ min: -Infinity, max: Infinity }], op);
    if (input && bounds) next = { min: Math.max(input.min, bounds.min), max: Math.min(input.max, bounds.max) };
  } else if (!current && def.inferRange) {
    next = def.inferRange(op.operands.map((v) => ranges.get(v)), op);
    if (next && log) ctx.decisions.push({ pass: "propagate-ranges", kind: "interval", op: op.name, message: `${op.name}: no calibration data; range [${next.min}, ${next.max}] by interval arithmetic` });
  }
  if (!next || !Number.isFinite(next.min) || !Number.isFinite(next.max) || same(current, next)) return false;
  ranges.set(result, next);
  return true;
}
