/**
 * `hw.reshape`, `hw.transpose`, `hw.concat`, `hw.pad`: data movement on stored integers. Each keeps
 * the element type (and so the scale and zero point: SameOperandsAndResultScale).
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { intAttr, numbersAttr } from "../../../src/ir/attr-access.js";
import { defineOp } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import type { TensorType, Type } from "../../../src/ir/types.js";
import { DYNAMIC } from "../../../src/ir/types.js";
import { concat, pad, reshape, transpose } from "../kernels/shape-ops.js";
import { checkedInts, attributesOf } from "../attributes.js";
import { dimProduct, dimsConflict, elementText, outsideStorage, shapeOf, shapeText, storageOf, storageTensor, typeText } from "../constraints.js";

const dataTensor = storageTensor(["i8", "u8", "i16", "u16", "i32"]);

function tensorLike(shape: readonly number[] | null, like: Type): TensorType {
  return { kind: "tensor", shape, element: like.kind === "tensor" ? like.element : like };
}

export const reshapeOp = defineOp({
  name: "hw.reshape",
  summary: "Reshape (the result type gives the new shape; data and quantization unchanged)",
  operands: [{ name: "input", type: dataTensor }],
  results: [{ name: "result", type: dataTensor }],
  traits: ["Pure", "SameOperandsAndResultScale", "SameOperandsAndResultElementType"],
  verify(op, ctx) {
    const input = op.operands[0]?.type;
    const result = op.results[0]?.type;
    if (!input || !result) return;
    if (elementText(input) !== elementText(result)) ctx.error(`result element type ${elementText(result)} must equal the input's ${elementText(input)}`);
    const a = shapeOf(input);
    const b = shapeOf(result);
    if (a && b) {
      const na = dimProduct(a);
      const nb = dimProduct(b);
      if (na >= 0 && nb >= 0 && na !== nb) ctx.error(`input ${shapeText(a)} has ${na} elements but the result ${shapeText(b)} has ${nb}`);
    }
  },
  kernel(inputs, op) {
    const input = inputs[0]!;
    const declared = shapeOf(op.results[0]!.type);
    if (declared === undefined) return [input];
    // One dynamic dim takes the remaining elements.
    const known = declared.filter((d) => d >= 0).reduce((x, y) => x * y, 1);
    const shape = declared.map((d) => (d >= 0 ? d : known === 0 ? 0 : input.data.length / known));
    return [reshape(input, shape)];
  },
});

function readPerm(attrs: AttrDict, rank: number): number[] | string {
  const perm = checkedInts(attrs, "perm", rank, 0);
  if (typeof perm === "string") return perm;
  if ([...perm].sort((x, y) => x - y).some((p, i) => p !== i)) return `'perm' [${perm.join(", ")}] must be a permutation of 0 … ${rank - 1}`;
  return perm;
}

export const transposeOp = defineOp({
  name: "hw.transpose",
  summary: "Permute dimensions: result dim d is input dim perm[d]",
  operands: [{ name: "input", type: dataTensor }],
  results: [{ name: "result", type: dataTensor }],
  attributes: { perm: { kind: "ints", doc: "A permutation of the input dims" } },
  traits: ["Pure", "SameOperandsAndResultScale", "SameOperandsAndResultElementType"],
  inferResultTypes(types, attrs) {
    const input = types[0]!;
    const shape = shapeOf(input);
    if (shape === undefined) return [tensorLike(null, input)];
    const perm = readPerm(attrs, shape.length);
    if (typeof perm === "string") return perm;
    return [tensorLike(perm.map((p) => shape[p]!), input)];
  },
  kernel: (inputs, op) => [transpose(inputs[0]!, numbersAttr(op, "perm", []))],
});

function resolveAxis(axis: number, rank: number): number | string {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) return `'axis' ${axis} is out of range for rank ${rank} (expected ${-rank} to ${rank - 1})`;
  return a;
}

export const concatOp = defineOp({
  name: "hw.concat",
  summary: "Concatenate along an axis; every operand must share one element type (one scale and zero point)",
  operands: [{ name: "inputs", type: dataTensor, arity: "variadic" }],
  results: [{ name: "result", type: dataTensor }],
  attributes: { axis: { kind: "int", doc: "Concatenation axis (negative counts from the end)" } },
  traits: ["Pure", "SameOperandsAndResultScale", "SameOperandsAndResultElementType"],
  inferResultTypes(types, attrs) {
    if (types.length === 0) return "requires at least one operand";
    const first = types[0]!;
    for (let i = 1; i < types.length; i++) {
      if (elementText(types[i]!) === elementText(first)) continue;
      const [q0, qi] = [storageOf(first)?.quant, storageOf(types[i])?.quant];
      if (q0 && qi) return `operands must share one scale and zero point: operand #${i} is ${elementText(types[i]!)}, operand #0 is ${elementText(first)}`;
      return `operand #${i} has element type ${elementText(types[i]!)}, but operand #0 has ${elementText(first)}`;
    }
    const ranked = types.map(shapeOf).filter((s): s is readonly number[] => s !== undefined);
    if (ranked.length === 0) return [tensorLike(null, first)];
    const rank = ranked[0]!.length;
    const axis = resolveAxis(intAttr(attrs, "axis", 0), rank);
    if (typeof axis === "string") return axis;
    const out = [...ranked[0]!];
    let axisSum = 0;
    let axisDynamic = false;
    for (let i = 0; i < types.length; i++) {
      const s = shapeOf(types[i]);
      if (s === undefined) {
        axisDynamic = true;
        continue;
      }
      if (s.length !== rank) return `operand #${i} has rank ${s.length}, but operand #0 has rank ${rank}`;
      for (let d = 0; d < rank; d++) {
        if (d === axis) continue;
        if (dimsConflict(s[d]!, out[d]!)) return `operand #${i} has shape ${shapeText(s)}, which differs from ${shapeText(ranked[0]!)} outside axis ${axis}`;
        if (out[d]! < 0) out[d] = s[d]!;
      }
      if (s[axis]! < 0) axisDynamic = true;
      else axisSum += s[axis]!;
    }
    out[axis] = axisDynamic ? DYNAMIC : axisSum;
    return [tensorLike(out, first)];
  },
  kernel(inputs, op) {
    const rank = inputs[0]!.shape.length;
    const axis = intAttr(op, "axis", 0);
    return [concat(inputs, axis < 0 ? axis + rank : axis)];
  },
});

/** The fill value of a pad: `pad_value`, else the input's zero point (a real zero), else 0. */
function padValue(op: Operation): number {
  const v = intAttr(op, "pad_value");
  if (v !== undefined) return v;
  const q = storageOf(op.operands[0]?.type)?.quant;
  return q && q.axis === undefined ? q.zeroPoints[0]! : 0;
}

