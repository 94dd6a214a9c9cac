/**
 * `nudge-zero-point{target=…}`: turns each recorded range into one whose quantization is exact at zero
 * (TF FakeQuant's Nudge), symmetric and narrow where the target says, with power-of-two scales on targets
 * that demand them (rounded up so the range is kept). Constant weights are int8 symmetric narrow range
 * (zp 0) and fixed-range ops (sigmoid, tanh, softmax) get the spec's fixed parameters for their storage
 * type, as `quantize` stores them. The nudged range replaces `qopt.range`; ranges fixed by the input IR
 * (quantization-aware training) are left alone.
 */
import type { Operation, Value } from "../src/ir/operation.js";
import { getOpDef, hasTrait } from "../src/ir/opdef.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";
import { readRanges, writeRanges, type Range } from "../src/quant/ranges.js";
import { chooseQuantParams, fixedOutputParams, representedRange, storageRange } from "../src/quant/params.js";
import { activationScheme, chooseOptions, weightScheme } from "../src/quant/activation-scheme.js";
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
    const weights = new Set<Value>();
    for (const op of func.regions[0]!.blocks[0]!.ops) {
      for (const r of op.results) producers.set(r, op);
      if (op.name === "quant.qcast") fixed.add(op.operands[0]!);
      if (op.name === "quant.dcast") fixed.add(op.results[0]!);
      if (hasTrait(op, "WeightedOp") && op.operands[1]) weights.add(op.operands[1]);
    }
    const nudged = new Map<Value, Range>();
    let roundedToPowerOfTwo = 0;
    for (const [value, range] of ranges) {
      if (fixed.has(value)) {
        nudged.set(value, range);
        continue;
      }
      const producer = producers.get(value);
      const isWeight = weights.has(value) && producer !== undefined && hasTrait(producer, "ConstantLike");
      const scheme = isWeight ? weightScheme(target) : activationScheme(target, producer);
      const fixedRange = producer ? getOpDef(producer.name)?.fixedOutputRange : undefined;
      if (fixedRange) {
        // The spec defines these parameters on the full storage type.
        nudged.set(value, representedRange(fixedOutputParams(fixedRange, scheme.type), storageRange(scheme.type)));
        continue;
      }
      const plain = chooseQuantParams(range.min, range.max, scheme.range, { ...chooseOptions(scheme), powerOfTwo: false });
      const params = scheme.powerOfTwo ? chooseQuantParams(range.min, range.max, scheme.range, chooseOptions(scheme)) : plain;
      if (params.scale !== plain.scale) roundedToPowerOfTwo++;
      nudged.set(value, scheme.symmetric ? symmetricRange(params, scheme.range) : representedRange(params, scheme.range));
    }
    if (roundedToPowerOfTwo > 0) {
      ctx.decisions.push({ pass: "nudge-zero-point", kind: "scale-rounded", message: `rounded ${roundedToPowerOfTwo} scales up to powers of two (target ${target?.name})` });
    }
    return writeRanges(module, func, nudged);
  },
});

/**
 * The range a symmetric scheme's parameters stand for: ±(qmax − zp)·scale. Not the whole storage range
 * (i16 also holds −32768·scale): re-deriving symmetric parameters from [−32768·s, 32767·s] would give
 * 32768/32767·s, and on power-of-two targets 2·s; from ±32767·s it gives s again.
 */
function symmetricRange(params: { scale: number; zeroPoint: number }, range: { qmax: number }): { min: number; max: number } {
  const half = (range.qmax - params.zeroPoint) * params.scale;
  return { min: -half, max: half };
}

export function nudgeZeroPoint(options: { target?: string } = {}): Pass {
  return instantiatePass(nudgeZeroPointPass, options.target !== undefined ? { target: options.target } : {});
}
