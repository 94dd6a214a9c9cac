/**
 * add / sub / mul in QDQ form → `hw.add` / `hw.sub` / `hw.mul` with the parameters TFLite's Prepare computes from the
 * three scales (`prepareAdd` / `prepareMul`) and the fused activation as the clamp. The hw ops run i8
 * and i16; u8 tensors (ONNX) go through exact zero-point shifts to i8 and back (same scale, zp − 128,
 * a rescale by exactly 1). `hw.add`/`hw.mul` carry integer multipliers, so a half-even-float target's
 * rounding cannot be expressed on them: they use gemmlowp's, and the pass says so.
 */
import { attr } from "../../src/ir/attr-access.js";
import type { Attribute } from "../../src/ir/attributes.js";
import type { Value } from "../../src/ir/operation.js";
import type { TensorType } from "../../src/ir/types.js";
import { prepareAdd } from "../../dialects/hw/kernels/add.js";
import { prepareMul } from "../../dialects/hw/kernels/mul.js";
import { PURE_SHIFT_MULTIPLIER, refuse } from "../../src/quant/lowering-params.js";
import { signedView, tensorLike, type LoweringEnv, type Lowered, type QTensor, type Site } from "./env.js";
import { clampAttributes } from "./weighted.js";

/** The integer rounding an op with integer multipliers uses on this target (logged when it differs). */
export function integerRounding(env: LoweringEnv, site: Site): "gemmlowp" | "single-round" | "double-round" {
  if (env.rounding !== "half-even-float") return env.rounding;
  env.decide("rounding-substituted", site.op, `${site.op.name}: the hw op carries integer multipliers, so it rounds as gemmlowp instead of the target's half-even-float`);
  return "gemmlowp";
}

export function lowerBinary(site: Site, env: LoweringEnv, kind: "add" | "sub" | "mul"): Lowered {
  const op = site.op;
  const lhs = env.activation(site, 0);
  const rhs = env.activation(site, 1);
  const out = env.output(site);
  if (lhs.storage !== rhs.storage || lhs.storage !== out.storage) refuse(`its operands and result have different storage types (${lhs.storage}, ${rhs.storage} → ${out.storage})`);
  const unsigned = lhs.storage === "u8";
  if (unsigned) env.require(kind, "i8", `running a u8 ${kind} as an i8 hw.${kind}`);
  if (unsigned) env.decide("zero-point-shift", op, `${op.name}: u8 tensors pass through i8 (zero point − 128, an exact rescale) because hw.${kind} runs i8 and i16`);
  const view = (t: QTensor, v: Value): { value: Value; type: TensorType } => {
    if (!unsigned) return { value: v, type: t.type };
    const type = tensorLike(t.type, signedView(t.q));
    return { value: env.rescale(v, type, op.loc), type };
  };
  const a = view(lhs, lhs.value);
  const b = view(rhs, rhs.value);
  const outType = unsigned ? tensorLike(out.type, signedView(out.q)) : out.type;
  const zp = (t: QTensor): number => (unsigned ? t.zp - 128 : t.zp);
  const p = (t: QTensor) => ({ scale: t.scale, zp: zp(t) });
  const storage = lhs.storage === "i16" ? "i16" : "i8";
  let prepared: object;
  try {
    // TFLite's SUB Prepare is ADD's; only the kernel subtracts.
    prepared = kind === "mul" ? prepareMul(p(lhs), p(rhs), p(out)) : prepareAdd(p(lhs), p(rhs), p(out), storage);
  } catch (e) {
    refuse((e as Error).message);
  }
  const params = Object.fromEntries(Object.entries(prepared).filter((e): e is [string, number] => typeof e[1] === "number"));
  const multipliers = Object.entries(params).filter(([k]) => k.endsWith("multiplier"));
  if (env.powerOfTwo) {
    const bad = multipliers.find(([, m]) => m !== 0 && m !== PURE_SHIFT_MULTIPLIER);
    if (bad) refuse(`${bad[0]} = ${bad[1]} is not 2^30: a power-of-two target requantizes by shifts only`);
    env.decide("pure-shift", op, `${op.name}: requantization is a pure shift (every multiplier 2^30)`);
  }
  const clampOut = unsigned ? { ...out, zp: out.zp - 128, q: signedView(out.q) } : out;
  const attrs: Record<string, Attribute> = { rounding: attr.str(integerRounding(env, site)), ...clampAttributes(site, clampOut, env) };
  for (const [k, v] of Object.entries(params)) attrs[k] = attr.int(v);
  const result = env.emit(`hw.${kind}`, [a.value, b.value], attrs, outType, op.loc);
  return { value: unsigned ? env.rescale(result, out.type, op.loc) : result, exact: false };
}
