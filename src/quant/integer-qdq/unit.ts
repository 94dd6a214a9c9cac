/**
 * A QDQ node unit as the integer QDQ interpretation sees it: one float op whose quantized operands are
 * `quant.dcast`s (read here as their stored integers and types) and whose result is quantized by
 * `quant.qcast`, plus the target arithmetic it runs in. Each op's integer meaning (./ops.ts) is written
 * from these, not from the hw ops lowering emits, so the two can be checked against each other.
 */
import type { Operation } from "../../ir/operation.js";
import { typeEquals, type TensorType, type Type, type UniformQuantType } from "../../ir/types.js";
import type { Tensor } from "../../interp/tensor.js";
import type { Target } from "../../target/types.js";
import type { RoundingMode } from "../../interp/rounding.js";
import { quantizeMultiplier } from "../../interp/fixed-point.js";
import { f32Scale, refuse, type TieRounding } from "../lowering-params.js";
import { isPowerOfTwo, zeroPointRange } from "../../target/queries.js";
import { operandTypeOfQuant } from "../../target/op-kind.js";
import { rescale } from "../../../dialects/hw/kernels/rescale.js";
import type { IntOutputType } from "../../../dialects/hw/kernels/output-stage.js";

/** Stored integers and the quantized type they are stored in. */
export interface Stored {
  readonly tensor: Tensor;
  readonly type: TensorType;
  readonly q: UniformQuantType;
}

/** The target's arithmetic, read once from its descriptor. */
export interface Arithmetic {
  readonly target: Target;
  /** How accumulators are requantized. */
  readonly rounding: RoundingMode;
  /** How a float becomes a stored value when the converter quantizes constants (and tables, bias). */
  readonly ties: TieRounding;
  readonly powerOfTwo: boolean;
}

export interface Unit {
  readonly op: Operation;
  /** Per operand: the stored form of a dequantized operand, else undefined (a float operand). */
  readonly stored: readonly (Stored | undefined)[];
  /** Per operand: the float value the QDQ program computed. */
  readonly floats: readonly Tensor[];
  /** The type of the result's first `quant.qcast`. */
  readonly output: TensorType & { readonly element: UniformQuantType };
  readonly arithmetic: Arithmetic;
}

/** Per-tensor parameters as the runtimes hold them (float32 scale). */
export interface TensorParams {
  readonly scale: number;
  readonly zp: number;
  readonly qmin: number;
  readonly qmax: number;
  readonly storage: "i8" | "u8" | "i16";
}

export function perTensor(q: UniformQuantType, what: string): TensorParams {
  if (q.axis !== undefined || q.scales.length !== 1) refuse(`the ${what} is quantized per axis`);
  const storage = operandTypeOfQuant(q) as TensorParams["storage"] | undefined;
  if (!storage) refuse(`the ${what} is stored in ${q.storage.signedness === "unsigned" ? "u" : "i"}${q.storage.width}`);
  return { scale: f32Scale(q.scales[0]!), zp: q.zeroPoints[0]!, qmin: q.storageMin, qmax: q.storageMax, storage };
}

/**
 * The target's rules for an activation of this storage: its zero-point range (a symmetric type's single
 * zero point) and, on power-of-two targets, a power-of-two scale. A unit that breaks them is not one the
 * target runs as integers (lowering refuses it the same way).
 */
function checkActivation(p: TensorParams, arithmetic: Arithmetic, what: string): TensorParams {
  const zps = zeroPointRange(arithmetic.target, "activations", p.storage);
  if (zps && (p.zp < zps[0] || p.zp > zps[1])) refuse(`the ${what} has zero point ${p.zp}, outside [${zps[0]}, ${zps[1]}]`);
  if (arithmetic.powerOfTwo && !isPowerOfTwo(p.scale)) refuse(`the ${what} has scale ${p.scale}, not a power of two`);
  return p;
}

/** The stored form of operand `index`, which must be a dequantized activation the target can hold. */
export function activation(unit: Unit, index: number): Stored & { readonly params: TensorParams } {
  const s = unit.stored[index];
  if (!s) refuse(`operand #${index} is not dequantized from a quantized value`);
  return { ...s, params: checkActivation(perTensor(s.q, `operand #${index}`), unit.arithmetic, `operand #${index}`) };
}

export function outputParams(unit: Unit): TensorParams {
  return checkActivation(perTensor(unit.output.element, "result"), unit.arithmetic, "result");
}

export function storedOf(tensor: Tensor, type: Type): Stored {
  if (type.kind !== "tensor" || type.element.kind !== "quant.uniform") throw new Error(`not a quantized tensor type`);
  return { tensor, type, q: type.element };
}

export function intOutputType(p: TensorParams): IntOutputType {
  return p.storage;
}

/**
 * Requantizes stored values to another per-tensor type as the target's RESCALE does (TOSA, TFLite's
 * REQUANTIZE): multiplier and shift from QuantizeMultiplier(s_in / s_out), zero points subtracted and
 * added, double rounding unless the target rounds once.
 */
export function requantizeStored(from: Stored, to: TensorType & { readonly element: UniformQuantType }, arithmetic: Arithmetic): Stored {
  const a = perTensor(from.q, "requantized value");
  const b = perTensor(to.element, "requantization result");
  const m = quantizeMultiplier(a.scale / b.scale);
  const shift = m.multiplier === 0 ? 31 : 31 - m.shift;
  if (shift < 2 || shift > 62) refuse(`rescaling by ${a.scale / b.scale} needs a shift of ${shift}`);
  const tensor = rescale(from.tensor, {
    input_zp: a.zp,
    output_zp: b.zp,
    multiplier: [m.multiplier],
    shift: [shift],
    scale32: true,
    double_round: arithmetic.rounding !== "single-round",
    per_channel: false,
    output_type: b.storage,
  });
  return { tensor, type: to, q: to.element };
}

/** `stored` as `to` when the types differ only in scale or zero point; itself when they are equal. */
export function toType(stored: Stored, to: TensorType & { readonly element: UniformQuantType }, arithmetic: Arithmetic): Stored {
  return typeEquals(stored.q, to.element) ? { ...stored, type: to } : requantizeStored(stored, to, arithmetic);
}
