/**
 * conv2d / depthwise_conv2d / fully_connected / matmul in QDQ form → `hw.conv2d` / `hw.depthwise_conv2d`
 * / `hw.fully_connected` / `hw.matmul` (references.md, "Conv / fully connected"):
 *   acc = Σ (in − input_zp)·w + bias,  out = clamp(requantize(acc, M[c]) + output_zp, act_min, act_max)
 * with M[c] = s_in·s_w[c]/s_out from float32 scales (as TFLite's Prepare computes it), weights quantized
 * with their `quant.qcast` parameters and the target's tie rounding, bias in units of s_in·s_w[c]
 * (int32, or int64 for 16-bit activations), and the fused activation as the clamp.
 */
import { attr, intAttr, boolAttr } from "../../src/ir/attr-access.js";
import type { Attribute, DenseData } from "../../src/ir/attributes.js";
import type { Value } from "../../src/ir/operation.js";
import { i32, i64, type IntegerType, type TensorType, type UniformQuantType } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";
import { quantizeTensor } from "../../dialects/quant/quantize-tensor.js";
import { activationRange } from "../../dialects/float/activation.js";
import { opAttributes } from "../../dialects/float/attribute-defaults.js";
import { readWindow, resolvePads } from "../../dialects/float/window.js";
import { biasType, isPowerOfTwo, nearestLegalScale, weightGranularity, zeroPointRange } from "../../src/target/queries.js";
import { activationBounds, f32Scale, quantizeBias, refuse, requantParams, type RequantParams } from "../../src/quant/lowering-params.js";
import {
  checkZeroPoints,
  denseInts,
  outputParams,
  shapeOf,
  storageIntegerType,
  tensorLike,
  type LoweringEnv,
  type Lowered,
  type QTensor,
  type Site,
} from "./env.js";
import { operandTypeOfQuant } from "../../src/target/op-kind.js";
import { blockCsrAttributes, blockCsrBytes, sparseBlockShape, toBlockCsr, type SparseKind } from "./sparse.js";

export type WeightedKind = "conv2d" | "depthwise_conv2d" | "fully_connected";

/** The requantization attributes of the output stage, recording the pure shifts of power-of-two targets. */
export function requantAttributes(real: readonly number[], wide: boolean, env: LoweringEnv, site: Site): Record<string, Attribute> {
  const params: RequantParams = requantParams(real, { rounding: env.rounding, wide, powerOfTwo: env.powerOfTwo });
  if (params.form === "scale") return { scale: attr.f64s(params.scale), rounding: attr.str("half-even-float") };
  if (env.powerOfTwo) {
    env.decide("pure-shift", site.op, `${site.op.name}: requantization is a pure shift (multiplier 2^30, shifts [${params.shift.join(", ")}])`, { shift: params.shift });
  }
  return { multiplier: attr.ints(params.multiplier), shift: attr.ints(params.shift), rounding: attr.str(env.rounding) };
}

/** act_min/act_max: the fused activation's real bounds quantized to the result, clamped to its storage range. */
export function clampAttributes(site: Site, out: QTensor, env: LoweringEnv): Record<string, Attribute> {
  const { actMin, actMax } = activationBounds(activationRange(site.op), outputParams(out), env.ties);
  return { act_min: attr.int(actMin), act_max: attr.int(actMax) };
}

function scalesClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Power-of-two targets: the quantize pass leaves weight scales as calibrated, so each is rounded up to
 * a power of two here (references.md: rounding up keeps the range) and the weights and bias are
 * re-quantized; logged.
 */
function powerOfTwoWeights(q: UniformQuantType, env: LoweringEnv, site: Site): UniformQuantType {
  if (!env.powerOfTwo || q.scales.every((s) => isPowerOfTwo(f32Scale(s)))) return q;
  const scales = q.scales.map((s) => nearestLegalScale(env.target, f32Scale(s)));
  env.decide(
    "scale-rounded",
    site.op,
    `${site.op.name}: weight scales rounded up to powers of two for target "${env.target.name}" (the QDQ input has ${q.scales.filter((s) => !isPowerOfTwo(f32Scale(s))).length} other scales); weights and bias re-quantized`,
    { from: q.scales, to: scales },
  );
  return { ...q, scales };
}

