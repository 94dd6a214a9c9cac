/**
 * The `Target` type: a hardware target descriptor as TypeScript, matching `targets/schema.json` key for
 * key. The schema is the source of truth for what a JSON file may say; this file mirrors it by hand
 * (no generator), and `test/target/schema-sync.test.ts` type-checks a fully populated literal against
 * this type and walks the schema to prove both name the same keys and the same enum values.
 *
 * The value lists below are runtime constants so that queries, semantic checks and tests share one
 * spelling of each enum; the types are derived from them.
 */

/** The descriptor format version this qopt reads (`schemaVersion`). */
export const SCHEMA_VERSION = 1;

/** Storage types of activations and weights. */
export const OPERAND_TYPES = ["i8", "u8", "i16", "f16", "f32"] as const;
export type OperandType = (typeof OPERAND_TYPES)[number];

/** The integer operand types: the ones that carry quantization parameters. */
export const INTEGER_OPERAND_TYPES = ["i8", "u8", "i16"] as const;
export type IntegerOperandType = (typeof INTEGER_OPERAND_TYPES)[number];

/** Bias and accumulator storage types. */
export const BIAS_TYPES = ["i32", "i64"] as const;
export type BiasType = (typeof BIAS_TYPES)[number];

/** Float types a float island can use. */
export const FLOAT_TYPES = ["f16", "f32"] as const;
export type FloatType = (typeof FLOAT_TYPES)[number];

/** Every storage type a descriptor can name, in any role. */
export const STORAGE_TYPES = ["i8", "u8", "i16", "i32", "i64", "f16", "f32"] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

/** Ops with a weight (second) operand: their `ops` entries are `[activation, weight]` pairs. */
export const WEIGHTED_OP_KINDS = ["conv2d", "depthwise_conv2d", "fully_connected", "matmul"] as const;
export type WeightedOpKind = (typeof WEIGHTED_OP_KINDS)[number];

/** Ops without weights: their `ops` entries are `[activation]`. */
export const UNWEIGHTED_OP_KINDS = [
  "add",
  "sub",
  "mul",
  "max_pool2d",
  "avg_pool2d",
  "mean",
  "softmax",
  "sigmoid",
  "tanh",
  "relu",
  "relu6",
  "clamp",
  "concat",
  "reshape",
  "transpose",
  "pad",
] as const;
export type UnweightedOpKind = (typeof UNWEIGHTED_OP_KINDS)[number];

/**
 * The op kinds a target can list: the compute ops of the `float` dialect. `batch_norm` (folded away
 * before lowering) and `const` (data, not an op a chip runs) are deliberately absent.
 */
export const OP_KINDS = [...WEIGHTED_OP_KINDS, ...UNWEIGHTED_OP_KINDS] as const;
export type OpKind = (typeof OP_KINDS)[number];

