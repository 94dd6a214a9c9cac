/** Building QDQ-form pieces: `!quant.uniform` types and the qcast/dcast pair around a value. */
import type { Operation, Value } from "../ir/operation.js";
import { makeOperation } from "../ir/operation.js";
import type { Type, UniformQuantType } from "../ir/types.js";
import { floatType, integerType, withElementType } from "../ir/types.js";
import type { Location } from "../ir/location.js";

export function uniformType(storage: "i8" | "u8" | "i16" | "i32", params: { scales: readonly number[]; zeroPoints: readonly number[]; axis?: number; narrow?: boolean }): UniformQuantType {
  const width = storage === "i16" ? 16 : storage === "i32" ? 32 : 8;
  const unsigned = storage === "u8";
  const t = integerType(width, unsigned ? "unsigned" : "signed");
  const full = unsigned ? { min: 0, max: 2 ** width - 1 } : { min: -(2 ** (width - 1)), max: 2 ** (width - 1) - 1 };
  return {
    kind: "quant.uniform",
    storage: t,
    storageMin: params.narrow ? full.min + 1 : full.min,
    storageMax: full.max,
    expressed: floatType("f32"),
    scales: params.scales,
    zeroPoints: params.zeroPoints,
    ...(params.axis !== undefined ? { axis: params.axis } : {}),
  };
}

/** `q = quant.qcast(v)`, `d = quant.dcast(q)`; returns both ops and the dequantized value. */
export function qdqPair(v: Value, q: UniformQuantType, loc: Location): { ops: Operation[]; dequantized: Value } {
  const quantized: Type = withElementType(v.type, q);
  const qcast = makeOperation({ name: "quant.qcast", operands: [v], resultTypes: [quantized], loc });
  const dcast = makeOperation({ name: "quant.dcast", operands: [qcast.results[0]!], resultTypes: [v.type], loc });
  return { ops: [qcast, dcast], dequantized: dcast.results[0]! };
}
