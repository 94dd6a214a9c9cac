/**
 * Deterministic pseudo-random tensors for the benchmark models: the same seed gives the same
 * model bytes on every machine, so qopt and ONNX Runtime always see identical weights.
 */

/** mulberry32: 32-bit state, full period, fast enough to fill ResNet-50's 25M weights. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `count` values uniform in [lo, hi). */
  uniform(count: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(count);
    const span = hi - lo;
    for (let i = 0; i < count; i++) out[i] = lo + span * this.next();
    return out;
  }

  /**
   * He (Kaiming) uniform initialization for a layer followed by ReLU: variance 2 / fanIn, so the
   * second moment of the activations stays roughly constant from layer to layer and a 50-layer
   * network ends with finite, O(1) values.
   */
  he(count: number, fanIn: number): Float32Array {
    const bound = Math.sqrt(6 / fanIn);
    return this.uniform(count, -bound, bound);
  }

  /** Integers uniform in [lo, hi]. */
  int8(count: number, lo: number, hi: number): Int8Array {
    const out = new Int8Array(count);
    for (let i = 0; i < count; i++) out[i] = lo + Math.floor((hi - lo + 1) * this.next());
    return out;
  }
}
