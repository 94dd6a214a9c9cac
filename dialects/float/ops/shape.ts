/**
 * Data movement: reshape, flatten, transpose, concat, pad, slice. Values move without arithmetic, so a
 * quantized operand and result share one scale (SameOperandsAndResultScale); the result keeps the
 * operand's element type. Any layout.
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, floatAttr, getAttribute, intAttr, numbersAttr, stringAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { DYNAMIC, type Type } from "../../../src/ir/types.js";
import { elementCount, type Tensor } from "../../../src/interp/tensor.js";
import { concat, pad, reshape, slice, transpose, type PadMode } from "../kernels/shape-ops.js";
import { opAttributes, orThrow, withDefaults } from "../attribute-defaults.js";
import {
  checkedIntsAttr,
  dimProduct,
  dimsConflict,
  floatTensor,
  mergeDims,
  rankedShape,
  resolveAxis,
  sameElementType,
  shapeText,
  tensorOf,
  typeText,
} from "../constraints.js";
import { foldWithKernel } from "../fold.js";

// ---------------------------------------------------------------------------------------------------
// reshape

const reshapeAttributes: Readonly<Record<string, AttrSpec>> = {
  shape: { kind: "ints", optional: true, doc: "Target shape; one dim may be -1 (inferred from the element count)" },
};

/** The `shape` attribute with its -1 resolved where the input's element count is static. */
function inferReshape(inputType: Type, attrs: AttrDict): readonly number[] | string {
  const shape = checkedIntsAttr(attrs, "shape", undefined, -1);
  if (typeof shape === "string") return shape;
  const inferred = shape.filter((d) => d === DYNAMIC).length;
  if (inferred > 1) return `shape ${shapeText(shape)} may have at most one -1 dim, got ${inferred}`;
  const input = rankedShape(inputType);
  const count = input ? dimProduct(input) : DYNAMIC;
  if (count < 0) return shape;
  const known = shape.reduce((p, d) => (d === DYNAMIC ? p : p * d), 1);
  if (inferred === 1) {
    if (known === 0 || count % known !== 0) return `cannot infer the -1 in shape ${shapeText(shape)} for ${typeText(inputType)} (${count} elements)`;
    return shape.map((d) => (d === DYNAMIC ? count / known : d));
  }
  if (known !== count) return `cannot reshape ${typeText(inputType)} (${count} elements) to ${shapeText(shape)} (${known} elements)`;
  return shape;
}

export const reshapeOp = defineOp({
  name: "float.reshape",
  summary: "Same elements in row-major order, new shape",
  description:
    "The result type gives the new shape; the optional `shape` attribute (one dim may be -1) states it explicitly, as ONNX Reshape / TFLite RESHAPE do. " +
    "Element counts must match where static. Without `shape`, the result may have at most one dynamic dim (resolved at run time from the element count). " +
    "Without `shape` there is nothing to infer the result type from, so inference returns no types and the result type stands as written.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: reshapeAttributes,
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    if (getAttribute(attrs, "shape") === undefined) return [];
    const shape = inferReshape(types[0]!, attrs);
    return typeof shape === "string" ? shape : [tensorOf(shape, types[0]!)];
  },
  verify(op, ctx) {
    // With `shape`, inference has checked everything; without it the result type is the only statement of the shape.
    if (getAttribute(op, "shape") !== undefined) return;
    const inType = op.operands[0]?.type;
    const outType = op.results[0]?.type;
    if (!inType || !outType) return;
    const out = rankedShape(outType);
    if (!out) return ctx.error(`result must be a ranked tensor (or give a 'shape' attribute), got ${typeText(outType)}`);
    if (out.filter((d) => d < 0).length > 1) return ctx.error(`result ${typeText(outType)} has more than one dynamic dim; give a 'shape' attribute`);
    const input = rankedShape(inType);
    const inCount = input ? dimProduct(input) : DYNAMIC;
    const outCount = dimProduct(out);
    if (inCount >= 0 && outCount >= 0 && inCount !== outCount) {
      ctx.error(`cannot reshape ${typeText(inType)} (${inCount} elements) to ${typeText(outType)} (${outCount} elements)`);
    } else if (inCount >= 0 && outCount < 0) {
      const known = out.reduce((p, d) => (d < 0 ? p : p * d), 1);
      if (known === 0 || inCount % known !== 0) ctx.error(`cannot reshape ${typeText(inType)} (${inCount} elements) to ${typeText(outType)}`);
    }
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const a = opAttributes(op);
    const shape = numbersAttr(a, "shape") ?? resultShape(op);
    return [reshape(inputs[0]!, shape)];
  },
});

