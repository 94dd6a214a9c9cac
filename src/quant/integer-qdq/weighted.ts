/**
 * Integer meaning of a conv2d / depthwise_conv2d / fully_connected / matmul node unit (references.md, "Conv /
 * fully connected"): acc = Σ (x − z_x)(w − z_w) + bias, y = clamp(z_y + requantize(acc, M[c])) with
 * M[c] = s_x·s_w[c]/s_y from float32 scales, the bias in units of s_x·s_w[c] (int32; int64 for 16-bit
 * activations) and the fused activation's real bounds as the clamp. Weights are the stored integers of
 * their `quant.qcast`; the geometry is the float op's own.
 */
import { boolAttr, intAttr } from "../../ir/attr-access.js";
import { makeTensor, type Tensor } from "../../interp/tensor.js";
import { activationRange } from "../../../dialects/float/activation.js";
import { opAttributes } from "../../../dialects/float/attribute-defaults.js";
import { readWindow, resolvePads } from "../../../dialects/float/window.js";
import { conv2d } from "../../../dialects/hw/kernels/conv2d.js";
import { depthwiseConv2d } from "../../../dialects/hw/kernels/depthwise-conv2d.js";
import { fullyConnected } from "../../../dialects/hw/kernels/fully-connected.js";
import { matmul } from "../../../dialects/hw/kernels/matmul.js";
import type { RequantAttrs } from "../../../dialects/hw/kernels/output-stage.js";
import { activationBounds, f32Scale, quantizeBias, refuse, requantParams } from "../lowering-params.js";
import { weightGranularity, zeroPointRange } from "../../target/queries.js";
import { activation, outputParams, type Stored, type TensorParams, type Unit } from "./unit.js";

export type WeightedKind = "conv2d" | "depthwise_conv2d" | "fully_connected";

/** The weights' stored integers with per-output-channel float32 scales (axis 0, or 3 for depthwise). */
function filter(unit: Unit, axis: number, kind: WeightedKind | "matmul"): { stored: Stored; scales: number[]; zp: number } {
  const w = unit.stored[1];
  if (!w) refuse(`the weights are not dequantized from a quantized value`);
  const q = w.q;
  if (q.axis !== undefined && q.axis !== axis) refuse(`the weights are quantized along axis ${q.axis}, not the output channels`);
  const zp = q.zeroPoints[0]!;
  if (q.zeroPoints.some((z) => z !== zp)) refuse(`the weight zero points differ per channel`);
  if (q.storage.width !== 8) refuse(`the weights are stored in ${q.storage.width} bits`);
  // The target's weight rules: its zero-point range and, per op kind, per-tensor or per-channel scales.
  const target = unit.arithmetic.target;
  const zps = zeroPointRange(target, "weights", q.storage.signedness === "unsigned" ? "u8" : "i8");
  if (zps && (zp < zps[0] || zp > zps[1])) refuse(`the weight zero point ${zp} is outside [${zps[0]}, ${zps[1]}]`);
  if (kind !== "matmul" && weightGranularity(target, kind) === "per-tensor" && new Set(q.scales).size > 1) refuse(`the target takes per-tensor ${kind} weights`);
  return { stored: w, scales: q.scales.map(f32Scale), zp };
}

/** The bias in accumulator units s_x·s_w[c]: the dequantized QDQ bias (or the float one), divided and rounded as the target quantizes. */
function bias(unit: Unit, x: TensorParams, scales: readonly number[], channels: number): Tensor | undefined {
  if (unit.op.operands.length < 3) return undefined;
  const b = unit.stored[2];
  const wide = x.storage === "i16";
  const units = scales.map((s) => x.scale * s);
  if (b && !wide && b.q.storage.width === 32 && b.q.zeroPoints.every((z) => z === 0) && units.every((u, c) => sameScale(f32Scale(b.q.scales[b.q.scales.length === 1 ? 0 : c]!), u))) {
    // A bias already in accumulator units (TFLite's rule for int8): its stored integers are the bias.
    return makeTensor("i32", [channels], Int32Array.from(b.tensor.data as Int32Array));
  }
  const real = b ? dequantized(b) : (unit.floats[2]!.data as Float32Array);
  if (real.length !== channels) refuse(`the bias has ${real.length} values for ${channels} channels`);
  const { data } = quantizeBias(real, units, wide ? 64 : 32, unit.arithmetic.ties);
  return makeTensor(wide ? "i64" : "i32", [channels], data);
}

