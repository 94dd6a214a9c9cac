/**
 * `fuse{target=…}`: conv / depthwise / fully connected / matmul + bias + relu / relu6 / clamp, and
 * add / sub / mul + activation, into one op — only the patterns the target lists (all of them without a
 * target). A separate `float.add` of a per-channel constant becomes the op's bias; a following
 * activation becomes its `act` attribute. Each fusion, and each one the target refuses, is logged.
 */
import type { Operation, Value } from "../src/ir/operation.js";
import { floatAttr } from "../src/ir/attr-access.js";
import { hasTrait } from "../src/ir/opdef.js";
import { countUses, mapFunctionBodies, producerMap } from "../src/ir/rewriter.js";
import { registerPass, instantiatePass, type Pass, type PassContext } from "../src/pass/pass.js";
import { constantData } from "../src/quant/constants.js";
import { loadTarget } from "../src/target/load.js";
import type { Target } from "../src/target/types.js";
import { supportsFusion } from "../src/target/queries.js";
import type { FusionPattern } from "../src/target/types.js";
import type { Attribute } from "../src/ir/attributes.js";
import { attr } from "../src/ir/attr-access.js";

const activationOf: Record<string, "relu" | "relu6" | "clamp"> = { "float.relu": "relu", "float.relu6": "relu6", "float.clamp": "clamp" };

export const fusePass = registerPass({
  name: "fuse",
  description: "Fuse conv/fc/matmul + bias + relu/relu6/clamp and add/sub/mul + activation, as the target allows",
  options: {
    target: { type: "string", description: "Target descriptor whose fusions to apply (default: all)" },
  },
  run(module, options, ctx) {
    const target = typeof options["target"] === "string" ? loadTarget(options["target"]) : undefined;
    return mapFunctionBodies(module, (block) => {
      const fused = fuseBlock(block.ops, target, ctx);
      return fused ? { args: block.args, ops: fused } : block;
    });
  },
});

export function fuse(options: { target?: string } = {}): Pass {
  return instantiatePass(fusePass, options.target !== undefined ? { target: options.target } : {});
}

function allowed(target: Target | undefined, pattern: string, ctx: PassContext, op: Operation): boolean {
  if (!target) return true;
  if (supportsFusion(target, pattern as FusionPattern)) return true;
  ctx.decisions.push({ pass: "fuse", kind: "not-fused", op: op.name, message: `${pattern}: not fused, target ${target.name} does not list it` });
  return false;
}

function fuseBlock(ops: readonly Operation[], target: Target | undefined, ctx: PassContext): Operation[] | undefined {
  const producers = producerMap(ops);
  const uses = countUses(ops);
  // Current version of each op (fused ops replace their producer); values that now come from another op.
  const current = new Map<Operation, Operation>();
  const replaced = new Map<Value, Value>();
  const removed = new Set<Operation>();
  // A fused op moves to where its last absorbed consumer stood, after every operand it absorbed.
  const placeAt = new Map<Operation, Operation>();
  const moved = new Set<Operation>();
  let changed = false;
  const latest = (op: Operation): Operation => current.get(op) ?? op;
  const moveTo = (producer: Operation, consumer: Operation): void => {
    for (const [at, p] of placeAt) if (p === producer) placeAt.delete(at);
    placeAt.set(consumer, producer);
    moved.add(producer);
  };
  const resolve = (v: Value): Value => {
    let cur = v;
    for (let next = replaced.get(cur); next !== undefined; next = replaced.get(cur)) cur = next;
    return cur;
  };
  for (const op of ops) {
    const input = op.operands[0];
    // An absorbed op's result now comes from the op that absorbed it: fusion chains (bias, then relu).
    const producer = input ? producers.get(resolve(input)) : undefined;
    if (!producer || uses.get(input!) !== 1 || removed.has(producer)) continue;
    const base = latest(producer);
    const kind = base.name.slice(base.name.indexOf(".") + 1);
    // bias: float.add(weighted op, per-channel constant) → the op's bias operand
    if (op.name === "float.add" && hasTrait(base, "WeightedOp") && base.operands.length === 2 && base.attributes["act"] === undefined) {
      const bias = constantData(op.operands[1]!, producers);
      const outType = base.results[0]!.type;
      const channels = outType.kind === "tensor" && outType.shape ? outType.shape[outType.shape.length - 1] : undefined;
      if (bias && bias.shape.length === 1 && bias.shape[0] === channels && allowed(target, `${kind}+bias`, ctx, base)) {
        current.set(producer, { ...base, operands: [...base.operands, op.operands[1]!] });
        replaced.set(op.results[0]!, producer.results[0]!);
        removed.add(op);
        moveTo(producer, op);
        changed = true;
        ctx.decisions.push({ pass: "fuse", kind: "fused", op: base.name, message: `${kind}+bias` });
        continue;
      }
    }
    const act = activationOf[op.name];
    if (!act || base.attributes["act"] !== undefined) continue;
    const weighted = hasTrait(base, "WeightedOp");
    const elementwise = base.name === "float.add" || base.name === "float.sub" || base.name === "float.mul";
    if (!weighted && !elementwise) continue;
    const pattern = weighted ? `${kind}+bias+${act}` : `${kind}+${act}`;
    if (!allowed(target, pattern, ctx, base)) continue;
    const attrs: Record<string, Attribute> = { ...base.attributes, act: attr.str(act) };
    if (act === "clamp") {
      attrs["act_min"] = attr.f64(floatAttr(op, "min", -Infinity));
      attrs["act_max"] = attr.f64(floatAttr(op, "max", Infinity));
    }
    // The fused op takes the activation's result values' place, so later users see no change.
    current.set(producer, { ...base, attributes: attrs });
    replaced.set(op.results[0]!, producer.results[0]!);
    removed.add(op);
    moveTo(producer, op);
    changed = true;
    ctx.decisions.push({ pass: "fuse", kind: "fused", op: base.name, message: pattern });
  }
  if (!changed) return undefined;
  const out: Operation[] = [];
  for (const op of ops) {
    const here = placeAt.get(op);
    const next = here ?? (removed.has(op) || moved.has(op) ? undefined : op);
    if (!next) continue;
    const o = latest(next);
    const operands = o.operands.map(resolve);
    out.push(operands.every((v, i) => v === o.operands[i]) ? o : { ...o, operands });
  }
  return out;
}
