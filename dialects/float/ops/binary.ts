/**
 * Elementwise binary ops with numpy broadcasting: add, sub, mul, div, maximum, minimum. f32 semantics.
 * `add`, `sub` and `mul` may carry a fused activation (`act`), as TFLite's ADD/SUB/MUL do.
 */
import { defineOp, type OpDef } from "../../../src/ir/opdef.js";
import { binary, type BinaryOp } from "../kernels/elementwise.js";
import { asF32 } from "../kernels/f32-tensor.js";
import { floatTensor, broadcastShape, rankedShape, tensorOf } from "../constraints.js";
import { activationAttributes, activationRange, applyActivation } from "../activation.js";
import { foldWithKernel } from "../fold.js";

function defineBinary(name: string, op: BinaryOp, summary: string, commutative: boolean, fusable: boolean): OpDef {
  return defineOp({
    name: `float.${name}`,
    summary,
    description: "Operands broadcast as numpy does; the result has the broadcast shape.",
    operands: [
      { name: "lhs", type: floatTensor },
      { name: "rhs", type: floatTensor },
    ],
    results: [{ name: "result", type: floatTensor }],
    attributes: fusable ? activationAttributes : {},
    traits: commutative ? ["Pure", "Elementwise", "Commutative"] : ["Pure", "Elementwise"],
    inferResultTypes(types) {
      const a = rankedShape(types[0]!);
      const b = rankedShape(types[1]!);
      if (!a || !b) return [tensorOf(null, types[0]!)];
      const shape = broadcastShape(a, b);
      return typeof shape === "string" ? shape : [tensorOf(shape, types[0]!)];
    },
    fold: foldWithKernel,
    inferRange: (ranges, o) => {
      const [a, b] = ranges;
      if (!a || !b) return undefined;
      const r = intervalOf(op, a, b);
      if (!r) return undefined;
      const act = activationRange(o);
      return { min: Math.max(r.min, act.min), max: Math.min(r.max, act.max) };
    },
    kernel: (inputs, o) => [applyActivation(binary(op, asF32(inputs[0]!, "lhs"), asF32(inputs[1]!, "rhs")), o)],
  });
}

export const addOp = defineBinary("add", "add", "Elementwise addition", true, true);
export const subOp = defineBinary("sub", "sub", "Elementwise subtraction", false, true);
export const mulOp = defineBinary("mul", "mul", "Elementwise multiplication", true, true);
export const divOp = defineBinary("div", "div", "Elementwise division", false, false);
export const maximumOp = defineBinary("maximum", "maximum", "Elementwise maximum", true, false);
export const minimumOp = defineBinary("minimum", "minimum", "Elementwise minimum", true, false);


/** Interval arithmetic for the binary ops (division only when the divisor excludes 0). */
function intervalOf(op: BinaryOp, a: { min: number; max: number }, b: { min: number; max: number }): { min: number; max: number } | undefined {
  switch (op) {
    case "add":
      return { min: a.min + b.min, max: a.max + b.max };
    case "sub":
      return { min: a.min - b.max, max: a.max - b.min };
    case "mul": {
      const p = [a.min * b.min, a.min * b.max, a.max * b.min, a.max * b.max];
      return { min: Math.min(...p), max: Math.max(...p) };
    }
    case "div": {
      if (b.min <= 0 && b.max >= 0) return undefined;
      const p = [a.min / b.min, a.min / b.max, a.max / b.min, a.max / b.max];
      return { min: Math.min(...p), max: Math.max(...p) };
    }
    case "maximum":
      return { min: Math.max(a.min, b.min), max: Math.max(a.max, b.max) };
    case "minimum":
      return { min: Math.min(a.min, b.min), max: Math.min(a.max, b.max) };
  }
}
