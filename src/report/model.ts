/**
 * The quantization report's data: what `qopt quantize --report` / `--report-json` show about a
 * quantized model, per layer and overall. Plain JSON-serialisable values (numbers, strings, arrays),
 * so the same object feeds the HTML page and the JSON file.
 */

/** A per-tensor value, or one value per channel (per-channel weight scales). */
export type PerTensorOrChannel = number | readonly number[];

/** One quantized (or float-island) op of the result. */
export interface LayerReport {
  /** The op's name in the model (ONNX node name, or the value name when there is none). */
  readonly name: string;
  /** The op kind, e.g. `conv2d`, `fully_connected`, `softmax`. */
  readonly op: string;
  /** Source location (`model.onnx:conv1` or `file.mlir:12:5`). */
  readonly location: string;
  /** Activation/weight storage types, `i8/i8`, `i16/i8`; a single type for ops without weights (`i8`, `f16`). */
  readonly precision: string;
  /** SQNR of the layer's output vs float, in dB. `Infinity` when the output equals float exactly. */
  readonly sqnrDb?: number;
  /** Mean squared error of the layer's output vs float. */
  readonly mse?: number;
  /** Calibrated range of the layer's output. */
  readonly rangeMin?: number;
  readonly rangeMax?: number;
  /** Output scale and zero point. */
  readonly scale?: number;
  readonly zeroPoint?: number;
  /** Weight scales (one per output channel when per-channel) and zero points. */
  readonly weightScale?: PerTensorOrChannel;
  readonly weightZeroPoint?: PerTensorOrChannel;
  /** Fraction of zero weights, 0..1. */
  readonly sparsity?: number;
  /** Why this precision was chosen: the decision log's messages for this op. */
  readonly reason: string;
}

/** Weight values before and after quantization (the dequantized round trip), on shared bins. */
export interface HistogramData {
  /** `bins + 1` ascending bin edges; bin i is [edges[i], edges[i+1]), the last bin closed. */
  readonly edges: readonly number[];
  readonly floatCounts: readonly number[];
  readonly quantizedCounts: readonly number[];
}

export interface WeightHistogram extends HistogramData {
  /** The `LayerReport.name` whose weights these are. */
  readonly layer: string;
}

export interface ParetoPoint {
  /** What the candidate costs on the target (cycles, bytes, …): lower is better. */
  readonly cost: number;
  /** Its error vs float (SQNR loss, top-1 disagreement, …): lower is better. */
  readonly error: number;
  /** What the candidate is, e.g. `all i8` or `conv2 i16`. */
  readonly label: string;
}

/** Precision candidates select-precision compared, and the one it took. */
export interface ParetoFront {
  readonly points: readonly ParetoPoint[];
  /** Index into `points` of the chosen candidate. */
  readonly chosen: number;
  /** Axis titles; default `cost` and `error`. */
  readonly costLabel?: string;
  readonly errorLabel?: string;
}

export interface OverallMetrics {
  /** SQNR of the model's outputs vs float, in dB. */
  readonly sqnrDb: number;
  /** Fraction (0..1) of inputs whose top-1 class matches float. */
  readonly top1Agreement?: number;
  /** Bytes of constants (weights, biases) before and after. */
  readonly floatBytes: number;
  readonly quantizedBytes: number;
}

export interface QuantReport {
  /** The model's name (usually its file name). */
  readonly model: string;
  /** Target descriptor name, e.g. `tflite-int8`. */
  readonly target: string;
  /** Quantization mode, e.g. `int8`, `int16x8`, `dynamic-range`. */
  readonly mode: string;
  readonly overall: OverallMetrics;
  readonly layers: readonly LayerReport[];
  readonly weightHistograms: readonly WeightHistogram[];
  readonly pareto?: ParetoFront;
}

/**
 * Histograms of a weight tensor and its quantize→dequantize round trip over the same `bins` equal
 * bins, spanning both tensors' finite values (so the two overlay on one axis). Non-finite values are
 * not counted.
 */
export function buildWeightHistogram(float: Float32Array, dequantized: Float32Array, bins = 64): HistogramData {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`buildWeightHistogram: bins must be a positive integer, got ${bins}`);
  if (float.length !== dequantized.length) {
    throw new RangeError(`buildWeightHistogram: float has ${float.length} values but dequantized has ${dequantized.length}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const data of [float, dequantized]) {
    for (const v of data) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) {
    lo = 0;
    hi = 1;
  } else if (lo === hi) {
    // A constant tensor: give it a bin of non-zero width around the value.
    const pad = lo === 0 ? 0.5 : Math.abs(lo) * 0.5;
    lo -= pad;
    hi += pad;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const count = (data: Float32Array): number[] => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of data) {
      if (!Number.isFinite(v)) continue;
      const i = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
      counts[i]!++;
    }
    return counts;
  };
  return { edges, floatCounts: count(float), quantizedCounts: count(dequantized) };
}
