/**
 * Per-op quantization sensitivity, the first half of mixed precision (AIMET's AMP: per-layer
 * sensitivity → Pareto curve → choice under a budget). For each op the target can run and each type
 * pair the target allows it, `analyze-sensitivity` quantizes that op alone and measures the model
 * output's SQNR and MSE against float. This file holds what both passes share: the candidates a target
 * allows, which ops are selectable, and the table as discardable attributes
 * (`qopt.sensitivity = {i8_i8 = 41.2 : f64, ...}` in dB, `qopt.sensitivity_mse = {...}`).
 */
import { producerMap } from "../ir/rewriter.js";
import { opKindOf as opKindOfName } from "../target/op-kind.js";
import type { Attribute, AttrDict } from "../ir/attributes.js";
import type { Module, Operation, Value } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import { resolveLocation } from "../ir/location.js";
import { attr } from "../ir/attr-access.js";
import { entryFunction } from "../interp/interpreter.js";
import { allowedPairs, blockShapes, floatFallback, minSparsity, supportedOps, supportsSparsity } from "../target/queries.js";
import { FLOAT_TYPES, INTEGER_OPERAND_TYPES, OP_KINDS, isWeightedOpKind, type BlockShape, type FloatType, type OpKind, type OperandType, type Target } from "../target/types.js";

export const SENSITIVITY_ATTR = "qopt.sensitivity";
export const SENSITIVITY_MSE_ATTR = "qopt.sensitivity_mse";
/** The sparsity the `<pair>+sparse` candidates of an op were measured at (f64), with `with-sparsity`. */
export const SENSITIVITY_SPARSITY_ATTR = "qopt.sensitivity_sparsity";
/** Set by `select-precision{with-sparsity}` on ops it chose to prune; `prune{only-marked}` prunes only those. */
export const PRUNE_ATTR = "qopt.prune";
export const SPARSE_SUFFIX = "+sparse";

/**
 * One precision an op may get. Integer candidates quantize activations to `activation` and weights to
 * `weight` (always i8: `quantize` writes int8 weights); float candidates keep the op in float.
 */
export interface Candidate {
  /** `i8_i8`, `i16_i8` (activation_weight) for weighted ops, `i8`, `i16` for the others, `f16`, `f32`. */
  readonly id: string;
  /** The `qopt.precision` value that selects it: the activation type. */
  readonly precision: OperandType;
  readonly activation: OperandType;
  /** Weight storage of weighted ops (conv2d, depthwise_conv2d, fully_connected, matmul). */
  readonly weight?: OperandType;
  /** `<pair>+sparse`: the op's weights pruned in the target's block shape at `sparsity` (magnitude, l2). */
  readonly sparse?: { readonly block: BlockShape; readonly sparsity: number };
}

/** The cache / table key of a candidate: sparse ones include their requested sparsity. */
export function candidateKey(c: Candidate): string {
  return c.sparse ? `${c.id}@${c.sparse.sparsity}` : c.id;
}

/**
 * The `<pair>+sparse` candidates of an op at `sparsity`: one per integer candidate, when the target runs
 * the op kind block-sparse (fully_connected, or conv2d with the kernel size its sparse kernel takes) in
 * its first block shape that fits, `sparsity` reaches the target's `minSparsity`, and the [out, rest]
 * weight view divides into blocks (as the block-CSR lowering needs). Otherwise none, with the reason.
 */
export function sparseCandidatesFor(target: Target, op: Operation, kind: OpKind, base: readonly Candidate[], sparsity: number): { candidates: Candidate[]; note?: string } {
  if (kind !== "fully_connected" && kind !== "conv2d") return { candidates: [], note: `no block-sparse lowering for ${kind}` };
  const w = op.operands[1]?.type;
  const shape = w && w.kind === "tensor" && w.shape !== null ? w.shape : undefined;
  if (!shape || shape.some((d) => d < 0)) return { candidates: [], note: "its weight shape is not static" };
  const kernel: readonly [number, number] | undefined = kind === "conv2d" && shape.length === 4 ? [shape[1]!, shape[2]!] : undefined;
  if (kind === "conv2d" && !(kernel && kernel[0] === 1 && kernel[1] === 1)) return { candidates: [], note: "only 1x1 convs lower block-sparse" };
  const block = blockShapes(target, kind).find((b) => supportsSparsity(target, kind, b, kernel));
  if (!block) return { candidates: [], note: `target "${target.name}" has no sparse kernel for it` };
  const min = minSparsity(target);
  if (min === undefined || sparsity < min) return { candidates: [], note: `sparsity ${sparsity} is below the minimum ${min} of target "${target.name}"` };
  const [bh, bw] = block.split("x").map(Number) as [number, number];
  const rows = shape[0]!;
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  if (rows % bh !== 0 || cols % bw !== 0) return { candidates: [], note: `its [${rows}, ${cols}] weights do not divide into ${block} blocks` };
  const candidates = base.filter((c) => isIntegerOperand(c.activation) && !c.sparse).map((c): Candidate => ({ ...c, id: `${c.id}${SPARSE_SUFFIX}`, sparse: { block, sparsity } }));
  return { candidates };
}

