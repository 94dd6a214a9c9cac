/** The error measures the quantization report shows, computed from a float reference and a quantized result. */

function checkLengths(what: string, reference: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (reference.length !== actual.length) throw new RangeError(`${what}: reference has ${reference.length} values but actual has ${actual.length}`);
}

/** Mean of (reference − actual)²; 0 for empty inputs. */
export function meanSquaredError(reference: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths("meanSquaredError", reference, actual);
  if (reference.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = reference[i]! - actual[i]!;
    sum += d * d;
  }
  return sum / reference.length;
}

/**
 * Signal-to-quantization-noise ratio in dB: 10·log10(Σ reference² / Σ (reference − actual)²).
 * `Infinity` when actual equals reference exactly (no noise), `-Infinity` for a zero signal with noise.
 */
export function sqnrDb(reference: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths("sqnrDb", reference, actual);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const d = r - actual[i]!;
    signal += r * r;
    noise += d * d;
  }
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

/** Fraction (0..1) of values that are exactly zero; 0 for an empty tensor. */
export function zeroFraction(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
  return zeros / values.length;
}
