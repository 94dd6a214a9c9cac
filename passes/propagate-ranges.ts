/**
 * `propagate-ranges`: makes the recorded ranges consistent with what each op does, reading traits, not
 * op names — same-scale ops (reshape, transpose, max_pool, pad, concat) share one range (concat: the
 * union of its inputs, which keep their own ranges and are requantized to it), clamping ops tighten,
 * fixed-range ops (sigmoid, tanh, softmax) get the range of the quantization spec's fixed parameters,
 * and tensors without data get interval arithmetic.
 *
 * Values whose quantization the input IR fixed (quantization-aware training: the operand of a
 * `quant.qcast`, the result of a `quant.dcast`) are never changed; their `!quant.uniform` type gives
 * their range. Where such a value fixes a same-scale op's result, the op's unranged operands take its
 * range; an operand fixed to another type gets an explicit requantize (`quant.qcast` to the result's
 * type, then `quant.dcast`), as MLIR's QuantizationDriver inserts one where constraints conflict.
 * Iterates to a fixed point (the QuantizationDriver does the same with a worklist).
 */
import { producerMap } from "../src/ir/rewriter.js";
import type { Operation, Value, Module } from "../src/ir/operation.js";
import { getOpDef, hasTrait, type OpDef } from "../src/ir/opdef.js";
import { elementType, typeEquals, type UniformQuantType } from "../src/ir/types.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass, type PassContext } from "../src/pass/pass.js";
import { qdqPair } from "../src/quant/qdq.js";
import { constantData } from "../src/quant/constants.js";
import { readRanges, writeRanges, type Range } from "../src/quant/ranges.js";

export const propagateRangesPass = registerPass({
  name: "propagate-ranges",
  description: "Share ranges across same-scale ops, tighten through clamps, pin fixed-range ops, fill gaps by interval arithmetic",
  options: {},
  run(module, _options, ctx) {
    const func = entryFunction(module).func;
    const body = func.regions[0]!.blocks[0]!;
    const given = readRanges(func);
    const pinned = pinnedValues(body.ops);
    const ranges = new Map(given);
    for (const [v, p] of pinned) if (p.range) ranges.set(v, p.range);
    // Constants' values are their ranges: interval arithmetic reads them (x·2, x + bias), nothing records them.
    const constants = constantRanges(body.ops);
    for (const [v, r] of constants) if (!ranges.has(v)) ranges.set(v, r);
    const state: State = { ranges, given, settled: new Set([...given.keys(), ...constants.keys()]), pinned, requantize: new Map(), ctx, logged: new Map() };
    for (let round = 0; round < 16; round++) {
      let changed = false;
      for (const op of body.ops) if (propagate(op, state)) changed = true;
      if (!changed) break;
    }
    const rewritten = insertRequantizes(module, func, state.requantize);
    const writable = new Map([...ranges].filter(([v]) => !pinned.has(v) && !constants.has(v)));
    return writeRanges(rewritten.module, rewritten.func, writable);
  },
});

export function propagateRanges(): Pass {
  return instantiatePass(propagateRangesPass);
}

/** The [min, max] of every float constant's values. */
function constantRanges(ops: readonly Operation[]): Map<Value, Range> {
  const producers = producerMap(ops);
  const out = new Map<Value, Range>();
  for (const op of ops) {
    if (op.results.length !== 1) continue;
    const c = constantData(op.results[0]!, producers);
    if (!c || c.data.length === 0) continue;
    let min = Infinity;
    let max = -Infinity;
    for (const x of c.data) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (Number.isFinite(min) && Number.isFinite(max)) out.set(op.results[0]!, { min, max });
  }
  return out;
}

/** A value whose quantization the input IR fixed: its type, and the range it represents when per-tensor. */
interface Pinned {
  readonly type: UniformQuantType | undefined;
  readonly range: Range | undefined;
}

