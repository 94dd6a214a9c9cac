/**
 * The questions passes ask a target, in one place, so that no pass reads descriptor fields directly:
 * may this op run at these types, is this scale legal (and the nearest legal one), which fusions and
 * block shapes, what rounding, what does an op cost. All functions are pure reads of a valid `Target`.
 */
import {
  isWeightedOpKind,
  OP_KINDS,
  type BiasType,
  type BlockShape,
  type FloatType,
  type FusionPattern,
  type Granularity,
  type IntegerOperandType,
  type OpEntry,
  type OpKind,
  type OperandType,
  type QuantizeRounding,
  type RequantRounding,
  type ScaleForm,
  type Target,
  type TensorQuantization,
  type WeightedOpKind,
} from "./types.js";

// ---------------------------------------------------------------------------------------------------
// Ops and types

/** The op kinds the target runs natively, in the schema's order. */
export function supportedOps(target: Target): OpKind[] {
  return OP_KINDS.filter((kind) => target.ops[kind] !== undefined);
}

/** The type entries the target's kernels for `opKind` accept: `[activation, weight]` or `[activation]`; [] if none. */
export function allowedPairs(target: Target, opKind: OpKind): readonly OpEntry[] {
  return target.ops[opKind] ?? [];
}

/**
 * May `opKind` run natively with these types? Give `weight` exactly for weighted ops (conv2d,
 * depthwise_conv2d, fully_connected, matmul: for matmul the right-hand operand) and omit it otherwise.
 * Float fallback does not count; see `placeOp`.
 */
export function supportsOp(target: Target, opKind: OpKind, activation: OperandType, weight?: OperandType): boolean {
  return allowedPairs(target, opKind).some((entry) => entry[0] === activation && entry[1] === weight);
}

/** The types `opKind` accepts as activation, in the order the target lists them. */
export function activationTypesFor(target: Target, opKind: OpKind): OperandType[] {
  return [...new Set(allowedPairs(target, opKind).map((entry) => entry[0]))];
}

export type OpPlacement =
  | { readonly kind: "native" }
  /** The op stays a float op between dequantize and quantize; `reason` says why it is not native. */
  | { readonly kind: "float-island"; readonly floatType: FloatType; readonly reason: string }
  | { readonly kind: "unsupported"; readonly reason: string };

function showEntry(entry: readonly OperandType[]): string {
  return entry.length === 1 ? entry[0]! : `(${entry.join(", ")})`;
}

/**
 * Where an op at these types goes when lowering: native kernel, float island (when the target allows
 * fallback) or a legality error. The reason names the target, the op and what is missing, e.g.
 * `target "npu-pow2-int8" does not run softmax, and allows no float fallback`.
 */
export function placeOp(target: Target, opKind: OpKind, activation: OperandType, weight?: OperandType): OpPlacement {
  if (supportsOp(target, opKind, activation, weight)) return { kind: "native" };
  const entries = allowedPairs(target, opKind);
  const wanted = showEntry(weight === undefined ? [activation] : [activation, weight]);
  const reason =
    entries.length === 0
      ? `target "${target.name}" does not run ${opKind}`
      : `target "${target.name}" runs ${opKind} with ${entries.map(showEntry).join(", ")}, not with ${wanted}`;
  if (target.fallback.allowed) return { kind: "float-island", floatType: target.fallback.floatType, reason };
  return { kind: "unsupported", reason: `${reason}, and allows no float fallback` };
}

