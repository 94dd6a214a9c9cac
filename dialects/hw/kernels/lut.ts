/**
 * hw.lut: elementwise table lookup (quantized sigmoid, tanh, and any other unary function).
 *
 * 8-bit (TFLite `lut_lookup(int8_t)` / TOSA TABLE int8): a 256-entry table indexed by
 * `value + 128` for int8 inputs and by `value` for uint8 inputs; the output has the table's type.
 *
 * 16-bit (TFLite `lut_lookup_with_interpolation(int16_t)`, kernels/internal/common.h): a 513-entry
 * table of Q0.x values; `index = 256 + (value >> 7)`, `offset = value & 0x7f`,
 * `slope = lut[index + 1] − lut[index]` (computed in the table's type, so it wraps to int16 like the C
 * `const LutOutT slope`), `delta = (slope·offset + 64) >> 7`, result `(LutOutT)(lut[index] + delta)`.
 * TOSA's TABLE int16 (23-bit interpolated result without rounding) is a different rule and is not
 * implemented here.
 */

import { makeTensor, type Tensor } from "../../../src/interp/tensor.js";

/** 8-bit lookup: `table` has 256 entries; result dtype follows the table (i8 or u8). */
export function lut8(input: Tensor, table: Int8Array | Uint8Array): Tensor {
  if (table.length !== 256) throw new RangeError(`lut: an 8-bit table has 256 entries, got ${table.length}`);
  const data = input.data;
  let bias: number;
  if (data instanceof Int8Array) bias = 128;
  else if (data instanceof Uint8Array) bias = 0;
  else throw new RangeError(`lut: 8-bit lookup needs an i8 or u8 input, got ${input.dtype}`);
  const n = data.length;
  const out = table instanceof Int8Array ? new Int8Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = table[data[i]! + bias]!;
  return makeTensor(table instanceof Int8Array ? "i8" : "u8", input.shape, out);
}

/** 16-bit interpolated lookup (TFLite): int16 input, 513-entry int16 or int8 table, output of the table's type. */
export function lut16Interpolated(input: Tensor, table: Int16Array | Int8Array): Tensor {
  if (table.length !== 513) throw new RangeError(`lut: an interpolated 16-bit table has 513 entries, got ${table.length}`);
  if (!(input.data instanceof Int16Array)) throw new RangeError(`lut: interpolated lookup needs an i16 input, got ${input.dtype}`);
  const data = input.data;
  const n = data.length;
  const is16 = table instanceof Int16Array;
  const out = is16 ? new Int16Array(n) : new Int8Array(n);
  // Wrap to the table's type, as the C casts to LutOutT do.
  const bits = is16 ? 16 : 24;
  for (let i = 0; i < n; i++) {
    const value = data[i]!;
    const index = 256 + (value >> 7);
    const offset = value & 0x7f;
    const base = table[index]!;
    const slope = ((table[index + 1]! - base) << bits) >> bits;
    const delta = (slope * offset + 64) >> 7;
    out[i] = base + delta; // typed-array store wraps like static_cast<LutOutT>
  }
  return makeTensor(is16 ? "i16" : "i8", input.shape, out);
}
