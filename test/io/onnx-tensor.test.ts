import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { readTensorProto, tensorFromProto, tensorToProto, writeTensorProto } from "../../src/io/onnx-tensor.js";
import { makeTensor, roundToF16, type DType, type Tensor } from "../../src/interp/tensor.js";
import { sharedPath } from "./shared-data.js";

const { onnx } = onnxProto;

function conformanceFiles(): Array<{ test: string; file: string; bytes: Uint8Array }> {
  const root = sharedPath("conformance", "onnx");
  const out = [];
  for (const test of readdirSync(root).sort()) {
    const dir = path.join(root, test, "test_data_set_0");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".pb")).sort()) out.push({ test, file, bytes: readFileSync(path.join(dir, file)) });
  }
  return out;
}

const num = (t: Tensor) => Array.from(t.data as ArrayLike<number>);

describe("ONNX conformance test data", () => {
  const files = conformanceFiles();
  const byName = (test: string, file: string) => {
    const f = files.find((x) => x.test === test && x.file === file);
    if (!f) throw new Error(`missing ${test}/${file}`);
    return readTensorProto(f.bytes, `${test}/${file}`);
  };

  it("finds the expected data sets", () => {
    expect(files.length).toBeGreaterThanOrEqual(70);
    expect(new Set(files.map((f) => f.test)).size).toBe(14);
  });

  it("reads every .pb with a name, a supported dtype and a consistent shape", () => {
    const dtypes = new Set<DType>();
    for (const { test, file, bytes } of files) {
      const { name, tensor } = readTensorProto(bytes, `${test}/${file}`);
      expect(name, `${test}/${file}`).not.toBe("");
      expect(tensor.shape.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
      expect(tensor.data.length).toBe(tensor.shape.reduce((p, d) => p * d, 1));
      dtypes.add(tensor.dtype);
      // And the writer reproduces a tensor that reads back identically.
      const again = readTensorProto(writeTensorProto(name, tensor));
      expect(again.name).toBe(name);
      expect(again.tensor).toEqual(tensor);
    }
    expect([...dtypes].sort()).toEqual(["f16", "f32", "i16", "i32", "i8", "u16", "u8"]);
  });

  it("has the known values of DequantizeLinear, QuantizeLinear and MatMulInteger", () => {
    const x = byName("test_dequantizelinear", "input_0.pb");
    expect(x.name).toBe("x");
    expect(x.tensor.dtype).toBe("u8");
    expect(num(x.tensor)).toEqual([0, 3, 128, 255]);
    const scale = byName("test_dequantizelinear", "input_1.pb").tensor;
    expect(scale.shape).toEqual([]);
    expect(num(scale)).toEqual([2]);
    expect(num(byName("test_dequantizelinear", "output_0.pb").tensor)).toEqual([-256, -250, 0, 254]);
    expect(num(byName("test_quantizelinear_int16", "input_2.pb").tensor)).toEqual([256]);
    const y = byName("test_matmulinteger", "output_0.pb").tensor;
    expect(y.dtype).toBe("i32");
    expect(y.shape).toEqual([4, 2]);
    expect(num(y).slice(0, 2)).toEqual([-38, -83]);
    // f16 scale 0.0066 rounds to 0.00659942626953125 in half precision.
    const s16 = byName("test_qlinearmatmul_2D_int8_float16", "input_1.pb").tensor;
    expect(s16.dtype).toBe("f16");
    expect(num(s16)).toEqual([roundToF16(0.0066)]);
  });

  it("DequantizeLinear outputs equal (x − zero_point) · scale, per tensor and per axis 1", () => {
    for (const test of ["test_dequantizelinear", "test_dequantizelinear_axis", "test_dequantizelinear_int16", "test_dequantizelinear_uint16"]) {
      const [x, s, zp, y] = ["input_0.pb", "input_1.pb", "input_2.pb", "output_0.pb"].map((f) => byName(test, f).tensor) as [Tensor, Tensor, Tensor, Tensor];
      const channels = s.data.length;
      const inner = x.shape.slice(2).reduce((p, d) => p * d, 1);
      const expected = num(x).map((v, i) => {
        const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
        return Math.fround((v - Number(zp.data[c])) * Number(s.data[c]));
      });
      expect(num(y), test).toEqual(expected);
    }
  });
});

describe("TensorProto typed fields", () => {
  const proto = (dataType: number, dims: number[], fields: Record<string, unknown>) => onnx.TensorProto.create({ name: "t", dataType, dims, ...fields });

  it("reads float_data, double_data, int64_data and uint64_data", () => {
    expect(num(tensorFromProto(proto(1, [2], { floatData: [1.5, -2] })))).toEqual([1.5, -2]);
    expect(num(tensorFromProto(proto(11, [2], { doubleData: [0.1, 1e300] })))).toEqual([0.1, 1e300]);
    expect(Array.from(tensorFromProto(proto(7, [3], { int64Data: [-1, 5, 2 ** 40] })).data as BigInt64Array)).toEqual([-1n, 5n, 2n ** 40n]);
    expect(num(tensorFromProto(proto(12, [2], { uint64Data: [7, 4294967295] })))).toEqual([7, 4294967295]);
  });

  it("reads int32_data for the narrow types, FLOAT16 bits and BOOL", () => {
    const cases: Array<[number, DType, number[], number[]]> = [
      [6, "i32", [-5, 2147483647], [-5, 2147483647]],
      [5, "i16", [-32768, 7], [-32768, 7]],
      [3, "i8", [-128, 127], [-128, 127]],
      [4, "u16", [65535, 0], [65535, 0]],
      [2, "u8", [255, 1], [255, 1]],
      [9, "i1", [1, 0], [1, 0]],
      [10, "f16", [0x3e00, 0xc000], [1.5, -2]],
    ];
    for (const [code, dtype, stored, values] of cases) {
      const t = tensorFromProto(proto(code, [2], { int32Data: stored }));
      expect(t.dtype).toBe(dtype);
      expect(num(t)).toEqual(values);
    }
  });

  it("decodes int64 fields that protobufjs returns as Long objects", () => {
    const bytes = onnx.TensorProto.encode(proto(7, [2], { int64Data: [-(2 ** 40), 3] })).finish();
    const { tensor } = readTensorProto(bytes);
    expect(Array.from(tensor.data as BigInt64Array)).toEqual([-(2n ** 40n), 3n]);
  });

  it("reports unsupported types, external data and size mismatches with the tensor name", () => {
    expect(() => tensorFromProto(proto(8, [1], {}))).toThrow("t: unsupported ONNX tensor data type STRING (8)");
    expect(() => tensorFromProto(proto(16, [1], {}))).toThrow(/BFLOAT16/);
    expect(() => tensorFromProto(proto(1, [1], { dataLocation: 1 }))).toThrow(/stored externally/);
    expect(() => tensorFromProto(proto(1, [3], { floatData: [1, 2] }))).toThrow("t: float_data has 2 values, shape [3] needs 3");
    expect(() => tensorFromProto(proto(1, [3], { rawData: new Uint8Array(8) }))).toThrow("t: raw_data has 8 bytes, shape [3] of FLOAT needs 12");
    expect(() => readTensorProto(new Uint8Array([0xff, 0xff, 0xff]), "junk.pb")).toThrow(/^junk\.pb: not a valid ONNX TensorProto/);
  });
});

describe("tensorToProto round trip", () => {
  const DTYPES: DType[] = ["f16", "f32", "f64", "i1", "i8", "u8", "i16", "u16", "i32", "u32", "i64"];
  it("every dtype survives tensorToProto → encode → decode → tensorFromProto", () => {
    const arb = fc.tuple(fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer()).map(([dtype, shape, seed]) => {
      const n = shape.reduce((p, d) => p * d, 1);
      const vals = Array.from({ length: n }, (_, i) => Math.sin(seed + i * 7.3) * 1000);
      return makeTensor(dtype, shape, dataFor(dtype, vals));
    });
    fc.assert(
      fc.property(arb, (t) => {
        const proto = tensorToProto("w", t);
        expect(proto.dataType).toBeGreaterThan(0);
        const back = readTensorProto(onnx.TensorProto.encode(proto).finish());
        expect(back.name).toBe("w");
        expect(back.tensor).toEqual(t);
      }),
      { numRuns: 200 },
    );
  });
});

/** Values of `vals` as `dtype` stores them (typed-array conversion wraps integers, as intended). */
function dataFor(dtype: DType, vals: number[]): Tensor["data"] {
  switch (dtype) {
    case "f16": return Float32Array.from(vals, roundToF16);
    case "f32": return Float32Array.from(vals);
    case "f64": return Float64Array.from(vals);
    case "i1": return Uint8Array.from(vals, (v) => (v > 0 ? 1 : 0));
    case "i8": return Int8Array.from(vals, Math.round);
    case "u8": return Uint8Array.from(vals, Math.round);
    case "i16": return Int16Array.from(vals, (v) => Math.round(v * 30));
    case "u16": return Uint16Array.from(vals, (v) => Math.round(v * 60));
    case "i32": return Int32Array.from(vals, (v) => Math.round(v * 1e6));
    case "u32": return Uint32Array.from(vals, (v) => Math.round(v * 4e6));
    case "i64": return BigInt64Array.from(vals, (v) => BigInt(Math.round(v * 1e9)));
  }
}
