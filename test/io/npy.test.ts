import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readNpy, readNpyFile, writeNpy } from "../../src/io/npy.js";
import { makeTensor, roundToF16, type DType, type Tensor } from "../../src/interp/tensor.js";
import { sharedPath } from "./shared-data.js";

/** A hand-written .npy: any version, any header text, any data bytes. */
function npyBytes(header: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + headerBytes.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  out.set(data, pre + headerBytes.length);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const f4 = bytesOf(new Float32Array([1, 2]));

/** Element-wise Object.is, so NaN equals NaN and −0 differs from +0. */
function expectSameValues(a: Tensor, b: Tensor): void {
  expect(a.dtype).toBe(b.dtype);
  expect(a.shape).toEqual(b.shape);
  expect(a.data.length).toBe(b.data.length);
  for (let i = 0; i < a.data.length; i++) {
    if (!Object.is(a.data[i], b.data[i])) expect.fail(`element ${i}: ${String(a.data[i])} vs ${String(b.data[i])}`);
  }
}

const DTYPES: DType[] = ["f16", "f32", "f64", "i1", "i8", "u8", "i16", "u16", "i32", "u32", "i64"];

function valuesArb(dtype: DType, n: number): fc.Arbitrary<Tensor["data"]> {
  const len = { minLength: n, maxLength: n };
  const ints = (min: number, max: number) => fc.array(fc.integer({ min, max }), len);
  switch (dtype) {
    case "f16": return fc.array(fc.float({ noDefaultInfinity: false }), len).map((v) => Float32Array.from(v, roundToF16));
    case "f32": return fc.array(fc.float(), len).map((v) => Float32Array.from(v));
    case "f64": return fc.array(fc.double(), len).map((v) => Float64Array.from(v));
    case "i1": return ints(0, 1).map((v) => Uint8Array.from(v));
    case "i8": return ints(-128, 127).map((v) => Int8Array.from(v));
    case "u8": return ints(0, 255).map((v) => Uint8Array.from(v));
    case "i16": return ints(-32768, 32767).map((v) => Int16Array.from(v));
    case "u16": return ints(0, 65535).map((v) => Uint16Array.from(v));
    case "i32": return ints(-(2 ** 31), 2 ** 31 - 1).map((v) => Int32Array.from(v));
    case "u32": return fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), len).map((v) => Uint32Array.from(v));
    case "i64": return fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), len).map((v) => BigInt64Array.from(v));
  }
}

describe("npy round trip", () => {
  it("writeNpy → readNpy preserves dtype, shape and every value, for every dtype and 0-d arrays", () => {
    const tensorArb = fc
      .tuple(fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }))
      .chain(([dtype, shape]) => valuesArb(dtype, shape.reduce((p, d) => p * d, 1)).map((data) => makeTensor(dtype, shape, data)));
    fc.assert(
      fc.property(tensorArb, (t) => {
        const bytes = writeNpy(t);
        // numpy's layout: data starts on a 64-byte boundary, header ends in a newline.
        const headerLen = new DataView(bytes.buffer).getUint16(8, true);
        expect((10 + headerLen) % 64).toBe(0);
        expect(bytes[10 + headerLen - 1]).toBe(0x0a);
        expectSameValues(readNpy(bytes), t);
      }),
      { numRuns: 400 },
    );
  });

  it("writes the header numpy writes", () => {
    const text = new TextDecoder().decode(writeNpy(makeTensor("f32", [2, 3])).subarray(10, 128));
    expect(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    const one = new TextDecoder().decode(writeNpy(makeTensor("i8", [5])).subarray(10, 64));
    expect(one).toContain("'descr': '|i1'");
    expect(one).toContain("'shape': (5,)");
    const scalar = new TextDecoder().decode(writeNpy(makeTensor("i1", [])).subarray(10, 64));
    expect(scalar).toContain("'descr': '|b1'");
    expect(scalar).toContain("'shape': ()");
  });

  it("reads from an unaligned view (Node Buffers are often offset)", () => {
    const t = makeTensor("f64", [3], new Float64Array([1.5, -2, 1e300]));
    const bytes = writeNpy(t);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expectSameValues(readNpy(shifted.subarray(3)), t);
  });
});