/**
 * The filter: its per-channel float32 scales, zero point and `operand()` (emits the `hw.const` for
 * constant weights on first call); for constant weights also their stored integers, which a sparse
 * lowering takes instead of the operand.
 */
interface Filter {
  readonly scales: number[];
  readonly zp: number;
  readonly operand: () => Value;
  readonly stored?: { readonly data: Int8Array | Uint8Array; readonly element: IntegerType };
}

function filterOperand(site: Site, env: LoweringEnv, kind: WeightedKind, axis: number, wide: boolean): Filter {
  const w = env.weight(site, 1);
  const shape = shapeOf(w.type);
  if (!shape) refuse(`the weights have no static shape (${printType(w.type)})`);
  if (w.q.axis !== undefined && w.q.axis !== axis) refuse(`the weights are quantized along axis ${w.q.axis}, but the output channels are axis ${axis}`);
  checkZeroPoints(w.q, "weight");
  const zp = w.q.zeroPoints[0]!;
  if (w.q.zeroPoints.some((z) => z !== zp)) refuse(`the weights have different zero points per channel; hw ops take one weight_zp`);
  const storage = operandTypeOfQuant(w.q);
  if (storage !== "i8" && storage !== "u8") refuse(`the weights are stored as ${printType(w.q.storage)}; hw ops take i8 or u8 weights`);
  if (wide && storage !== "i8") refuse(`16-bit activations need i8 weights (TFLite 16x8), got ${storage}`);
  const zps = zeroPointRange(env.target, "weights", storage);
  if (zps && (zp < zps[0] || zp > zps[1])) refuse(`the weight zero point ${zp} is outside [${zps[0]}, ${zps[1]}], which target "${env.target.name}" requires for ${storage} weights`);
  if (weightGranularity(env.target, kind) === "per-tensor" && new Set(w.q.scales).size > 1) {
    refuse(`the weights have ${w.q.scales.length} per-channel scales, but target "${env.target.name}" takes per-tensor ${kind} weights`);
  }
  if (w.constant === undefined) {
    if (env.powerOfTwo && !w.q.scales.every((s) => isPowerOfTwo(f32Scale(s)))) refuse(`the (non-constant) weights have non-power-of-two scales`);
    const value = w.value!;
    return { operand: () => value, scales: w.q.scales.map(f32Scale), zp };
  }
  const q = powerOfTwoWeights(w.q, env, site);
  const stored = quantizeTensor({ dtype: "f32", shape, data: w.constant }, q, env.ties);
  const type: TensorType = tensorLike(w.type, q);
  const element = storageIntegerType(q);
  let value: Value | undefined;
  const operand = (): Value => (value ??= env.constant(denseInts(element, shape, stored.data as DenseData), type, site.op.loc));
  const data = stored.data instanceof Int8Array || stored.data instanceof Uint8Array ? { stored: { data: stored.data, element } } : {};
  return { operand, scales: q.scales.map(f32Scale), zp, ...data };
}

/** The bias operand as `hw.const` in accumulator units s_in·s_w[c]: int32 for 8-bit activations, int64 for 16-bit. */
function biasOperand(site: Site, env: LoweringEnv, sIn: number, scales: readonly number[], channels: number, x: QTensor) {
  const b = env.bias(site, 2);
  if (!b) return undefined;
  if (b.real.length !== channels) refuse(`the bias has ${b.real.length} values for ${channels} output channels`);
  const wide = x.storage === "i16";
  const unit = scales.map((s) => sIn * s);
  const width = wide ? 64 : 32;
  let data: Int32Array | BigInt64Array;
  let clamped = 0;
  const bq = b.q;
  const unitOf = (c: number): number => unit[unit.length === 1 ? 0 : c]!;
  const bScale = (c: number): number => f32Scale(bq!.scales[bq!.scales.length === 1 ? 0 : c]!);
  if (bq && b.stored && !wide && b.stored.every((_, c) => scalesClose(bScale(c), unitOf(c)))) {
    // The QDQ bias already has scale s_in·s_w[c] (TFLite's rule): its stored integers are the bias.
    data = Int32Array.from(b.stored);
  } else {
    // The bias the QDQ program adds (its dequantized value, or the float bias in int16x8 mode) in accumulator units.
    const real = bq && b.stored ? Float32Array.from(b.stored, (v, c) => Math.fround((v - bq.zeroPoints[bq.zeroPoints.length === 1 ? 0 : c]!) * bScale(c))) : b.real;
    ({ data, clamped } = quantizeBias(real, unit, width, env.ties));
  }
  const targetBias = biasType(env.target, x.storage as "i8" | "u8" | "i16");
  if (targetBias === "i32" && wide) {
    // The hw ops hold 16-bit activations' bias as int64; the target stores int32: check it fits.
    const big = [...(data as BigInt64Array)].filter((v) => v > 2147483647n || v < -2147483647n).length;
    if (big > 0) refuse(`${big} bias values do not fit the int32 bias of target "${env.target.name}"`);
  }
  if (clamped > 0) env.decide("bias-clamped", site.op, `${site.op.name}: ${clamped} bias values clamped to the int${width} range`);
  const element = wide ? i64 : i32;
  return env.constant(denseInts(element, [channels], data), { kind: "tensor", shape: [channels], element }, site.op.loc);
}

