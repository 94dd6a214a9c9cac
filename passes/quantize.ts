/**
 * `quantize{mode=…, per-channel=true, target=…}`: writes QDQ form (`quant.dcast → float op →
 * quant.qcast`, as ONNX QDQ, PyTorch PT2E and the TFLite MLIR converter do) from the recorded ranges.
 *
 * - int8 / int16x8: every input and output of a quantizable op gets a qcast/dcast pair with the
 *   parameters of its (nudged) range; int16x8 activations are symmetric int16 (TFLite 16x8).
 *   Fixed-range ops (sigmoid, tanh, softmax) get the spec's fixed parameters.
 * - Weights of WeightedOps (conv, depthwise, fully connected) that are constants: int8 symmetric narrow
 *   range, per output channel unless `per-channel=false` or the target says per-tensor.
 * - Bias: int32, zp 0, scale = s_in · s_w[c]. A bias that would overflow int32 widens the weight scale of
 *   its channel (per tensor: of the tensor, for the largest |bias|), as TFLite does; logged as
 *   `bias-widened`. Weight scales rounded up to 2^k for a power-of-two target are logged as
 *   `scale-rounded`. In int16x8 mode the bias stays float here: MLIR's quant types
 *   cannot hold the int64 bias that 16x8 uses; lowering quantizes it to int64.
 * - dynamic-range: weights only (as above); activations stay float and the op is marked
 *   `qopt.dynamic_range`, meaning a runtime quantizes activations per batch (TFLite's hybrid kernels).
 *   The interpreter keeps float compute on dequantized weights, the result TFLite's hybrid kernels
 *   approximate. weight-only: weights only, no marker.
 * - float16: float ops compute in f16 (f16 constants, float.cast at the edges) where the target runs
 *   f16 (or has no target, or falls back to f16); on a target that computes in f32 only the weights are
 *   stored in f16 and widened (TFLite's float16 models on CPU). Ops select-precision marks
 *   `qopt.precision = "f16"` compute in f16 in every mode.
 * The program keeps float inputs and outputs (quantize at entry, dequantize at exit, as the TFLite
 * converter does by default).
 */
import { producerMap } from "../src/ir/rewriter.js";
import type { Attribute, DenseAttr } from "../src/ir/attributes.js";
import type { Operation, Value } from "../src/ir/operation.js";
import { getOpDef, hasTrait } from "../src/ir/opdef.js";
import { entryFunction } from "../src/interp/interpreter.js";
import { registerPass, instantiatePass, type Pass, type PassContext } from "../src/pass/pass.js";
import { readRanges, type Range } from "../src/quant/ranges.js";
import { chooseQuantParams, fixedOutputParams, perChannelRanges, powerOfTwoAtLeast, storageRange, type QuantParams } from "../src/quant/params.js";
import { activationScheme, chooseOptions, isIntegerType } from "../src/quant/activation-scheme.js";
import { qdqPair, uniformType } from "../src/quant/qdq.js";
import { loadTarget } from "../src/target/load.js";
import type { Target } from "../src/target/types.js";
import { scaleForm, supportedOps, supportsOp, weightGranularity } from "../src/target/queries.js";
import { toHalfPrecision, type HalfPrecision } from "../src/quant/half-precision.js";
import { isF32Tensor } from "../src/ir/float-element.js";
import { opKindOf } from "../src/target/op-kind.js";
import { isWeightedOpKind } from "../src/target/types.js";
import type { UniformQuantType } from "../src/ir/types.js";

export const QUANTIZE_MODES = ["int8", "int16x8", "dynamic-range", "float16", "weight-only"] as const;
export type QuantizeMode = (typeof QUANTIZE_MODES)[number];

export const quantizePass = registerPass({
  name: "quantize",
  description: "Write QDQ form (dcast → float op → qcast) with !quant.uniform types from the recorded ranges",
  options: {
    mode: { type: "enum", values: QUANTIZE_MODES, default: "int8", description: "int8 | int16x8 | dynamic-range | float16 | weight-only" },
    "per-channel": { type: "bool", default: true, description: "Per-output-channel weight scales (when the target allows)" },
    target: { type: "string", description: "Target descriptor (built-in name or ./file.json) for granularity and activation rules" },
  },
  run(module, options, ctx) {
    const target = typeof options["target"] === "string" ? loadTarget(options["target"]) : undefined;
    return quantizeModule(module, (options["mode"] as QuantizeMode) ?? "int8", options["per-channel"] !== false, target, ctx);
  },
});