export function isFloatType(t: OperandType): t is FloatType {
  return (FLOAT_TYPES as readonly string[]).includes(t);
}

export function isIntegerOperand(t: OperandType): boolean {
  return (INTEGER_OPERAND_TYPES as readonly string[]).includes(t);
}

/** The op kind of `float.X` is `X`, when X is a kind a target can list. */
export function opKindOf(op: Operation): OpKind | undefined {
  return opKindOfName(op.name);
}

/**
 * The candidates a target allows for an op kind, in the target's order, then the float types: integer
 * pairs with int8 weights (what `quantize` writes), float pairs whose activation and weight are the same
 * float type, and the float-fallback type. Hybrid kernels (float activations × integer weights) and
 * non-i8 weights cannot be expressed by a per-op `qopt.precision`; they are listed in `skipped`.
 */
export function candidatesFor(target: Target, kind: OpKind): { candidates: Candidate[]; skipped: string[] } {
  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  const weighted = isWeightedOpKind(kind);
  const has = (id: string): boolean => candidates.some((c) => c.id === id);
  for (const entry of allowedPairs(target, kind)) {
    const a = entry[0];
    const w = entry[1];
    if (isIntegerOperand(a)) {
      if (weighted && w !== "i8") {
        skipped.push(`${a}_${w ?? "?"}`);
        continue;
      }
      const id = weighted ? `${a}_${w}` : a;
      if (!has(id)) candidates.push(weighted ? { id, precision: a, activation: a, weight: "i8" } : { id, precision: a, activation: a });
    } else if (w === undefined || w === a) {
      if (!has(a)) candidates.push(weighted ? { id: a, precision: a, activation: a, weight: a } : { id: a, precision: a, activation: a });
    } else {
      skipped.push(`${a}_${w}`);
    }
  }
  const fallback = floatFallback(target);
  if (fallback !== undefined && !has(fallback)) candidates.push(weighted ? { id: fallback, precision: fallback, activation: fallback, weight: fallback } : { id: fallback, precision: fallback, activation: fallback });
  // Integer candidates first (target order), then float ones narrowest first: a stable, documented order.
  const rank = (c: Candidate): number => (isFloatType(c.activation) ? (c.activation === "f16" ? 1 : 2) : 0);
  return { candidates: candidates.map((c, i) => ({ c, i })).sort((x, y) => rank(x.c) - rank(y.c) || x.i - y.i).map((x) => x.c), skipped };
}

/** An op whose precision is a choice: its index in the entry function's body and its legal candidates. */
export interface SelectableOp {
  readonly index: number;
  readonly op: Operation;
  readonly kind: OpKind;
  readonly label: string;
  readonly candidates: readonly Candidate[];
}

/** `float.conv2d (model.mlir:7:9)`, or `float.conv2d #12` when the op has no file location. */
export function opLabel(op: Operation, index: number): string {
  const where = resolveLocation(op.loc);
  if (where) return `${op.name} (${where.file}:${where.line}:${where.col})`;
  if (op.loc.kind === "opaque") return `${op.name} (${op.loc.text}) #${index}`;
  return `${op.name} #${index}`;
}

function producerIsConstant(v: Value, producers: ReadonlyMap<Value, Operation>): boolean {
  const p = producers.get(v);
  return p !== undefined && hasTrait(p, "ConstantLike");
}

/**
 * The ops of the entry function that `quantize` would quantize for this target: float compute ops the
 * target runs, weighted ops only with a constant weight. Most have a choice of precision; one with a
 * single candidate is kept too, so that experiments keep it in f32 like the others and its noise is part
 * of the prediction. `notes` says why other compute ops are left out.
 */