interface State {
  readonly ranges: Map<Value, Range>;
  /** Ranges the input recorded (calibration, or written by hand). */
  readonly given: ReadonlyMap<Value, Range>;
  /** Values whose range is a fact, not derived: interval arithmetic never replaces it. */
  readonly settled: Set<Value>;
  readonly pinned: ReadonlyMap<Value, Pinned>;
  /** Per op, the operands to requantize: operand index → the type to requantize to. */
  readonly requantize: Map<Operation, Map<number, UniformQuantType>>;
  readonly ctx: PassContext;
  /** Decisions already logged per op (the rounds revisit every op). */
  readonly logged: Map<Operation, Set<string>>;
}

/** QAT `qcast`/`dcast` pairs: the float value cast by a `quant.qcast` and the result of a `quant.dcast`. */
function pinnedValues(ops: readonly Operation[]): Map<Value, Pinned> {
  const pinned = new Map<Value, Pinned>();
  const pin = (v: Value, quantized: Value): void => {
    if (pinned.has(v)) return;
    const t = elementType(quantized.type);
    const q = t.kind === "quant.uniform" && t.scales.length === 1 ? t : undefined;
    // real = (q − zp)·scale over the storage range: TF's nudged [min, max] of these parameters.
    const range = q ? { min: (q.storageMin - q.zeroPoints[0]!) * q.scales[0]!, max: (q.storageMax - q.zeroPoints[0]!) * q.scales[0]! } : undefined;
    pinned.set(v, { type: q, range });
  };
  for (const op of ops) {
    if (op.name === "quant.qcast") pin(op.operands[0]!, op.results[0]!);
    if (op.name === "quant.dcast") pin(op.results[0]!, op.operands[0]!);
  }
  return pinned;
}

/** The quantization spec's fixed output ranges, as real ranges whose int8 parameters are exactly 1/256, zp −128 ([0,1) ops) or 1/128, zp 0 ([−1,1) ops). */
function specRange(r: { min: number; max: number }): Range {
  return r.min < 0 ? { min: -1, max: 127 / 128 } : { min: 0, max: 255 / 256 };
}

function same(a: Range | undefined, b: Range | undefined): boolean {
  return a !== undefined && b !== undefined && a.min === b.min && a.max === b.max;
}

function hull(rs: readonly Range[]): Range {
  return { min: Math.min(...rs.map((r) => r.min)), max: Math.max(...rs.map((r) => r.max)) };
}

