/**
 * Runtime tensors: the values the interpreter, kernels, `.npy` and ONNX I/O exchange.
 * Data is always a typed array in row-major order; the shape is explicit.
 */

/** Element types a runtime tensor can hold. `f16` values are stored in a Float32Array, each rounded to half precision. */
export type DType = "f16" | "f32" | "f64" | "i1" | "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64";

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array;

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

/** Number of elements of a shape (1 for a scalar, i.e. an empty shape). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocates the typed array that holds `count` elements of `dtype`. */
export function allocate(dtype: DType, count: number): TypedArray {
  switch (dtype) {
    case "f16":
    case "f32":
      return new Float32Array(count);
    case "f64":
      return new Float64Array(count);
    case "i1":
    case "u8":
      return new Uint8Array(count);
    case "i8":
      return new Int8Array(count);
    case "i16":
      return new Int16Array(count);
    case "u16":
      return new Uint16Array(count);
    case "i32":
      return new Int32Array(count);
    case "u32":
      return new Uint32Array(count);
    case "i64":
      return new BigInt64Array(count);
  }
}

export function makeTensor(dtype: DType, shape: readonly number[], data?: TypedArray): Tensor {
  const count = elementCount(shape);
  const buffer = data ?? allocate(dtype, count);
  if (buffer.length !== count) {
    throw new RangeError(`tensor of shape [${shape.join(",")}] needs ${count} elements, got ${buffer.length}`);
  }
  return { dtype, shape: [...shape], data: buffer };
}

/** Inclusive integer range of an integer dtype. */
export function integerRange(dtype: DType): { min: number; max: number } {
  switch (dtype) {
    case "i1":
      return { min: 0, max: 1 };
    case "i8":
      return { min: -128, max: 127 };
    case "u8":
      return { min: 0, max: 255 };
    case "i16":
      return { min: -32768, max: 32767 };
    case "u16":
      return { min: 0, max: 65535 };
    case "i32":
      return { min: -2147483648, max: 2147483647 };
    case "u32":
      return { min: 0, max: 4294967295 };
    case "i64":
      return { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
    default:
      throw new RangeError(`${dtype} is not an integer type`);
  }
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === "f16" || dtype === "f32" || dtype === "f64";
}

const f16Scratch = new Float32Array(1);
const f16ScratchBits = new Uint32Array(f16Scratch.buffer);

/** Rounds a number to the nearest IEEE half-precision value (ties to even), returned as a JS number. */
export function roundToF16(value: number): number {
  return f16BitsToNumber(numberToF16Bits(value));
}

/** IEEE binary16 bits of `value`, rounded to nearest even. */
export function numberToF16Bits(value: number): number {
  f16Scratch[0] = value;
  const x = f16ScratchBits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  // Re-bias the exponent from 127 to 15.
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1) === 1)) m += 1;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  let m = mant >>> 13;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1) === 1)) {
    m += 1;
    if (m === 0x400) {
      m = 0;
      e += 1;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

export function f16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
