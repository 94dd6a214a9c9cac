/**
 * The integer interpretation of a QDQ program: what a runtime that consumes QDQ computes on a target
 * (ONNX Runtime fuses each DequantizeLinear → op → QuantizeLinear group into its integer kernel; the
 * TFLite converter turns it into the integer op). Each node unit — a float op the target runs natively
 * at its operands' quantized types, whose quantized operands are `quant.dcast`s and whose every use is a
 * `quant.qcast` — runs on the stored integers with the target's arithmetic (./weighted.ts,
 * ./movement.ts, ./elementwise.ts); a `quant.qcast(quant.dcast(q))` pair is the target's RESCALE; a
 * `quant.qcast` of a float constant quantizes as the target's converter rounds. Float islands run in the
 * target's fallback float type (f16: inputs and results rounded to half precision); everything else (the
 * model's own input quantization, the final dequantization, ops the target runs in float) as written.
 *
 * This is the meaning `lower-to-hw` must keep: interpret(lowered) equals interpretIntegerQdq(QDQ form)
 * bit for bit. Units are placed by the target's op kinds (../../target/op-kind.ts) as lowering places
 * ops. The units are written from the QDQ types and the float op's own attributes; they share
 * with lowering only the parameter formulas (../lowering-params.ts) and the integer kernels.
 */
import { producerMap, userMap } from "../../ir/rewriter.js";
import { getOpDef, hasTrait } from "../../ir/opdef.js";
import { inHalfPrecision, isF32Tensor, runsInF16 } from "../../ir/float-element.js";
import type { Module, Operation, Value } from "../../ir/operation.js";
import { typeEquals, type TensorType, type UniformQuantType } from "../../ir/types.js";
import { interpret, entryFunction, type InterpretOptions } from "../../interp/interpreter.js";
import { roundToF16, type Tensor } from "../../interp/tensor.js";
import { loadTarget, type TargetSpecifier } from "../../target/load.js";
import { placeOp, requantRounding, scaleForm } from "../../target/queries.js";
import { isWeightedOpKind, type OperandType } from "../../target/types.js";
import { opKindOf, operandTypeOf, operandTypeOfQuant } from "../../target/op-kind.js";
import { quantizeTensor, dequantizeTensor } from "../../../dialects/quant/quantize-tensor.js";
import { LoweringRefusal, tieRounding } from "../lowering-params.js";
import { binaryUnit, softmaxUnit, tableUnit } from "./elementwise.js";
import { concatUnit, meanUnit, padUnit, poolUnit, reshapeUnit, transposeUnit } from "./movement.js";
import { storedOf, toType, type Arithmetic, type Stored, type Unit } from "./unit.js";
import { matmulUnit, weighted } from "./weighted.js";

type UnitMeaning = (unit: Unit) => Stored;

const MEANINGS: ReadonlyMap<string, UnitMeaning> = new Map<string, UnitMeaning>([
  ["float.conv2d", (u) => weighted(u, "conv2d")],
  ["float.depthwise_conv2d", (u) => weighted(u, "depthwise_conv2d")],
  ["float.fully_connected", (u) => weighted(u, "fully_connected")],
  ["float.matmul", matmulUnit],
  ["float.add", (u) => binaryUnit(u, "add")],
  ["float.sub", (u) => binaryUnit(u, "sub")],
  ["float.mul", (u) => binaryUnit(u, "mul")],
  ["float.max_pool2d", (u) => poolUnit(u, "max")],
  ["float.avg_pool2d", (u) => poolUnit(u, "avg")],
  ["float.mean", meanUnit],
  ["float.reshape", reshapeUnit],
  ["float.flatten", reshapeUnit],
  ["float.transpose", transposeUnit],
  ["float.pad", padUnit],
  ["float.concat", concatUnit],
  ["float.sigmoid", tableUnit],
  ["float.tanh", tableUnit],
  ["float.relu", tableUnit],
  ["float.relu6", tableUnit],
  ["float.clamp", tableUnit],
  ["float.softmax", softmaxUnit],
]);

