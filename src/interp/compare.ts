/**
 * Numerical comparison of two programs on the same inputs — the per-layer "which layer broke accuracy"
 * debugger (as TFLite's QuantizationDebugger, ORT's qdq_loss_debug and PyTorch's numeric debugger).
 *
 * Program A is the reference, B the one under test. Outputs are compared by position. With `perLayer`,
 * tensors are matched between the programs:
 * 1. by op location: `file:line:col` (file compared by base name, since passes keep the original op's
 *    location and a printed program may name its source differently), or a name location
 *    (`loc("conv1")`, as ONNX import writes). Among several B ops at one location, one of the same op
 *    kind wins, else the last (an op expanded into several ends in the one that makes its value);
 * 2. else by a `qopt.name` attribute;
 * 3. else by order among the remaining ops of the same kind (`conv2d` matches `float.conv2d` and
 *    `hw.conv2d`), for ops whose locations the other program does not mention.
 * When B fused ops into a matched op (conv + bias add + relu, conv + batch norm), A's unmatched
 * single-use chain after the op (taking nothing but constants besides) is what B's op computes: the row
 * compares the chain's last tensor and lists the chain in `fused`.
 * In a quantized program the compared tensor is the dequantized one: the `quant.dcast` result that
 * follows the matched op's `quant.qcast` (QDQ form), or the op's quantized result dequantized.
 * Metrics: SQNR = 10·log10(Σ a² / Σ (a − b)²) in dB (∞ when identical), max and mean absolute error,
 * and for rank-2 tensors [N, classes] top-1 agreement (% of rows whose argmax agrees).
 */
import { userMap } from "../ir/rewriter.js";
import { basename } from "node:path";
import type { Module, Operation, Value } from "../ir/operation.js";
import { getAttr } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import { resolveLocation } from "../ir/location.js";
import type { Type, UniformQuantType } from "../ir/types.js";
import { dequantizeTensor } from "../../dialects/quant/quantize-tensor.js";
import { entryFunction, interpret, InterpreterError, type FunctionSignature } from "./interpreter.js";
import type { Tensor } from "./tensor.js";

export class CompareError extends Error {
  override name = "CompareError";
}

export interface TensorError {
  /** Signal-to-quantization-noise ratio in dB, A as the signal: Infinity when B equals A. */
  readonly sqnrDb: number;
  readonly maxAbsError: number;
  readonly meanAbsError: number;
  /** Rank-2 [N, classes] tensors only: % of the N rows whose argmax agrees. */
  readonly top1Agreement?: number;
  readonly elements: number;
}

export interface OutputComparison extends TensorError {
  readonly index: number;
  /** A's name for the output (`qopt.name`, else `output_N`). */
  readonly name: string;
  readonly shape: readonly number[];
}

export type MatchKind = "location" | "name" | "order";

export interface LayerComparison extends TensorError {
  /** A's op (e.g. `float.conv2d`) and its location, the row's label. */
  readonly op: string;
  readonly location: string | undefined;
  /** B's op matched to it. */
  readonly opB: string;
  readonly locationB: string | undefined;
  readonly matchedBy: MatchKind;
  /** Result number, for ops with several results. */
  readonly result: number;
  /** A's ops after `op` that B fused into its op (e.g. `float.add`, `float.relu`): the row compares the last one's tensor. */
  readonly fused?: readonly string[];
  readonly shape: readonly number[];
}

export interface UnmatchedLayer {
  readonly op: string;
  readonly location: string | undefined;
  readonly reason: string;
}

export interface ModuleComparison {
  readonly outputs: readonly OutputComparison[];
  /** With `perLayer`: matched tensors, worst SQNR first (NaN before everything, ties in A's op order). */
  readonly layers?: readonly LayerComparison[];
  /** With `perLayer`: A's ops without a comparable tensor in B. */
  readonly unmatched?: readonly UnmatchedLayer[];
}

export interface CompareOptions {
  readonly perLayer?: boolean;
  /** Function to run in both programs (default `main`, else the first public one). */
  readonly function?: string;
  /** What to call the programs in errors (default "A" and "B"; the CLI passes the file names). */
  readonly names?: readonly [string, string];
}

