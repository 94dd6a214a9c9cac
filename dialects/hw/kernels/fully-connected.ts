/**
 * hw.fully_connected: integer matrix × weightsᵀ with fused requantization and clamp.
 *
 * TFLite reference_integer_ops::FullyConnected / FullyConnectedPerChannel, CMSIS-NN arm_fully_connected_s8:
 *   acc[b,o] = Σ_i (in[b,i] − input_zp)·(w[o,i] − weight_zp) + bias[o]
 *   out = clamp(requantize(acc, multiplier[o or 0], shift[o or 0]) + output_zp, act_min, act_max)
 * Input `[..., IN]` is read as `[batches, IN]` (TFLite flattens leading dims); weights `[OUT, IN]`;
 * output `[batches, OUT]` (TFLite keep_num_dims = false; a reshape restores other ranks). Per-tensor (one multiplier) or per-channel (one per output).
 * Accumulation width as in conv2d.
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import {
  allocateInt,
  biasValues,
  intOutputTypeOf,
  isIntArray,
  isWideAccumulation,
  outputStage,
  type IntOutputType,
  type RequantAttrs,
} from "./output-stage.js";
import { dot, offsetCopy } from "./dot.js";

export interface FullyConnectedAttrs extends RequantAttrs {
  readonly input_zp: number;
  /** TFLite's filter offset is −weight_zp; int8 weights are symmetric (0). */
  readonly weight_zp?: number;
  readonly output_type?: IntOutputType;
}

export function fullyConnected(input: Tensor, weights: Tensor, bias: Tensor | undefined, attrs: FullyConnectedAttrs): Tensor {
  if (!isIntArray(input.data) || !isIntArray(weights.data)) throw new RangeError("fully_connected: input and weights must be integer tensors");
  const inp = input.data;
  const w = weights.data;
  if (weights.shape.length !== 2) throw new RangeError(`fully_connected: weights must be [OUT, IN], got [${weights.shape.join(",")}]`);
  const OUT = weights.shape[0]!;
  const IN = weights.shape[1]!;
  if (IN === 0 || inp.length % IN !== 0) throw new RangeError(`fully_connected: input of ${inp.length} elements is not a multiple of IN = ${IN}`);
  const B = inp.length / IN;
  const outType = attrs.output_type ?? intOutputTypeOf(input.dtype);
  const stage = outputStage(attrs, OUT, outType);
  const wide = isWideAccumulation(inp, bias?.data);
  const weightZp = attrs.weight_zp ?? 0;
  const biasN = biasValues(bias?.data, OUT, wide, inp, attrs.input_zp, w, weightZp, IN);
  const out = allocateInt(outType, B * OUT);

  const xs = offsetCopy(inp, -attrs.input_zp);
  const ws = weightZp === 0 ? w : offsetCopy(w, -weightZp);
  const { multiplier, shift, scale, zp, min, max } = stage;
  const requant = wide ? stage.requantWide : stage.requant;

  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oc = 0; oc < OUT; oc++) {
      // Exact sum (bound checked by biasValues); the int32 path wraps once, equal to C's per-add wrap.
      const sum = dot(xs, b * IN, ws, oc * IN, IN) + biasN[oc]!;
      const acc = wide ? sum : sum | 0;
      const v = requant(acc, multiplier[oc]!, shift[oc]!, scale[oc]!) + zp;
      out[o++] = v < min ? min : v > max ? max : v;
    }
  }
  return makeTensor(outType, [B, OUT], out);
}