function resultShape(op: Operation): readonly number[] {
  const t = op.results[0]!.type;
  if (t.kind !== "tensor" || t.shape === null) throw new RangeError(`${op.name}: result must be a ranked tensor`);
  return t.shape;
}

// ---------------------------------------------------------------------------------------------------
// flatten

const flattenAttributes: Readonly<Record<string, AttrSpec>> = {
  axis: { kind: "int", default: attr.int(1), doc: "Dims before it form the first result dim, the rest the second (-rank ≤ axis ≤ rank)" },
};

export const flattenOp = defineOp({
  name: "float.flatten",
  summary: "Collapse to 2-D: [prod(dims before axis), prod(dims from axis)] (ONNX Flatten)",
  description: "ONNX Flatten: input [d0, …, dn−1] → [d0·…·d(axis−1), d(axis)·…·dn−1]; axis 0 gives [1, all]. Row-major order is unchanged. Any layout.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: flattenAttributes,
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    const inputType = types[0]!;
    const shape = rankedShape(inputType);
    if (!shape) return [tensorOf([DYNAMIC, DYNAMIC], inputType)];
    const axis = resolveAxis(intAttr(withDefaults(attrs, flattenAttributes), "axis", 1), shape.length, "axis", true);
    if (typeof axis === "string") return axis;
    return [tensorOf([dimProduct(shape.slice(0, axis)), dimProduct(shape.slice(axis))], inputType)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const x = inputs[0]!;
    const axis = orThrow(resolveAxis(intAttr(opAttributes(op), "axis", 1), x.shape.length, "axis", true), op.name);
    return [reshape(x, [elementCount(x.shape.slice(0, axis)), elementCount(x.shape.slice(axis))])];
  },
});

// ---------------------------------------------------------------------------------------------------
// transpose

const transposeAttributes: Readonly<Record<string, AttrSpec>> = {
  perm: { kind: "ints", doc: "Result dim i is input dim perm[i]" },
};

function checkPerm(perm: readonly number[], rank: number): string | undefined {
  const sorted = [...perm].sort((x, y) => x - y);
  if (perm.length !== rank || sorted.some((v, i) => v !== i)) return `perm [${perm.join(", ")}] is not a permutation of 0..${rank - 1}`;
  return undefined;
}

export const transposeOp = defineOp({
  name: "float.transpose",
  summary: "Permute dims: result dim i is input dim perm[i]",
  description: "Result dim i is input dim perm[i] (result shape[i] = input shape[perm[i]]); e.g. perm = [0, 3, 1, 2] turns NHWC into NCHW. Any layout.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: transposeAttributes,
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    const inputType = types[0]!;
    const perm = numbersAttr(attrs, "perm", []);
    const shape = rankedShape(inputType) ?? new Array<number>(perm.length).fill(DYNAMIC);
    const error = checkPerm(perm, shape.length);
    if (error) return `${error} (input ${typeText(inputType)})`;
    return [tensorOf(perm.map((d) => shape[d]!), inputType)];
  },
  fold: foldWithKernel,
  kernel: (inputs, op) => [transpose(inputs[0]!, numbersAttr(opAttributes(op), "perm", []))],
});

// ---------------------------------------------------------------------------------------------------
// concat

