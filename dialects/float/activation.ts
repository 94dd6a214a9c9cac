/**
 * Fused activations (TFLite's fused_activation_function): `act = "none" | "relu" | "relu6" | "clamp"`
 * with `act_min`/`act_max` for clamp. The `fuse` pass moves a following relu/relu6/clamp into them.
 */
import type { AttrSpec } from "../../src/ir/opdef.js";
import type { AttrDict } from "../../src/ir/attributes.js";
import type { Operation } from "../../src/ir/operation.js";
import { floatAttr, stringAttr } from "../../src/ir/attr-access.js";
import type { F32Tensor } from "./kernels/f32-tensor.js";
import { simdClamp } from "./kernels/simd-elementwise.js";

export const activationKinds = ["none", "relu", "relu6", "clamp"] as const;
export type ActivationKind = (typeof activationKinds)[number];

export const activationAttributes: Readonly<Record<string, AttrSpec>> = {
  act: { kind: "string", optional: true, oneOf: activationKinds, doc: "Fused activation applied to the result" },
  act_min: { kind: "number", optional: true, doc: "Lower bound of a fused clamp" },
  act_max: { kind: "number", optional: true, doc: "Upper bound of a fused clamp" },
};

/** The real-valued output range a fused activation clamps to ([-inf, inf] without one). */
export function activationRange(op: Operation): { min: number; max: number } {
  switch (stringAttr(op, "act", "none")) {
    case "relu":
      return { min: 0, max: Infinity };
    case "relu6":
      return { min: 0, max: 6 };
    case "clamp":
      return { min: floatAttr(op, "act_min", -Infinity), max: floatAttr(op, "act_max", Infinity) };
    default:
      return { min: -Infinity, max: Infinity };
  }
}

/** Checks a fused clamp's bounds (the kind itself is checked against `oneOf`); returns an error or undefined. */
export function checkActivation(attrs: AttrDict): string | undefined {
  const lo = floatAttr(attrs, "act_min", -Infinity);
  const hi = floatAttr(attrs, "act_max", Infinity);
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) return `fused clamp needs act_min ≤ act_max, got act_min = ${lo}, act_max = ${hi}`;
  return undefined;
}

/** Applies the op's fused activation in place and returns the tensor. */
export function applyActivation(t: F32Tensor, op: Operation): F32Tensor {
  const { min, max } = activationRange(op);
  if (min === -Infinity && max === Infinity) return t;
  const d = t.data;
  // The SIMD clamp gives the same results as the loop below (NaN stays NaN), several times faster.
  if (simdClamp(d, d, Math.fround(min), Math.fround(max))) return t;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    d[i] = v < min ? min : v > max ? max : v;
  }
  return t;
}