/** Runs A and B on the same inputs and compares their outputs (and, with `perLayer`, matching tensors). */
export function compareModules(a: Module, b: Module, inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>, options: CompareOptions = {}): ModuleComparison {
  const names = options.names ?? ["A", "B"];
  const [A, B] = names;
  const sigA = entryFunction(a, options.function);
  const sigB = entryFunction(b, options.function);
  const [inA, inB] = inputsFor(sigA, sigB, inputs, names);
  const bodyA = sigA.func.regions[0]!.blocks[0]!;
  const bodyB = sigB.func.regions[0]!.blocks[0]!;
  const retA = bodyA.ops[bodyA.ops.length - 1]!;
  const retB = bodyB.ops[bodyB.ops.length - 1]!;
  if (retA.operands.length !== retB.operands.length) {
    throw new CompareError(`the programs have different outputs: ${A} returns ${retA.operands.length} (${sigA.outputNames.join(", ")}), ${B} returns ${retB.operands.length} (${sigB.outputNames.join(", ")})`);
  }
  const pairs = options.perLayer ? matchLayers(bodyA.ops, bodyB.ops) : { matched: [], unmatched: [] };
  const wantA = new Set(pairs.matched.map((p) => p.valueA));
  const wantB = new Set(pairs.matched.map((p) => p.valueB));
  const seenA = new Map<Value, Tensor>();
  const seenB = new Map<Value, Tensor>();
  const fn = options.function !== undefined ? { function: options.function } : {};
  const run = (which: 0 | 1, module: Module, inputs: Tensor[] | Record<string, Tensor>, want: Set<Value>, seen: Map<Value, Tensor>): Tensor[] => {
    try {
      return interpret(module, inputs, { ...fn, ...(want.size ? { onValue: (v: Value, t: Tensor) => void (want.has(v) && seen.set(v, t)) } : {}) });
    } catch (e) {
      if (e instanceof InterpreterError) throw new InterpreterError(`${names[which]}: ${e.message}`);
      throw e;
    }
  };
  const outA = run(0, a, inA, wantA, seenA);
  const outB = run(1, b, inB, wantB, seenB);

  const outputs = outA.map((ta, i): OutputComparison => {
    const tb = outB[i]!;
    const name = sigA.outputNames[i] ?? `output_${i}`;
    if (!sameShape(ta.shape, tb.shape)) {
      throw new CompareError(`output ${i} '${name}': ${A} gives shape [${ta.shape.join(", ")}], ${B} gives [${tb.shape.join(", ")}]`);
    }
    return { index: i, name, shape: ta.shape, ...tensorError(realValues(ta, retA.operands[i]!.type), realValues(tb, retB.operands[i]!.type), ta.shape) };
  });
  if (!options.perLayer) return { outputs };

  const layers: (LayerComparison & { order: number })[] = [];
  const unmatched: UnmatchedLayer[] = [...pairs.unmatched];
  for (const p of pairs.matched) {
    const ta = seenA.get(p.valueA);
    const tb = seenB.get(p.valueB);
    const label = { op: p.opA.name, location: locationKey(p.opA)?.display };
    if (!ta || !tb) {
      unmatched.push({ ...label, reason: "not computed by the run" });
      continue;
    }
    if (!sameShape(ta.shape, tb.shape)) {
      unmatched.push({ ...label, reason: `shape [${ta.shape.join(", ")}] in ${A}, [${tb.shape.join(", ")}] in ${B} (${p.opB.name})` });
      continue;
    }
    const err = tensorError(realValues(ta, p.valueA.type), realValues(tb, p.valueB.type), ta.shape);
    const fused = p.fused.length > 0 ? { fused: p.fused } : {};
    layers.push({ ...label, opB: p.opB.name, locationB: locationKey(p.opB)?.display, matchedBy: p.by, result: p.result, ...fused, shape: ta.shape, ...err, order: p.order });
  }
  layers.sort((x, y) => worseFirst(x.sqnrDb, y.sqnrDb) || x.order - y.order);
  return { outputs, layers: layers.map(({ order: _order, ...row }) => row), unmatched };
}

