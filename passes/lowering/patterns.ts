/**
 * The lowering patterns, one per float op: the target op kind whose native support the op needs, and
 * the function that builds its hw ops. A float op without an entry has no op kind in target
 * descriptors (batch_norm, slice, leaky_relu, …) and can only stay float.
 */
import type { OpKind } from "../../src/target/types.js";
import { refuse } from "../../src/quant/lowering-params.js";
import type { LoweringEnv, Lowered, Site } from "./env.js";
import { lowerBinary } from "./elementwise.js";
import { lowerMean, lowerPool } from "./pool.js";
import { lowerConcat, lowerPad, lowerReshape, lowerTranspose } from "./shape.js";
import { lowerSoftmax, lowerTable } from "./table.js";
import { lowerMatmul, lowerWeighted } from "./weighted.js";

export interface LoweringPattern {
  /** The op kind a target must list (at the op's activation and weight types) for the op to lower. */
  readonly kind: OpKind;
  readonly lower: (site: Site, env: LoweringEnv) => Lowered;
}

const entries: ReadonlyArray<readonly [string, LoweringPattern]> = [
  ["float.conv2d", { kind: "conv2d", lower: (s, e) => lowerWeighted(s, e, "conv2d") }],
  ["float.depthwise_conv2d", { kind: "depthwise_conv2d", lower: (s, e) => lowerWeighted(s, e, "depthwise_conv2d") }],
  ["float.fully_connected", { kind: "fully_connected", lower: (s, e) => lowerWeighted(s, e, "fully_connected") }],
  ["float.matmul", { kind: "matmul", lower: lowerMatmul }],
  ["float.add", { kind: "add", lower: (s, e) => lowerBinary(s, e, "add") }],
  ["float.mul", { kind: "mul", lower: (s, e) => lowerBinary(s, e, "mul") }],
  ["float.sub", { kind: "sub", lower: () => refuse("qopt's hw dialect has no quantized subtraction (hw.add takes non-negative multipliers only)") }],
  ["float.max_pool2d", { kind: "max_pool2d", lower: (s, e) => lowerPool(s, e, "max") }],
  ["float.avg_pool2d", { kind: "avg_pool2d", lower: (s, e) => lowerPool(s, e, "avg") }],
  ["float.mean", { kind: "mean", lower: lowerMean }],
  ["float.reshape", { kind: "reshape", lower: lowerReshape }],
  // ONNX Flatten is a reshape to 2-D.
  ["float.flatten", { kind: "reshape", lower: lowerReshape }],
  ["float.transpose", { kind: "transpose", lower: lowerTranspose }],
  ["float.pad", { kind: "pad", lower: lowerPad }],
  ["float.concat", { kind: "concat", lower: lowerConcat }],
  ["float.sigmoid", { kind: "sigmoid", lower: lowerTable }],
  ["float.tanh", { kind: "tanh", lower: lowerTable }],
  ["float.relu", { kind: "relu", lower: lowerTable }],
  ["float.relu6", { kind: "relu6", lower: lowerTable }],
  ["float.clamp", { kind: "clamp", lower: lowerTable }],
  ["float.softmax", { kind: "softmax", lower: lowerSoftmax }],
];

export const LOWERING_PATTERNS: ReadonlyMap<string, LoweringPattern> = new Map(entries);