/** Equal up to the float32 rounding of a printed scale. */
function sameScale(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

function dequantized(s: Stored): Float32Array {
  const q = s.q;
  const channels = q.scales.length;
  const src = s.tensor.data as ArrayLike<number>;
  return Float32Array.from({ length: src.length }, (_, i) => {
    const c = channels === 1 ? 0 : i % channels;
    return Math.fround((src[i]! - q.zeroPoints[c]!) * f32Scale(q.scales[c]!));
  });
}

/** multiplier/shift (or real scales for half-even-float), output zero point and the fused activation's clamp. */
function outputStageAttributes(unit: Unit, x: TensorParams, scales: readonly number[]): RequantAttrs {
  const y = outputParams(unit);
  const a = unit.arithmetic;
  const real = scales.map((s) => (x.scale * s) / y.scale);
  const p = requantParams(real, { rounding: a.rounding, wide: x.storage === "i16", powerOfTwo: a.powerOfTwo });
  const { actMin, actMax } = activationBounds(activationRange(unit.op), { scale: y.scale, zeroPoint: y.zp, qmin: y.qmin, qmax: y.qmax }, a.ties);
  const requant = p.form === "scale" ? { multiplier: real.map(() => 0), shift: real.map(() => 0), scale: p.scale } : { multiplier: p.multiplier, shift: p.shift };
  return { ...requant, output_zp: y.zp, act_min: actMin, act_max: actMax, rounding: a.rounding };
}

/** The float op's explicit [top, bottom, left, right] padding, strides and dilations, as the hw kernels take them. */
function geometry(unit: Unit, kernel: readonly [number, number]) {
  const w = readWindow(opAttributes(unit.op));
  if (typeof w === "string") refuse(w);
  const shape = unit.floats[0]!.shape;
  const [top, left, bottom, right] = resolvePads(w, [shape[1]!, shape[2]!], kernel);
  return { stride: w.strides, dilation: w.dilations, pad: [top, bottom, left, right] as const };
}

export function weighted(unit: Unit, kind: WeightedKind): Stored {
  const x = activation(unit, 0);
  const y = outputParams(unit);
  if ((x.params.storage === "i16") !== (y.storage === "i16")) refuse(`the activation width changes (${x.params.storage} → ${y.storage})`);
  const axis = kind === "depthwise_conv2d" ? 3 : 0;
  const f = filter(unit, axis, kind);
  const wShape = f.stored.tensor.shape;
  const channels = wShape[axis]!;
  const common = { input_zp: x.params.zp, weight_zp: f.zp, ...outputStageAttributes(unit, x.params, f.scales), output_type: y.storage };
  const b = bias(unit, x.params, f.scales, channels);
  let out: Tensor;
  if (kind === "fully_connected") {
    out = fullyConnected(x.tensor, f.stored.tensor, b, common);
    // TFLite's fully connected flattens leading dims; the float op keeps them.
    out = { ...out, shape: [...x.tensor.shape.slice(0, -1), channels] };
  } else {
    const g = geometry(unit, [wShape[1]!, wShape[2]!]);
    const attrs = opAttributes(unit.op);
    out =
      kind === "conv2d"
        ? conv2d(x.tensor, f.stored.tensor, b, { ...common, ...g, groups: intAttr(attrs, "groups", 1) })
        : depthwiseConv2d(x.tensor, f.stored.tensor, b, { ...common, ...g, depth_multiplier: intAttr(attrs, "depth_multiplier", 1) });
  }
  return { tensor: out, type: unit.output, q: unit.output.element };
}

/** matmul of two quantized tensors (ONNX QLinearMatMul): per-tensor parameters, the same output stage. */
export function matmulUnit(unit: Unit): Stored {
  const a = opAttributes(unit.op);
  if (boolAttr(a, "transpose_a") || boolAttr(a, "transpose_b")) refuse(`transposed operands`);
  const lhs = activation(unit, 0);
  const rhs = activation(unit, 1);
  if (rhs.params.storage === "i16") refuse(`a 16-bit right-hand side`);
  const y = outputParams(unit);
  const requant = outputStageAttributes(unit, lhs.params, [rhs.params.scale]);
  const tensor = matmul(lhs.tensor, rhs.tensor, { a_zp: [lhs.params.zp], b_zp: [rhs.params.zp], requant, output_type: y.storage });
  return { tensor, type: unit.output, q: unit.output.element };
}