function worseFirst(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function inputsFor(sigA: FunctionSignature, sigB: FunctionSignature, inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>, [A, B]: readonly [string, string]): [Tensor[], Tensor[] | Record<string, Tensor>] {
  const countA = sigA.inputNames.length;
  const countB = sigB.inputNames.length;
  if (countA !== countB) {
    throw new CompareError(`the programs take different inputs: ${A} takes ${countA} (${sigA.inputNames.join(", ")}), ${B} takes ${countB} (${sigB.inputNames.join(", ")})`);
  }
  if (Array.isArray(inputs)) return [[...inputs], [...inputs]];
  const named = inputs as Readonly<Record<string, Tensor>>;
  const ordered = sigA.inputNames.map((n) => {
    const t = named[n];
    if (!t) throw new CompareError(`missing input '${n}' (${A} takes ${sigA.inputNames.join(", ")})`);
    return t;
  });
  // B by name when it has A's input names (in any order), else by position.
  const sameNames = sigA.inputNames.every((n) => sigB.inputNames.includes(n));
  return [ordered, sameNames ? Object.fromEntries(sigA.inputNames.map((n, i) => [n, ordered[i]!])) : ordered];
}

// ---------------------------------------------------------------------------------------------------
// Metrics

/** Error of `test` against the reference `ref` (same length), with top-1 agreement for rank-2 shapes. */
export function tensorError(ref: ArrayLike<number>, test: ArrayLike<number>, shape?: readonly number[]): TensorError {
  if (ref.length !== test.length) throw new CompareError(`cannot compare ${ref.length} values with ${test.length}`);
  let signal = 0;
  let noise = 0;
  let maxAbs = 0;
  let sumAbs = 0;
  let nan = false;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = r - test[i]!;
    if (Number.isNaN(d)) {
      // Equal NaNs (or infinities) agree; anything else involving NaN is no comparison at all.
      if (!Object.is(r, test[i]!)) nan = true;
      continue;
    }
    signal += r * r;
    noise += d * d;
    const ad = Math.abs(d);
    if (ad > maxAbs) maxAbs = ad;
    sumAbs += ad;
  }
  const sqnrDb = nan ? NaN : noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise);
  const result: TensorError = { sqnrDb, maxAbsError: nan ? NaN : maxAbs, meanAbsError: nan ? NaN : ref.length ? sumAbs / ref.length : 0, elements: ref.length };
  if (shape && shape.length === 2 && shape[1]! >= 2 && shape[0]! >= 1) return { ...result, top1Agreement: top1(ref, test, shape[0]!, shape[1]!) };
  return result;
}

function argmax(v: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[start + k]! > v[start + best]!) best = k;
  return best;
}

function top1(ref: ArrayLike<number>, test: ArrayLike<number>, rows: number, classes: number): number {
  let agree = 0;
  for (let r = 0; r < rows; r++) if (argmax(ref, r * classes, classes) === argmax(test, r * classes, classes)) agree++;
  return (100 * agree) / rows;
}

function quantElement(t: Type): UniformQuantType | undefined {
  const e = t.kind === "tensor" || t.kind === "vector" ? t.element : t;
  return e.kind === "quant.uniform" ? e : undefined;
}

