/**
 * How a target stores an activation: its storage type (the op's `qopt.precision` when set, else the
 * target's first integer activation type), the storage range, symmetry and scale form; and how
 * `quantize` stores a constant weight.
 */
import type { Operation } from "../ir/operation.js";
import { stringAttr } from "../ir/attr-access.js";
import type { Target } from "../target/types.js";
import { INTEGER_OPERAND_TYPES, type IntegerOperandType } from "../target/types.js";
import { activationQuantization, scaleForm } from "../target/queries.js";
import { storageRange, type ChooseOptions, type StorageRange } from "./params.js";

export interface ActivationScheme {
  readonly type: IntegerOperandType;
  readonly range: StorageRange;
  readonly symmetric: boolean;
  readonly powerOfTwo: boolean;
  /** The zero points the target allows, when narrower than the storage range. */
  readonly zeroPointRange?: readonly [number, number];
}

export const PRECISION_ATTR = "qopt.precision";

const defaultScheme: ActivationScheme = { type: "i8", range: storageRange("i8"), symmetric: false, powerOfTwo: false };

export function isIntegerType(t: string): t is IntegerOperandType {
  return (INTEGER_OPERAND_TYPES as readonly string[]).includes(t);
}

/** The scheme of the value an op produces (`producer` undefined for function inputs). */
export function activationScheme(target: Target | undefined, producer: Operation | undefined): ActivationScheme {
  const chosen = producer ? stringAttr(producer, PRECISION_ATTR) : undefined;
  if (!target) {
    if (chosen === "i16") return { type: "i16", range: storageRange("i16"), symmetric: true, powerOfTwo: false };
    return defaultScheme;
  }
  const type = chosen !== undefined && isIntegerType(chosen) ? chosen : target.types.activations.find(isIntegerType) ?? "i8";
  const rules = activationQuantization(target, type);
  return {
    type,
    range: storageRange(type, rules?.narrowRange ?? false),
    symmetric: rules?.symmetric ?? false,
    powerOfTwo: scaleForm(target) === "power-of-two",
    ...(rules?.zeroPointRange ? { zeroPointRange: rules.zeroPointRange } : {}),
  };
}

/** The options `chooseQuantParams` takes for values stored as `scheme` says. */
export function chooseOptions(scheme: ActivationScheme): ChooseOptions {
  return { symmetric: scheme.symmetric, powerOfTwo: scheme.powerOfTwo, ...(scheme.zeroPointRange ? { zeroPointRange: scheme.zeroPointRange } : {}) };
}

/**
 * How `quantize` stores a constant weight: int8 symmetric (zp 0) with narrow range [−127, 127] (TFLite
 * quantization spec), with power-of-two scales on targets that demand them.
 */
export function weightScheme(target: Target | undefined): ActivationScheme {
  return { type: "i8", range: storageRange("i8", true), symmetric: true, powerOfTwo: target !== undefined && scaleForm(target) === "power-of-two" };
}
