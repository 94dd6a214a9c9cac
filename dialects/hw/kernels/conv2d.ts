/**
 * hw.conv2d: integer 2-D convolution with fused requantization and clamp.
 *
 * TFLite reference_integer_ops::ConvPerChannel (int8 and 16x8), CMSIS-NN arm_convolve_s8:
 *   acc[n,y,x,o] = Σ_{ky,kx,i} (in[n, y·sy − pt + ky·dy, x·sx − pl + kx·dx, g·Ig + i] − input_zp) · w[o,ky,kx,i]
 *                  + bias[o]
 *   out = clamp(requantize(acc, multiplier[o], shift[o]) + output_zp, act_min, act_max)
 * Layouts: input NHWC, weights OHWI (`[O, KH, KW, I/groups]`), output NHWC. Taps that fall into the
 * padding contribute 0 (padding holds the zero point, so `in − input_zp` is 0 there).
 * Accumulator: int32 wrapping like C for 8-bit activations; exact 64-bit (a JS number, bound checked
 * in `biasValues`) for 16-bit activations, requantized with TFLite's int64 MultiplyByQuantizedMultiplier.
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import {
  allocateInt,
  biasValues,
  intOutputTypeOf,
  isIntArray,
  isWideAccumulation,
  outputStage,
  type IntArray,
  type IntOutputType,
  type RequantAttrs,
} from "./output-stage.js";
import { dot, offsetCopy } from "./dot.js";
import { simdConvAccumulators } from "./simd-conv2d.js";
import { dims4, window2D, type WindowAttrs } from "./window.js";

export interface Conv2DAttrs extends WindowAttrs, RequantAttrs {
  /** Input zero point (CMSIS-NN's INPUT_OFFSET is −input_zp). */
  readonly input_zp: number;
  /** Weight zero point; TFLite int8 weights are symmetric (0). */
  readonly weight_zp?: number;
  /** Grouped convolution: input channels = groups · weight input depth. Default 1. */
  readonly groups?: number;
  /** Default: the input's storage type. */
  readonly output_type?: IntOutputType;
}

function intData(t: Tensor, what: string): IntArray {
  if (!isIntArray(t.data)) throw new RangeError(`${what} must hold integers stored as i8/u8/i16/u16/i32, got ${t.dtype}`);
  return t.data;
}

/** True when every value of `data`'s storage type minus `zp` is exact in i16 (the SIMD kernel's operands). */
function fitsInt16(data: IntArray, zp: number): boolean {
  const lo = data instanceof Int8Array ? -128 : data instanceof Uint8Array ? 0 : undefined;
  if (lo === undefined) return false;
  return Math.max(Math.abs(lo - zp), Math.abs(lo + 255 - zp)) <= 32767;
}