/** Explicit `[top, left, bottom, right]` padding from "same"/"valid"/explicit and static spatial dims. */
function windowAttributes(site: Site, x: QTensor, kernel: readonly [number, number]): Record<string, Attribute> {
  const window = readWindow(opAttributes(site.op));
  if (typeof window === "string") refuse(window);
  const shape = shapeOf(x.type);
  const [H, W] = [shape?.[1] ?? -1, shape?.[2] ?? -1];
  if (window.padding.kind === "same" && (H < 0 || W < 0)) refuse(`padding = "same" needs static spatial dims to become explicit padding, got ${printType(x.type)}`);
  const pads = resolvePads(window, [H, W], kernel);
  return { strides: attr.ints(window.strides), dilations: attr.ints(window.dilations), padding: attr.ints(pads) };
}

export function lowerWeighted(site: Site, env: LoweringEnv, kind: WeightedKind): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  const out = env.output(site);
  const wide = x.storage === "i16";
  if (out.storage !== x.storage && !(x.storage !== "i16" && out.storage !== "i16")) refuse(`it changes the activation width (${x.storage} in, ${out.storage} out)`);
  const axis = kind === "depthwise_conv2d" ? 3 : 0;
  const filter = filterOperand(site, env, kind, axis, wide);
  const wShape = shapeOf(op.operands[1]!.type)!;
  const channels = wShape[axis]!;
  if (!(channels >= 0)) refuse(`the number of output channels is not static`);
  const a = opAttributes(op);
  const window = kind !== "fully_connected" ? windowAttributes(site, x, [wShape[1]!, wShape[2]!]) : {};
  const groups: Record<string, Attribute> = kind === "conv2d" && intAttr(a, "groups", 1) !== 1 ? { groups: attr.int(intAttr(a, "groups", 1)) } : {};
  const sparse = kind !== "depthwise_conv2d" ? sparseWeights(site, env, kind, filter, wShape, { ...window, ...groups }) : undefined;
  // Dense weights are emitted before the bias (the order the lowered IR shows them in).
  const weights = sparse ? undefined : filter.operand();
  const bias = biasOperand(site, env, x.scale, filter.scales, channels, x);
  const real = filter.scales.map((s) => (x.scale * s) / out.scale);
  const attrs: Record<string, Attribute> = {
    input_zp: attr.int(x.zp),
    ...(filter.zp !== 0 ? { weight_zp: attr.int(filter.zp) } : {}),
    output_zp: attr.int(out.zp),
    ...requantAttributes(real, wide, env, site),
    ...clampAttributes(site, out, env),
  };
  if (sparse && kind !== "depthwise_conv2d") {
    // The dense op's output stage; an unpadded 1×1 conv needs no padding or dilations, only strides.
    if (kind === "conv2d") attrs["strides"] = window["strides"]!;
    const operands = bias ? [x.value, bias] : [x.value];
    return { value: env.emit(`hw.sparse_${kind}`, operands, { ...attrs, ...sparse }, out.type, op.loc), exact: false };
  }
  Object.assign(attrs, window, groups);
  if (kind === "depthwise_conv2d") attrs["depth_multiplier"] = attr.int(intAttr(a, "depth_multiplier", 1));
  const operands = bias ? [x.value, weights!, bias] : [x.value, weights!];
  return { value: env.emit(`hw.${kind}`, operands, attrs, out.type, op.loc), exact: false };
}

