/**
 * Applies many edits to a block in one pass over it (never a whole-module copy per edit, which would
 * make a pass O(n²)). Edits are recorded first, then `apply` builds the new block: replaced ops are
 * swapped, erased ops dropped, and operands remapped through replaced values (transitively). Ops that
 * change nothing are shared with the input.
 */
import type { Block, Module, Operation, Region, Value } from "./operation.js";
import { hasTrait } from "./opdef.js";

export class BlockRewriter {
  private readonly replacements = new Map<Operation, readonly Operation[]>();
  private readonly before = new Map<Operation, Operation[]>();
  private readonly valueMap = new Map<Value, Value>();

  /** Replaces `op` with `newOps`; uses of op's results become uses of `newValues` (default: the last new op's results). */
  replaceOp(op: Operation, newOps: readonly Operation[], newValues?: readonly Value[]): void {
    this.replacements.set(op, newOps);
    const values = newValues ?? newOps[newOps.length - 1]?.results ?? [];
    if (values.length !== op.results.length) {
      throw new Error(`replaceOp: ${op.name} has ${op.results.length} results but ${values.length} replacement values were given`);
    }
    op.results.forEach((r, i) => {
      if (r !== values[i]) this.valueMap.set(r, values[i]!);
    });
  }

  /** Removes an op; its results must have no remaining uses (or be replaced with `replaceAllUsesWith`). */
  eraseOp(op: Operation): void {
    this.replacements.set(op, []);
  }

  insertBefore(op: Operation, newOps: readonly Operation[]): void {
    const list = this.before.get(op);
    if (list) list.push(...newOps);
    else this.before.set(op, [...newOps]);
  }

  replaceAllUsesWith(from: Value, to: Value): void {
    if (from !== to) this.valueMap.set(from, to);
  }

  get hasEdits(): boolean {
    return this.replacements.size > 0 || this.before.size > 0 || this.valueMap.size > 0;
  }

  /** The value a use of `v` refers to after the edits. */
  lookup(v: Value): Value {
    let cur = v;
    for (let next = this.valueMap.get(cur); next !== undefined; next = this.valueMap.get(cur)) cur = next;
    return cur;
  }

  apply(block: Block): Block {
    if (!this.hasEdits) return block;
    const ops: Operation[] = [];
    let changed = false;
    for (const op of block.ops) {
      const pre = this.before.get(op);
      if (pre) {
        for (const p of pre) ops.push(this.remap(p));
        changed = true;
      }
      const replacement = this.replacements.get(op);
      if (replacement) {
        for (const r of replacement) ops.push(this.remap(r));
        changed = true;
        continue;
      }
      const remapped = this.remap(op);
      if (remapped !== op) changed = true;
      ops.push(remapped);
    }
    return changed ? { args: block.args, ops } : block;
  }

  /** The op with operands (and nested regions) remapped; the same object when nothing changes. */
  remap(op: Operation): Operation {
    let operands: Value[] | undefined;
    for (let i = 0; i < op.operands.length; i++) {
      const v = op.operands[i]!;
      const m = this.lookup(v);
      if (m !== v) {
        operands ??= [...op.operands];
        operands[i] = m;
      }
    }
    let regions: Region[] | undefined;
    op.regions.forEach((region, ri) => {
      const blocks = region.blocks.map((b) => this.apply(b));
      if (blocks.some((b, i) => b !== region.blocks[i])) {
        regions ??= [...op.regions];
        regions[ri] = { blocks };
      }
    });
    if (!operands && !regions) return op;
    return { ...op, operands: operands ?? op.operands, regions: regions ?? op.regions };
  }
}

/** Runs `fn` over the body of every `func.func` with a body; untouched functions are shared. */
export function mapFunctionBodies(module: Module, fn: (body: Block, func: Operation) => Block): Module {
  let changed = false;
  const ops = module.ops.map((op) => {
    if (op.name !== "func.func" || op.regions.length === 0 || op.regions[0]!.blocks.length === 0) return op;
    const region = op.regions[0]!;
    const blocks = region.blocks.map((b) => fn(b, op));
    if (blocks.every((b, i) => b === region.blocks[i])) return op;
    changed = true;
    return { ...op, regions: [{ blocks }, ...op.regions.slice(1)] };
  });
  return changed ? { ...module, ops } : module;
}

/** The op that produces each value of a list of ops. */
export function producerMap(ops: readonly Operation[]): Map<Value, Operation> {
  const m = new Map<Value, Operation>();
  for (const op of ops) for (const r of op.results) m.set(r, op);
  return m;
}

/** The ops that read each value, in program order. */
export function userMap(ops: readonly Operation[]): Map<Value, Operation[]> {
  const m = new Map<Value, Operation[]>();
  for (const op of ops) {
    for (const v of op.operands) {
      const list = m.get(v);
      if (list) list.push(op);
      else m.set(v, [op]);
    }
  }
  return m;
}

/** Counts the uses of every value in a list of ops (including nested regions). */
export function countUses(ops: readonly Operation[], counts = new Map<Value, number>()): Map<Value, number> {
  for (const op of ops) {
    for (const v of op.operands) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const r of op.regions) for (const b of r.blocks) countUses(b.ops, counts);
  }
  return counts;
}

/** A pure, region-free op with results: removable once nothing reads them. */
export function isRemovableWhenUnused(op: Operation): boolean {
  return op.results.length > 0 && op.regions.length === 0 && hasTrait(op, "Pure");
}

/**
 * `ops` without the ones `removable` accepts whose results nothing reads, swept back to front so that
 * chains of dead ops go at once. Returns `ops` itself when nothing is dropped.
 */
export function withoutDeadOps(ops: readonly Operation[], removable: (op: Operation) => boolean = isRemovableWhenUnused): readonly Operation[] {
  const uses = countUses(ops);
  const keep = new Array<boolean>(ops.length).fill(true);
  let dropped = false;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (!removable(op) || op.results.length === 0 || op.results.some((r) => (uses.get(r) ?? 0) > 0)) continue;
    keep[i] = false;
    dropped = true;
    for (const v of op.operands) uses.set(v, (uses.get(v) ?? 1) - 1);
  }
  return dropped ? ops.filter((_, i) => keep[i]) : ops;
}
