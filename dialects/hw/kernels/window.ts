/**
 * Sliding-window geometry shared by the hw conv2d, depthwise_conv2d and pooling kernels (NHWC).
 *
 * Padding is explicit, TOSA-style `pad = [top, bottom, left, right]`; TFLite's SAME/VALID and
 * CMSIS-NN's `pad_x/pad_y` both map onto it (SAME puts the odd extra row at the bottom/right).
 * Output extent: `floor((in + pad_before + pad_after − dilation·(k − 1) − 1) / stride) + 1`.
 */

/** Window attributes as the hw ops carry them (`[y, x]` pairs). */
export interface WindowAttrs {
  /** `[stride_y, stride_x]`, each ≥ 1. */
  readonly stride: readonly [number, number];
  /** `[dilation_y, dilation_x]`, each ≥ 1; default `[1, 1]`. */
  readonly dilation?: readonly [number, number];
  /** `[top, bottom, left, right]`, each ≥ 0; default all 0. */
  readonly pad?: readonly [number, number, number, number];
}

/**
 * For every output coordinate along one axis: the first input coordinate of its window (may be
 * negative inside padding) and the half-open range of kernel taps that land inside the input.
 * Precomputing this hoists all bounds checks out of the kernels' inner loops.
 */
export interface AxisWindows {
  readonly outSize: number;
  /** Input coordinate of tap 0 for each output coordinate. */
  readonly origin: Int32Array;
  /** First in-bounds tap for each output coordinate. */
  readonly tapBegin: Int32Array;
  /** One past the last in-bounds tap for each output coordinate. */
  readonly tapEnd: Int32Array;
}

export function outputExtent(inSize: number, kernel: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  return Math.floor((inSize + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

export function axisWindows(inSize: number, kernel: number, stride: number, dilation: number, padBefore: number, padAfter: number): AxisWindows {
  const outSize = outputExtent(inSize, kernel, stride, dilation, padBefore, padAfter);
  if (!(outSize >= 1)) {
    throw new RangeError(`window of ${kernel} taps (dilation ${dilation}) does not fit an input of ${inSize} padded by ${padBefore}+${padAfter}`);
  }
  const origin = new Int32Array(outSize);
  const tapBegin = new Int32Array(outSize);
  const tapEnd = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - padBefore;
    origin[o] = start;
    // Taps k with 0 ≤ start + k·dilation < inSize.
    tapBegin[o] = start >= 0 ? 0 : Math.min(kernel, Math.ceil(-start / dilation));
    tapEnd[o] = Math.max(tapBegin[o]!, Math.min(kernel, Math.ceil((inSize - start) / dilation)));
  }
  return { outSize, origin, tapBegin, tapEnd };
}

export interface Window2D {
  readonly y: AxisWindows;
  readonly x: AxisWindows;
  readonly strideY: number;
  readonly strideX: number;
  readonly dilationY: number;
  readonly dilationX: number;
}

/** Validates window attributes and precomputes both axes for an H×W input and KH×KW kernel. */
export function window2D(attrs: WindowAttrs, inH: number, inW: number, kh: number, kw: number): Window2D {
  const [strideY, strideX] = attrs.stride;
  const [dilationY, dilationX] = attrs.dilation ?? [1, 1];
  const [top, bottom, left, right] = attrs.pad ?? [0, 0, 0, 0];
  for (const [name, v, min] of [
    ["stride_y", strideY, 1],
    ["stride_x", strideX, 1],
    ["dilation_y", dilationY, 1],
    ["dilation_x", dilationX, 1],
    ["pad_top", top, 0],
    ["pad_bottom", bottom, 0],
    ["pad_left", left, 0],
    ["pad_right", right, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  }
  return {
    y: axisWindows(inH, kh, strideY, dilationY, top, bottom),
    x: axisWindows(inW, kw, strideX, dilationX, left, right),
    strideY,
    strideX,
    dilationY,
    dilationX,
  };
}

/** Checks that a tensor has rank 4 and returns its NHWC (or OHWI) dims. */
export function dims4(shape: readonly number[], what: string): [number, number, number, number] {
  if (shape.length !== 4) throw new RangeError(`${what} must have rank 4, got shape [${shape.join(",")}]`);
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}
