/**
 * `hw.add`, `hw.sub` and `hw.mul`: TFLite int8/int16 quantized ADD, SUB and MUL (reference_integer_ops,
 * CMSIS-NN arm_elementwise_add_s8 / _mul_s8) with numpy broadcasting. The attributes are exactly the
 * parameters TFLite's Prepare computes (`prepareAdd` / `prepareMul` in the kernels):
 *   add: a_i = MBQM((in_i − input{i}_zp)·2^left_shift, input{i}_multiplier, input{i}_shift),
 *        out = clamp(MBQM(a_1 + a_2, output_multiplier, output_shift) + output_zp, act_min, act_max)
 *   mul: out = clamp(MBQM((in_1 − input1_zp)·(in_2 − input2_zp), output_multiplier, output_shift) + output_zp, ...)
 * Shifts are TFLite's (positive = left); `rounding` is an integer mode (the multipliers are integers).
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { attr, intAttr, stringAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec, type OpDef, type VerifyContext } from "../../../src/ir/opdef.js";
import type { Operation } from "../../../src/ir/operation.js";
import { INT32_MAX } from "../../../src/interp/fixed-point.js";
import { add, sub } from "../kernels/add.js";
import { mul } from "../kernels/mul.js";
import type { IntegerRounding } from "../kernels/output-stage.js";
import { attributesOf } from "../attributes.js";
import { checkShape, outsideStorage, shapeOf, shapeText, storageOf, storageTensor, zeroPointMismatch } from "../constraints.js";
import { intOutputType, verifyActivationBounds } from "../requant.js";

const INTEGER_ROUNDINGS = ["gemmlowp", "single-round", "double-round"] as const;

const elementTensor = storageTensor(["i8", "i16"]);

const commonAttributes: Readonly<Record<string, AttrSpec>> = {
  input1_zp: { kind: "int", doc: "Zero point of lhs" },
  input2_zp: { kind: "int", doc: "Zero point of rhs" },
  output_zp: { kind: "int", doc: "Zero point of the result" },
  output_multiplier: { kind: "int", doc: "Q0.31 multiplier of the output rescale" },
  output_shift: { kind: "int", doc: "TFLite shift (positive = left) of the output rescale" },
  act_min: { kind: "int", optional: true, doc: "Lower clamp bound; default the result storage minimum" },
  act_max: { kind: "int", optional: true, doc: "Upper clamp bound; default the result storage maximum" },
  rounding: { kind: "string", oneOf: INTEGER_ROUNDINGS, default: attr.str("gemmlowp"), doc: "Integer requantization rounding" },
};

/** numpy broadcast of two static-or-dynamic shapes, or undefined when they conflict. */
function broadcast(x: readonly number[], y: readonly number[]): number[] | undefined {
  const rank = Math.max(x.length, y.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dx = x[x.length - rank + i] ?? 1;
    const dy = y[y.length - rank + i] ?? 1;
    if (dx === dy || dy === 1) out.push(dx);
    else if (dx === 1) out.push(dy);
    else if (dx < 0 || dy < 0) out.push(dx < 0 ? dy : dx);
    else return undefined;
  }
  return out;
}

function checkMultiplier(attrs: AttrDict, name: string, error: (m: string) => void): void {
  const m = intAttr(attrs, name);
  if (m !== undefined && (!Number.isInteger(m) || m < 0 || m > INT32_MAX)) error(`'${name}' must be an int32 value in [0, ${INT32_MAX}], got ${m}`);
}

function checkShift(attrs: AttrDict, name: string, error: (m: string) => void): void {
  const s = intAttr(attrs, name);
  const hi = stringAttr(attrs, "rounding", "gemmlowp") === "double-round" ? 29 : 30;
  if (s !== undefined && (!Number.isInteger(s) || s < -31 || s > hi)) error(`'${name}' must be an integer in [-31, ${hi}], got ${s}`);
}

function verifyBinary(op: Operation, ctx: VerifyContext, multipliers: readonly [string, string][]): void {
  const attrs = attributesOf(op);
  const error = (m: string): void => ctx.error(m);
  const [lhs, rhs] = [storageOf(op.operands[0]?.type), storageOf(op.operands[1]?.type)];
  const out = storageOf(op.results[0]?.type);
  if (lhs && rhs && lhs.kind !== rhs.kind) error(`operands must have the same storage type, got ${lhs.kind} and ${rhs.kind}`);
  if (lhs && out && lhs.kind !== out.kind) error(`result storage type must be ${lhs.kind} like the operands, got ${out.kind}`);
  const a = shapeOf(op.operands[0]?.type);
  const b = shapeOf(op.operands[1]?.type);
  if (a && b) {
    const shape = broadcast(a, b);
    if (shape === undefined) error(`operands of shapes ${shapeText(a)} and ${shapeText(b)} do not broadcast`);
    else {
      const e = checkShape("result", shapeOf(op.results[0]?.type), shape);
      if (e) error(e);
    }
  }
  for (const [m, s] of multipliers) {
    checkMultiplier(attrs, m, error);
    checkShift(attrs, s, error);
  }
  for (const [name, s, what] of [["input1_zp", lhs, "lhs"], ["input2_zp", rhs, "rhs"], ["output_zp", out, "result"]] as const) {
    const zp = intAttr(attrs, name);
    if (s && zp !== undefined) {
      const e = outsideStorage(zp, s, name, what) ?? zeroPointMismatch(s, zp, name, what);
      if (e) error(e);
    }
  }
  verifyActivationBounds(attrs, out, error);
}