describe("npy header variants", () => {
  it("reads format 2.0 and 3.0 headers, '=' byte order, double quotes and no trailing comma", () => {
    for (const [header, major] of [
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", 2],
      ['{"descr": "<f4", "fortran_order": False, "shape": (2,)}\n', 3],
      ["{'descr': '=f4', 'shape': (2,), 'fortran_order': False}\n", 1],
    ] as const) {
      const t = readNpy(npyBytes(header, f4, major));
      expect(t.dtype).toBe("f32");
      expect(Array.from(t.data as Float32Array)).toEqual([1, 2]);
    }
  });

  it("reads '<u8' as i64 when the values fit, and refuses ones that do not", () => {
    const ok = readNpy(npyBytes("{'descr': '<u8', 'fortran_order': False, 'shape': (2,), }\n", bytesOf(new BigUint64Array([5n, 2n ** 62n]))));
    expect(ok.dtype).toBe("i64");
    expect(Array.from(ok.data as BigInt64Array)).toEqual([5n, 2n ** 62n]);
    expect(() => readNpy(npyBytes("{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }\n", bytesOf(new BigUint64Array([2n ** 63n]))), "big.npy")).toThrow(
      "big.npy: unsupported dtype '<u8': value 9223372036854775808 at index 0 does not fit in int64",
    );
  });
});

describe("npy errors", () => {
  it("names the file and the big-endian dtype", () => {
    expect(() => readNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", new Uint8Array(8)), "calib.npy")).toThrow(
      /^calib\.npy: unsupported dtype '>f4' \(big-endian/,
    );
  });

  it("refuses Fortran order", () => {
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", new Uint8Array(16)), "w.npy")).toThrow(
      /^w\.npy: fortran_order=True arrays are not supported/,
    );
  });

  it("refuses unsupported and structured dtypes", () => {
    expect(() => readNpy(npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8)), "c.npy")).toThrow("c.npy: unsupported dtype '<c8'");
    expect(() => readNpy(npyBytes("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(12)), "s.npy")).toThrow("s.npy: unsupported dtype '<U3'");
    expect(() => readNpy(npyBytes("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8)), "r.npy")).toThrow(
      /^r\.npy: unsupported dtype \(\('a', '<f4'\), \('b', '<i4'\)\)/,
    );
  });

  it("refuses bad magic, malformed headers and truncated data", () => {
    expect(() => readNpy(new TextEncoder().encode("not numpy at all"), "x.npy")).toThrow("x.npy: not a .npy file");
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'shape': (2,"), "h.npy")).toThrow(/^h\.npy: malformed header/);
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", new Uint8Array(8)), "t.npy")).toThrow(
      "t.npy: data is truncated: shape (3) of '<f4' needs 12 bytes, file has 8",
    );
    expect(() => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", f4, 4), "v.npy")).toThrow("v.npy: unsupported .npy format version 4.0");
  });
});

describe("shared digits-cnn data", () => {
  it("calib.npy is [256, 1, 8, 8] f32 pixels in [0, 1]", () => {
    const t = readNpyFile(sharedPath("models", "digits-cnn", "calib.npy"));
    expect(t.dtype).toBe("f32");
    expect(t.shape).toEqual([256, 1, 8, 8]);
    const d = t.data as Float32Array;
    expect(Array.from(d.subarray(0, 5))).toEqual([0, 0.0625, 0.375, 0.9375, 0.75]);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d)).toBeLessThanOrEqual(1);
    // Round-trips through the writer byte for byte (the file was written by numpy).
    expect(writeNpy(t)).toEqual(new Uint8Array(readNpyFileBytes("calib.npy")));
  });

  it("val_labels.npy is i64 digit labels matching val.npy's batch", () => {
    const labels = readNpyFile(sharedPath("models", "digits-cnn", "val_labels.npy"));
    const val = readNpyFile(sharedPath("models", "digits-cnn", "val.npy"));
    expect(labels.dtype).toBe("i64");
    expect(labels.shape).toEqual([val.shape[0]]);
    const l = Array.from(labels.data as BigInt64Array);
    expect(l.slice(0, 5)).toEqual([2n, 3n, 7n, 6n, 8n]);
    expect(l.every((v) => v >= 0n && v <= 9n)).toBe(true);
    expect(new Set(l).size).toBe(10);
  });
});

function readNpyFileBytes(name: string): Buffer {
  return readFileSync(sharedPath("models", "digits-cnn", name));
}