export function quantize(options: { mode?: QuantizeMode; perChannel?: boolean; target?: string } = {}): Pass {
  return instantiatePass(quantizePass, {
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.perChannel !== undefined ? { "per-channel": options.perChannel } : {}),
    ...(options.target ? { target: options.target } : {}),
  });
}


/** Weight quantization axis per op: OHWI filters and [N, K] weights by dim 0, depthwise [1,KH,KW,C·M] by dim 3. */
function weightAxis(op: Operation): number {
  return op.name === "float.depthwise_conv2d" ? 3 : 0;
}

function quantizeModule(module: import("../src/ir/operation.js").Module, mode: QuantizeMode, perChannel: boolean, target: Target | undefined, ctx: PassContext): import("../src/ir/operation.js").Module {
  const func = entryFunction(module).func;
  const body = func.regions[0]!.blocks[0]!;
  const ranges = readRanges(func);
  const producers = producerMap(body.ops);
  const supported = target ? new Set<string>(supportedOps(target)) : undefined;
  // `qopt.precision = "f32" | "f16"` (from select-precision) keeps an op in float.
  const keptFloat = (op: Operation): boolean => {
    const p = op.attributes["qopt.precision"];
    return p !== undefined && p.kind === "string" && (p.value === "f32" || p.value === "f16");
  };
  const quantizable = (op: Operation): boolean =>
    op.name.startsWith("float.") && !hasTrait(op, "ConstantLike") && op.name !== "float.batch_norm" && !keptFloat(op) && (supported === undefined || supported.has(opKindOf(op.name) ?? ""));
  const weightsOnly = mode === "dynamic-range" || mode === "weight-only" || mode === "float16";

  // Activation parameters of every value that is an input or output of a quantizable op.
  const activationParams = new Map<Value, UniformQuantType>();
  // Values whose quantization the input fixed (quantization-aware training placed their qcast/dcast
  // pair), with that type when it is per tensor: a dcast's source type, or the type a qcast casts to.
  const fixedIn = new Set<Value>();
  const fixedType = new Map<Value, UniformQuantType>();
  for (const op of body.ops) {
    const [value, quantized] = op.name === "quant.qcast" ? [op.operands[0]!, op.results[0]!] : op.name === "quant.dcast" ? [op.results[0]!, op.operands[0]!] : [];
    if (!value || !quantized) continue;
    fixedIn.add(value);
    const q = quantized.type.kind === "tensor" && quantized.type.element.kind === "quant.uniform" ? quantized.type.element : undefined;
    if (q && q.scales.length === 1 && !fixedType.has(value)) fixedType.set(value, q);
  }
  const paramsFor = (v: Value): UniformQuantType | undefined => {
    if (activationParams.has(v)) return activationParams.get(v);
    if (fixedIn.has(v)) return fixedType.get(v); // quantization-aware training fixed this type
    const producer = producers.get(v);
    if (producer && hasTrait(producer, "ConstantLike")) return undefined;
    const range = ranges.get(v);
    const def = producer ? getOpDef(producer.name) : undefined;
    const scheme = mode === "int16x8" ? { type: "i16" as const, range: storageRange("i16"), symmetric: true, powerOfTwo: activationScheme(target, producer).powerOfTwo } : activationScheme(target, producer);
    let params: QuantParams;
    if (def?.fixedOutputRange) params = fixedOutputParams(def.fixedOutputRange, scheme.type as "i8" | "u8" | "i16");
    else if (range) params = chooseQuantParams(range.min, range.max, scheme.range, chooseOptions(scheme));
    else return undefined;
    const q = activationType(scheme, params);
    activationParams.set(v, q);
    return q;
  };

  const out: Operation[] = [];
  const replaced = new Map<Value, Value>();
  const use = (v: Value): Value => replaced.get(v) ?? v;
  let quantizedOps = 0;
  const skipped: string[] = [];
  /** Per-operand replacements of the op being quantized (requantizing pairs); cleared after each op. */
  const requantized = new Map<string, Value>();
  const requantizedParams = new Map<number, UniformQuantType>();

  const addQdq = (v: Value, loc: Operation["loc"]): void => {
    if (weightsOnly || replaced.has(v) || fixedIn.has(v)) return; // a fixed value already has its pair
    const q = paramsFor(v);
    if (!q) return;
    const pair = qdqPair(v, q, loc);
    out.push(...pair.ops);
    replaced.set(v, pair.dequantized);
  };

  // Function inputs feeding quantizable ops are quantized at entry.
  for (const a of body.args) if (body.ops.some((op) => quantizable(op) && op.operands.includes(a))) addQdq(a, func.loc);

  for (const op of body.ops) {
    // float16 mode quantizes nothing to integers: the half-precision rewrite below does its work.
    if (mode === "float16" || !quantizable(op)) {
      out.push(remapOperands(op, use));
      continue;
    }
    // Activation inputs: a float producer's value is quantized here (for this and later consumers), and a
    // value quantized at another width than this op's precision gets a requantizing pair (a rescale once
    // lowered) — so mixed-precision neighbours stay integer instead of becoming float islands.
    if (!weightsOnly && mode !== "int16x8") {
      const activationInputs = hasTrait(op, "WeightedOp") ? [0] : op.operands.map((_, i) => i);
      const own = activationScheme(target, op);
      for (const i of activationInputs) {
        const v = op.operands[i]!;
        if (fixedIn.has(v) || producers.get(v)?.name === "quant.dcast") continue;
        if (!replaced.has(v)) {
          // A float producer's value is quantized at this consumer's precision.
          const range = ranges.get(v);
          if (!activationParams.has(v) && range && isIntegerType(own.type) && !hasTrait(producers.get(v) ?? op, "ConstantLike")) {
            const params = chooseQuantParams(range.min, range.max, own.range, chooseOptions(own));
            activationParams.set(v, activationType(own, params));
          }
          addQdq(v, op.loc);
          continue;
        }
        const have = activationParams.get(v);
        const range = ranges.get(v);
        const width = own.type === "i16" ? 16 : 8;
        if (!have || !range || have.storage.width === width || getOpDef(op.name)?.traits?.includes("SameOperandsAndResultScale")) continue;
        const params = chooseQuantParams(range.min, range.max, own.range, chooseOptions(own));
        const q = activationType(own, params);
        // One requantizing pair per value, however many operands of this op read it (add(x, x)).
        const first = op.operands.indexOf(v);
        const shared = first < i ? requantized.get(`${first}`) : undefined;
        if (shared) {
          requantized.set(`${i}`, shared);
          requantizedParams.set(i, q);
          continue;
        }
        const pair = qdqPair(replaced.get(v)!, q, op.loc);
        out.push(...pair.ops);
        requantized.set(`${i}`, pair.dequantized);
        requantizedParams.set(i, q);
        ctx.decisions.push({ pass: "quantize", kind: "requantize", op: op.name, message: `${op.name}: input requantized from i${have.storage.width} to ${own.type} for this op's precision` });
      }
    }
    let operands = op.operands.map((v, i) => requantized.get(`${i}`) ?? use(v));
    requantized.clear();
    const input0Params = requantizedParams.get(0);
    requantizedParams.clear();
    const opParamsFor = (v: Value): UniformQuantType | undefined => (input0Params && v === op.operands[0] ? input0Params : paramsFor(v));
    let weightsQuantized = false;
    if (hasTrait(op, "WeightedOp")) {
      const w = weightPieces(op, operands, producers, mode, perChannel, target, opParamsFor, ctx);
      if (w) {
        out.push(...w.ops);
        operands = w.operands;
        weightsQuantized = true;
      } else if (!weightsOnly) {
        skipped.push(op.name);
        out.push(remapOperands(op, use));
        continue;
      }
    } else if (!weightsOnly && op.operands.some((v) => !paramsFor(v))) {
      skipped.push(op.name);
      out.push(remapOperands(op, use));
      continue;
    }
    const newOp: Operation = mode === "dynamic-range" && weightsQuantized ? { ...op, operands, attributes: { ...op.attributes, "qopt.dynamic_range": { kind: "unit" } } } : { ...op, operands };
    out.push(newOp);
    // In the weights-only modes an op without quantized weights is left exactly as it was.
    if (!weightsOnly || weightsQuantized) quantizedOps++;
    for (const r of op.results) addQdq(r, op.loc);
  }
  if (skipped.length > 0) ctx.decisions.push({ pass: "quantize", kind: "left-float", message: `left ${skipped.length} ops in float for lack of ranges: ${[...new Set(skipped)].join(", ")}` });
  const half = toHalfPrecision(out, (op) => halfPrecisionOf(op, mode, target));
  if (mode === "float16") quantizedOps = half.compute + half.weights;
  if (half.compute + half.weights > 0) {
    ctx.decisions.push({
      pass: "quantize",
      kind: "float16",
      message: `${half.compute} ops compute in f16${half.weights > 0 ? `; ${half.weights} store f16 weights and compute in f32 (target ${target?.name ?? "?"} runs no f16)` : ""}`,
    });
  }
  ctx.decisions.push({ pass: "quantize", kind: "quantized", message: `${mode}: quantized ${quantizedOps} ops` });
  const newFunc: Operation = { ...func, regions: [{ blocks: [{ args: body.args, ops: half.ops }] }] };
  return { ...module, ops: module.ops.map((o) => (o === func ? newFunc : o)) };
}

