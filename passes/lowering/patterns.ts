/**
 * The lowering patterns, one per float op: the target op kind whose native support the op needs, and
 * the function that builds its hw ops. A float op without an entry has no op kind in target
 * descriptors (batch_norm, slice, leaky_relu, …) and can only stay float.
 */
import type { OpKind } from "../../src/target/types.js";
import { opKindOf } from "../../src/target/op-kind.js";
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

const entries: ReadonlyArray<readonly [string, LoweringPattern["lower"]]> = [
  ["float.conv2d", (s, e) => lowerWeighted(s, e, "conv2d")],
  ["float.depthwise_conv2d", (s, e) => lowerWeighted(s, e, "depthwise_conv2d")],
  ["float.fully_connected", (s, e) => lowerWeighted(s, e, "fully_connected")],
  ["float.matmul", lowerMatmul],
  ["float.add", (s, e) => lowerBinary(s, e, "add")],
  ["float.mul", (s, e) => lowerBinary(s, e, "mul")],
  ["float.sub", (s, e) => lowerBinary(s, e, "sub")],
  ["float.max_pool2d", (s, e) => lowerPool(s, e, "max")],
  ["float.avg_pool2d", (s, e) => lowerPool(s, e, "avg")],
  ["float.mean", lowerMean],
  ["float.reshape", lowerReshape],
  ["float.flatten", lowerReshape],
  ["float.transpose", lowerTranspose],
  ["float.pad", lowerPad],
  ["float.concat", lowerConcat],
  ["float.sigmoid", lowerTable],
  ["float.tanh", lowerTable],
  ["float.relu", lowerTable],
  ["float.relu6", lowerTable],
  ["float.clamp", lowerTable],
  ["float.softmax", lowerSoftmax],
];

export const LOWERING_PATTERNS: ReadonlyMap<string, LoweringPattern> = new Map(entries.map(([name, lower]) => [name, { kind: opKindOf(name)!, lower }]));