export interface IntegerQdqOptions extends Pick<InterpretOptions, "function" | "onValue"> {
  /** Called for every float op that has an integer meaning: whether it ran as an integer unit, and why not. */
  readonly onUnit?: (op: Operation, outcome: { readonly integer: true } | { readonly integer: false; readonly reason: string }) => void;
}

type QuantTensorType = TensorType & { readonly element: UniformQuantType };

function quantType(v: Value): QuantTensorType | undefined {
  const t = v.type;
  return t.kind === "tensor" && t.element.kind === "quant.uniform" ? (t as QuantTensorType) : undefined;
}

/** A value's operand type: that of the quantized type behind it, else its own (float) type. */
function operandType(behind: QuantTensorType | undefined, v: Value): OperandType | undefined {
  return behind ? operandTypeOfQuant(behind.element) : operandTypeOf(v.type);
}

/** Runs the QDQ program with each node unit in `target`'s integer arithmetic. */
export function interpretIntegerQdq(module: Module, inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>, target: TargetSpecifier, options: IntegerQdqOptions = {}): Tensor[] {
  const t = loadTarget(target);
  const arithmetic: Arithmetic = {
    target: t,
    rounding: requantRounding(t),
    ties: tieRounding(t),
    powerOfTwo: scaleForm(t) === "power-of-two",
  };
  const body = entryFunction(module, options.function).func.regions[0]!.blocks[0]!;
  const producers = producerMap(body.ops);
  const users = userMap(body.ops);
  /** The stored values a unit's float result exactly dequantizes. */
  const storedBehind = new Map<Value, Stored>();
  const dcastSource = (v: Value): Value | undefined => {
    const p = producers.get(v);
    return p?.name === "quant.dcast" ? p.operands[0] : undefined;
  };
  /** The quantized type behind a float value: its dcast's source type, or the type an uncast same-scale unit keeps. */
  const typeBehind = (v: Value): QuantTensorType | undefined => {
    const s = dcastSource(v);
    if (s) return quantType(s);
    const p = producers.get(v);
    return p && uncast.has(p) ? uncast.get(p) : undefined;
  };
  /** Same-scale units whose result is not cast, with the type their result keeps (decided before the run). */
  const uncast = new Map<Operation, QuantTensorType>();

  const unitFor = (op: Operation): { meaning: UnitMeaning; output: QuantTensorType } | string => {
    const meaning = MEANINGS.get(op.name);
    const kind = opKindOf(op.name);
    if (!meaning || !kind) return `no integer meaning`;
    if (op.results.length !== 1) return `it has ${op.results.length} results`;
    const types = op.operands.map(typeBehind);
    const weightedOp = isWeightedOpKind(kind);
    const act = operandType(types[0], op.operands[0]!);
    const weight = weightedOp ? operandType(types[1], op.operands[1]!) : undefined;
    if (!act || (weightedOp && !weight)) return `its operand types are not target types`;
    if (placeOp(t, kind, act, weight).kind !== "native") return `target "${t.name}" does not run ${kind} at these types`;
    if (act === "f32" || act === "f16") return `the target runs it in float`;
    const uses = users.get(op.results[0]!) ?? [];
    if (uses.length > 0 && uses.every((u) => u.name === "quant.qcast")) return { meaning, output: quantType(uses[0]!.results[0]!)! };
    const input = types[0]!;
    // A same-scale op (SameOperandsAndResultScale) moves stored values: its uncast result is exactly the
    // dequantization of the moved values in the input's type.
    if (!hasTrait(op, "SameOperandsAndResultScale") || types.some((q) => !q || !typeEquals(q.element, input.element))) return `its result is not quantized by quant.qcast`;
    const result = op.results[0]!.type;
    return { meaning, output: { ...input, shape: result.kind === "tensor" ? result.shape : null } };
  };
  for (const op of body.ops) {
    if (!MEANINGS.has(op.name) || !hasTrait(op, "SameOperandsAndResultScale")) continue;
    const u = unitFor(op);
    if (typeof u !== "string" && !(users.get(op.results[0]!) ?? []).every((x) => x.name === "quant.qcast")) uncast.set(op, u.output);
  }

  const override = (op: Operation, args: readonly Tensor[], valueOf: (v: Value) => Tensor | undefined): Tensor[] | undefined => {
    if (op.name === "quant.qcast") return qcast(op, args, valueOf);
    if (!op.name.startsWith("float.") || hasTrait(op, "ConstantLike") || op.name === "float.cast") return undefined;
    const u = unitFor(op);
    if (typeof u === "string") {
      if (MEANINGS.has(op.name)) options.onUnit?.(op, { integer: false, reason: u });
      return runsNativelyInFloat(op) ? undefined : island(op, args);
    }
    const stored = op.operands.map((v) => storedBehind.get(v) ?? storedOfDcast(v, valueOf));
    try {
      const result = u.meaning({ op, stored, floats: args, output: u.output, arithmetic });
      storedBehind.set(op.results[0]!, result);
      options.onUnit?.(op, { integer: true });
      return [dequantizeTensor(result.tensor, result.q, "f32")];
    } catch (e) {
      if (!(e instanceof LoweringRefusal)) throw e;
      options.onUnit?.(op, { integer: false, reason: e.reason });
      return runsNativelyInFloat(op) ? undefined : island(op, args);
    }
  };

  /** The target runs the op's float kernel itself (TFLite's float and hybrid kernels): not an island. */
  const runsNativelyInFloat = (op: Operation): boolean => {
    const kind = opKindOf(op.name);
    if (!kind) return false;
    const act = operandType(typeBehind(op.operands[0]!), op.operands[0]!);
    const weight = isWeightedOpKind(kind) && op.operands[1] ? operandType(typeBehind(op.operands[1]), op.operands[1]) : undefined;
    return (act === "f32" || act === "f16") && placeOp(t, kind, act, weight).kind === "native";
  };

  /** A float island computes in the target's fallback type: f16 rounds its inputs and result (as lowering's float.cast pair does). */
  const island = (op: Operation, args: readonly Tensor[]): Tensor[] | undefined => {
    if (!t.fallback.allowed || t.fallback.floatType !== "f16" || !runsInF16(op.results.map((r) => r.type))) return undefined;
    const half = inHalfPrecision(op, op.operands);
    const inputs = args.map((a, i) => (isF32Tensor(op.operands[i]!.type) ? { dtype: "f16" as const, shape: a.shape, data: Float32Array.from(a.data as Float32Array, roundToF16) } : a));
    return getOpDef(op.name)!.kernel!(inputs, half, { options: {} }).map((r) => ({ dtype: "f32", shape: r.shape, data: r.data }));
  };

  const storedOfDcast = (v: Value, valueOf: (v: Value) => Tensor | undefined): Stored | undefined => {
    const s = dcastSource(v);
    const type = s && quantType(s);
    return s && type ? storedOf(valueOf(s)!, type) : undefined;
  };

  const qcast = (op: Operation, args: readonly Tensor[], valueOf: (v: Value) => Tensor | undefined): Tensor[] | undefined => {
    const to = quantType(op.results[0]!)!;
    const x = op.operands[0]!;
    const stored = storedBehind.get(x) ?? storedOfDcast(x, valueOf);
    if (stored) {
      // A requantization of stored values: none when the types are equal, else the target's RESCALE.
      try {
        return [toType(stored, to, arithmetic).tensor];
      } catch (e) {
        if (!(e instanceof LoweringRefusal)) throw e;
        return undefined;
      }
    }
    const p = producers.get(x);
    // The converter quantizes constants (weights, bias) as the target's QUANTIZE rounds.
    if (p && hasTrait(p, "ConstantLike")) return [quantizeTensor(args[0]!, to.element, arithmetic.ties)];
    return undefined;
  };

  return interpret(module, inputs, { ...(options.function !== undefined ? { function: options.function } : {}), ...(options.onValue ? { onValue: options.onValue } : {}), override });
}