/**
 * How a float op uses half precision: ops select-precision marked f16 compute in f16; in float16 mode
 * every other float op (not marked f32) computes in f16 where the target can (it lists f16 for the op,
 * falls back to f16, or there is no target), else stores its weights in f16.
 */
function halfPrecisionOf(op: Operation, mode: QuantizeMode, target: Target | undefined): HalfPrecision | undefined {
  if (!op.name.startsWith("float.") || hasTrait(op, "ConstantLike") || op.name === "float.cast") return undefined;
  if (!op.results.some((r) => isF32Tensor(r.type))) return undefined;
  const p = op.attributes["qopt.precision"];
  const precision = p?.kind === "string" ? p.value : undefined;
  if (precision === "f16") return "compute";
  if (mode !== "float16" || precision === "f32") return undefined;
  if (!target || (target.fallback.allowed && target.fallback.floatType === "f16")) return "compute";
  const kind = opKindOf(op.name);
  if (kind && supportsOp(target, kind, "f16", isWeightedOpKind(kind) ? "f16" : undefined)) return "compute";
  return "weights";
}

/** The per-tensor `!quant.uniform` type of an activation stored as `scheme` says, with `params`. */
function activationType(scheme: { readonly type: string; readonly range: { readonly qmin: number } }, params: QuantParams): UniformQuantType {
  const storage = scheme.type === "i16" ? "i16" : scheme.type === "u8" ? "u8" : "i8";
  return uniformType(storage, { scales: [params.scale], zeroPoints: [params.zeroPoint], narrow: scheme.range.qmin === storageRange(storage).qmin + 1 });
}