function bounds(attrs: AttrDict, op: Operation) {
  const out = storageOf(op.results[0]!.type)!;
  return {
    act_min: intAttr(attrs, "act_min", out.min),
    act_max: intAttr(attrs, "act_max", out.max),
    rounding: stringAttr(attrs, "rounding", "gemmlowp") as IntegerRounding,
    output_type: intOutputType(out),
  };
}

const int = (attrs: AttrDict, name: string): number => intAttr(attrs, name, 0);

/** hw.add and hw.sub: TFLite's ADD and SUB share their parameters (SUB's Prepare is ADD's). */
function defineAddLike(name: "hw.add" | "hw.sub", summary: string, kernel: typeof add): OpDef {
  return defineOp({
    name,
    summary,
    operands: [
      { name: "lhs", type: elementTensor },
      { name: "rhs", type: elementTensor },
    ],
    results: [{ name: "result", type: elementTensor }],
    attributes: {
      ...commonAttributes,
      left_shift: { kind: "int", doc: "Pre-shift of both inputs: 20 for int8, 15 for int16 (TFLite add.cc)" },
      input1_multiplier: { kind: "int", doc: "Q0.31 multiplier of lhs (s1 / 2·max(s1, s2))" },
      input1_shift: { kind: "int", doc: "TFLite shift of lhs (≤ 0 from Prepare)" },
      input2_multiplier: { kind: "int", doc: "Q0.31 multiplier of rhs" },
      input2_shift: { kind: "int", doc: "TFLite shift of rhs" },
    },
    traits: ["Pure", "Elementwise"],
    verify(op, ctx) {
      verifyBinary(op, ctx, [
        ["input1_multiplier", "input1_shift"],
        ["input2_multiplier", "input2_shift"],
        ["output_multiplier", "output_shift"],
      ]);
      const ls = intAttr(attributesOf(op), "left_shift");
      if (ls !== undefined && (!Number.isInteger(ls) || ls < 0 || ls > 30)) ctx.error(`'left_shift' must be an integer in [0, 30], got ${ls}`);
    },
    kernel(inputs, op) {
      const a = attributesOf(op);
      return [
        kernel(inputs[0]!, inputs[1]!, {
          input1_zp: int(a, "input1_zp"),
          input2_zp: int(a, "input2_zp"),
          output_zp: int(a, "output_zp"),
          left_shift: int(a, "left_shift"),
          input1_multiplier: int(a, "input1_multiplier"),
          input1_shift: int(a, "input1_shift"),
          input2_multiplier: int(a, "input2_multiplier"),
          input2_shift: int(a, "input2_shift"),
          output_multiplier: int(a, "output_multiplier"),
          output_shift: int(a, "output_shift"),
          ...bounds(a, op),
        }),
      ];
    },
  });
}

export const addOp = defineAddLike("hw.add", "Quantized elementwise addition (TFLite int8/int16 ADD) with broadcasting", add);
export const subOp = defineAddLike("hw.sub", "Quantized elementwise subtraction (TFLite int8/int16 SUB, lhs − rhs) with broadcasting", sub);

export const mulOp = defineOp({
  name: "hw.mul",
  summary: "Quantized elementwise multiplication (TFLite int8/int16 MUL) with broadcasting",
  operands: [
    { name: "lhs", type: elementTensor },
    { name: "rhs", type: elementTensor },
  ],
  results: [{ name: "result", type: elementTensor }],
  attributes: commonAttributes,
  traits: ["Pure", "Elementwise"],
  verify: (op, ctx) => verifyBinary(op, ctx, [["output_multiplier", "output_shift"]]),
  kernel(inputs, op) {
    const a = attributesOf(op);
    return [
      mul(inputs[0]!, inputs[1]!, {
        input1_zp: int(a, "input1_zp"),
        input2_zp: int(a, "input2_zp"),
        output_zp: int(a, "output_zp"),
        output_multiplier: int(a, "output_multiplier"),
        output_shift: int(a, "output_shift"),
        ...bounds(a, op),
      }),
    ];
  },
});
