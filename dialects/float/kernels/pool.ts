/**
 * Pooling and mean reduction on NHWC tensors. Sums are f64, each output rounded to f32 once;
 * max pooling is exact.
 */
import { type Pads2d } from "./conv2d.js";
import { type F32Input, type F32Tensor, checkedInts, f32Tensor, intDims, normalizeAxis, shapeToString, stridesOf } from "./f32-tensor.js";
import { simdMaxPool } from "./simd-elementwise.js";

export interface Pool2dOptions {
  /** Window [KH, KW]. */
  readonly kernel: readonly [number, number];
  /** Default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** [top, left, bottom, right]; default none. Padded positions never win a max. */
  readonly pads?: Pads2d;
  /** Default [1, 1]. */
  readonly dilations?: readonly [number, number];
  /**
   * Round the output size up (ONNX/PyTorch ceil_mode), dropping a last window that would start
   * entirely in the bottom/right padding, as PyTorch and ONNX Runtime do. Default false.
   */
  readonly ceilMode?: boolean;
  /**
   * Average pooling only: divide by the window area including padded positions (ONNX
   * count_include_pad = 1) instead of only the positions inside the input (TFLite, ONNX default).
   * Windows are still clipped to the padded extent, so ceil-mode overhang never counts.
   */
  readonly countIncludePad?: boolean;
}

interface PoolGeometry {
  N: number; H: number; W: number; C: number;
  KH: number; KW: number; SH: number; SW: number; DH: number; DW: number;
  padT: number; padL: number; padB: number; padR: number;
  OH: number; OW: number;
}

function poolGeometry(op: string, x: F32Input, o: Pool2dOptions): PoolGeometry {
  if (x.shape.length !== 4) throw new RangeError(`${op}: input must be NHWC (rank 4), got ${shapeToString(x.shape)}`);
  const [N, H, W, C] = intDims(x.shape) as [number, number, number, number];
  const [KH, KW] = checkedInts(op, "kernel", o.kernel, 2, 1) as [number, number];
  const [SH, SW] = checkedInts(op, "strides", o.strides ?? [1, 1], 2, 1) as [number, number];
  const [DH, DW] = checkedInts(op, "dilations", o.dilations ?? [1, 1], 2, 1) as [number, number];
  const [padT, padL, padB, padR] = checkedInts(op, "pads", o.pads ?? [0, 0, 0, 0], 4, 0) as [number, number, number, number];
  const size = (input: number, k: number, s: number, d: number, pb: number, pe: number): number => {
    const span = input + pb + pe - ((k - 1) * d + 1);
    if (!o.ceilMode) return Math.floor(span / s) + 1;
    let out = Math.ceil(span / s) + 1;
    // The last window must start inside the input or the leading padding.
    if ((out - 1) * s >= input + pb) out--;
    return out;
  };
  const OH = size(H, KH, SH, DH, padT, padB);
  const OW = size(W, KW, SW, DW, padL, padR);
  if (OH < 1 || OW < 1) throw new RangeError(`${op}: empty output (${OH}×${OW}) for input ${shapeToString(x.shape)}`);
  return { N, H, W, C, KH, KW, SH, SW, DH, DW, padT, padL, padB, padR, OH, OW };
}

/** max_pool2d: [N, H, W, C] → [N, OH, OW, C]. A window with no input position yields −∞. */
export function maxPool2d(x: F32Input, options: Pool2dOptions): F32Tensor {
  const g = poolGeometry("max_pool2d", x, options);
  const out = f32Tensor([g.N, g.OH, g.OW, g.C]);
  if (out.data.length === 0 || simdMaxPool(x.data, out.data, g)) return out;
  const s = x.data;
  const d = out.data;
  const C = g.C;
  const acc = new Float32Array(C);
  let dst = 0;
  for (let n = 0; n < g.N; n++) {
    const image = n * g.H * g.W * C;
    for (let oh = 0; oh < g.OH; oh++) {
      for (let ow = 0; ow < g.OW; ow++) {
        acc.fill(-Infinity);
        for (let kh = 0; kh < g.KH; kh++) {
          const ih = oh * g.SH - g.padT + kh * g.DH;
          if (ih < 0 || ih >= g.H) continue;
          for (let kw = 0; kw < g.KW; kw++) {
            const iw = ow * g.SW - g.padL + kw * g.DW;
            if (iw < 0 || iw >= g.W) continue;
            const src = image + (ih * g.W + iw) * C;
            // `v !== v` admits a NaN, and no later value beats it, so NaN propagates as in numpy.
            for (let c = 0; c < C; c++) { const v = s[src + c]!; if (v > acc[c]! || v !== v) acc[c] = v; }
          }
        }
        d.set(acc, dst);
        dst += C;
      }
    }
  }
  return out;
}

