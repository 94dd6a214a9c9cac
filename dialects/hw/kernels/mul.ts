/**
 * hw.mul: quantized elementwise multiplication, TFLite reference_integer_ops::MulElementwise (int8 and
 * int16) / CMSIS-NN arm_elementwise_mul_s8:
 *   p = (in1 − input1_zp)·(in2 − input2_zp)                                           (C int32)
 *   out = clamp(MBQM(p, output_multiplier, output_shift) + output_zp, act_min, act_max)
 * with `output_multiplier/shift = QuantizeMultiplier(s1·s2/s_out)`. Unlike ADD there is no left shift
 * and no per-input rescale. NumPy broadcasting as TFLite's BroadcastMul.
 */

import { quantizeMultiplier } from "../../../src/interp/fixed-point.js";
import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import type { TensorQuantParams } from "./add.js";
import {
  elementwiseStage,
  type IntegerRounding,
  type IntOutputType,
} from "./output-stage.js";

export interface MulAttrs {
  readonly input1_zp: number;
  readonly input2_zp: number;
  readonly output_zp: number;
  readonly output_multiplier: number;
  readonly output_shift: number;
  readonly act_min?: number;
  readonly act_max?: number;
  readonly rounding?: IntegerRounding;
  readonly output_type?: IntOutputType;
}

export function mul(input1: Tensor, input2: Tensor, attrs: MulAttrs): Tensor {
  const { a, b, outType, min, max, requant, bc, out } = elementwiseStage("mul", input1, input2, attrs);
  const off1 = -attrs.input1_zp;
  const off2 = -attrs.input2_zp;
  const { output_multiplier: m, output_shift: s, output_zp: zp } = attrs;
  const idx1 = bc.index1;
  const idx2 = bc.index2;
  for (let i = 0; i < bc.size; i++) {
    const x1 = a[idx1 === null ? i : idx1[i]!]! + off1;
    const x2 = b[idx2 === null ? i : idx2[i]!]! + off2;
    const v = requant(Math.imul(x1, x2), m, s, Number.NaN) + zp;
    out[i] = v < min ? min : v > max ? max : v;
  }
  return makeTensor(outType, bc.shape, out);
}

/** TFLite mul.cc Prepare: `QuantizeMultiplier(s1·s2/s_out)` (double arithmetic on the float32 scales). */
export function prepareMul(in1: TensorQuantParams, in2: TensorQuantParams, out: TensorQuantParams): MulAttrs {
  const q = quantizeMultiplier((in1.scale * in2.scale) / out.scale);
  return {
    input1_zp: in1.zp,
    input2_zp: in2.zp,
    output_zp: out.zp,
    output_multiplier: q.multiplier,
    output_shift: q.shift,
  };
}