export const concatOp = defineOp({
  name: "float.concat",
  summary: "Join tensors along one axis",
  description: "Operands (one or more) of equal rank and element type, equal in every dim but `axis`, joined along `axis` (negative counts from the end). Any layout; NHWC channel concat is axis = 3 (or -1).",
  operands: [{ name: "inputs", type: floatTensor, arity: "variadic" }],
  results: [{ name: "result", type: floatTensor }],
  attributes: { axis: { kind: "int", doc: "Axis to join along" } },
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    if (types.length === 0) return "requires at least one operand";
    const elements = sameElementType(types, types.map((_, i) => `#${i}`));
    if (elements) return elements;
    const ranked = types.map(rankedShape);
    const first = ranked.find((s) => s !== undefined);
    if (!first) return [tensorOf(null, types[0]!)];
    const rank = first.length;
    const axis = resolveAxis(intAttr(attrs, "axis", 0), rank);
    if (typeof axis === "string") return axis;
    const out = [...first];
    out[axis] = 0;
    for (let i = 0; i < types.length; i++) {
      const s = ranked[i];
      if (!s) {
        out[axis] = DYNAMIC;
        continue;
      }
      if (s.length !== rank) return `operand #${i} ${typeText(types[i]!)} has rank ${s.length}, but operand ${typeText(types[ranked.indexOf(first)]!)} has rank ${rank}`;
      for (let d = 0; d < rank; d++) {
        if (d === axis) {
          out[d] = out[d]! < 0 || s[d]! < 0 ? DYNAMIC : out[d]! + s[d]!;
        } else if (dimsConflict(out[d]!, s[d]!)) {
          return `operand #${i} ${typeText(types[i]!)} differs from the others in dim ${d} (${s[d]} vs ${out[d]}); only axis ${axis} may differ`;
        } else {
          out[d] = mergeDims(out[d]!, s[d]!);
        }
      }
    }
    return [tensorOf(out, types[0]!)];
  },
  fold: foldWithKernel,
  kernel: (inputs, op) => [concat(inputs, intAttr(opAttributes(op), "axis", 0))],
});

// ---------------------------------------------------------------------------------------------------
// pad

export const padModes = ["constant", "reflect", "edge"] as const;

const padAttributes: Readonly<Record<string, AttrSpec>> = {
  pads: { kind: "ints", doc: "[begin_0, …, begin_{r−1}, end_0, …, end_{r−1}] (ONNX order); negative values crop" },
  value: { kind: "number", default: attr.f64(0), doc: "Fill value in constant mode" },
  mode: { kind: "string", default: attr.str("constant"), oneOf: padModes, doc: "constant | reflect (mirror without the edge) | edge (repeat the edge)" },
};

export const padOp = defineOp({
  name: "float.pad",
  summary: "Pad (or, with negative amounts, crop) every dim (ONNX Pad)",
  description:
    "pads = [begin_0, …, begin_{r−1}, end_0, …, end_{r−1}] in ONNX's order: result dim i = d_i + begin_i + end_i. " +
    "mode constant fills with `value` (default 0.0), reflect mirrors without repeating the edge, edge repeats it. " +
    "Any layout (NHWC spatial padding is pads on dims 1 and 2).",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: padAttributes,
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    const a = withDefaults(attrs, padAttributes);
    const inputType = types[0]!;
    const pads = checkedIntsAttr(a, "pads", undefined, -Infinity);
    if (typeof pads === "string") return pads;
    if (pads.length % 2 !== 0) return `pads must have 2·rank values [begins…, ends…], got ${pads.length}`;
    const rank = pads.length / 2;
    const shape = rankedShape(inputType) ?? new Array<number>(rank).fill(DYNAMIC);
    if (shape.length !== rank) return `pads must have 2·rank = ${2 * shape.length} values [begins…, ends…] for ${typeText(inputType)}, got ${pads.length}`;
    const reflect = stringAttr(a, "mode", "constant") === "reflect";
    const out: number[] = [];
    for (let i = 0; i < rank; i++) {
      const d = shape[i]!;
      const [b, e] = [pads[i]!, pads[rank + i]!];
      if (d < 0) {
        out.push(DYNAMIC);
        continue;
      }
      if (d + b + e < 0) return `pads [${b}, ${e}] crop dim ${i} of ${typeText(inputType)} below zero`;
      if (reflect && (b >= d || e >= d)) return `reflect pads [${b}, ${e}] for dim ${i} of ${typeText(inputType)} must be smaller than its size ${d}`;
      out.push(d + b + e);
    }
    return [tensorOf(out, inputType)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const a = opAttributes(op);
    return [pad(inputs[0]!, numbersAttr(a, "pads", []), floatAttr(a, "value", 0), stringAttr(a, "mode", "constant") as PadMode)];
  },
});

