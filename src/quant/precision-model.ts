/**
 * The cost side of mixed precision: what each candidate of each op costs on a target, and what the
 * conversions between neighbouring precisions cost, as a `SearchProblem` per cost axis.
 *
 * - size (bytes): constant operands at the candidate's storage — weights at the weight type (i8: 1 byte;
 *   i16 activations keep i8 weights), biases at the target's bias type for the activation type (i32 / i64),
 *   other constants at the activation type; f16 2 bytes and f32 4 bytes for everything — plus 8 bytes of
 *   parameters (int32 multiplier, shift, two zero points) per conversion that involves an integer type.
 * - latency (cycles): the target's roofline `opCost` per op, with MACs from shapes and bytes at the
 *   candidate's types, plus one elementwise pass per conversion (no MACs, input and output bytes).
 * A conversion sits on every edge between ops (and function inputs/outputs, which are f32) whose storage
 * types differ: requantize between integer types, quantize/dequantize at float boundaries. Ops that are
 * not selectable contribute a fixed cost at the type they run in (the float-fallback type when the target
 * does not run them). Dynamic dimensions count as 1: costs are per sample.
 *
 * `<pair>+sparse` candidates (select-precision{with-sparsity}) store their weights as block CSR, as the
 * sparse lowering does: the kept blocks' values (1 byte per weight) + 4 bytes of column index per kept
 * block + 4 bytes per block row pointer (row blocks + 1); the kept blocks are counted by pruning the
 * weights as `prune` will. Their latency is the target's `opCost` with the achieved sparsity in the work.
 */
import type { Module, Operation, Value } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import { boolAttr } from "../ir/attr-access.js";
import type { Type } from "../ir/types.js";
import { entryFunction } from "../interp/interpreter.js";
import { biasType, floatFallback, opCost, supportedOps } from "../target/queries.js";
import { constantData, outputChannelAxis } from "./constants.js";
import { parseBlockShape, pruneWeights, weightMatrix } from "./pruning.js";
import { isWeightedOpKind, type OpKind, type OperandType, type Target } from "../target/types.js";
import { activationScheme } from "./activation-scheme.js";
import type { CostAxis } from "./precision-budget.js";
import type { PairCost, SearchProblem } from "./precision-search.js";
import { candidatesFor, isIntegerOperand, opKindOf, type Candidate, type SensitivityTable } from "./sensitivity.js";

/** Parameter bytes of one conversion op (int32 multiplier, shift, input and output zero points). */
export const CONVERSION_PARAM_BYTES = 8;

type StorageName = OperandType | "i32" | "i64";

export function bytesOf(t: StorageName): number {
  switch (t) {
    case "i8":
    case "u8":
      return 1;
    case "i16":
    case "f16":
      return 2;
    case "f32":
    case "i32":
      return 4;
    case "i64":
      return 8;
  }
}

/** Elements of a value per sample (dynamic dims count 1). */
export function elementsOf(t: Type): number {
  if (t.kind !== "tensor" || t.shape === null) return 1;
  return t.shape.reduce((n, d) => n * (d < 0 ? 1 : d), 1);
}

function shapeOf(t: Type): readonly number[] {
  return t.kind === "tensor" && t.shape !== null ? t.shape.map((d) => (d < 0 ? 1 : d)) : [];
}

/** Multiply-accumulates of one op per sample: from the weight shape for weighted ops, one per element otherwise. */
export function macsOf(op: Operation): number {
  const out = op.results.reduce((n, r) => n + elementsOf(r.type), 0);
  const w = op.operands[1] ? shapeOf(op.operands[1].type) : [];
  switch (op.name) {
    case "float.conv2d":
      return out * w.slice(1).reduce((a, b) => a * b, 1);
    case "float.depthwise_conv2d":
      return out * (w[1] ?? 1) * (w[2] ?? 1);
    case "float.fully_connected":
      return out * (w[w.length - 1] ?? 1);
    case "float.matmul": {
      const a = shapeOf(op.operands[0]!.type);
      const k = a.length === 1 ? a[0]! : boolAttr(op, "transpose_a") ? a[a.length - 2]! : a[a.length - 1]!;
      return out * k;
    }
    default:
      return Math.max(out, op.operands.reduce((n, v) => n + elementsOf(v.type), 0));
  }
}

