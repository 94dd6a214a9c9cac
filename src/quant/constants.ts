/** Reading and making f32 constants while rewriting (weights, biases, folded batch norms). */
import type { DenseAttr } from "../ir/attributes.js";
import type { Operation, Value } from "../ir/operation.js";
import { getAttr, makeOperation, walk } from "../ir/operation.js";
import { hasTrait } from "../ir/opdef.js";
import type { Location } from "../ir/location.js";
import { f32 } from "../ir/types.js";

/** The f32 data of a value produced by a constant op, splats expanded; undefined otherwise. */
export function constantData(v: Value, producers: ReadonlyMap<Value, Operation>): { data: Float32Array; shape: readonly number[] } | undefined {
  const p = producers.get(v);
  if (!p || !hasTrait(p, "ConstantLike")) return undefined;
  const a = getAttr(p, "value");
  if (!a || a.kind !== "dense" || a.type.element.kind !== "float" || a.type.shape === null) return undefined;
  const shape = a.type.shape;
  const count = shape.reduce((x, y) => x * y, 1);
  const data = a.splat ? new Float32Array(count).fill(Number(a.data[0])) : Float32Array.from(a.data as Float32Array);
  return { data, shape };
}

export function makeF32Constant(data: Float32Array, shape: readonly number[], loc: Location): Operation {
  const type = { kind: "tensor" as const, shape, element: f32 };
  const value: DenseAttr = { kind: "dense", type, splat: false, data };
  return makeOperation({ name: "float.const", attributes: { value }, resultTypes: [type], loc });
}

/** Output-channel axis of a weighted op's weights: OHWI and [N, K] by dim 0, depthwise [1,KH,KW,C·M] by dim 3. */
export function outputChannelAxis(opName: string): number {
  return opName === "float.depthwise_conv2d" ? 3 : 0;
}

/**
 * Bytes of data a program stores in dense attributes: constants' values, LUT tables, sparse weights'
 * blocks and indices (a splat stores one element). The size measure of reports and summaries.
 */
export function storedDataBytes(module: import("../ir/operation.js").Module): number {
  let bytes = 0;
  walk(module.ops, (op) => {
    for (const dict of [op.attributes, op.properties ?? {}]) {
      for (const v of Object.values(dict)) if (v.kind === "dense") bytes += (v.splat ? 1 : v.data.length) * storedElementBytes(v);
    }
  });
  return bytes;
}

/** Bytes one element takes in the program's storage: its type's width (f16 is held in a Float32Array but stored in 2 bytes). */
function storedElementBytes(d: DenseAttr): number {
  const e = d.type.element;
  if (e.kind === "float") return e.name === "f16" || e.name === "bf16" ? 2 : e.name === "f64" ? 8 : 4;
  if (e.kind === "int") return Math.max(1, Math.ceil(e.width / 8));
  return d.data.BYTES_PER_ELEMENT;
}