/** A tensor's real values: quantized tensors dequantized with their type's parameters. */
function realValues(t: Tensor, type: Type): Float64Array {
  const q = quantElement(type);
  const src = q ? dequantizeTensor(t, q, "f32") : t;
  const out = new Float64Array(src.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(src.data[i]!);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Matching

interface LocationKey {
  /** Compared between programs. */
  readonly key: string;
  /** Shown to people. */
  readonly display: string;
}

function locationKey(op: Operation): LocationKey | undefined {
  const l = resolveLocation(op.loc);
  if (l) return { key: `${basename(l.file)}:${l.line}:${l.col}`, display: `${l.file}:${l.line}:${l.col}` };
  if (op.loc.kind === "opaque") return { key: op.loc.text, display: op.loc.text };
  return undefined;
}

const opKind = (name: string): string => name.slice(name.indexOf(".") + 1);

function qoptName(op: Operation): string | undefined {
  const a = getAttr(op, "qopt.name");
  return a && a.kind === "string" ? a.value : undefined;
}

/** Ops whose results are layers: not constants, not quant casts, not the terminator. */
function isLayer(op: Operation): boolean {
  return op.results.length > 0 && !hasTrait(op, "ConstantLike") && !op.name.startsWith("quant.") && op.name !== "func.return";
}

/**
 * The value to compare for `v`: in QDQ form the `quant.dcast` of its `quant.qcast` (the tensor the
 * next op really sees), for a quantized value its `quant.dcast` if there is one; otherwise `v`.
 */
function observedValue(v: Value, users: ReadonlyMap<Value, readonly Operation[]>): Value {
  const viaCast = (from: Value, cast: string): Value | undefined => users.get(from)?.find((u) => u.name === cast)?.results[0];
  if (quantElement(v.type)) return viaCast(v, "quant.dcast") ?? v;
  const q = viaCast(v, "quant.qcast");
  return (q && viaCast(q, "quant.dcast")) ?? v;
}

interface LayerPair {
  readonly opA: Operation;
  readonly opB: Operation;
  readonly valueA: Value;
  readonly valueB: Value;
  readonly result: number;
  readonly by: MatchKind;
  readonly order: number;
  readonly fused: readonly string[];
}

/**
 * The single-user chain after `op` in A whose ops have no partner in B and take nothing else but
 * constants: what B fused into its op (conv → add bias → relu, conv → batch_norm).
 */
function fusedTail(op: Operation, partner: ReadonlyMap<Operation, unknown>, users: ReadonlyMap<Value, readonly Operation[]>, producers: ReadonlyMap<Value, Operation>): Operation[] {
  const tail: Operation[] = [];
  let cur = op;
  while (cur.results.length === 1) {
    const v = cur.results[0]!;
    const next = users.get(v);
    if (!next || next.length !== 1) break;
    const u = next[0]!;
    if (partner.has(u) || !isLayer(u) || u.results.length !== 1) break;
    const onlyConstants = u.operands.every((x) => x === v || (producers.get(x) !== undefined && hasTrait(producers.get(x)!, "ConstantLike")));
    if (!onlyConstants) break;
    tail.push(u);
    cur = u;
  }
  return tail;
}

/** Pairs A's layers with B's (see the file comment for the order of the rules). */
function matchLayers(opsA: readonly Operation[], opsB: readonly Operation[]): { matched: LayerPair[]; unmatched: UnmatchedLayer[] } {
  const layersA = opsA.filter(isLayer);
  const layersB = opsB.filter(isLayer);
  const usedB = new Set<Operation>();
  const partner = new Map<Operation, { op: Operation; by: MatchKind }>();

  const byLocation = new Map<string, Operation[]>();
  for (const op of layersB) {
    const k = locationKey(op)?.key;
    if (k === undefined) continue;
    const list = byLocation.get(k);
    if (list) list.push(op);
    else byLocation.set(k, [op]);
  }
  for (const op of layersA) {
    const k = locationKey(op)?.key;
    const candidates = k === undefined ? undefined : byLocation.get(k)?.filter((c) => !usedB.has(c));
    if (!candidates || candidates.length === 0) continue;
    const chosen = candidates.find((c) => opKind(c.name) === opKind(op.name)) ?? candidates[candidates.length - 1]!;
    usedB.add(chosen);
    partner.set(op, { op: chosen, by: "location" });
  }

  const byName = new Map<string, Operation>();
  for (const op of layersB) {
    const n = qoptName(op);
    if (n !== undefined && !byName.has(n)) byName.set(n, op);
  }
  for (const op of layersA) {
    if (partner.has(op)) continue;
    const n = qoptName(op);
    const c = n === undefined ? undefined : byName.get(n);
    if (c && !usedB.has(c)) {
      usedB.add(c);
      partner.set(op, { op: c, by: "name" });
    }
  }

  // Order only pairs ops the locations say nothing about: A ops whose location B never mentions with
  // B ops whose location is not in A (a B printed without locations, or built another way).
  const keysA = new Set(layersA.map((op) => locationKey(op)?.key).filter((k) => k !== undefined));
  const restB = new Map<string, Operation[]>();
  for (const op of layersB) {
    const k = locationKey(op)?.key;
    if (usedB.has(op) || (k !== undefined && keysA.has(k))) continue;
    const list = restB.get(opKind(op.name));
    if (list) list.push(op);
    else restB.set(opKind(op.name), [op]);
  }
  for (const op of layersA) {
    const k = locationKey(op)?.key;
    if (partner.has(op) || (k !== undefined && byLocation.has(k))) continue;
    const c = restB.get(opKind(op.name))?.shift();
    if (c) {
      usedB.add(c);
      partner.set(op, { op: c, by: "order" });
    }
  }

  const usersA = userMap(opsA);
  const usersB = userMap(opsB);
  const producersA = new Map<Value, Operation>();
  for (const op of opsA) for (const r of op.results) producersA.set(r, op);
  // Ops of A that B fused into a matched op (bias add, activation, folded batch norm): the matched
  // B op computes the end of that chain, so that is what it is compared with.
  const tails = new Map<Operation, Operation[]>();
  const absorbed = new Set<Operation>();
  for (const [op, p] of partner) {
    if (p.by === "order") continue;
    const tail = fusedTail(op, partner, usersA, producersA);
    if (tail.length === 0) continue;
    tails.set(op, tail);
    for (const t of tail) absorbed.add(t);
  }
  const matched: LayerPair[] = [];
  const unmatched: UnmatchedLayer[] = [];
  layersA.forEach((op, order) => {
    if (absorbed.has(op)) return;
    const p = partner.get(op);
    if (!p) {
      unmatched.push({ op: op.name, location: locationKey(op)?.display, reason: "no op in B at its location, with its qopt.name, or of its kind left" });
      return;
    }
    const tail = tails.get(op) ?? [];
    const end = tail.length > 0 ? tail[tail.length - 1]! : op;
    const n = Math.min(end.results.length, p.op.results.length);
    for (let i = 0; i < n; i++) {
      matched.push({ opA: op, opB: p.op, valueA: observedValue(end.results[i]!, usersA), valueB: observedValue(p.op.results[i]!, usersB), result: i, by: p.by, order, fused: tail.map((t) => t.name) });
    }
  });
  return { matched, unmatched };
}