function remapOperands(op: Operation, use: (v: Value) => Value): Operation {
  const operands = op.operands.map(use);
  return operands.every((v, i) => v === op.operands[i]) ? op : { ...op, operands };
}

/**
 * The quantization spec's fixed output parameters: [0,1) ops 1/256 (zp −128 in i8, 0 in u8), [−1,1) ops
 * 1/128 (zp 0 in i8, 128 in u8); int16: 1/32768, zp 0.
 */
function constantOf(v: Value, producers: Map<Value, Operation>): DenseAttr | undefined {
  const p = producers.get(v);
  if (!p || !hasTrait(p, "ConstantLike")) return undefined;
  const value = p.attributes["value"] ?? p.properties?.["value"];
  return value && value.kind === "dense" && value.type.element.kind === "float" ? value : undefined;
}

function denseValues(d: DenseAttr): Float32Array {
  const count = (d.type.shape ?? []).reduce((a, b) => a * b, 1);
  if (d.splat) return new Float32Array(count).fill(Number(d.data[0]));
  return Float32Array.from(d.data as Float32Array);
}

/** Quantized weight and bias pieces for a WeightedOp; undefined when they cannot be built (no constant weight or input range). */
function weightPieces(
  op: Operation,
  operands: Value[],
  producers: Map<Value, Operation>,
  mode: QuantizeMode,
  perChannelOption: boolean,
  target: Target | undefined,
  paramsFor: (v: Value) => UniformQuantType | undefined,
  ctx: PassContext,
): { ops: Operation[]; operands: Value[] } | undefined {
  const weight = op.operands[1]!;
  // Weights that quantization-aware training already quantized stay as they are (the bias as given).
  if (producers.get(weight)?.name === "quant.dcast") return { ops: [], operands: [...operands] };
  const dense = constantOf(weight, producers);
  if (!dense) return undefined;
  const shape = dense.type.shape ?? [];
  const values = denseValues(dense);
  const ops: Operation[] = [];
  const newOperands = [...operands];
  const kind = op.name.slice(op.name.indexOf(".") + 1) as "conv2d" | "depthwise_conv2d" | "fully_connected";
  const perChannel = perChannelOption && (!target || weightGranularity(target, kind) === "per-channel");
  const axis = weightAxis(op);
  const channelRanges: Range[] = perChannel ? perChannelRanges(values, shape, axis) : [rangeOf(values)];
  const wRange = storageRange("i8", true);
  // Power-of-two targets requantize by shifts only: weight scales round up to 2^k too (range kept).
  const powerOfTwo = target !== undefined && scaleForm(target) === "power-of-two";
  let scales = channelRanges.map((r) => chooseQuantParams(r.min, r.max, wRange, { symmetric: true, powerOfTwo }).scale);
  if (powerOfTwo) {
    const rounded = channelRanges.filter((r, c) => chooseQuantParams(r.min, r.max, wRange, { symmetric: true }).scale !== scales[c]).length;
    if (rounded > 0) ctx.decisions.push({ pass: "quantize", kind: "scale-rounded", op: op.name, message: `${op.name}: rounded ${rounded} of ${scales.length} weight scales up to powers of two (target ${target!.name})` });
  }

  // Bias: int32 with scale s_in · s_w[c]; widen a channel's weight scale when its bias would not fit.
  const bias = op.operands[2];
  const biasDense = bias ? constantOf(bias, producers) : undefined;
  const inputParams = mode === "int8" || mode === "int16x8" ? paramsFor(op.operands[0]!) : undefined;
  if ((mode === "int8" || mode === "int16x8") && !inputParams) return undefined;
  if (biasDense && inputParams && mode === "int8") {
    const b = denseValues(biasDense);
    const sIn = inputParams.scales[0]!;
    const limit = 2 ** 31 - 1;
    // A per-tensor weight scale carries every channel's bias: the largest |bias| decides.
    const largest = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const widened: Array<{ channel: number; from: number; to: number }> = [];
    scales = scales.map((s, c) => {
      const bc = perChannel ? Math.abs(b[c] ?? 0) : largest;
      const needed = bc / (sIn * limit);
      if (needed <= s) return s;
      const to = powerOfTwo ? powerOfTwoAtLeast(needed) : needed;
      widened.push({ channel: c, from: s, to });
      return to;
    });
    if (widened.length > 0) {
      const which = perChannel ? `the weight scales of ${widened.length} of ${scales.length} channels` : "the per-tensor weight scale";
      ctx.decisions.push({
        pass: "quantize",
        kind: "bias-widened",
        op: op.name,
        message: `${op.name}: widened ${which} so the int32 bias fits (|bias| / (s_in · s_w) must stay ≤ 2^31 − 1)`,
        details: { inputScale: sIn, channels: widened },
      });
    }
  }
  const wq = uniformType("i8", { scales, zeroPoints: scales.map(() => 0), narrow: true, ...(perChannel ? { axis } : {}) });
  const wPair = qdqPair(weight, wq, op.loc);
  ops.push(...wPair.ops);
  newOperands[1] = wPair.dequantized;
  if (bias && biasDense && inputParams && mode === "int8") {
    const sIn = inputParams.scales[0]!;
    const biasScales = perChannel ? scales.map((s) => s * sIn) : [scales[0]! * sIn];
    const bq = uniformType("i32", { scales: biasScales, zeroPoints: biasScales.map(() => 0), ...(perChannel ? { axis: 0 } : {}) });
    const bPair = qdqPair(bias, bq, op.loc);
    ops.push(...bPair.ops);
    newOperands[2] = bPair.dequantized;
  }
  return { ops, operands: newOperands };
}

function rangeOf(values: Float32Array): Range {
  let min = 0;
  let max = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

