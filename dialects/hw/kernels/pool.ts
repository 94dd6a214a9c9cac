/**
 * hw.max_pool2d / hw.avg_pool2d on integers (NHWC), TFLite reference_integer_ops::MaxPool / AveragePool
 * (int8 and int16) and CMSIS-NN arm_max_pool_s8 / arm_avgpool_s8.
 *
 * Pooling keeps the input's scale and zero point, so raw stored values are pooled directly.
 * Windows only see in-bounds elements: padding is neither a max candidate nor counted in the average.
 * Average rounding (TFLite): with `count` in-bounds elements and int32 `sum`,
 *   avg = sum > 0 ? (sum + count/2) / count : (sum − count/2) / count      (C `/`: truncation)
 * i.e. round half away from zero. (TOSA AVG_POOL2D rescales by a reciprocal instead; not this kernel.)
 * Both clamp to [act_min, act_max]. A window lying wholly in padding is an error (TFLite returns false).
 */

import { integerRange, makeTensor, type Tensor } from "../../../src/interp/tensor.js";
import { allocateInt, intOutputTypeOf, isIntArray } from "./output-stage.js";
import { dims4, window2D, type WindowAttrs } from "./window.js";

export interface Pool2DAttrs extends WindowAttrs {
  /** `[kernel_y, kernel_x]`. */
  readonly kernel: readonly [number, number];
  readonly act_min?: number;
  readonly act_max?: number;
}

type PoolKind = "max" | "avg";

function pool2d(input: Tensor, attrs: Pool2DAttrs, kind: PoolKind): Tensor {
  if (!isIntArray(input.data) || input.data instanceof Int32Array) {
    throw new RangeError(`${kind}_pool2d: input must be i8/u8/i16/u16, got ${input.dtype}`);
  }
  const inp = input.data;
  const [N, H, W, C] = dims4(input.shape, `${kind}_pool2d input`);
  const [KH, KW] = attrs.kernel;
  if (!(KH >= 1 && KW >= 1)) throw new RangeError(`${kind}_pool2d: kernel must be ≥ 1`);
  const win = window2D(attrs, H, W, KH, KW);
  const OH = win.y.outSize;
  const OW = win.x.outSize;
  const outType = intOutputTypeOf(input.dtype);
  const range = integerRange(outType);
  const min = attrs.act_min ?? range.min;
  const max = attrs.act_max ?? range.max;
  const out = allocateInt(outType, N * OH * OW * C);
  const acc = new Int32Array(C);
  const dy = win.dilationY;
  const dx = win.dilationX;

  let o = 0;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = win.y.origin[oy]!;
      const ky0 = win.y.tapBegin[oy]!;
      const ky1 = win.y.tapEnd[oy]!;
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = win.x.origin[ox]!;
        const kx0 = win.x.tapBegin[ox]!;
        const kx1 = win.x.tapEnd[ox]!;
        const count = (ky1 - ky0) * (kx1 - kx0);
        if (count === 0) throw new RangeError(`${kind}_pool2d: output (${oy}, ${ox}) has a window entirely in padding`);
        acc.fill(kind === "max" ? range.min : 0);
        for (let ky = ky0; ky < ky1; ky++) {
          const inRow = ((b * H + iy0 + ky * dy) * W + ix0) * C;
          for (let kx = kx0; kx < kx1; kx++) {
            const ip = inRow + kx * dx * C;
            if (kind === "max") {
              for (let c = 0; c < C; c++) {
                const v = inp[ip + c]!;
                if (v > acc[c]!) acc[c] = v;
              }
            } else {
              for (let c = 0; c < C; c++) acc[c] = acc[c]! + inp[ip + c]!;
            }
          }
        }
        const half = (count / 2) | 0;
        for (let c = 0; c < C; c++) {
          let v = acc[c]!;
          if (kind === "avg") v = v > 0 ? ((v + half) / count) | 0 : ((v - half) / count) | 0;
          out[o++] = v < min ? min : v > max ? max : v;
        }
      }
    }
  }
  return makeTensor(outType, [N, OH, OW, C], out);
}

export function maxPool2d(input: Tensor, attrs: Pool2DAttrs): Tensor {
  return pool2d(input, attrs, "max");
}

export function avgPool2d(input: Tensor, attrs: Pool2DAttrs): Tensor {
  return pool2d(input, attrs, "avg");
}