/** Why a weighted op's form rules out its sparse op: hw.sparse_conv2d is a 1×1, stride-1, unpadded, ungrouped conv. */
function sparseBlocker(kind: SparseKind, filter: Filter, wShape: readonly number[], attrs: Readonly<Record<string, Attribute>>): string | undefined {
  if (!filter.stored) return `the weights are not constant`;
  if (kind === "fully_connected") return undefined;
  if (wShape[1] !== 1 || wShape[2] !== 1) return `hw.sparse_conv2d takes 1x1 kernels, not ${wShape[1]}x${wShape[2]}`;
  const window = (name: string): readonly number[] => {
    const v = attrs[name];
    return v && v.kind === "array" ? v.elements.map((e) => (e.kind === "int" ? Number(e.value) : NaN)) : [];
  };
  if (window("padding").some((p) => p !== 0)) return `hw.sparse_conv2d takes no padding, the conv pads [${window("padding").join(", ")}]`;
  if (window("strides").some((s) => s !== 1)) return `the conv has strides [${window("strides").join(", ")}]; sparse lowering handles stride 1 only`;
  if (attrs["groups"] !== undefined) return `the conv is grouped`;
  return undefined;
}

/** The block CSR attributes of the weights when the op is pruned and the target runs it sparse (logged either way), else undefined. */
function sparseWeights(
  site: Site,
  env: LoweringEnv,
  kind: SparseKind,
  filter: Filter,
  wShape: readonly number[],
  windowAttrs: Readonly<Record<string, Attribute>>,
): Record<string, Attribute> | undefined {
  const op = site.op;
  const kernel: readonly [number, number] | undefined = kind === "conv2d" ? [wShape[1]!, wShape[2]!] : undefined;
  const OUT = wShape[0]!;
  const IN = wShape[wShape.length - 1]!;
  const shape = sparseBlockShape(op, env, kind, kernel, sparseBlocker(kind, filter, wShape, windowAttrs));
  if (!shape) return undefined;
  if (OUT % shape[0] !== 0 || IN % shape[1] !== 0) {
    const reason = `the [${OUT}, ${IN}] weight matrix does not divide into ${shape[0]}x${shape[1]} blocks`;
    env.decide("sparse-skipped", op, `${op.name}: stays dense despite qopt.block: ${reason}`, { reason });
    return undefined;
  }
  const stored = filter.stored!;
  const csr = toBlockCsr(stored.data, OUT, IN, shape, filter.zp);
  const denseBytes = stored.data.length;
  const sparseBytes = blockCsrBytes(csr);
  env.decide(
    "sparse",
    op,
    `${op.name}: block-sparse ${shape[0]}x${shape[1]}: ${csr.kept}/${csr.total} blocks kept; weights ${denseBytes} → ${sparseBytes} bytes (${denseBytes - sparseBytes} saved)`,
    { kept: csr.kept, total: csr.total, denseBytes, sparseBytes },
  );
  return blockCsrAttributes(csr, stored.element);
}

/** float.matmul of two quantized tensors (ONNX QLinearMatMul) → hw.matmul; per-tensor parameters, no transposes. */
export function lowerMatmul(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const a = opAttributes(op);
  if (boolAttr(a, "transpose_a") || boolAttr(a, "transpose_b")) refuse(`hw.matmul has no transposed operands`);
  const lhs = env.activation(site, 0);
  const rhs = env.activation(site, 1);
  const out = env.output(site);
  if ((shapeOf(lhs.type)?.length ?? 0) < 2 || (shapeOf(rhs.type)?.length ?? 0) < 2) refuse(`hw.matmul needs operands of rank ≥ 2`);
  if (rhs.storage !== "i8" && rhs.storage !== "u8") refuse(`hw.matmul takes an i8 or u8 right-hand side, got ${rhs.storage}`);
  const wide = lhs.storage === "i16";
  if (wide && rhs.storage !== "i8") refuse(`a 16-bit left-hand side needs an i8 right-hand side`);
  const attrs: Record<string, Attribute> = {
    a_zp: attr.ints([lhs.zp]),
    b_zp: attr.ints([rhs.zp]),
    output_zp: attr.int(out.zp),
    ...requantAttributes([(lhs.scale * rhs.scale) / out.scale], wide, env, site),
    ...clampAttributes(site, out, env),
  };
  return { value: env.emit("hw.matmul", [lhs.value, rhs.value], attrs, out.type, op.loc), exact: false };
}