export function selectableOps(module: Module, target: Target, options: { sparsity?: number } = {}): { ops: SelectableOp[]; notes: string[] } {
  const func = entryFunction(module).func;
  const body = func.regions[0]!.blocks[0]!;
  const supported = new Set<string>(supportedOps(target));
  const producers = producerMap(body.ops);
  const ops: SelectableOp[] = [];
  const notes: string[] = [];
  const skippedKinds = new Map<string, Set<string>>();
  body.ops.forEach((op, index) => {
    if (!op.name.startsWith("float.") || hasTrait(op, "ConstantLike") || op.name === "float.batch_norm") return;
    const kind = opKindOf(op);
    const label = opLabel(op, index);
    if (kind === undefined || !supported.has(kind)) {
      notes.push(`${label}: target "${target.name}" does not run ${op.name.slice(6)}; it stays float`);
      return;
    }
    if (hasTrait(op, "WeightedOp") && !(op.operands[1] !== undefined && producerIsConstant(op.operands[1], producers))) {
      notes.push(`${label}: its weight is not a constant, so quantize leaves it float`);
      return;
    }
    const { candidates, skipped } = candidatesFor(target, kind);
    for (const pair of skipped) skippedKinds.set(pair, new Set([...(skippedKinds.get(pair) ?? []), kind]));
    if (candidates.length === 0) {
      notes.push(`${label}: no candidate precision on target "${target.name}"`);
      return;
    }
    if (options.sparsity !== undefined) {
      const sparse = sparseCandidatesFor(target, op, kind, candidates, options.sparsity);
      if (sparse.candidates.length === 0 && isWeightedOpKind(kind)) notes.push(`${label}: no sparse candidate: ${sparse.note ?? "no integer candidate"}`);
      ops.push({ index, op, kind, label, candidates: [...candidates, ...sparse.candidates] });
      return;
    }
    ops.push({ index, op, kind, label, candidates });
  });
  for (const [pair, kinds] of skippedKinds) {
    notes.push(`target "${target.name}" lists ${pair} for ${[...kinds].join(", ")}: hybrid or non-i8-weight kernels are not a per-op qopt.precision that quantize can write, so not a candidate`);
  }
  return { ops, notes };
}

/** What quantizing one op alone to one candidate does to the model output, over the calibration data. */
export interface Measurement {
  /** Mean squared error of every output element against float. */
  readonly mse: number;
  /** 10·log10(Σ float² / Σ (float − quantized)²), Infinity when exact. */
  readonly sqnr: number;
}

export interface OpSensitivity {
  readonly index: number;
  readonly name: string;
  readonly kind: OpKind;
  readonly label: string;
  readonly candidates: readonly Candidate[];
  /** Keyed by candidate id. */
  readonly results: Readonly<Record<string, Measurement>>;
}

export interface SensitivityTable {
  /** Mean square of the float outputs: MSE ↔ SQNR. */
  readonly signalPower: number;
  readonly ops: readonly OpSensitivity[];
}

export function sqnrDb(signalPower: number, mse: number): number {
  if (mse <= 0) return Infinity;
  if (signalPower <= 0) return -Infinity;
  return 10 * Math.log10(signalPower / mse);
}

/** New ops replace body ops by index (attributes patched); everything else is shared. */
export function withOpAttributes(module: Module, patches: ReadonlyMap<number, AttrDict>, remove: readonly string[] = []): Module {
  if (patches.size === 0) return module;
  const func = entryFunction(module).func;
  const block = func.regions[0]!.blocks[0]!;
  const ops = block.ops.map((op, i) => {
    const patch = patches.get(i);
    if (!patch) return op;
    const attributes: Record<string, Attribute> = { ...op.attributes };
    for (const r of remove) delete attributes[r];
    return { ...op, attributes: { ...attributes, ...patch } };
  });
  const newFunc: Operation = { ...func, regions: [{ blocks: [{ args: block.args, ops }, ...func.regions[0]!.blocks.slice(1)] }, ...func.regions.slice(1)] };
  return { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) };
}

