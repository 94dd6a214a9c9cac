/**
 * `nudge-zero-point{target=…}`: turns each recorded range into one whose quantization is exact at zero
 * (TF FakeQuant's Nudge), symmetric and narrow where the target says, with power-of-two scales on targets
 * that demand them (rounded up so the range is kept). The nudged range replaces `qopt.range`; ranges fixed
 * by the input IR (quantization-aware training) are left alone.
 */
import type { Operation, Value } from "../src/ir/operation.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";
import { readRanges, writeRanges, type Range } from "../src/quant/ranges.js";
import { chooseQuantParams, representedRange } from "../src/quant/params.js";
import { activationScheme } from "../src/quant/activation-scheme.js";
import { loadTarget } from "../src/target/load.js";
import type { Target } from "../src/target/types.js";

export const nudgeZeroPointPass = registerPass({
  name: "nudge-zero-point",
  description: "Make zero exactly representable; apply the target's symmetry, narrow range and power-of-two scales",
  options: {
    target: { type: "string", description: "Target descriptor: a built-in name or ./file.json (default: int8 asymmetric)" },
  },
  run(module, options, ctx) {
    const target: Target | undefined = typeof options["target"] === "string" ? loadTarget(options["target"]) : undefined;
    const func = entryFunction(module).func;
    const ranges = readRanges(func);
    const producers = new Map<Value, Operation>();
    const fixed = new Set<Value>();
    for (const op of func.regions[0]!.blocks[0]!.ops) {
      for (const r of op.results) producers.set(r, op);
      if (op.name === "quant.qcast") fixed.add(op.operands[0]!);
      if (op.name === "quant.dcast") fixed.add(op.results[0]!);
    }
    const nudged = new Map<Value, Range>();
    let roundedToPowerOfTwo = 0;
    for (const [value, range] of ranges) {
      if (fixed.has(value)) {
        nudged.set(value, range);
        continue;
      }
      const producer = producers.get(value);
      const scheme = activationScheme(target, producer);
      const plain = chooseQuantParams(range.min, range.max, scheme.range, { symmetric: scheme.symmetric });
      const params = scheme.powerOfTwo ? chooseQuantParams(range.min, range.max, scheme.range, { symmetric: scheme.symmetric, powerOfTwo: true }) : plain;
      if (params.scale !== plain.scale) roundedToPowerOfTwo++;
      nudged.set(value, representedRange(params, scheme.range));
    }
    if (roundedToPowerOfTwo > 0) {
      ctx.decisions.push({ pass: "nudge-zero-point", kind: "scale-rounded", message: `rounded ${roundedToPowerOfTwo} scales up to powers of two (target ${target?.name})` });
    }
    return writeRanges(module, func, nudged);
  },
});

export function nudgeZeroPoint(options: { target?: string } = {}): Pass {
  return instantiatePass(nudgeZeroPointPass, options.target !== undefined ? { target: options.target } : {});
}