export function conv2d(input: Tensor, weights: Tensor, bias: Tensor | undefined, attrs: Conv2DAttrs): Tensor {
  const inp = intData(input, "conv2d input");
  const w = intData(weights, "conv2d weights");
  const [N, H, W, IC] = dims4(input.shape, "conv2d input");
  const [OC, KH, KW, ICg] = dims4(weights.shape, "conv2d weights");
  const groups = attrs.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || ICg * groups !== IC || OC % groups !== 0) {
    throw new RangeError(`conv2d: input depth ${IC} and weight shape [${weights.shape.join(",")}] do not match groups = ${groups}`);
  }
  const ocPerGroup = OC / groups;
  const win = window2D(attrs, H, W, KH, KW);
  const OH = win.y.outSize;
  const OW = win.x.outSize;
  const outType = attrs.output_type ?? intOutputTypeOf(input.dtype);
  const stage = outputStage(attrs, OC, outType);
  const wide = isWideAccumulation(inp, bias?.data);
  const weightZp = attrs.weight_zp ?? 0;
  const biasN = biasValues(bias?.data, OC, wide, inp, attrs.input_zp, w, weightZp, KH * KW * ICg);
  const out = allocateInt(outType, N * OH * OW * OC);

  const { multiplier, shift, scale, zp, min, max } = stage;
  if (!wide && fitsInt16(inp, attrs.input_zp) && fitsInt16(w, weightZp)) {
    const geometry = { N, H, W, C: IC, O: OC, KH, KW, strideY: win.strideY, strideX: win.strideX, dilationY: win.dilationY, dilationX: win.dilationX, pad: attrs.pad ?? [0, 0, 0, 0], groups, OH, OW };
    const biasOrNone = bias === undefined ? undefined : biasN;
    // ONNX's half-even-float output stage also runs in the SIMD kernel (f32, as output-stage.ts computes it).
    if (stage.rounding === "half-even-float" && scale.every((s) => Number.isFinite(Math.fround(s)))) {
      if (simdConvAccumulators(inp, attrs.input_zp, w, weightZp, biasOrNone, geometry, { out, scale, zp, min, max })) {
        return makeTensor(outType, [N, OH, OW, OC], out);
      }
    }
    const acc = new Int32Array(N * OH * OW * OC);
    if (simdConvAccumulators(inp, attrs.input_zp, w, weightZp, biasOrNone, geometry, { acc })) {
      const requant = stage.requant;
      for (let p = 0, o = 0; p < acc.length; p += OC) {
        for (let oc = 0; oc < OC; oc++) {
          const v = requant(acc[p + oc]!, multiplier[oc]!, shift[oc]!, scale[oc]!) + zp;
          out[o++] = v < min ? min : v > max ? max : v;
        }
      }
      return makeTensor(outType, [N, OH, OW, OC], out);
    }
  }

  // Activations and weights minus their zero points, materialised once per call (one pass each) so
  // that the inner loop is a bare multiply-add.
  const xs = offsetCopy(inp, -attrs.input_zp);
  const ws = weightZp === 0 ? w : offsetCopy(w, -weightZp);
  const requant = wide ? stage.requantWide : stage.requant;
  const { origin: oyOrigin, tapBegin: kyBegin, tapEnd: kyEnd } = win.y;
  const { origin: oxOrigin, tapBegin: kxBegin, tapEnd: kxEnd } = win.x;
  const dy = win.dilationY;
  const dx = win.dilationX;

  let o = 0;
  for (let b = 0; b < N; b++) {
    const inBatch = b * H;
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oyOrigin[oy]!;
      const ky0 = kyBegin[oy]!;
      const ky1 = kyEnd[oy]!;
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = oxOrigin[ox]!;
        const kx0 = kxBegin[ox]!;
        const kx1 = kxEnd[ox]!;
        for (let oc = 0; oc < OC; oc++) {
          const icBase = ((oc / ocPerGroup) | 0) * ICg;
          // Exact sum in a double: biasValues proved |Σ| ≤ 2^53. For the int32 (8-bit) path the C code
          // wraps after every add; wrapping is reduction mod 2^32, a ring homomorphism, so one `| 0` of
          // the exact sum below gives the same int32 as wrapping at each step.
          let acc = 0;
          for (let ky = ky0; ky < ky1; ky++) {
            const inRow = ((inBatch + iy0 + ky * dy) * W + ix0) * IC + icBase;
            const wRow = (oc * KH + ky) * KW * ICg;
            for (let kx = kx0; kx < kx1; kx++) {
              acc += dot(xs, inRow + kx * dx * IC, ws, wRow + kx * ICg, ICg);
            }
          }
          acc = wide ? acc + biasN[oc]! : (acc + biasN[oc]!) | 0;
          const v = requant(acc, multiplier[oc]!, shift[oc]!, scale[oc]!) + zp;
          out[o++] = v < min ? min : v > max ? max : v;
        }
      }
    }
  }
  return makeTensor(outType, [N, OH, OW, OC], out);
}