function intersect(a: Range, b: Range): Range | undefined {
  const r = { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
  return r.min <= r.max ? r : undefined;
}

function update(s: State, v: Value, next: Range | undefined): boolean {
  if (!next || !Number.isFinite(next.min) || !Number.isFinite(next.max) || same(s.ranges.get(v), next)) return false;
  s.ranges.set(v, next);
  return true;
}

/** An unranged, unpinned value takes `range` as a fact (backward through a same-scale op). */
function adopt(s: State, v: Value, range: Range): boolean {
  if (s.ranges.has(v) || s.pinned.has(v)) return false;
  s.ranges.set(v, range);
  s.settled.add(v);
  return true;
}

/** Logs a decision once per op and key. */
function decide(s: State, op: Operation, key: string, kind: string, message: string): void {
  let keys = s.logged.get(op);
  if (!keys) s.logged.set(op, (keys = new Set()));
  if (keys.has(key)) return;
  keys.add(key);
  s.ctx.decisions.push({ pass: "propagate-ranges", kind, op: op.name, message });
}

function propagate(op: Operation, s: State): boolean {
  if (op.results.length !== 1) return false;
  const def = getOpDef(op.name);
  if (!def) return false;
  if (hasTrait(op, "SameOperandsAndResultScale")) return shareScale(op, s);
  const result = op.results[0]!;
  if (s.pinned.has(result)) return false;
  if (def.fixedOutputRange) return update(s, result, specRange(def.fixedOutputRange));
  if (hasTrait(op, "RangeClamp")) return update(s, result, tighten(op, def, s));
  if (s.settled.has(result) || !def.inferRange) return false;
  // No data for this tensor: interval arithmetic on its operands, recomputed each round as they settle.
  const next = def.inferRange(op.operands.map((v) => s.ranges.get(v)), op);
  if (next && !s.ranges.has(result)) decide(s, op, "interval", "interval", `${op.name}: no calibration data; range [${next.min}, ${next.max}] by interval arithmetic`);
  return update(s, result, next);
}

/**
 * A clamping op's result lies in its clamp interval and in the clamp of its input's range; a range the
 * input recorded for the result is intersected with both, so a clamp only ever tightens.
 */
function tighten(op: Operation, def: OpDef, s: State): Range | undefined {
  const input = s.ranges.get(op.operands[0]!);
  const own = s.given.get(op.results[0]!);
  const fromInput = input ? def.inferRange?.([input], op) : undefined;
  const fromOwn = own ? def.inferRange?.([own], op) : undefined;
  if (fromOwn && fromInput) return intersect(fromOwn, fromInput) ?? fromOwn;
  return fromOwn ?? fromInput;
}

/** Same-scale ops: one range for operands and result. */
function shareScale(op: Operation, s: State): boolean {
  const result = op.results[0]!;
  const fixed = s.pinned.get(result);
  if (fixed) return shareFixedScale(op, fixed, s);
  const inputs = op.operands.map((v) => s.ranges.get(v));
  if (inputs.length > 0 && inputs.every((r): r is Range => r !== undefined)) {
    const next = hull(inputs);
    if (inputs.some((r) => !same(r, next))) {
      decide(s, op, "union", "requantize-inputs", `${op.name}: inputs with different ranges share the union [${next.min}, ${next.max}]; they keep their own ranges and are requantized to it (hw.rescale when lowered)`);
    }
    return update(s, result, next);
  }
  // Backward: operands without a range take the result's.
  const current = s.ranges.get(result);
  let changed = false;
  if (current) for (const v of op.operands) if (adopt(s, v, current)) changed = true;
  return changed;
}

/**
 * The input IR fixed the result's quantization: operands without a range take it; an operand fixed to
 * another type is requantized to the result's type by an inserted `qcast`/`dcast` pair; an operand with
 * a range of its own keeps it, and the result's `quant.qcast` requantizes.
 */
function shareFixedScale(op: Operation, fixed: Pinned, s: State): boolean {
  if (!fixed.range || !fixed.type) return false;
  let changed = false;
  op.operands.forEach((v, i) => {
    const have = s.ranges.get(v);
    if (!have) {
      if (adopt(s, v, fixed.range!)) changed = true;
      return;
    }
    const pin = s.pinned.get(v);
    if (pin?.type) {
      if (typeEquals(pin.type, fixed.type!)) return;
      let plan = s.requantize.get(op);
      if (!plan) s.requantize.set(op, (plan = new Map()));
      if (plan.has(i)) return;
      plan.set(i, fixed.type!);
      decide(s, op, `requantize #${i}`, "requantize", `${op.name}: operand #${i} and the result are fixed at different quantizations; the operand is requantized to the result's type (inserted quant.qcast/quant.dcast)`);
      return;
    }
    if (!same(have, fixed.range)) {
      decide(s, op, `keep #${i}`, "requantize-inputs", `${op.name}: operand #${i} keeps its range [${have.min}, ${have.max}]; the result's fixed quantization requantizes it`);
    }
  });
  return changed;
}

/** Inserts the recorded requantizes: `quant.qcast` of the operand to the new type, `quant.dcast` back, before the op. */
function insertRequantizes(module: Module, func: Operation, requantize: ReadonlyMap<Operation, ReadonlyMap<number, UniformQuantType>>): { module: Module; func: Operation } {
  if (requantize.size === 0) return { module, func };
  const body = func.regions[0]!.blocks[0]!;
  const ops: Operation[] = [];
  for (const op of body.ops) {
    const plan = requantize.get(op);
    if (!plan) {
      ops.push(op);
      continue;
    }
    const operands = [...op.operands];
    for (const [i, type] of plan) {
      const pair = qdqPair(op.operands[i]!, type, op.loc);
      ops.push(...pair.ops);
      operands[i] = pair.dequantized;
    }
    ops.push({ ...op, operands });
  }
  const newFunc: Operation = { ...func, regions: [{ blocks: [{ args: body.args, ops }, ...func.regions[0]!.blocks.slice(1)] }] };
  return { module: { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) }, func: newFunc };
}
