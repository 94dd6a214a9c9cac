/**
 * Range observers for calibration, as the quantization toolkits offer them: min/max, moving-average
 * min/max, percentile and MSE. Histogram observers keep fixed bins, so memory stays flat in the number of
 * samples; they need the min/max of a first pass to place their bins.
 */

export type ObserverKind = "minmax" | "moving-average" | "percentile" | "mse";

export interface ObserverOptions {
  readonly kind: ObserverKind;
  /** Percentile kept on each side (percentile observer), e.g. 99.99. */
  readonly percentile?: number;
  /** Averaging constant of the moving-average observer (PyTorch's default 0.01). */
  readonly averagingConstant?: number;
  readonly bins?: number;
}

export interface Observer {
  /** First pass over the data. */
  observe(data: ArrayLike<number>): void;
  /** True when the observer needs a second pass with `observeHistogram`. */
  readonly needsHistogram: boolean;
  observeHistogram(data: ArrayLike<number>): void;
  range(): { min: number; max: number };
}

export function makeObserver(options: ObserverOptions): Observer {
  switch (options.kind) {
    case "minmax":
      return new MinMaxObserver();
    case "moving-average":
      return new MovingAverageObserver(options.averagingConstant ?? 0.01);
    case "percentile":
      return new HistogramObserver(options.bins ?? 2048, (h) => h.percentileRange(options.percentile ?? 99.99));
    case "mse":
      return new HistogramObserver(options.bins ?? 2048, (h) => h.mseRange(255));
  }
}

function batchMinMax(data: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

class MinMaxObserver implements Observer {
  protected min = Infinity;
  protected max = -Infinity;
  readonly needsHistogram: boolean = false;

  observe(data: ArrayLike<number>): void {
    const b = batchMinMax(data);
    if (b.min < this.min) this.min = b.min;
    if (b.max > this.max) this.max = b.max;
  }

  observeHistogram(): void {}

  range(): { min: number; max: number } {
    return Number.isFinite(this.min) ? { min: this.min, max: this.max } : { min: 0, max: 0 };
  }
}

/** PyTorch's MovingAverageMinMaxObserver: the first batch sets the range, later ones move it by c. */
class MovingAverageObserver extends MinMaxObserver {
  private seen = false;
  constructor(private readonly c: number) {
    super();
  }

  override observe(data: ArrayLike<number>): void {
    const b = batchMinMax(data);
    if (!Number.isFinite(b.min)) return;
    if (!this.seen) {
      this.min = b.min;
      this.max = b.max;
      this.seen = true;
      return;
    }
    this.min += this.c * (b.min - this.min);
    this.max += this.c * (b.max - this.max);
  }
}

/** A histogram's fixed bins over [lo, hi]: `counts[i]` values fell in [lo + i·w, lo + (i+1)·w), w = (hi − lo) / bins. */
export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: Float64Array;
}

export class HistogramObserver implements Observer {
  private readonly minmax = new MinMaxObserver();
  private counts: Float64Array | undefined;
  private lo = 0;
  private hi = 0;
  readonly needsHistogram = true;

  constructor(
    private readonly bins: number,
    private readonly pick: (h: HistogramObserver) => { min: number; max: number },
  ) {}

  observe(data: ArrayLike<number>): void {
    this.minmax.observe(data);
  }

  observeHistogram(data: ArrayLike<number>): void {
    if (!this.counts) {
      const r = this.minmax.range();
      this.lo = r.min;
      this.hi = r.max;
      this.counts = new Float64Array(this.bins);
    }
    const width = (this.hi - this.lo) / this.bins;
    const counts = this.counts;
    if (!(width > 0)) {
      counts[0]! += data.length;
      return;
    }
    for (let i = 0; i < data.length; i++) {
      let b = Math.floor((data[i]! - this.lo) / width);
      if (b < 0) b = 0;
      else if (b >= this.bins) b = this.bins - 1;
      counts[b]! += 1;
    }
  }

  /** The bins (undefined before the second pass starts): a fixed number, however many values were observed. */
  get histogram(): Histogram | undefined {
    return this.counts ? { lo: this.lo, hi: this.hi, counts: this.counts } : undefined;
  }

  range(): { min: number; max: number } {
    if (!this.counts || !(this.hi > this.lo)) return this.minmax.range();
    return this.pick(this);
  }

  private edge(bin: number): number {
    return this.lo + ((this.hi - this.lo) * bin) / this.bins;
  }

  /** Drops (100 − p)% of the mass on each side. */
  percentileRange(p: number): { min: number; max: number } {
    const counts = this.counts!;
    const total = counts.reduce((a, b) => a + b, 0);
    const cut = (total * (100 - p)) / 100;
    let acc = 0;
    let lowBin = 0;
    for (; lowBin < this.bins; lowBin++) {
      acc += counts[lowBin]!;
      if (acc > cut) break;
    }
    acc = 0;
    let highBin = this.bins - 1;
    for (; highBin >= 0; highBin--) {
      acc += counts[highBin]!;
      if (acc > cut) break;
    }
    return { min: this.edge(lowBin), max: this.edge(highBin + 1) };
  }

  /**
   * Searches clipping ranges [edge(a), edge(b)] that shrink the observed one, estimating the mean squared
   * error of `levels`-step uniform quantization (rounding noise inside, clipping error outside) from the
   * histogram; keeps the best.
   */
  mseRange(levels: number): { min: number; max: number } {
    const counts = this.counts!;
    const centers = Float64Array.from({ length: this.bins }, (_, i) => this.edge(i + 0.5));
    let best = { min: this.lo, max: this.hi };
    let bestErr = Infinity;
    const steps = 100;
    for (let s = 0; s < steps; s++) {
      const shrink = s / steps;
      const min = this.lo * (1 - shrink);
      const max = this.hi * (1 - shrink);
      if (!(max > min)) continue;
      const step = (max - min) / levels;
      let err = 0;
      for (let i = 0; i < this.bins; i++) {
        const c = counts[i]!;
        if (c === 0) continue;
        const x = centers[i]!;
        if (x < min) err += c * (min - x) ** 2;
        else if (x > max) err += c * (x - max) ** 2;
        else err += (c * step * step) / 12;
      }
      if (err < bestErr) {
        bestErr = err;
        best = { min, max };
      }
    }
    return best;
  }
}

/** Parses `minmax`, `moving-average`, `mse`, `percentile` or `percentile{p=99.9}`. */
export function parseObserver(text: string): ObserverOptions {
  const m = /^([a-z-]+)(?:\{(.*)\})?$/.exec(text.trim());
  const kinds: readonly string[] = ["minmax", "moving-average", "percentile", "mse"];
  if (!m || !kinds.includes(m[1]!)) throw new RangeError(`unknown observer '${text}' (observers: minmax, moving-average, percentile{p=99.99}, mse)`);
  const kind = m[1] as ObserverKind;
  const opts: Record<string, number> = {};
  for (const part of (m[2] ?? "").split(/[\s,]+/).filter(Boolean)) {
    const [k, v] = part.split("=");
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RangeError(`observer option '${part}' needs a number`);
    opts[k!] = n;
  }
  if (kind === "percentile") {
    const p = opts["p"] ?? 99.99;
    if (!(p > 50 && p <= 100)) throw new RangeError(`percentile p must be in (50, 100], got ${p}`);
    return { kind, percentile: p };
  }
  if (kind === "moving-average") return { kind, averagingConstant: opts["c"] ?? 0.01 };
  return { kind };
}
