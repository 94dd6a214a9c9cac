/**
 * QuantizeLinear → `quant.qcast` and DequantizeLinear → `quant.dcast` on `!quant.uniform` types built
 * from constant scale and zero-point tensors (per tensor, or per axis with `axis`). ONNX rounds half
 * to even in QuantizeLinear, as `quant.qcast` does.
 *
 * ONNX tensors hold the storage integers; where an integer tensor meets a quantized op,
 * `quant.scast` reinterprets it. A DequantizeLinear of a constant (QDQ weights) is built lazily in
 * the layout its user wants, so conv weights become OHWI constants with the quantized axis moved.
 */
import type { FloatType, IntegerType, Type, UniformQuantType } from "../../../ir/types.js";
import { integerType, uniformQuantType } from "../../../ir/types.js";
import type { Converter, NodeContext } from "../converter.js";
import { requiredInput } from "../converter.js";
import { tensorNumbers } from "../constant-data.js";
import type { ImportContext, OnnxValue } from "../import-context.js";
import { normalizeAxis } from "../layout.js";
import { ONNX_TYPE_NAMES } from "../proto.js";

/** ONNX storage data types qopt quantizes to, by TensorProto.DataType code. */
const STORAGE_TYPES: ReadonlyMap<number, IntegerType> = new Map([
  [2, integerType(8, "unsigned")],
  [3, integerType(8)],
  [4, integerType(16, "unsigned")],
  [5, integerType(16)],
  [6, integerType(32)],
]);

function storageOf(ctx: ImportContext, element: Type, what: string): IntegerType {
  if (element.kind === "int" && element.width > 1 && element.width <= 32 && !(element.width === 32 && element.signedness === "unsigned")) return element;
  return ctx.fail(`${what} must be int8, uint8, int16, uint16 or int32`);
}

function floatOf(ctx: ImportContext, element: Type, what: string): FloatType {
  if (element.kind === "float" && (element.name === "f32" || element.name === "f16")) return element;
  return ctx.fail(`${what} must be float32 or float16`);
}

/**
 * The quant type of a Q/DQ node from its scale and zero-point inputs (axis in ONNX order).
 * `storage` is the storage type when there is no zero point to take it from.
 */
function quantTypeOf(ctx: ImportContext, n: NodeContext, x: OnnxValue, expressed: FloatType, storage: IntegerType): UniformQuantType {
  if (n.attrs.int("block_size", 0) !== 0) ctx.fail("blocked quantization (block_size) is not supported");
  const scaleValue = requiredInput(ctx, n, 1, "scale");
  const scale = ctx.requireConstant(scaleValue, "the scale");
  const zpValue = n.inputs[2];
  const zp = zpValue ? ctx.requireConstant(zpValue, "the zero point") : undefined;
  const scales = tensorNumbers(scale);
  const zeroPoints = zp ? tensorNumbers(zp) : new Array<number>(scales.length).fill(0);
  if (zeroPoints.length !== scales.length) ctx.fail(`scale has ${scales.length} values, zero point ${zeroPoints.length}`);
  if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) ctx.fail(`scales must be positive and finite, got [${scales.join(", ")}]`);
  if (scale.shape.length > 1) ctx.fail(`scale must be a scalar or 1-D, got shape [${scale.shape.join(", ")}]`);
  if (scales.length === 1) return uniformQuantType({ storage, expressed, scales, zeroPoints });
  const rank = ctx.rank(x);
  const a = n.attrs.int("axis", 1);
  const axis = normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`);
  const dim = ctx.shape(x)[axis]!;
  if (dim >= 0 && dim !== scales.length) ctx.fail(`axis ${axis} has ${dim} elements but there are ${scales.length} scales`);
  return uniformQuantType({ storage, expressed, scales, zeroPoints, axis });
}

const quantizeLinear: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "x");
  const expressed = floatOf(ctx, x.element, "the input");
  const zp = n.inputs[2];
  let storage: IntegerType;
  if (zp) {
    storage = storageOf(ctx, zp.element, "the zero point");
  } else {
    const code = n.attrs.int("output_dtype", 0) || 2;
    storage = STORAGE_TYPES.get(code) ?? ctx.fail(`output_dtype ${ONNX_TYPE_NAMES[code] ?? code} is not supported`);
  }
  if (storage.width === 32) ctx.fail("quantizing to int32 is not supported");
  ctx.defineQuantized(n.outputs[0]!, x, quantTypeOf(ctx, n, x, expressed, storage));
};

const dequantizeLinear: Converter = (ctx, n) => {
  const x = requiredInput(ctx, n, 0, "x");
  const storage = storageOf(ctx, x.element, "the input");
  const scale = requiredInput(ctx, n, 1, "scale");
  const expressed = floatOf(ctx, scale.element, "the scale");
  const zp = n.inputs[2];
  if (zp && zp.element !== x.element && (zp.element.kind !== "int" || zp.element.width !== storage.width || zp.element.signedness !== storage.signedness)) {
    ctx.fail("the zero point must have the input's type");
  }
  const q = quantTypeOf(ctx, n, x, expressed, storage);
  const out = n.outputs[0]!;
  const dequantize = (perm: readonly number[]) =>
    ctx.emit("quant.dcast", [ctx.quantValue(x, perm, q)], {}, ctx.typeIn(x, perm, expressed));
  if (x.constant !== undefined) {
    // QDQ weights: materialized in the layout the consumer asks for.
    ctx.defineDeferred(out, expressed, ctx.shape(x), dequantize);
    return;
  }
  const perm = ctx.chooseLayout([x], ctx.rank(x));
  ctx.defineDequantized(out, dequantize(perm), perm, q);
};

export const quantizeConverters: ReadonlyMap<string, Converter> = new Map([
  ["QuantizeLinear", quantizeLinear],
  ["DequantizeLinear", dequantizeLinear],
]);
