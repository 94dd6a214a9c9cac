/**
 * Half precision in a float program: an op chosen to compute in f16 takes f16 operands (its float
 * constants become f16 constants, other f32 values pass through `float.cast`), produces f16 results and
 * hands f32 back to readers that compute in f32 (a `float.cast` after it); f16 readers take the f16
 * value directly. An op chosen for f16 weights only (a CPU that widens f16 weights to f32, as TFLite's
 * float16 models run there) stores its float constants in f16 and widens them with `float.cast`.
 * Used by quantize's float16 mode and for ops select-precision marks f16.
 */
import type { DenseAttr } from "../ir/attributes.js";
import { hasTrait } from "../ir/opdef.js";
import { makeOperation, type Operation, type Value } from "../ir/operation.js";
import { inHalfPrecision, isF32Tensor, withFloatElement } from "../ir/float-element.js";
import { withoutDeadOps, producerMap } from "../ir/rewriter.js";
import { roundToF16 } from "../interp/tensor.js";

export type HalfPrecision = "compute" | "weights";

function floatConstant(op: Operation | undefined): DenseAttr | undefined {
  if (!op || op.name !== "float.const" || !hasTrait(op, "ConstantLike")) return undefined;
  const v = op.attributes["value"];
  return v?.kind === "dense" && v.type.element.kind === "float" && v.type.element.name === "f32" ? v : undefined;
}

/** Rewrites `ops` so that the ops `choose` picks run or store in f16; returns the new ops and how many were converted. */
export function toHalfPrecision(ops: readonly Operation[], choose: (op: Operation) => HalfPrecision | undefined): { ops: Operation[]; compute: number; weights: number } {
  const producers = producerMap(ops);
  const out: Operation[] = [];
  /** f32 value → what readers use instead (the f32 cast-back of an op now computed in f16). */
  const replaced = new Map<Value, Value>();
  /** f32 value → its f16 version. */
  const half = new Map<Value, Value>();
  const use = (v: Value): Value => replaced.get(v) ?? v;
  let compute = 0;
  let weights = 0;

  const halfOf = (v: Value, loc: Operation["loc"]): Value => {
    const known = half.get(v);
    if (known) return known;
    const producer = producers.get(v);
    const dense = floatConstant(producer);
    const type = withFloatElement(v.type, "f16");
    const op = dense
      ? makeOperation({ name: "float.const", attributes: { value: { ...dense, type: withFloatElement(dense.type, "f16") as DenseAttr["type"], data: Float32Array.from(dense.data as Float32Array, roundToF16) } }, resultTypes: [type], loc: producer!.loc })
      : makeOperation({ name: "float.cast", operands: [use(v)], resultTypes: [type], loc });
    out.push(op);
    half.set(v, op.results[0]!);
    return op.results[0]!;
  };
  const widened = (v: Value, loc: Operation["loc"]): Value => {
    const cast = makeOperation({ name: "float.cast", operands: [v], resultTypes: [withFloatElement(v.type, "f32")], loc });
    out.push(cast);
    return cast.results[0]!;
  };

  for (const op of ops) {
    const how = choose(op);
    if (how === "compute") {
      compute++;
      const operands = op.operands.map((v) => (isF32Tensor(v.type) ? halfOf(v, op.loc) : use(v)));
      const converted = inHalfPrecision(op, operands);
      out.push(converted);
      op.results.forEach((r, i) => {
        half.set(r, converted.results[i]!);
        if (isF32Tensor(r.type)) replaced.set(r, widened(converted.results[i]!, op.loc));
      });
    } else if (how === "weights" && op.operands.some((v) => floatConstant(producers.get(v)))) {
      weights++;
      out.push({ ...op, operands: op.operands.map((v) => (floatConstant(producers.get(v)) ? widened(halfOf(v, op.loc), op.loc) : use(v))) });
    } else {
      out.push(op.operands.some((v) => replaced.has(v)) ? { ...op, operands: op.operands.map(use) } : op);
    }
  }
  // The f32 constants an f16 copy replaced, and cast-backs nothing reads.
  return { ops: [...withoutDeadOps(out, (op) => op.name === "float.cast" || op.name === "float.const")], compute, weights };
}
