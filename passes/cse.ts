/**
 * `cse`: replaces a pure op with an earlier identical one (same name, operands, attributes and result
 * types), within a block and from enclosing blocks into nested regions.
 */
import type { Block, Operation, Value } from "../src/ir/operation.js";
import { BlockRewriter, mapFunctionBodies } from "../src/ir/rewriter.js";
import { hasTrait } from "../src/ir/opdef.js";
import { printAttrDict, printType } from "../src/syntax/printer.js";
import { registerPass, instantiatePass, type Pass } from "../src/pass/pass.js";

export const csePass = registerPass({
  name: "cse",
  displayName: "CSE",
  description: "Eliminate common sub-expressions among pure ops",
  options: {},
  run(module) {
    return mapFunctionBodies(module, (body) => cseBlock(body, new ValueIds(), undefined));
  },
});

export function cse(): Pass {
  return instantiatePass(csePass);
}

class ValueIds {
  private readonly ids = new Map<Value, number>();
  id(v: Value): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(v, id);
    }
    return id;
  }
}

class KnownOps {
  readonly map = new Map<string, Operation>();
  constructor(readonly parent: KnownOps | undefined) {}
  get(key: string): Operation | undefined {
    for (let s: KnownOps | undefined = this; s; s = s.parent) {
      const op = s.map.get(key);
      if (op) return op;
    }
    return undefined;
  }
}

function cseBlock(block: Block, ids: ValueIds, parent: KnownOps | undefined): Block {
  const rewriter = new BlockRewriter();
  const known = new KnownOps(parent);
  for (const op of block.ops) {
    if (op.regions.length > 0) {
      const regions = op.regions.map((r) => ({ blocks: r.blocks.map((b) => cseBlock(b, ids, known)) }));
      if (regions.some((r, i) => r.blocks.some((b, j) => b !== op.regions[i]!.blocks[j]))) {
        rewriter.replaceOp(op, [{ ...op, regions }], op.results);
      }
      continue;
    }
    if (!hasTrait(op, "Pure") || op.results.length === 0) continue;
    const key = opKey(op, ids, rewriter);
    const existing = known.get(key);
    if (existing) {
      rewriter.replaceOp(op, [], existing.results);
    } else {
      known.map.set(key, op);
    }
  }
  return rewriter.apply(block);
}

function opKey(op: Operation, ids: ValueIds, rewriter: BlockRewriter): string {
  const operands = op.operands.map((v) => ids.id(rewriter.lookup(v))).join(",");
  const results = op.results.map((r) => printType(r.type)).join(",");
  const props = op.properties ? printAttrDict(op.properties) : "";
  return `${op.name}(${operands})${props}${printAttrDict(op.attributes)}->${results}`;
}
