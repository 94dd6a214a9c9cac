/**
 * `hw.sparse_fully_connected` and `hw.sparse_conv2d` (1×1 kernels only): block-sparse weights held
 * in the op as block CSR (`block_shape`, `row_ptr`, `col_idx`, `values`; layout documented in
 * kernels/sparse.ts). Same zero points and output stage as hw.fully_connected / hw.conv2d, and the
 * same results as those ops on the densified weights.
 */
import type { AttrDict, DenseAttr } from "../../../src/ir/attributes.js";
import { attr, denseAttr, intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec, type VerifyContext } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { DYNAMIC } from "../../../src/ir/types.js";
import { denseToTensor } from "../../../src/interp/dense-tensor.js";
import { sparseConv2d1x1, sparseFullyConnected, type BlockSparseWeights } from "../kernels/sparse.js";
import { attributesOf, checkedPair, orThrow } from "../attributes.js";
import { checkShape, outsideStorage, shapeOf, storageOf, typeText } from "../constraints.js";
import { kernelRequant, requantAttributes, weightedZeroPoints } from "../requant.js";
import { accumulatorResultTensor, inputOperand, biasOperand } from "../weighted.js";
import { verifyBiasShape, verifyWeightedOp } from "./conv.js";
import { checkFullyConnectedResult, reshapedTo } from "./matmul.js";

const sparseAttributes: Readonly<Record<string, AttrSpec>> = {
  ...weightedZeroPoints,
  ...requantAttributes,
  block_shape: { kind: "ints", doc: "[bh, bw]: output channels × input channels per block" },
  row_ptr: { kind: "dense", doc: "i32 [R + 1]: stored blocks of row block r are row_ptr[r] ≤ k < row_ptr[r + 1]" },
  col_idx: { kind: "dense", doc: "i32 [nnzb]: column block of each stored block, increasing within a row block" },
  values: { kind: "dense", doc: "i8/u8 [nnzb, bh, bw]: the stored blocks, each row-major" },
};

function isInt(a: DenseAttr, width: number): boolean {
  const e = a.type.element;
  return e.kind === "int" && e.width === width && e.signedness !== "unsigned";
}

/** The checked block CSR structure; `inDepth` may be dynamic (−1). Returns OUT and the values' storage kind. */
function verifyBlockCsr(attrs: AttrDict, inDepth: number, error: (m: string) => void): { out: number; valuesKind: "i8" | "u8" } | undefined {
  const block = checkedPair(attrs, "block_shape", 1);
  if (typeof block === "string") return void error(block);
  const [bh, bw] = block;
  const rowPtr = denseAttr(attrs, "row_ptr");
  const colIdx = denseAttr(attrs, "col_idx");
  const values = denseAttr(attrs, "values");
  if (!rowPtr || !colIdx || !values) return undefined; // missing or non-dense: reported against the attribute specs
  if (!isInt(rowPtr, 32) || rowPtr.type.shape?.length !== 1 || rowPtr.type.shape[0]! < 1) {
    return void error(`'row_ptr' must be a non-empty 1-D i32 dense tensor, got ${typeText(rowPtr.type)}`);
  }
  if (!isInt(colIdx, 32) || colIdx.type.shape?.length !== 1) return void error(`'col_idx' must be a 1-D i32 dense tensor, got ${typeText(colIdx.type)}`);
  const vs = storageOf(values.type);
  if (!vs || (vs.kind !== "i8" && vs.kind !== "u8") || values.type.shape?.length !== 3) {
    return void error(`'values' must be a rank-3 [nnzb, bh, bw] dense tensor of i8 or u8, got ${typeText(values.type)}`);
  }
  const ptr = denseToTensor(rowPtr).data as Int32Array;
  const idx = denseToTensor(colIdx).data as Int32Array;
  const R = ptr.length - 1;
  if (ptr[0] !== 0) return void error(`'row_ptr' must start at 0, got ${ptr[0]}`);
  for (let r = 0; r < R; r++) if (ptr[r + 1]! < ptr[r]!) return void error(`'row_ptr' must be non-decreasing, but row_ptr[${r + 1}] = ${ptr[r + 1]} < row_ptr[${r}] = ${ptr[r]}`);
  const nnzb = ptr[R]!;
  if (idx.length !== nnzb) return void error(`'col_idx' must have row_ptr[${R}] = ${nnzb} entries, got ${idx.length}`);
  const C = inDepth >= 0 ? inDepth / bw : DYNAMIC;
  if (inDepth >= 0 && inDepth % bw !== 0) return void error(`input depth ${inDepth} must be a multiple of the block width ${bw}`);
  for (let r = 0; r < R; r++) {
    for (let k = ptr[r]!; k < ptr[r + 1]!; k++) {
      const c = idx[k]!;
      if (c < 0 || (C >= 0 && c >= C)) return void error(`'col_idx'[${k}] = ${c} is outside the ${C >= 0 ? C : "?"} column blocks [0, ${C >= 0 ? C : "?"})`);
      if (k > ptr[r]! && c <= idx[k - 1]!) return void error(`'col_idx' must increase strictly within a row block (row block ${r}, entry ${k})`);
    }
  }
  const e = checkShape("'values'", values.type.shape, [nnzb, bh, bw]);
  if (e) return void error(e);
  return { out: R * bh, valuesKind: vs.kind };
}