/** The float type of float islands, or undefined when the target allows none. */
export function floatFallback(target: Target): FloatType | undefined {
  return target.fallback.allowed ? target.fallback.floatType : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Quantization parameters

/** Rules for activations stored as `type`, or undefined if the target has no such integer activations. */
export function activationQuantization(target: Target, type: IntegerOperandType): TensorQuantization | undefined {
  return target.quantization.activations[type];
}

/** Rules for weights stored as `type`, or undefined if the target has no such integer weights. */
export function weightQuantization(target: Target, type: IntegerOperandType): TensorQuantization | undefined {
  return target.quantization.weights[type];
}

/** Per-channel or per-tensor weight scales for `opKind` (its own entry, else `default`). */
export function weightGranularity(target: Target, opKind: WeightedOpKind): Granularity {
  return target.quantization.weightGranularity[opKind] ?? target.quantization.weightGranularity.default;
}

/** The storage range [qmin, qmax] of an integer type; narrow range drops the lowest value (i8 → [-127, 127], u8 → [1, 255]). */
export function quantizedRange(type: IntegerOperandType, narrowRange: boolean): readonly [number, number] {
  const [min, max]: readonly [number, number] = type === "i8" ? [-128, 127] : type === "u8" ? [0, 255] : [-32768, 32767];
  return [narrowRange ? min + 1 : min, max];
}

/**
 * The zero points allowed for `type` in `role`: a single value when symmetric (0 for signed types, 128
 * for u8 as ONNX's symmetric uint8), else `zeroPointRange` or the storage range. Undefined if the target
 * has no such integer type in that role.
 */
export function zeroPointRange(target: Target, role: "activations" | "weights", type: IntegerOperandType): readonly [number, number] | undefined {
  const rules = target.quantization[role][type];
  if (rules === undefined) return undefined;
  if (rules.symmetric) {
    const zp = type === "u8" ? 128 : 0;
    return [zp, zp];
  }
  return rules.zeroPointRange ?? quantizedRange(type, false);
}

/** Bias storage type for ops with `activation` inputs, or undefined if the target has none. */
export function biasType(target: Target, activation: IntegerOperandType): BiasType | undefined {
  return target.quantization.biasType[activation];
}

/** Accumulator width for ops with `activation` inputs, or undefined if the target has none. */
export function accumulatorBits(target: Target, activation: IntegerOperandType): number | undefined {
  return target.requantization.accumulatorBits[activation];
}

/** Fixed-point multiplier width, or undefined for power-of-two targets that did not give one. */
export function multiplierBits(target: Target): 16 | 32 | undefined {
  return target.requantization.multiplierBits;
}

/** How requantization rounds: `gemmlowp`, `single-round`, `double-round` or `half-even-float`. */
export function requantRounding(target: Target): RequantRounding {
  return target.requantization.rounding;
}

/** How QUANTIZE (real → integer) rounds ties: TFLite away from zero, ONNX to even. */
export function quantizeRounding(target: Target): QuantizeRounding {
  return target.quantization.quantizeRounding;
}

// ---------------------------------------------------------------------------------------------------
// Scales

export function scaleForm(target: Target): ScaleForm {
  return target.quantization.scale;
}

// Float64 bit access, for exact power-of-two tests and construction (no log2 rounding doubts).
const bits = new DataView(new ArrayBuffer(8));

/** floor(log2(x)) exactly, for finite x > 0 (subnormals included). */
function floorLog2(x: number): number {
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  if (exponent !== 0) return exponent - 1023;
  // Subnormal: value = mantissa · 2^-1074; the top set mantissa bit gives the exponent.
  const mantHi = hi & 0xfffff;
  return mantHi !== 0 ? 31 - Math.clz32(mantHi) + 32 - 1074 : 31 - Math.clz32(lo) - 1074;
}

/** 2^e exactly, for -1074 ≤ e ≤ 1023. */
function powerOfTwo(e: number): number {
  if (e >= -1022) {
    bits.setUint32(0, (e + 1023) << 20);
    bits.setUint32(4, 0);
  } else {
    const bit = e + 1074; // position of the single mantissa bit of a subnormal
    bits.setUint32(0, bit >= 32 ? 1 << (bit - 32) : 0);
    bits.setUint32(4, bit < 32 ? (1 << bit) >>> 0 : 0);
  }
  return bits.getFloat64(0);
}

/** True for 2^k (k any integer, subnormals included). */
export function isPowerOfTwo(x: number): boolean {
  return Number.isFinite(x) && x > 0 && powerOfTwo(floorLog2(x)) === x;
}

/** k when x = 2^k, else undefined: the shift a power-of-two scale stands for. */
export function powerOfTwoExponent(x: number): number | undefined {
  return isPowerOfTwo(x) ? floorLog2(x) : undefined;
}

/** Is `scale` allowed on this target? Any finite positive scale, or only powers of two. */
export function isLegalScale(target: Target, scale: number): boolean {
  if (!(Number.isFinite(scale) && scale > 0)) return false;
  return target.quantization.scale === "any" || isPowerOfTwo(scale);
}

/**
 * The legal scale to use for `scale`: itself on `any` targets; on power-of-two targets 2^ceil(log2 s),
 * rounding up so that the quantized range still covers [min, max] (references: power-of-two targets).
 * Throws RangeError for a scale that is not finite and positive, or beyond the largest double power of two.
 */
export function nearestLegalScale(target: Target, scale: number): number {
  if (!(Number.isFinite(scale) && scale > 0)) throw new RangeError(`a scale must be finite and positive, got ${scale}`);
  if (target.quantization.scale === "any" || isPowerOfTwo(scale)) return scale;
  const e = floorLog2(scale) + 1;
  if (e > 1023) throw new RangeError(`no power of two at or above ${scale} is a finite number`);
  return powerOfTwo(e);
}

// ---------------------------------------------------------------------------------------------------
// Fusions and sparsity

export function fusions(target: Target): readonly FusionPattern[] {
  return target.fusions;
}

/** Does the chip execute `pattern` (e.g. "conv2d+bias+relu") as one op? */
export function supportsFusion(target: Target, pattern: FusionPattern): boolean {
  return target.fusions.includes(pattern);
}

/** Block shapes the chip's sparse kernels take; [] for a dense-only target or an op without a sparse kernel. */
export function blockShapes(target: Target, opKind?: WeightedOpKind): readonly BlockShape[] {
  const sparsity = target.sparsity;
  if (sparsity === undefined) return [];
  if (opKind !== undefined && !sparsity.ops.some((entry) => entry.op === opKind)) return [];
  return sparsity.blockShapes;
}

/** The fraction of zero blocks from which sparse kernels pay, or undefined for a dense-only target. */
export function minSparsity(target: Target): number | undefined {
  return target.sparsity?.minSparsity;
}

/**
 * Can `opKind` run block-sparse with `blockShape`? `kernel` ([height, width]) matters for ops whose
 * sparse kernel takes one size only (e.g. 1x1 conv2d); omit it for fully_connected and matmul.
 */
export function supportsSparsity(target: Target, opKind: WeightedOpKind, blockShape: BlockShape, kernel?: readonly [number, number]): boolean {
  const sparsity = target.sparsity;
  if (sparsity === undefined || !sparsity.blockShapes.includes(blockShape)) return false;
  return sparsity.ops.some(
    (entry) => entry.op === opKind && (entry.kernel === undefined || (kernel !== undefined && entry.kernel[0] === kernel[0] && entry.kernel[1] === kernel[1])),
  );
}

// ---------------------------------------------------------------------------------------------------
// Cost

/** The work of one op instance, from shapes. */
export interface OpWork {
  /** Multiply-accumulates (0 for data movement ops). */
  readonly macs: number;
  /** Bytes read and written (inputs, weights, outputs) at the chosen storage types. */
  readonly bytes: number;
  /** Fraction of zero weight blocks (0..1) after block pruning; counts only if the target runs this op sparse. */
  readonly sparsity?: number;
  /** [height, width] of a conv kernel, to match sparse kernels limited to one size. */
  readonly kernel?: readonly [number, number];
}

/** MACs per cycle at these types: the slower of the activation and weight rates. */
function macRate(target: Target, activation: OperandType, weight?: OperandType): number {
  const rates = target.cost.macsPerCycle;
  const rate = (type: OperandType): number => {
    const r = rates[type];
    if (r === undefined) throw new RangeError(`target "${target.name}" has no cost for ${type} (cost.macsPerCycle lists ${Object.keys(rates).join(", ")})`);
    return r;
  };
  return weight === undefined ? rate(activation) : Math.min(rate(activation), rate(weight));
}

/**
 * Estimated cycles for one op: `opOverheadCycles + max(macs / macsPerCycle, bytes / bytesPerCycle)`, a
 * roofline. Sparse work counts only its non-zero fraction when the target has a sparse kernel for the op
 * (any block shape) and the sparsity reaches `minSparsity`. The op need not be supported at these types
 * (mixed-precision selection prices candidates); a type with no rate throws RangeError.
 */
export function opCost(target: Target, opKind: OpKind, work: OpWork, activation: OperandType, weight?: OperandType): number {
  if (!(work.macs >= 0 && work.bytes >= 0)) throw new RangeError(`op work must be non-negative, got macs=${work.macs}, bytes=${work.bytes}`);
  let macs = work.macs;
  const sparsity = work.sparsity ?? 0;
  if (sparsity > 0 && isWeightedOpKind(opKind) && target.sparsity !== undefined && sparsity >= target.sparsity.minSparsity) {
    const runsSparse = target.sparsity.blockShapes.some((shape) => supportsSparsity(target, opKind, shape, work.kernel));
    if (runsSparse) macs *= 1 - Math.min(sparsity, 1);
  }
  const compute = macs / macRate(target, activation, weight);
  const memory = work.bytes / target.cost.bytesPerCycle;
  return target.cost.opOverheadCycles + Math.max(compute, memory);
}
