import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f32Tensor } from "../../dialects/float/kernels/f32-tensor.js";
import { concat, pad, reshape, slice, transpose, type PadMode } from "../../dialects/float/kernels/shape-ops.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { dim, indices, offsetOf, randomFloats, seedArb } from "./f32-check.js";

const shapeArb = fc.array(dim(1, 4), { minLength: 1, maxLength: 4 });
const count = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
const filled = (shape: number[], seed: number) => f32Tensor(shape, randomFloats(count(shape), seed));
const values = (t: Tensor) => Array.from(t.data as ArrayLike<number | bigint>);

describe("reshape", () => {
  it("shares the buffer and infers one -1", () => {
    const x = filled([2, 3, 4], 1);
    const y = reshape(x, [4, -1]);
    expect(y.shape).toEqual([4, 6]);
    expect(y.data).toBe(x.data);
    expect(() => reshape(x, [5, -1])).toThrow(/cannot infer -1/);
    expect(() => reshape(x, [-1, -1])).toThrow(/at most one dim/);
    expect(() => reshape(x, [25])).toThrow(/cannot become \[25\]/);
  });
});

describe("transpose", () => {
  it("out[i_0…] = x[i_perm⁻¹…] for random permutations and dtypes", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.record({ shape: fc.constant(shape), perm: fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }), seed: seedArb })),
        fc.constantFrom("f32", "i8", "i64"),
        ({ shape, perm, seed }, dtype) => {
          const f = filled(shape, seed);
          const x: Tensor = dtype === "f32" ? f : dtype === "i8" ? makeTensor("i8", shape, Int8Array.from(f.data, (v) => Math.round(v * 100))) : makeTensor("i64", shape, BigInt64Array.from(f.data, (v) => BigInt(Math.round(v * 1e6))));
          const y = transpose(x, perm);
          const outShape = perm.map((p) => shape[p]!);
          expect(y.shape).toEqual(outShape);
          expect(y.dtype).toBe(dtype);
          const expected = [];
          for (const idx of indices(outShape)) {
            const src = new Array<number>(shape.length);
            perm.forEach((p, i) => (src[p] = idx[i]!));
            expected.push((x.data as ArrayLike<number | bigint>)[offsetOf(src, shape)]!);
          }
          expect(values(y)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("defaults to reversing the dims and rejects non-permutations", () => {
    expect(transpose(filled([2, 3, 4], 1)).shape).toEqual([4, 3, 2]);
    expect(() => transpose(filled([2, 3], 1), [0, 0])).toThrow(/not a permutation/);
  });
});