/** The table as attributes on each measured op (candidate ids sorted, so the text is deterministic). */
export function sensitivityAttributes(table: SensitivityTable): Map<number, AttrDict> {
  const patches = new Map<number, AttrDict>();
  for (const op of table.ops) {
    const ids = Object.keys(op.results).sort();
    const sqnr: Record<string, Attribute> = {};
    const mse: Record<string, Attribute> = {};
    for (const id of ids) {
      sqnr[id] = attr.f64(op.results[id]!.sqnr);
      mse[id] = attr.f64(op.results[id]!.mse);
    }
    const sparse = op.candidates.find((c) => c.sparse)?.sparse;
    patches.set(op.index, {
      [SENSITIVITY_ATTR]: { kind: "dict", entries: sqnr },
      [SENSITIVITY_MSE_ATTR]: { kind: "dict", entries: mse },
      ...(sparse ? { [SENSITIVITY_SPARSITY_ATTR]: attr.f64(sparse.sparsity) } : {}),
    });
  }
  return patches;
}

function numbersOf(a: Attribute | undefined): Map<string, number> | undefined {
  if (!a || a.kind !== "dict") return undefined;
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(a.entries)) if (v.kind === "float" || v.kind === "int") out.set(k, Number(v.value));
  return out;
}

/**
 * Reads the table back from the attributes `analyze-sensitivity` wrote, for the ops that are selectable
 * on `target`. Candidates the target allows but the table lacks are dropped (with a note); an op
 * left with none is left out. The signal power follows from any entry with both a finite
 * SQNR and a positive MSE (P = MSE · 10^(SQNR/10)).
 */
export function readSensitivityTable(module: Module, target: Target, options: { withSparsity?: boolean } = {}): { table: SensitivityTable | undefined; notes: string[] } {
  const { ops: denseOps, notes } = selectableOps(module, target);
  // With sparsity: the sparse candidates of ops measured at a sparsity (qopt.sensitivity_sparsity).
  const ops = denseOps.map((s) => {
    const a = s.op.attributes[SENSITIVITY_SPARSITY_ATTR];
    if (!options.withSparsity || !a || (a.kind !== "float" && a.kind !== "int")) return s;
    return { ...s, candidates: [...s.candidates, ...sparseCandidatesFor(target, s.op, s.kind, s.candidates, Number(a.value)).candidates] };
  });
  // Nothing to choose is not an error: an empty table.
  if (ops.length === 0) return { table: { signalPower: 0, ops: [] }, notes };
  const result: OpSensitivity[] = [];
  let signalPower: number | undefined;
  let measuredAny = false;
  for (const s of ops) {
    const sqnr = numbersOf(s.op.attributes[SENSITIVITY_ATTR]);
    const mse = numbersOf(s.op.attributes[SENSITIVITY_MSE_ATTR]);
    if (!sqnr && !mse) {
      notes.push(`${s.label}: no ${SENSITIVITY_ATTR}; its precision is left as it is`);
      continue;
    }
    measuredAny = true;
    const results: Record<string, Measurement> = {};
    const missing: string[] = [];
    for (const c of s.candidates) {
      const m = mse?.get(c.id);
      const q = sqnr?.get(c.id);
      if (m === undefined && q === undefined) {
        missing.push(c.id);
        continue;
      }
      if (m !== undefined && q !== undefined && Number.isFinite(q) && m > 0 && signalPower === undefined) signalPower = m * 10 ** (q / 10);
      results[c.id] = { mse: m ?? NaN, sqnr: q ?? NaN };
    }
    if (missing.length > 0) notes.push(`${s.label}: no measurement for ${missing.join(", ")}; not a candidate`);
    const candidates = s.candidates.filter((c) => results[c.id] !== undefined);
    if (candidates.length === 0) continue;
    result.push({ index: s.index, name: s.op.name, kind: s.kind, label: s.label, candidates, results });
  }
  if (!measuredAny) return { table: undefined, notes };
  const power = signalPower ?? 1;
  // An entry with only one of the two numbers gets the other from the signal power.
  const filled = result.map((op) => {
    const results: Record<string, Measurement> = {};
    for (const [id, m] of Object.entries(op.results)) {
      const mse = Number.isNaN(m.mse) ? (m.sqnr === Infinity ? 0 : power / 10 ** (m.sqnr / 10)) : m.mse;
      results[id] = { mse, sqnr: Number.isNaN(m.sqnr) ? sqnrDb(power, mse) : m.sqnr };
    }
    return { ...op, results };
  });
  return { table: { signalPower: power, ops: filled }, notes };
}