// ---------------------------------------------------------------------------------------------------
// slice

const sliceAttributes: Readonly<Record<string, AttrSpec>> = {
  starts: { kind: "ints", doc: "First index per sliced axis (negative counts from the end; clamped)" },
  ends: { kind: "ints", doc: "End (exclusive) per sliced axis (negative counts from the end; clamped)" },
  axes: { kind: "ints", optional: true, doc: "Sliced axes; default 0, 1, … (one per start)" },
  steps: { kind: "ints", optional: true, doc: "Step per sliced axis, non-zero; default 1" },
};

interface SliceSpec {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly axes: readonly number[];
  readonly steps: readonly number[];
}

function readSlice(attrs: AttrDict, rank: number): SliceSpec | string {
  const starts = numbersAttr(attrs, "starts", []);
  const ends = numbersAttr(attrs, "ends", []);
  const axes = numbersAttr(attrs, "axes") ?? starts.map((_, i) => i);
  const steps = numbersAttr(attrs, "steps") ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    return `starts, ends, axes and steps must have the same length, got ${starts.length}, ${ends.length}, ${axes.length}, ${steps.length}`;
  }
  const seen = new Set<number>();
  const resolved: number[] = [];
  for (const axis of axes) {
    const r = resolveAxis(axis, rank, "slice axis");
    if (typeof r === "string") return r;
    if (seen.has(r)) return `axis ${axis} is listed twice in axes [${axes.join(", ")}]`;
    seen.add(r);
    resolved.push(r);
  }
  if (steps.some((s) => s === 0)) return `steps must be non-zero, got [${steps.join(", ")}]`;
  return { starts, ends, axes: resolved, steps };
}

/** Elements one axis of `size` keeps (ONNX Slice clamping). */
function slicedExtent(size: number, start: number, end: number, step: number): number {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + size : start;
  let e = end < 0 ? end + size : end;
  if (step > 0) {
    s = clamp(s, 0, size);
    e = clamp(e, 0, size);
  } else {
    s = clamp(s, -1, size - 1);
    e = clamp(e, -1, size - 1);
  }
  return Math.max(0, Math.ceil((e - s) / step));
}

export const sliceOp = defineOp({
  name: "float.slice",
  summary: "Strided slice along some axes (ONNX Slice)",
  description:
    "For each listed axis, the elements start, start + step, … up to (excluding) end. Negative starts/ends count from the end; " +
    "out-of-range values are clamped ([0, dim] for positive steps, [−1, dim − 1] for negative ones). Any layout.",
  operands: [{ name: "input", type: floatTensor }],
  results: [{ name: "result", type: floatTensor }],
  attributes: sliceAttributes,
  traits: ["Pure", "SameOperandsAndResultScale"],
  inferResultTypes(types, attrs) {
    const inputType = types[0]!;
    const shape = rankedShape(inputType);
    if (!shape) return [tensorOf(null, inputType)];
    const spec = readSlice(attrs, shape.length);
    if (typeof spec === "string") return spec;
    const out = [...shape];
    spec.axes.forEach((axis, k) => {
      const d = shape[axis]!;
      out[axis] = d < 0 ? DYNAMIC : slicedExtent(d, spec.starts[k]!, spec.ends[k]!, spec.steps[k]!);
    });
    return [tensorOf(out, inputType)];
  },
  fold: foldWithKernel,
  kernel(inputs, op) {
    const x: Tensor = inputs[0]!;
    const spec = orThrow(readSlice(opAttributes(op), x.shape.length), op.name);
    return [slice(x, spec.starts, spec.ends, spec.axes, spec.steps)];
  },
});