export const padOp = defineOp({
  name: "hw.pad",
  summary: "Constant padding with an integer value (a real zero is the zero point)",
  description: "pads = [b_0, …, b_{r−1}, e_0, …, e_{r−1}] (ONNX order: all begins, then all ends), each ≥ 0.",
  operands: [{ name: "input", type: dataTensor }],
  results: [{ name: "result", type: dataTensor }],
  attributes: {
    pads: { kind: "ints", doc: "[begin_0, …, begin_{r−1}, end_0, …, end_{r−1}], each ≥ 0" },
    pad_value: { kind: "int", optional: true, doc: "Stored fill value; default the input's zero point (0 for plain integers)" },
  },
  traits: ["Pure", "SameOperandsAndResultScale", "SameOperandsAndResultElementType"],
  inferResultTypes(types, attrs) {
    const input = types[0]!;
    const shape = shapeOf(input);
    if (shape === undefined) return [tensorLike(null, input)];
    const pads = checkedInts(attrs, "pads", 2 * shape.length, 0);
    if (typeof pads === "string") return pads;
    return [tensorLike(shape.map((d, i) => (d < 0 ? DYNAMIC : d + pads[i]! + pads[shape.length + i]!)), input)];
  },
  verify(op, ctx) {
    const s = storageOf(op.operands[0]?.type);
    const v = intAttr(attributesOf(op), "pad_value");
    if (s && v !== undefined) {
      const e = outsideStorage(v, s, "pad_value", "input");
      if (e) ctx.error(e);
    }
    const t = op.operands[0]?.type;
    if (t && t.kind === "tensor" && t.element.kind === "quant.uniform" && t.element.axis !== undefined && v === undefined) {
      ctx.error(`a per-axis quantized input ${typeText(t)} needs an explicit 'pad_value'`);
    }
  },
  kernel: (inputs, op) => [pad(inputs[0]!, numbersAttr(op, "pads", []), padValue(op))],
});
