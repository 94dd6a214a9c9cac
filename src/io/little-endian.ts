/**
 * Raw little-endian tensor bytes, as `.npy` files and ONNX `raw_data` store them: f16 as IEEE half bits,
 * bools one byte each, everything else the typed array's own layout (byte-swapped on big-endian hosts).
 */
import { allocate, f16BitsToNumber, numberToF16Bits, type DType, type Tensor, type TypedArray } from "../interp/tensor.js";

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/**
 * Bytes → the typed array tensor.ts uses for `dtype`. The bytes are copied first so the view is aligned
 * whatever the source's offset (Node's pooled Buffers and protobuf byte fields often are not).
 */
export function decodeLittleEndian(dtype: DType, raw: Uint8Array, count: number): TypedArray {
  if (dtype === "f16") {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = f16BitsToNumber(view.getUint16(2 * i, true));
    return out;
  }
  if (dtype === "i1") {
    // Bools are one byte, 0 or 1; anything else non-zero reads as 1.
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = raw[i] === 0 ? 0 : 1;
    return out;
  }
  const out = allocate(dtype, count);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  dst.set(raw.subarray(0, dst.length));
  if (!HOST_LITTLE_ENDIAN) swapBytes(dst, out.BYTES_PER_ELEMENT);
  return out;
}

export function encodeLittleEndian(t: Tensor): Uint8Array {
  if (t.dtype === "f16") {
    const out = new Uint8Array(2 * t.data.length);
    const view = new DataView(out.buffer);
    for (let i = 0; i < t.data.length; i++) view.setUint16(2 * i, numberToF16Bits(Number(t.data[i])), true);
    return out;
  }
  if (t.dtype === "i1") {
    const out = new Uint8Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) out[i] = t.data[i] ? 1 : 0;
    return out;
  }
  const out = new Uint8Array(t.data.byteLength);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  if (!HOST_LITTLE_ENDIAN) swapBytes(out, t.data.BYTES_PER_ELEMENT);
  return out;
}