describe("concat", () => {
  it("matches slicing the result back into its inputs", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.record({ shape: fc.constant(shape), axis: dim(0, shape.length - 1), sizes: fc.array(dim(0, 3), { minLength: 1, maxLength: 4 }), seed: seedArb })),
        ({ shape, axis, sizes, seed }) => {
          const inputs = sizes.map((s, k) => filled(shape.map((d, i) => (i === axis ? s : d)), seed + k));
          const y = concat(inputs, axis - shape.length);
          const total = sizes.reduce((a, b) => a + b, 0);
          expect(y.shape).toEqual(shape.map((d, i) => (i === axis ? total : d)));
          for (const idx of indices(y.shape)) {
            let k = 0, pos = idx[axis]!;
            while (pos >= sizes[k]!) pos -= sizes[k++]!;
            const src = [...idx];
            src[axis] = pos;
            expect(y.data[offsetOf(idx, y.shape)]).toBe(inputs[k]!.data[offsetOf(src, inputs[k]!.shape)]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rejects mismatched dims and dtypes", () => {
    expect(() => concat([filled([2, 3], 1), filled([3, 3], 2)], 1)).toThrow(/does not match/);
    expect(() => concat([filled([2], 1), makeTensor("i8", [2])], 0)).toThrow(/mixed dtypes/);
  });
});

describe("pad", () => {
  /** numpy.pad semantics per coordinate: constant / reflect (no edge repeat) / edge. */
  function sourceCoord(j: number, size: number, mode: PadMode): number {
    if (j >= 0 && j < size) return j;
    if (mode === "constant") return -1;
    if (mode === "edge") return j < 0 ? 0 : size - 1;
    return j < 0 ? -j : 2 * (size - 1) - j;
  }

  it("pads (and crops with negative amounts) like numpy.pad", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape), mode: fc.constantFrom<PadMode>("constant", "reflect", "edge"), seed: seedArb, value: fc.constantFrom(0, 1.5, -2),
            pads: fc.tuple(...shape.map((d) => fc.tuple(dim(-1, d - 1), dim(-1, d - 1)))),
          }),
        ),
        ({ shape, mode, seed, value, pads }) => {
          fc.pre(pads.every(([b, e], i) => shape[i]! + b + e >= 0));
          const x = filled(shape, seed);
          const onnxPads = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
          const y = pad(x, onnxPads, value, mode);
          const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
          expect(y.shape).toEqual(outShape);
          const expected: number[] = [];
          for (const idx of indices(outShape)) {
            const src = idx.map((j, i) => sourceCoord(j - pads[i]![0], shape[i]!, mode));
            expected.push(src.some((s) => s < 0) ? value : x.data[offsetOf(src, shape)]!);
          }
          expect(Array.from(y.data)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("converts the fill value to the dtype and checks reflect limits", () => {
    const y = pad(makeTensor("i64", [2], new BigInt64Array([5n, 6n])), [1, 1], 7);
    expect(Array.from(y.data as BigInt64Array)).toEqual([7n, 5n, 6n, 7n]);
    expect(() => pad(filled([2], 1), [2, 0], 0, "reflect")).toThrow(/smaller than its size 2/);
    expect(() => pad(filled([2, 2], 1), [1, 1])).toThrow(/need 4 integer pads/);
  });
});

describe("slice", () => {
  /** ONNX Slice as its spec states it, one axis at a time. */
  function coords(size: number, start: number, end: number, step: number): number[] {
    if (start < 0) start += size;
    if (end < 0) end += size;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const out: number[] = [];
    if (step > 0) {
      for (let i = clamp(start, 0, size); i < clamp(end, 0, size); i += step) out.push(i);
    } else {
      for (let i = clamp(start, 0, size - 1); i > clamp(end, -1, size - 1); i += step) out.push(i);
    }
    return out;
  }

  it("follows the ONNX Slice spec: negatives, clamping, negative steps, axis subsets", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape), seed: seedArb,
            axes: fc.shuffledSubarray(shape.map((_, i) => i), { minLength: 1 }),
            specs: fc.array(fc.tuple(dim(-6, 6), dim(-6, 6), fc.constantFrom(-3, -2, -1, 1, 2, 3)), { minLength: shape.length, maxLength: shape.length }),
          }),
        ),
        ({ shape, seed, axes, specs }) => {
          const x = filled(shape, seed);
          const starts = axes.map((_, k) => specs[k]![0]), ends = axes.map((_, k) => specs[k]![1]), steps = axes.map((_, k) => specs[k]![2]);
          const y = slice(x, starts, ends, axes, steps);
          const perDim = shape.map((d, i) => {
            const k = axes.indexOf(i);
            return k < 0 ? Array.from({ length: d }, (_, j) => j) : coords(d, starts[k]!, ends[k]!, steps[k]!);
          });
          expect(y.shape).toEqual(perDim.map((c) => c.length));
          const expected: number[] = [];
          for (const idx of indices(y.shape)) expected.push(x.data[offsetOf(idx.map((j, i) => perDim[i]![j]!), shape)]!);
          expect(Array.from(y.data)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects zero steps and repeated axes", () => {
    expect(() => slice(filled([3], 1), [0], [3], [0], [0])).toThrow(/non-zero integer/);
    expect(() => slice(filled([3, 3], 1), [0, 0], [1, 1], [1, -1])).toThrow(/listed twice/);
  });
});
