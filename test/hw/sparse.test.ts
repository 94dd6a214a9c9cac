/**
 * Block-sparse ops equal their dense counterparts on the densified weights, bit for bit
 * (hw.sparse_fully_connected vs hw.fully_connected, hw.sparse_conv2d vs a 1×1 hw.conv2d), under every
 * rounding mode, with and without requantization, for 8-bit and 16-bit inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { densifyBlockSparse, type BlockSparseWeights } from "../../dialects/hw/kernels/sparse.js";
import { ROUNDING_MODES, type RoundingMode } from "../../src/interp/rounding.js";
import { constLine, denseHex, elementOf, floatText, runText, tensorText, values, verifierMessages } from "./hw-module.js";
import { rng } from "../support/random.js";

interface SparseCase {
  bh: number;
  bw: number;
  R: number;
  C: number;
  mask: boolean[];
  weightsU8: boolean;
  wide: boolean;
  requant: boolean;
  rounding: RoundingMode;
  perChannel: boolean;
  bias: boolean;
  conv: { N: number; H: number; W: number; sy: number; sx: number } | undefined;
  batch: number;
  seed: number;
}


const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const sparseCase: fc.Arbitrary<SparseCase> = fc
  .record({
    bh: fc.integer({ min: 1, max: 4 }),
    bw: fc.integer({ min: 1, max: 4 }),
    R: fc.integer({ min: 1, max: 4 }),
    C: fc.integer({ min: 1, max: 4 }),
    weightsU8: fc.boolean(),
    wide: fc.boolean(),
    requant: fc.boolean(),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    perChannel: fc.boolean(),
    bias: fc.boolean(),
    conv: fc.option(
      fc.record({ N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 4 }), W: fc.integer({ min: 1, max: 4 }), sy: fc.integer({ min: 1, max: 3 }), sx: fc.integer({ min: 1, max: 3 }) }),
      { nil: undefined },
    ),
    batch: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .chain((c) => fc.array(fc.boolean(), { minLength: c.R * c.C, maxLength: c.R * c.C }).map((mask) => ({ ...c, mask })))
  // 16-bit inputs take i8 weights and always requantize with an integer or float rounding (verifier rules).
  .map((c) => (c.wide ? { ...c, weightsU8: false, requant: true } : c));

interface Built {
  sparse: string;
  dense: string;
  input: Tensor;
  weights: BlockSparseWeights;
}

function build(c: SparseCase): Built {
  const r = rng(c.seed);
  const OUT = c.R * c.bh;
  const IN = c.C * c.bw;
  const rowPtr = [0];
  const colIdx: number[] = [];
  for (let rb = 0; rb < c.R; rb++) {
    for (let cb = 0; cb < c.C; cb++) if (c.mask[rb * c.C + cb]) colIdx.push(cb);
    rowPtr.push(colIdx.length);
  }
  const nnzb = colIdx.length;
  const wDtype = c.weightsU8 ? "u8" : "i8";
  const wZp = c.weightsU8 ? int(r, 0, 255) : c.wide ? 0 : int(r, -20, 20);
  const blockValues = Array.from({ length: nnzb * c.bh * c.bw }, () => (c.weightsU8 ? int(r, 0, 255) : int(r, -127, 127)));
  const weights: BlockSparseWeights = {
    blockShape: [c.bh, c.bw],
    rowPtr: Int32Array.from(rowPtr),
    colIdx: Int32Array.from(colIdx),
    values: c.weightsU8 ? Uint8Array.from(blockValues) : Int8Array.from(blockValues),
  };
  const dense = densifyBlockSparse(weights, IN, wZp);

  const inDtype = c.wide ? "i16" : "i8";
  const inShape = c.conv ? [c.conv.N, c.conv.H, c.conv.W, IN] : [c.batch, IN];
  const count = inShape.reduce((x, y) => x * y, 1);
  const input = makeTensor(
    inDtype,
    inShape,
    c.wide ? Int16Array.from({ length: count }, () => int(r, -32768, 32767)) : Int8Array.from({ length: count }, () => int(r, -128, 127)),
  );
  const inputZp = c.wide ? 0 : int(r, -128, 127);
  const channels = c.perChannel ? OUT : 1;
  const attrs = [`input_zp = ${inputZp}`, `weight_zp = ${wZp}`];
  let outElement = "i32";
  if (c.requant) {
    outElement = c.wide ? "i16" : "i8";
    const shifts = Array.from({ length: channels }, () => (c.wide ? int(r, -20, -5) : int(r, -12, 0)));
    const mults = Array.from({ length: channels }, () => int(r, 1 << 30, 2 ** 31 - 1));
    const scales = mults.map((m, i) => m * 2 ** (shifts[i]! - 31));
    attrs.push(`output_zp = ${c.wide ? 0 : int(r, -128, 127)}`, `rounding = "${c.rounding}"`);
    if (c.rounding === "half-even-float") attrs.push(`scale = [${scales.map(floatText).join(", ")}]`);
    else attrs.push(`multiplier = [${mults.join(", ")}]`, `shift = [${shifts.join(", ")}]`);
    if (r() < 0.5) attrs.push(`act_min = ${c.wide ? -1000 : -100}`, `act_max = ${c.wide ? 2000 : 100}`);
  }
  const biasDtype = c.wide ? "i64" : "i32";
  const biasValues = Array.from({ length: OUT }, () => int(r, -5000, 5000));
  const inT = tensorText(inShape, inDtype);
  const bT = tensorText([OUT], biasDtype);
  const csr = [
    `block_shape = [${c.bh}, ${c.bw}]`,
    `row_ptr = ${denseHex(weights.rowPtr, [c.R + 1], "i32")}`,
    `col_idx = ${denseHex(weights.colIdx, [nnzb], "i32")}`,
    `values = ${denseHex(weights.values, [nnzb, c.bh, c.bw], wDtype)}`,
  ];
  const biasLine = c.bias ? constLine("b", biasValues, [OUT], biasDtype) : "";
  const bOperand = c.bias ? ", %b" : "";
  const bType = c.bias ? `, ${bT}` : "";
  if (c.conv) {
    const { N, H, W, sy, sx } = c.conv;
    const outT = tensorText([N, Math.floor((H - 1) / sy) + 1, Math.floor((W - 1) / sx) + 1, OUT], outElement);
    const wT = tensorText([OUT, 1, 1, IN], elementOf(wDtype));
    const strides = `strides = [${sy}, ${sx}]`;
    return {
      weights,
      input,
      sparse: [
        `func.func @main(%x: ${inT}) -> ${outT} {`,
        biasLine,
        `  %y = "hw.sparse_conv2d"(%x${bOperand}) {${[...attrs, ...csr, strides].join(", ")}} : (${inT}${bType}) -> ${outT}`,
        `  return %y : ${outT}`,
        `}`,
      ].join("\n"),
      dense: [
        `func.func @main(%x: ${inT}) -> ${outT} {`,
        biasLine,
        constLine("w", dense, [OUT, 1, 1, IN], wDtype),
        `  %y = "hw.conv2d"(%x, %w${bOperand}) {${[...attrs, strides].join(", ")}} : (${inT}, ${wT}${bType}) -> ${outT}`,
        `  return %y : ${outT}`,
        `}`,
      ].join("\n"),
    };
  }
  const outT = tensorText([c.batch, OUT], outElement);
  const wT = tensorText([OUT, IN], elementOf(wDtype));
  return {
    weights,
    input,
    sparse: [
      `func.func @main(%x: ${inT}) -> ${outT} {`,
      biasLine,
      `  %y = "hw.sparse_fully_connected"(%x${bOperand}) {${[...attrs, ...csr].join(", ")}} : (${inT}${bType}) -> ${outT}`,
      `  return %y : ${outT}`,
      `}`,
    ].join("\n"),
    dense: [
      `func.func @main(%x: ${inT}) -> ${outT} {`,
      biasLine,
      constLine("w", dense, [OUT, IN], wDtype),
      `  %y = "hw.fully_connected"(%x, %w${bOperand}) {${attrs.join(", ")}} : (${inT}, ${wT}${bType}) -> ${outT}`,
      `  return %y : ${outT}`,
      `}`,
    ].join("\n"),
  };
}

describe("block-sparse ops", () => {
  it("equal the dense ops on the densified weights (property)", () => {
    fc.assert(
      fc.property(sparseCase, (c) => {
        const b = build(c);
        const [s] = runText(b.sparse, [b.input], "sparse.mlir");
        const [d] = runText(b.dense, [b.input], "dense.mlir");
        expect(s!.dtype).toBe(d!.dtype);
        expect(s!.shape).toEqual(d!.shape);
        expect(values(s!)).toEqual(values(d!));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it("densify places each stored block and fills the rest with the weight zero point", () => {
    const w: BlockSparseWeights = { blockShape: [1, 2], rowPtr: Int32Array.from([0, 1, 1, 3]), colIdx: Int32Array.from([1, 0, 1]), values: Int8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(Array.from(densifyBlockSparse(w, 4, 9))).toEqual([9, 9, 1, 2, 9, 9, 9, 9, 3, 4, 5, 6]);
  });

  it("verifies the block CSR structure", () => {
    const op = (csr: string, input = "tensor<2x4xi8>", result = "tensor<2x3xi32>"): string =>
      `func.func @f(%x: ${input}) -> ${result} {\n  %y = "hw.sparse_fully_connected"(%x) {input_zp = 0, block_shape = [1, 2], ${csr}} : (${input}) -> ${result}\n  return %y : ${result}\n}`;
    const good = `row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>`;
    expect(verifierMessages(op(good))).toEqual([]);
    expect(verifierMessages(op(good.replace("[0, 1, 1, 3]", "[1, 1, 1, 3]"))).join()).toContain("'row_ptr' must start at 0");
    expect(verifierMessages(op(good.replace("[0, 1, 1, 3]", "[0, 2, 1, 3]"))).join()).toContain("'row_ptr' must be non-decreasing");
    expect(verifierMessages(op(good.replace("[1, 0, 1]", "[1, 1, 0]"))).join()).toContain("'col_idx' must increase strictly");
    expect(verifierMessages(op(good.replace("[1, 0, 1]", "[1, 0, 2]"))).join()).toContain("outside the 2 column blocks");
    expect(verifierMessages(op(good.replace("tensor<3x1x2xi8>", "tensor<3x2x1xi8>"))).join()).toContain("'values' shape [3, 2, 1] does not match the expected [3, 1, 2]");
    expect(verifierMessages(op(good, "tensor<2x5xi8>", "tensor<2x3xi32>")).join()).toContain("input depth 5 must be a multiple of the block width 2");
    expect(verifierMessages(op(good, "tensor<2x4xi8>", "tensor<2x4xi32>")).join()).toContain("result shape [2, 4] does not match the expected [2, 3]");
  });

  it("runs a hand-checked example", () => {
    // W = [[0, 0, 1, 2], [0, 0, 0, 0], [3, 4, 5, 6]] (1×2 blocks), x = [1, 1, 1, 1] and [1, 2, 3, 4].
    const text = `func.func @main(%x: tensor<2x4xi8>) -> tensor<2x3xi32> {
  %y = "hw.sparse_fully_connected"(%x) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<[[[1, 2]], [[3, 4]], [[5, 6]]]> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}`;
    const [y] = runText(text, [makeTensor("i8", [2, 4], Int8Array.from([1, 1, 1, 1, 1, 2, 3, 4]))]);
    expect(values(y!)).toEqual([3, 0, 18, 11, 0, 3 + 8 + 15 + 24]);
  });
});
