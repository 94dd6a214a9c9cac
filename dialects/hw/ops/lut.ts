/**
 * `hw.lut`: elementwise table lookup (quantized sigmoid, tanh, any unary function).
 * 8-bit: `table` holds 256 i8 or u8 entries, indexed by `value + 128` for i8 inputs and by `value`
 * for u8 inputs (TFLite lut_lookup, TOSA TABLE int8). 16-bit: i16 input, 513 i16 (or i8) entries,
 * TFLite's interpolated lookup (`lut_lookup_with_interpolation`). The result's storage is the table's.
 */
import { denseAttr } from "../../../src/ir/attr-access.js";
import { defineOp } from "../../../src/ir/opdef.js";
import { denseToTensor } from "../../../src/interp/dense-tensor.js";
import { lut16Interpolated, lut8 } from "../kernels/lut.js";
import { checkShape, shapeOf, storageOf, storageTensor, typeText } from "../constraints.js";

export const lutOp = defineOp({
  name: "hw.lut",
  summary: "Elementwise table lookup (256 entries for 8-bit inputs, 513 interpolated for int16)",
  operands: [{ name: "input", type: storageTensor(["i8", "u8", "i16"]) }],
  results: [{ name: "result", type: storageTensor(["i8", "u8", "i16"]) }],
  attributes: { table: { kind: "dense", doc: "1-D table: 256 × i8/u8 (8-bit input) or 513 × i16/i8 (i16 input)" } },
  traits: ["Pure", "Elementwise", "SameOperandsAndResultShape"],
  verify(op, ctx) {
    const table = denseAttr(op, "table");
    const input = storageOf(op.operands[0]?.type);
    const out = storageOf(op.results[0]?.type);
    const shape = shapeOf(op.operands[0]?.type);
    if (shape) {
      const e = checkShape("result", shapeOf(op.results[0]?.type), shape);
      if (e) ctx.error(e);
    }
    if (!table || !input) return;
    const entries = storageOf(table.type);
    const dims = table.type.shape;
    const want = input.width === 16 ? 513 : 256;
    const kinds = input.width === 16 ? ["i16", "i8"] : ["i8", "u8"];
    if (!entries || !kinds.includes(entries.kind) || dims?.length !== 1 || dims[0] !== want) {
      return ctx.error(`'table' must be a 1-D dense tensor of ${want} ${kinds.join(" or ")} entries for a ${input.kind} input, got ${typeText(table.type)}`);
    }
    if (out && out.kind !== entries.kind) ctx.error(`result storage type must be the table's ${entries.kind}, got ${out.kind}`);
  },
  kernel(inputs, op) {
    const table = denseToTensor(denseAttr(op, "table")!).data;
    const input = inputs[0]!;
    if (input.dtype === "i16") {
      if (!(table instanceof Int16Array || table instanceof Int8Array)) throw new RangeError("hw.lut: a 16-bit lookup needs an i16 or i8 table");
      return [lut16Interpolated(input, table)];
    }
    if (!(table instanceof Int8Array || table instanceof Uint8Array)) throw new RangeError("hw.lut: an 8-bit lookup needs an i8 or u8 table");
    return [lut8(input, table)];
  },
});