function verifySparse(op: Operation, ctx: VerifyContext, conv: boolean): void {
  const attrs = attributesOf(op);
  const error = (m: string): void => ctx.error(m);
  const inT = op.operands[0]?.type;
  const input = shapeOf(inT);
  if (input !== undefined && (conv ? input.length !== 4 : input.length < 1)) {
    return error(conv ? `input must be a rank-4 NHWC tensor, got ${typeText(inT!)}` : `input must have rank ≥ 1 ([..., IN]), got ${typeText(inT!)}`);
  }
  const inDepth = input ? input[input.length - 1]! : DYNAMIC;
  const csr = verifyBlockCsr(attrs, inDepth, error);
  if (!csr) return;
  const result = shapeOf(op.results[0]?.type);
  if (conv) {
    const strides = checkedPair(attrs, "strides", 1);
    if (typeof strides === "string") return error(strides);
    if (input && result) {
      const [N, H, W] = input;
      const extent = (d: number, s: number): number => (d < 0 ? DYNAMIC : Math.floor((d - 1) / s) + 1);
      const e = checkShape("result", result, [N!, extent(H!, strides[0]), extent(W!, strides[1]), csr.out]);
      if (e) error(e);
    }
  } else if (input && result) {
    const e = checkFullyConnectedResult(input, csr.out, result);
    if (e) error(e);
  }
  const values = storageOf(denseAttr(attrs, "values")!.type)!;
  const wzp = intAttr(attrs, "weight_zp", 0);
  const e = outsideStorage(wzp, values, "weight_zp", "'values'");
  if (e) error(e);
  verifyBiasShape(op, 1, csr.out, error);
  verifyWeightedOp(op, attrs, csr.out, false, csr.valuesKind, ctx);
}

/** The block CSR weights of a verified op. */
export function blockSparseWeights(attrs: AttrDict, opName: string): BlockSparseWeights {
  const block = orThrow(checkedPair(attrs, "block_shape", 1), opName);
  const values = denseToTensor(denseAttr(attrs, "values")!).data;
  if (!(values instanceof Int8Array || values instanceof Uint8Array)) throw new RangeError(`${opName}: 'values' must be i8 or u8`);
  return {
    blockShape: block,
    rowPtr: denseToTensor(denseAttr(attrs, "row_ptr")!).data as Int32Array,
    colIdx: denseToTensor(denseAttr(attrs, "col_idx")!).data as Int32Array,
    values,
  };
}

export const sparseFullyConnectedOp = defineOp({
  name: "hw.sparse_fully_connected",
  summary: "Fully connected layer with block-sparse weights (block CSR attributes)",
  description:
    "Input [..., IN]; dense weights [OUT, IN] = [R·bh, C·bw] stored as block CSR (row_ptr, col_idx, values); " +
    "result [batches, OUT] or [..., OUT]. Equal to hw.fully_connected on the densified weights.",
  operands: [inputOperand, biasOperand],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: sparseAttributes,
  traits: ["Pure"],
  verify: (op, ctx) => verifySparse(op, ctx, false),
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    const t = sparseFullyConnected(inputs[0]!, blockSparseWeights(attrs, op.name), inputs[1], {
      ...kernelRequant(attrs, out),
      input_zp: intAttr(attrs, "input_zp", 0),
      weight_zp: intAttr(attrs, "weight_zp", 0),
    });
    return [reshapedTo(t, op)];
  },
});

export const sparseConv2dOp = defineOp({
  name: "hw.sparse_conv2d",
  summary: "1×1 convolution with block-sparse weights (block CSR attributes)",
  description:
    "NHWC input [N, H, W, IN]; dense OHWI weights [OUT, 1, 1, IN] stored as block CSR over [OUT, IN]; " +
    "no padding; result [N, ⌊(H−1)/sy⌋+1, ⌊(W−1)/sx⌋+1, OUT]. Equal to hw.conv2d on the densified weights.",
  operands: [inputOperand, biasOperand],
  results: [{ name: "result", type: accumulatorResultTensor }],
  attributes: {
    ...sparseAttributes,
    strides: { kind: "ints", default: attr.ints([1, 1]), doc: "[stride_y, stride_x], each ≥ 1" },
  },
  traits: ["Pure"],
  verify: (op, ctx) => verifySparse(op, ctx, true),
  kernel(inputs, op) {
    const attrs = attributesOf(op);
    const out = storageOf(op.results[0]!.type)!;
    return [
      sparseConv2d1x1(inputs[0]!, blockSparseWeights(attrs, op.name), inputs[1], {
        ...kernelRequant(attrs, out),
        input_zp: intAttr(attrs, "input_zp", 0),
        weight_zp: intAttr(attrs, "weight_zp", 0),
        stride: orThrow(checkedPair(attrs, "strides", 1), op.name),
      }),
    ];
  },
});
