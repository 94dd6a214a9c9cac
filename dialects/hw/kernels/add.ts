/**
 * hw.add: quantized elementwise addition, TFLite reference_integer_ops::AddElementwise (int8, and
 * the general int16 path) / CMSIS-NN arm_elementwise_add_s8:
 *   a = (in1 − input1_zp) · 2^left_shift,  b = (in2 − input2_zp) · 2^left_shift      (C int32)
 *   sum = MBQM(a, input1_multiplier, input1_shift) + MBQM(b, input2_multiplier, input2_shift)
 *   out = clamp(MBQM(sum, output_multiplier, output_shift) + output_zp, act_min, act_max)
 * MBQM is TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp, which is MultiplyByQuantizedMultiplier
 * for the shifts ≤ 0 that Prepare produces; `rounding` picks the double- or single-rounding build
 * (or TOSA apply_scale_32, equal to double rounding). left_shift is 20 for int8 and 15 for int16.
 * TFLite's separate power-of-two int16 path (zero points 0, POT scales, saturating shifts) is not
 * this kernel. NumPy broadcasting as TFLite's BroadcastAdd.
 */

import { quantizeMultiplier } from "../../../src/interp/fixed-point.js";
import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import {
  elementwiseStage,
  type IntegerRounding,
  type IntOutputType,
} from "./output-stage.js";

export interface AddAttrs {
  readonly input1_zp: number;
  readonly input2_zp: number;
  readonly output_zp: number;
  /** 20 for int8, 15 for int16 (TFLite add.cc Prepare). */
  readonly left_shift: number;
  readonly input1_multiplier: number;
  readonly input1_shift: number;
  readonly input2_multiplier: number;
  readonly input2_shift: number;
  readonly output_multiplier: number;
  readonly output_shift: number;
  readonly act_min?: number;
  readonly act_max?: number;
  readonly rounding?: IntegerRounding;
  readonly output_type?: IntOutputType;
}

export function add(input1: Tensor, input2: Tensor, attrs: AddAttrs): Tensor {
  return addOrSubtract("add", input1, input2, attrs);
}

/**
 * hw.sub: TFLite's quantized SUB as current TFLite runs it (kernels/sub.cc: PrepareGeneralSubOp with
 * input2's multiplier negated, then the ADD kernel): the attributes are ADD's, and input2 is scaled by
 * −input2_multiplier. That differs from subtracting the scaled input2 at rounding ties (a negative
 * product rounds differently), which is why it is written this way and not as scaled1 − scaled2; with
 * TOSA's double rounding (non-negative multipliers only) the scaled input2 is subtracted, as TOSA's
 * legalization of SUB (RESCALE both inputs, SUB, RESCALE) computes it.
 */
export function sub(input1: Tensor, input2: Tensor, attrs: AddAttrs): Tensor {
  return addOrSubtract("sub", input1, input2, attrs);
}

function addOrSubtract(kind: "add" | "sub", input1: Tensor, input2: Tensor, attrs: AddAttrs): Tensor {
  if (!Number.isInteger(attrs.left_shift) || attrs.left_shift < 0 || attrs.left_shift > 30) {
    throw new RangeError(`${kind}: left_shift must be an integer in [0, 30], got ${attrs.left_shift}`);
  }
  const { a, b, outType, min, max, requant, bc, out } = elementwiseStage(kind, input1, input2, attrs);
  // TOSA's apply_scale_32 (double-round) takes non-negative multipliers only: its SUB rescales both
  // inputs and subtracts the scaled values.
  const negateInput2 = kind === "sub" && attrs.rounding === "double-round";
  const off1 = -attrs.input1_zp;
  const off2 = -attrs.input2_zp;
  const scaleUp = 2 ** attrs.left_shift;
  const { input1_multiplier: m1, input1_shift: s1, input2_multiplier: m2, input2_shift: s2 } = attrs;
  const { output_multiplier: mo, output_shift: so, output_zp: zp } = attrs;
  const idx1 = bc.index1;
  const idx2 = bc.index2;
  for (let i = 0; i < bc.size; i++) {
    const x1 = a[idx1 === null ? i : idx1[i]!]! + off1;
    const x2 = b[idx2 === null ? i : idx2[i]!]! + off2;
    // `x · (1 << left_shift)` in C int32: Math.imul wraps identically (never needed for sane inputs).
    const scaled1 = requant(Math.imul(x1, scaleUp), m1, s1, Number.NaN);
    const scaled2 = negateInput2 ? -requant(Math.imul(x2, scaleUp), m2, s2, Number.NaN) : requant(Math.imul(x2, scaleUp), kind === "sub" ? -m2 : m2, s2, Number.NaN);
    const v = requant((scaled1 + scaled2) | 0, mo, so, Number.NaN) + zp;
    out[i] = v < min ? min : v > max ? max : v;
  }
  return makeTensor(outType, bc.shape, out);
}

/** Quantization parameters of one tensor. Pass float32 scales (Math.fround) to reproduce TFLite. */
export interface TensorQuantParams {
  readonly scale: number;
  readonly zp: number;
}

/**
 * TFLite add.cc Prepare (general path): twice_max = 2·max(s1, s2); input multipliers s_i/twice_max,
 * output multiplier twice_max / (2^left_shift · s_out), each through QuantizeMultiplier (all < 1,
 * so every shift is ≤ 0).
 */
export function prepareAdd(in1: TensorQuantParams, in2: TensorQuantParams, out: TensorQuantParams, storage: "i8" | "i16"): AddAttrs {
  const leftShift = storage === "i16" ? 15 : 20;
  const twiceMax = 2 * Math.max(in1.scale, in2.scale);
  const q1 = quantizeMultiplier(in1.scale / twiceMax);
  const q2 = quantizeMultiplier(in2.scale / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** leftShift * out.scale));
  for (const q of [q1, q2, qo]) {
    if (q.shift > 0) throw new RangeError("add: a rescale multiplier is ≥ 1 (TFLite requires all three below 1)");
  }
  return {
    input1_zp: in1.zp,
    input2_zp: in2.zp,
    output_zp: out.zp,
    left_shift: leftShift,
    input1_multiplier: q1.multiplier,
    input1_shift: q1.shift,
    input2_multiplier: q2.multiplier,
    input2_shift: q2.shift,
    output_multiplier: qo.multiplier,
    output_shift: qo.shift,
  };
}
