/**
 * Operands of the weighted hw ops (conv2d, depthwise_conv2d, fully_connected, and the sparse ops'
 * input and bias): 8-bit (i8/u8, TFLite int8 and ONNX QLinear/Integer ops) or 16-bit (i16, TFLite 16x8)
 * activations, i8/u8 weights, and a bias of the accumulator's width: int32 for 8-bit activations,
 * int64 for 16-bit ones (TFLite 16x8 kernels accumulate in int64).
 */
import type { OperandSpec } from "../../src/ir/opdef.js";
import type { Operation } from "../../src/ir/operation.js";
import { storageOf, storageTensor, type Storage } from "./constraints.js";

export const activationTensor = storageTensor(["i8", "u8", "i16"]);
export const weightTensor = storageTensor(["i8", "u8"]);
export const biasTensor = storageTensor(["i32", "i64"]);
/** Result of a weighted op: requantized i8/u8/i16, or the raw i32 accumulator. */
export const accumulatorResultTensor = storageTensor(["i8", "u8", "i16", "i32"]);

export const inputOperand: OperandSpec = { name: "input", type: activationTensor, doc: "Activations (storage integers)" };
export const biasOperand: OperandSpec = { name: "bias", type: biasTensor, arity: "optional", doc: "int32 (8-bit input) or int64 (16-bit input) per output channel" };

/** The storages of a weighted op's input, filter (absent for sparse ops), bias and result. */
export interface WeightedStorages {
  readonly input: Storage | undefined;
  readonly weight: Storage | undefined;
  readonly bias: Storage | undefined;
  readonly output: Storage | undefined;
}

export function weightedStorages(op: Operation, hasFilterOperand: boolean): WeightedStorages {
  const biasIndex = hasFilterOperand ? 2 : 1;
  return {
    input: storageOf(op.operands[0]?.type),
    weight: hasFilterOperand ? storageOf(op.operands[1]?.type) : undefined,
    bias: storageOf(op.operands[biasIndex]?.type),
    output: storageOf(op.results[0]?.type),
  };
}

/** True when the input has 16-bit storage (64-bit accumulation). */
export function isWide(input: Storage | undefined): boolean {
  return input?.width === 16;
}

/** Accumulator-width rules between input, weights and bias. */
export function verifyWeightedKinds(s: WeightedStorages, weightKind: Storage["kind"] | undefined, error: (m: string) => void): void {
  const wide = isWide(s.input);
  const weight = weightKind ?? s.weight?.kind;
  if (wide && weight !== undefined && weight !== "i8") error(`16-bit inputs need i8 weights (TFLite 16x8), got ${weight}`);
  if (s.input && s.bias) {
    if (wide && s.bias.kind !== "i64") error(`bias must be i64 for 16-bit inputs (16x8 accumulates in int64), got ${s.bias.kind}`);
    if (!wide && s.bias.kind !== "i32") error(`bias must be i32 for 8-bit inputs, got ${s.bias.kind}`);
  }
}