export const GRANULARITIES = ["per-channel", "per-tensor"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const SCALE_FORMS = ["any", "power-of-two"] as const;
export type ScaleForm = (typeof SCALE_FORMS)[number];

/** Requantization rounding; the same names as `src/interp/rounding.ts` implements. */
export const REQUANT_ROUNDINGS = ["gemmlowp", "single-round", "double-round", "half-even-float"] as const;
export type RequantRounding = (typeof REQUANT_ROUNDINGS)[number];

/** How QUANTIZE rounds ties: TFLite half away from zero, ONNX QuantizeLinear half to even. */
export const QUANTIZE_ROUNDINGS = ["half-away-from-zero", "half-to-even"] as const;
export type QuantizeRounding = (typeof QUANTIZE_ROUNDINGS)[number];

export const MULTIPLIER_BITS = [16, 32] as const;
export type MultiplierBits = (typeof MULTIPLIER_BITS)[number];

/** Fusion patterns: a weighted op with its bias and optional activation, or an elementwise op with an activation. */
export const FUSION_PATTERNS = [
  "conv2d+bias",
  "conv2d+bias+relu",
  "conv2d+bias+relu6",
  "conv2d+bias+clamp",
  "depthwise_conv2d+bias",
  "depthwise_conv2d+bias+relu",
  "depthwise_conv2d+bias+relu6",
  "depthwise_conv2d+bias+clamp",
  "fully_connected+bias",
  "fully_connected+bias+relu",
  "fully_connected+bias+relu6",
  "fully_connected+bias+clamp",
  "matmul+bias",
  "matmul+bias+relu",
  "matmul+bias+relu6",
  "matmul+bias+clamp",
  "add+relu",
  "add+relu6",
  "add+clamp",
  "sub+relu",
  "sub+relu6",
  "sub+clamp",
  "mul+relu",
  "mul+relu6",
  "mul+clamp",
] as const;
export type FusionPattern = (typeof FUSION_PATTERNS)[number];

/** `RxC` blocks (TF MOT `block_size=(R, C)`) and `N:M` structured sparsity. */
export const BLOCK_SHAPES = ["1x4", "1x8", "1x16", "4x1", "8x1", "16x1", "2x2", "4x4", "2:4", "4:8"] as const;
export type BlockShape = (typeof BLOCK_SHAPES)[number];

/** `[activation, weight]`: the types one kernel of a weighted op accepts (for matmul, `[lhs, rhs]`). */
export type WeightedOpEntry = readonly [activation: OperandType, weight: OperandType];
/** `[activation]`: the type one kernel of an op without weights accepts. */
export type UnweightedOpEntry = readonly [activation: OperandType];
export type OpEntry = WeightedOpEntry | UnweightedOpEntry;

/** The shape of an op's entries, by its kind. */
export type OpEntryOf<K extends OpKind> = K extends WeightedOpKind ? WeightedOpEntry : UnweightedOpEntry;

export interface TargetTypes {
  readonly activations: readonly OperandType[];
  readonly weights: readonly OperandType[];
  readonly bias: readonly BiasType[];
}

/** Quantization rules for one storage type in one role (activations or weights). */
export interface TensorQuantization {
  /** Zero point fixed: 0 for signed types, 128 for u8. */
  readonly symmetric: boolean;
  /** The most negative storage value is unused (i8 [-127, 127]). */
  readonly narrowRange: boolean;
  /** [min, max] of the zero point when not symmetric; default the storage range. */
  readonly zeroPointRange?: readonly [number, number];
}

/** A map with an entry per integer operand type the target uses in that role. */
export type PerIntegerType<V> = { readonly [T in IntegerOperandType]?: V };

export interface WeightGranularity {
  readonly default: Granularity;
  readonly conv2d?: Granularity;
  readonly depthwise_conv2d?: Granularity;
  readonly fully_connected?: Granularity;
  readonly matmul?: Granularity;
}

export interface TargetQuantization {
  readonly activations: PerIntegerType<TensorQuantization>;
  readonly weights: PerIntegerType<TensorQuantization>;
  readonly weightGranularity: WeightGranularity;
  readonly scale: ScaleForm;
  readonly biasType: PerIntegerType<BiasType>;
  readonly quantizeRounding: QuantizeRounding;
}

export interface TargetRequantization {
  readonly rounding: RequantRounding;
  /** Required when `quantization.scale` is "any". */
  readonly multiplierBits?: MultiplierBits;
  readonly accumulatorBits: PerIntegerType<number>;
}

export type TargetOps = { readonly [K in OpKind]?: readonly OpEntryOf<K>[] };

export interface SparseOp {
  readonly op: WeightedOpKind;
  /** [height, width]: the only kernel size the sparse kernel takes. */
  readonly kernel?: readonly [number, number];
}

export interface TargetSparsity {
  readonly blockShapes: readonly BlockShape[];
  /** Fraction of zero blocks from which the sparse kernel pays. */
  readonly minSparsity: number;
  readonly ops: readonly SparseOp[];
}

export type FloatFallback =
  | { readonly allowed: true; readonly floatType: FloatType }
  | { readonly allowed: false; readonly floatType?: undefined };

export interface CostModel {
  readonly macsPerCycle: { readonly [T in OperandType]?: number };
  readonly bytesPerCycle: number;
  readonly opOverheadCycles: number;
}

/** A hardware target descriptor (`targets/schema.json`, schemaVersion 1). */
export interface Target {
  /** Editor hint; ignored by qopt. */
  readonly $schema?: string;
  readonly name: string;
  readonly description: string;
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly types: TargetTypes;
  readonly quantization: TargetQuantization;
  readonly requantization: TargetRequantization;
  readonly ops: TargetOps;
  readonly fusions: readonly FusionPattern[];
  /** Absent for a dense-only target. */
  readonly sparsity?: TargetSparsity;
  readonly fallback: FloatFallback;
  readonly cost: CostModel;
}

export function isWeightedOpKind(kind: OpKind): kind is WeightedOpKind {
  return (WEIGHTED_OP_KINDS as readonly string[]).includes(kind);
}

export function isIntegerOperandType(type: OperandType): type is IntegerOperandType {
  return (INTEGER_OPERAND_TYPES as readonly string[]).includes(type);
}
