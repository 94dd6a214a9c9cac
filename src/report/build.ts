/**
 * Builds the quantization report from the float program, its QDQ form (weights and ranges), the final
 * program, evaluation inputs and the decision log: per-layer SQNR from `compareModules`, weight
 * histograms from each quantized weight and its quantize→dequantize round trip.
 */
import { producerMap } from "../ir/rewriter.js";
import type { Module, Operation, Value } from "../ir/operation.js";
import { elementType, type UniformQuantType } from "../ir/types.js";
import { stringAttr } from "../ir/attr-access.js";
import type { Decision } from "../pass/pass.js";
import type { Tensor } from "../interp/tensor.js";
import { compareModules } from "../interp/compare.js";
import { constantData, storedDataBytes } from "../quant/constants.js";
import { quantizeTensor, dequantizeTensor } from "../../dialects/quant/quantize-tensor.js";
import { readRanges } from "../quant/ranges.js";
import { entryFunction } from "../interp/interpreter.js";
import { resolveLocation } from "../ir/location.js";
import { buildWeightHistogram, type LayerReport, type QuantReport, type WeightHistogram, type ParetoFront } from "./model.js";

export interface ReportInputs {
  readonly model: string;
  readonly target: string;
  readonly mode: string;
  readonly float: Module;
  readonly qdq: Module;
  readonly result: Module;
  readonly inputs: readonly Tensor[];
  readonly decisions: readonly Decision[];
  readonly pareto?: ParetoFront;
}


function locationText(op: Operation): string {
  const r = resolveLocation(op.loc);
  if (r) return `${r.file}:${r.line}:${r.col}`;
  return op.loc.kind === "opaque" ? op.loc.text : "";
}

function storageName(t: Value["type"]): string | undefined {
  const e = elementType(t);
  if (e.kind === "quant.uniform") return `${e.storage.signedness === "unsigned" ? "u" : "i"}${e.storage.width}`;
  if (e.kind === "int") return `${e.signedness === "unsigned" ? "u" : "i"}${e.width}`;
  if (e.kind === "float") return e.name;
  return undefined;
}

/** "i8/i8" (activation/weight), "i8", "f32" from the types the final op computes on. */
function finalPrecision(op: Operation): string {
  const a = op.operands[0] ? storageName(op.operands[0].type) : undefined;
  const w = op.name.startsWith("hw.") && op.operands.length > 1 && /conv|fully_connected|matmul/.test(op.name) ? storageName(op.operands[1]!.type) : undefined;
  return a === undefined ? "f32" : w ? `${a}/${w}` : a;
}

/** "i8/i8", "i16/i8", "f32" from an op's quantized operand types in the QDQ program. */
function precisionOf(op: Operation, producers: Map<Value, Operation>): string {
  const explicit = stringAttr(op, "qopt.precision");
  const quantOf = (v: Value | undefined): UniformQuantType | undefined => {
    const d = v ? producers.get(v) : undefined;
    if (!d || d.name !== "quant.dcast") return undefined;
    const t = elementType(d.operands[0]!.type);
    return t.kind === "quant.uniform" ? t : undefined;
  };
  const a = quantOf(op.operands[0]);
  if (!a) return explicit ?? "f32";
  const name = (q: UniformQuantType): string => `${q.storage.signedness === "unsigned" ? "u" : "i"}${q.storage.width}`;
  const w = op.operands.length > 1 ? quantOf(op.operands[1]) : undefined;
  return w ? `${name(a)}/${name(w)}` : name(a);
}

export function buildReport(r: ReportInputs): QuantReport {
  const comparison = compareModules(r.float, r.result, r.inputs, { perLayer: true });
  const qdqFunc = entryFunction(r.qdq).func;
  const qdqOps = qdqFunc.regions[0]!.blocks[0]!.ops;
  const producers = producerMap(qdqOps);
  const ranges = readRanges(qdqFunc);
  const finalByLocation = new Map<string, Operation>();
  for (const op of entryFunction(r.result).func.regions[0]!.blocks[0]!.ops) finalByLocation.set(`${op.name}@${locationText(op)}`, op);
  const byLocation = new Map<string, Operation>();
  for (const op of qdqOps) if (op.name.startsWith("float.") && op.name !== "float.const") byLocation.set(locationText(op), op);
  const layers: LayerReport[] = (comparison.layers ?? []).map((row) => {
    const qop = row.location !== undefined ? byLocation.get(row.location) : undefined;
    const range = qop && qop.results[0] ? ranges.get(qop.results[0]) : undefined;
    const reasons = r.decisions.filter((d) => d.op === row.op && (d.location === undefined || d.location === row.location)).map((d) => d.message);
    const out = qop?.results[0];
    const outQ = out ? [...qdqOps].find((o) => o.name === "quant.qcast" && o.operands[0] === out) : undefined;
    const q = outQ ? elementType(outQ.results[0]!.type) : undefined;
    const sparsity = qop?.attributes["qopt.sparsity"];
    return {
      name: `${row.op.replace(/^float\./, "")}${row.fused?.length ? "+" + row.fused.map((f) => f.replace(/^float\./, "")).join("+") : ""}`,
      op: row.opB,
      location: row.location ?? "",
      precision: (() => {
        const fin = finalByLocation.get(`${row.opB}@${row.locationB ?? ""}`);
        return fin ? finalPrecision(fin) : qop ? precisionOf(qop, producers) : "f32";
      })(),
      sqnrDb: row.sqnrDb,
      ...(range ? { rangeMin: range.min, rangeMax: range.max } : {}),
      ...(q && q.kind === "quant.uniform" && q.axis === undefined ? { scale: q.scales[0]!, zeroPoint: q.zeroPoints[0]! } : {}),
      ...(sparsity && sparsity.kind === "float" ? { sparsity: sparsity.value } : {}),
      reason: reasons.join("; ") || (qop ? "quantized as the target's default" : ""),
    };
  });
  const weightHistograms: WeightHistogram[] = [];
  for (const op of qdqOps) {
    if (op.name !== "quant.qcast") continue;
    const src = constantData(op.operands[0]!, producers);
    const q = elementType(op.results[0]!.type);
    if (!src || q.kind !== "quant.uniform" || q.storage.width !== 8) continue;
    const t: Tensor = { dtype: "f32", shape: src.shape, data: src.data };
    const round = dequantizeTensor(quantizeTensor(t, q, "half-even"), q, "f32");
    const user = qdqOps.find((o) => o.name === "quant.dcast" && o.operands[0] === op.results[0]);
    const consumer = user ? qdqOps.find((o) => o.operands.includes(user.results[0]!) && o.name.startsWith("float.")) : undefined;
    weightHistograms.push({ layer: consumer ? `${consumer.name.replace(/^float\./, "")} ${locationText(consumer)}` : locationText(op), ...buildWeightHistogram(src.data, round.data as Float32Array) });
  }
  const first = comparison.outputs[0];
  return {
    model: r.model,
    target: r.target,
    mode: r.mode,
    overall: {
      sqnrDb: first?.sqnrDb ?? NaN,
      ...(first?.top1Agreement !== undefined ? { top1Agreement: first.top1Agreement / 100 } : {}),
      floatBytes: storedDataBytes(r.float),
      quantizedBytes: storedDataBytes(r.result),
    },
    layers,
    weightHistograms,
    ...(r.pareto ? { pareto: r.pareto } : {}),
  };
}