/** avg_pool2d: [N, H, W, C] → [N, OH, OW, C]; see `countIncludePad` for the divisor. */
export function avgPool2d(x: F32Input, options: Pool2dOptions): F32Tensor {
  const g = poolGeometry("avg_pool2d", x, options);
  const includePad = options.countIncludePad ?? false;
  const out = f32Tensor([g.N, g.OH, g.OW, g.C]);
  const s = x.data;
  const d = out.data;
  const C = g.C;
  const acc = new Float64Array(C);
  let dst = 0;
  for (let n = 0; n < g.N; n++) {
    const image = n * g.H * g.W * C;
    for (let oh = 0; oh < g.OH; oh++) {
      for (let ow = 0; ow < g.OW; ow++) {
        acc.fill(0);
        let count = 0;
        for (let kh = 0; kh < g.KH; kh++) {
          const ih = oh * g.SH - g.padT + kh * g.DH;
          const inPaddedH = ih >= -g.padT && ih < g.H + g.padB;
          const inH = ih >= 0 && ih < g.H;
          for (let kw = 0; kw < g.KW; kw++) {
            const iw = ow * g.SW - g.padL + kw * g.DW;
            const inside = inH && iw >= 0 && iw < g.W;
            if (inside || (includePad && inPaddedH && iw >= -g.padL && iw < g.W + g.padR)) count++;
            if (!inside) continue;
            const src = image + (ih * g.W + iw) * C;
            for (let c = 0; c < C; c++) acc[c] = acc[c]! + s[src + c]!;
          }
        }
        // count is ≥ 1 for every window the output size formula admits; 0 only if a window lies wholly in padding.
        for (let c = 0; c < C; c++) d[dst + c] = count === 0 ? 0 : acc[c]! / count;
        dst += C;
      }
    }
  }
  return out;
}

/** Global average pool: [N, H, W, C] → [N, 1, 1, C]. */
export function globalAvgPool2d(x: F32Input): F32Tensor {
  if (x.shape.length !== 4) throw new RangeError(`global_avg_pool2d: input must be NHWC (rank 4), got ${shapeToString(x.shape)}`);
  return mean(x, [1, 2], true);
}

/**
 * Fast path of `mean` when the reduced axes are consecutive (global pooling over H and W of NHWC is
 * [1, 2]): x is then [outer, count, inner] and each output sums a strided column. Each output still
 * adds its inputs in increasing index order, in f64, so the result is bit-identical to the general loop.
 */
function meanOfContiguousAxes(x: F32Input, reduced: readonly boolean[], count: number, out: Float32Array): boolean {
  const first = reduced.indexOf(true);
  const last = reduced.lastIndexOf(true);
  if (first < 0 || count === 0) return false;
  for (let i = first; i <= last; i++) if (!reduced[i]) return false;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < first; i++) outer *= x.shape[i]!;
  for (let i = last + 1; i < x.shape.length; i++) inner *= x.shape[i]!;
  const src = x.data;
  const sums = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    for (let r = 0, base = o * count * inner; r < count; r++, base += inner) {
      for (let j = 0; j < inner; j++) sums[j] = sums[j]! + src[base + j]!;
    }
    for (let j = 0; j < inner; j++) out[o * inner + j] = sums[j]! / count;
  }
  return true;
}

/**
 * Mean over `axes` (negative allowed, duplicates rejected). keepdims leaves size-1 dims in place
 * of the reduced ones (ONNX ReduceMean default, TFLite MEAN keep_dims). Empty `axes` reduces nothing.
 */
export function mean(x: F32Input, axes: readonly number[], keepdims = true): F32Tensor {
  const rank = x.shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) {
    const ax = normalizeAxis(a, rank, "mean axis");
    if (reduced[ax]) throw new RangeError(`mean: axis ${a} listed twice`);
    reduced[ax] = true;
  }
  const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const outShape = keepdims ? keptShape : x.shape.filter((_, i) => !reduced[i]);
  const out = f32Tensor(outShape);
  let count = 1;
  for (let i = 0; i < rank; i++) if (reduced[i]) count *= x.shape[i]!;
  if (meanOfContiguousAxes(x, reduced, count, out.data)) return out;
  // Each input element adds into the output slot whose index has the reduced coordinates zeroed.
  const keptStrides = stridesOf(keptShape);
  const outStride = keptStrides.map((s, i) => (reduced[i] ? 0 : s));
  const sums = new Float64Array(out.data.length);
  const src = x.data;
  const index = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    sums[o] = sums[o]! + src[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      o += outStride[d]!;
      if (index[d]! < x.shape[d]!) break;
      o -= outStride[d]! * x.shape[d]!;
      index[d] = 0;
    }
  }
  for (let i = 0; i < sums.length; i++) out.data[i] = count === 0 ? NaN : sums[i]! / count;
  return out;
}