export interface ModelOp {
  /** Index in the entry function's body. */
  readonly index: number;
  readonly label: string;
  readonly name: string;
  readonly kind: OpKind;
  readonly candidates: readonly Candidate[];
  /** Per candidate: MSE and SQNR of this op alone, own size and latency (conversions excluded). */
  readonly mse: readonly number[];
  readonly sqnr: readonly number[];
  readonly size: readonly number[];
  readonly latency: readonly number[];
  /** Per candidate: the fraction of weights pruning zeroes (sparse candidates), else 0. */
  readonly sparsity: readonly number[];
}

export interface PrecisionModel {
  readonly target: Target;
  readonly ops: readonly ModelOp[];
  readonly signalPower: number;
  /** The all-int8 configuration: every op at the target's first integer activation type with i8 weights. */
  readonly baseline: readonly number[];
  /** The storage type every op gets in the all-int8 configuration. */
  readonly baselineType: OperandType;
  problem(axis: CostAxis): SearchProblem;
}

type Endpoint = { readonly op: number } | { readonly fixed: OperandType };

interface Edge {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly elements: number;
}

export function buildPrecisionModel(module: Module, target: Target, table: SensitivityTable): PrecisionModel {
  const func = entryFunction(module).func;
  const body = func.regions[0]!.blocks[0]!;
  const floatType: OperandType = floatFallback(target) ?? "f32";
  const supported = new Set<string>(supportedOps(target));
  const producers = new Map<Value, { op: Operation; index: number }>();
  body.ops.forEach((op, index) => op.results.forEach((r) => producers.set(r, { op, index })));
  const isConst = (v: Value): boolean => {
    const p = producers.get(v);
    return p !== undefined && hasTrait(p.op, "ConstantLike");
  };

  const problemIndex = new Map<number, number>();
  table.ops.forEach((o, i) => problemIndex.set(o.index, i));

  /** The type a non-selectable op runs in: its only legal candidate when the target runs it, else float. */
  const fixedTypeOf = (op: Operation): OperandType => {
    const kind = opKindOf(op);
    if (kind !== undefined && supported.has(kind)) {
      const only = candidatesFor(target, kind).candidates[0];
      if (only) return only.activation;
    }
    return floatType;
  };

  const constBytes = (op: Operation, kind: OpKind | undefined, c: { activation: OperandType; weight?: OperandType }): number => {
    let bytes = 0;
    op.operands.forEach((v, j) => {
      if (!isConst(v)) return;
      let storage: StorageName = c.activation;
      if (kind !== undefined && isWeightedOpKind(kind) && j === 1) storage = c.weight ?? c.activation;
      else if (kind !== undefined && isWeightedOpKind(kind) && j === 2) storage = isIntegerOperand(c.activation) ? biasType(target, c.activation as "i8" | "u8" | "i16") ?? "i32" : c.activation;
      bytes += elementsOf(v.type) * bytesOf(storage);
    });
    return bytes;
  };

  // A type the target has no rate for (f32 islands on a target without fallback, f32 function
  // interfaces) is priced at the rate of the closest type it has: the fallback float type, else the
  // all-int8 type. Such ops cannot run there anyway; lower-to-hw reports them.
  const priced = new Map<OperandType, OperandType>();
  const rateType = (t: OperandType): OperandType => {
    let r = priced.get(t);
    if (r === undefined) {
      r = [t, floatType, activationScheme(target, undefined).type].find((x) => {
        try {
          opCost(target, "reshape", { macs: 1, bytes: 0 }, x);
          return true;
        } catch {
          return false;
        }
      }) ?? t;
      priced.set(t, r);
    }
    return r;
  };

  /** Block-CSR bytes of the pruned weights and the achieved sparsity of a sparse candidate. */
  const sparseWeights = (op: Operation, c: Candidate): { bytes: number; achieved: number } | undefined => {
    if (!c.sparse || !op.operands[1]) return undefined;
    const producerOps = new Map<Value, Operation>([...producers].map(([v, p]) => [v, p.op]));
    const w = constantData(op.operands[1], producerOps);
    if (!w) return undefined;
    const block = parseBlockShape(c.sparse.block);
    if (block.kind !== "block") return undefined;
    const matrix = weightMatrix(w.shape, outputChannelAxis(op.name));
    const result = pruneWeights(w.data, matrix, block, c.sparse.sparsity);
    const kept = result.totalBlocks - result.zeroedBlocks;
    const rowBlocks = Math.ceil(matrix.rows / block.rows);
    return { bytes: kept * block.rows * block.cols * bytesOf(c.weight ?? "i8") + 4 * kept + 4 * (rowBlocks + 1), achieved: result.achieved };
  };

  const opLatency = (op: Operation, kind: OpKind | undefined, c: { activation: OperandType; weight?: OperandType }, size: number, sparsity = 0): number => {
    const activationBytes = bytesOf(c.activation);
    let bytes = size;
    for (const v of op.operands) if (!isConst(v)) bytes += elementsOf(v.type) * activationBytes;
    for (const r of op.results) bytes += elementsOf(r.type) * activationBytes;
    const weighted = kind !== undefined && isWeightedOpKind(kind);
    // opCost reads the kind only to price sparse kernels; other ops are priced as a plain elementwise op.
    const w = op.operands[1] ? shapeOf(op.operands[1].type) : [];
    const kernel: readonly [number, number] | undefined = kind === "conv2d" && w.length === 4 ? [w[1]!, w[2]!] : undefined;
    const work = { macs: macsOf(op), bytes, ...(sparsity > 0 ? { sparsity } : {}), ...(kernel ? { kernel } : {}) };
    return opCost(target, kind ?? "reshape", work, rateType(c.activation), weighted ? rateType(c.weight ?? c.activation) : undefined);
  };

  const ops: ModelOp[] = table.ops.map((o) => {
    const op = body.ops[o.index]!;
    const sparse = o.candidates.map((c) => sparseWeights(op, c));
    const size = o.candidates.map((c, k) => {
      const s = sparse[k];
      if (!s) return constBytes(op, o.kind, c);
      // The dense weight bytes are replaced by the block-CSR bytes.
      const weightElements = op.operands[1] ? elementsOf(op.operands[1].type) : 0;
      return constBytes(op, o.kind, c) - weightElements * bytesOf(c.weight ?? "i8") + s.bytes;
    });
    const sparsity = sparse.map((s) => s?.achieved ?? 0);
    return {
      index: o.index,
      label: o.label,
      name: o.name,
      kind: o.kind,
      candidates: o.candidates,
      mse: o.candidates.map((c) => o.results[c.id]!.mse),
      sqnr: o.candidates.map((c) => o.results[c.id]!.sqnr),
      size,
      latency: o.candidates.map((c, k) => opLatency(op, o.kind, c, size[k]!, sparsity[k]!)),
      sparsity,
    };
  });

  // Fixed parts: ops whose type is not a choice.
  let fixedSize = 0;
  let fixedLatency = 0;
  body.ops.forEach((op, index) => {
    if (problemIndex.has(index) || hasTrait(op, "ConstantLike") || op.name === "func.return" || op.results.length === 0) return;
    const t = fixedTypeOf(op);
    const kind = opKindOf(op);
    const c = kind !== undefined && isWeightedOpKind(kind) ? { activation: t, weight: isIntegerOperand(t) ? ("i8" as const) : t } : { activation: t };
    const size = constBytes(op, kind, c);
    fixedSize += size;
    fixedLatency += opLatency(op, kind, c, size);
  });

  // Edges: every non-constant value into every op that reads it (and into the float function results).
  const endpointOfValue = (v: Value): Endpoint => {
    const p = producers.get(v);
    if (!p) return { fixed: "f32" }; // function input: the program keeps a float interface
    const k = problemIndex.get(p.index);
    return k !== undefined ? { op: k } : { fixed: fixedTypeOf(p.op) };
  };
  const edges: Edge[] = [];
  body.ops.forEach((op, index) => {
    if (hasTrait(op, "ConstantLike")) return;
    const k = problemIndex.get(index);
    const to: Endpoint = op.name === "func.return" ? { fixed: "f32" } : k !== undefined ? { op: k } : { fixed: fixedTypeOf(op) };
    const seen = new Set<Value>();
    for (const v of op.operands) {
      if (isConst(v) || seen.has(v)) continue;
      seen.add(v);
      edges.push({ from: endpointOfValue(v), to, elements: elementsOf(v.type) });
    }
  });

  const conversion = (axis: CostAxis, from: OperandType, to: OperandType, elements: number): number => {
    if (from === to) return 0;
    if (axis === "size") return isIntegerOperand(from) || isIntegerOperand(to) ? CONVERSION_PARAM_BYTES : 0;
    // No MACs: the rate type only has to be one the target prices.
    return opCost(target, "reshape", { macs: 0, bytes: elements * (bytesOf(from) + bytesOf(to)) }, rateType(isIntegerOperand(to) ? to : from));
  };

  const baselineType = activationScheme(target, undefined).type;
  const baseline = ops.map((o) => {
    const i = o.candidates.findIndex((c) => c.activation === baselineType && (c.weight === undefined || c.weight === "i8"));
    if (i >= 0) return i;
    const j = o.candidates.findIndex((c) => isIntegerOperand(c.activation));
    return j >= 0 ? j : 0;
  });

  const problem = (axis: CostAxis): SearchProblem => {
    const own = ops.map((o) => [...(axis === "size" ? o.size : o.latency)]);
    let fixedCost = axis === "size" ? fixedSize : fixedLatency;
    const pairs = new Map<string, { a: number; b: number; cost: Float64Array }>();
    for (const e of edges) {
      const typeAt = (end: Endpoint, c: number): OperandType => ("fixed" in end ? end.fixed : ops[end.op]!.candidates[c]!.activation);
      if ("fixed" in e.from && "fixed" in e.to) {
        fixedCost += conversion(axis, e.from.fixed, e.to.fixed, e.elements);
      } else if ("fixed" in e.from || "fixed" in e.to) {
        const k = "op" in e.from ? e.from.op : (e.to as { op: number }).op;
        ops[k]!.candidates.forEach((_, c) => {
          own[k]![c]! += conversion(axis, typeAt(e.from, c), typeAt(e.to, c), e.elements);
        });
      } else {
        const a = (e.from as { op: number }).op;
        const b = (e.to as { op: number }).op;
        if (a === b) continue;
        // One table per unordered pair, stored with the lower index as `a`.
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const key = `${lo},${hi}`;
        const ka = ops[lo]!.candidates.length;
        const kb = ops[hi]!.candidates.length;
        const entry = pairs.get(key) ?? { a: lo, b: hi, cost: new Float64Array(ka * kb) };
        pairs.set(key, entry);
        for (let i = 0; i < ka; i++)
          for (let j = 0; j < kb; j++) {
            const ti = ops[lo]!.candidates[i]!.activation;
            const tj = ops[hi]!.candidates[j]!.activation;
            entry.cost[i * kb + j]! += a === lo ? conversion(axis, ti, tj, e.elements) : conversion(axis, tj, ti, e.elements);
          }
      }
    }
    return {
      ops: ops.map((o, k) => ({ label: o.label, candidates: o.candidates.map((c, i) => ({ id: c.id, error: o.mse[i]!, cost: own[k]![i]!, group: c.activation })) })),
      pairs: [...pairs.values()] as PairCost[],
      fixedCost,
    };
  };

  return { target, ops, signalPower: table.signalPower, baseline, baselineType, problem };
}
