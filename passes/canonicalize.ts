/**
 * `canonicalize`: folds ops whose operands are constants through their definitions' `fold`, and removes
 * pure ops whose results are unused, repeating until nothing changes (or `max-iterations`).
 */
import type { Attribute } from "../src/ir/attributes.js";
import type { Block, Operation, Value } from "../src/ir/operation.js";
import { BlockRewriter, mapFunctionBodies, withoutDeadOps } from "../src/ir/rewriter.js";
import { constantValue, dialectOf, getOpDef, hasTrait, materializeConstant } from "../src/ir/opdef.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";

export const canonicalizePass = registerPass({
  name: "canonicalize",
  displayName: "Canonicalizer",
  description: "Fold constant expressions through op folds and remove dead pure ops",
  options: {
    "max-iterations": { type: "int", default: 10, description: "Stop after this many rounds over the IR" },
  },
  run(module, options) {
    const max = Number(options["max-iterations"] ?? 10);
    let current = module;
    for (let i = 0; i < max; i++) {
      const next = mapFunctionBodies(current, (body) => canonicalizeBlock(body));
      if (next === current) break;
      current = next;
    }
    return current;
  },
});

export function canonicalize(options: { maxIterations?: number } = {}): Pass {
  return instantiatePass(canonicalizePass, options.maxIterations !== undefined ? { "max-iterations": options.maxIterations } : {});
}

function canonicalizeBlock(block: Block): Block {
  const folded = foldBlock(block);
  return removeDeadOps(folded);
}

function foldBlock(block: Block): Block {
  const rewriter = new BlockRewriter();
  const constants = new Map<Value, Attribute>();
  for (const op of block.ops) {
    const value = constantValue(op);
    if (value !== undefined && op.results.length === 1) {
      constants.set(op.results[0]!, value);
      continue;
    }
    const def = getOpDef(op.name);
    if (!def?.fold || !hasTrait(op, "Pure") || op.regions.length > 0) continue;
    const operandConstants = op.operands.map((v) => constants.get(rewriter.lookup(v)));
    const result = def.fold(op, { constants: operandConstants });
    if (!result || result.length !== op.results.length) continue;
    const newOps: Operation[] = [];
    for (let i = 0; i < result.length; i++) {
      const c = materializeConstant(dialectOf(op.name), result[i]!, op.results[i]!.type, op.loc);
      if (!c) break;
      newOps.push(c);
    }
    if (newOps.length !== result.length) continue;
    rewriter.replaceOp(op, newOps, newOps.map((o) => o.results[0]!));
    newOps.forEach((o, i) => constants.set(o.results[0]!, result[i]!));
  }
  return rewriter.apply(block);
}

/** Drops pure, region-free ops with unused results. */
function removeDeadOps(block: Block): Block {
  const ops = withoutDeadOps(block.ops);
  return ops === block.ops ? block : { args: block.args, ops };
}
