/**
 * `prune{sparsity=0.5 block=1x16|4x1|2:4|target norm=l2 target=…}`: magnitude pruning of the constant
 * weights of float conv2d, depthwise_conv2d and fully_connected ops, before their weights are
 * quantized (TF MOT `prune_low_magnitude`, `block_size=(1, 16)`; N:M structured sparsity).
 *
 * - `RxC` blocks over the [output channels, rest] view of the weights (see `src/quant/pruning.ts` for
 *   the mapping of OHWI and depthwise layouts): the lowest-norm blocks are zeroed until the layer is
 *   within half a block of `sparsity`.
 * - `N:M`: the N largest |w| of every M consecutive inputs stay; sparsity is 1 − N/M whatever the
 *   `sparsity` option says (logged when they differ).
 * - `block=target`: per op, the first block shape the target's sparse kernels take for that op kind
 *   (and kernel size, for convs); ops without a sparse kernel are left dense (logged). With an explicit
 *   block shape and a target, the target must list that shape, and only ops it runs sparse are pruned.
 * Each pruned op gets `qopt.sparsity` (the fraction of its weights zeroed) and `qopt.block`, and a
 * "pruned" decision with {requested, achieved, blocks}. Ties are broken by index: the result is
 * deterministic.
 * - `only-marked=true`: only ops carrying `qopt.prune` (unit or true; set by
 *   `select-precision{with-sparsity=true}`) are pruned; the others are left dense (logged).
 */
import type { DenseAttr } from "../src/ir/attributes.js";
import type { Block, Operation, Value } from "../src/ir/operation.js";
import { getAttr } from "../src/ir/operation.js";
import { attr, boolAttr } from "../src/ir/attr-access.js";
import { hasTrait } from "../src/ir/opdef.js";
import { resolveLocation } from "../src/ir/location.js";
import { BlockRewriter, countUses, mapFunctionBodies, producerMap } from "../src/ir/rewriter.js";
import { registerPass, instantiatePass, type Pass, type PassContext } from "../src/pass/pass.js";
import { constantData, makeF32Constant, outputChannelAxis } from "../src/quant/constants.js";
import { entryFunction, interpret } from "../src/interp/interpreter.js";
import { calibrationInputsOf, loadCalibrationData, type CalibrationSamples } from "../src/quant/calibration-data.js";
import type { Module } from "../src/ir/operation.js";
import type { OptionValues } from "../src/pass/pass.js";
import { parseBlockShape, pruneWeights, weightMatrix, type BlockShapeSpec, type PruneNorm } from "../src/quant/pruning.js";
import { loadTarget } from "../src/target/load.js";
import { blockShapes, supportsSparsity } from "../src/target/queries.js";
import type { BlockShape, Target, WeightedOpKind } from "../src/target/types.js";

const PRUNABLE: Readonly<Record<string, WeightedOpKind>> = {
  "float.conv2d": "conv2d",
  "float.depthwise_conv2d": "depthwise_conv2d",
  "float.fully_connected": "fully_connected",
};

export const prunePass = registerPass({
  name: "prune",
  description: "Magnitude pruning of constant conv/fc weights in RxC blocks or N:M groups, in the target's block shape",
  options: {
    sparsity: { type: "float", default: 0.5, description: "Fraction of each layer's weights to zero, in [0, 1] (RxC blocks only)" },
    block: { type: "string", default: "1x16", description: "RxC (1x16, 4x1: output rows × consecutive inputs), N:M (2:4), or 'target' for the target's block shape" },
    norm: { type: "enum", values: ["l2", "l1"], default: "l2", description: "Block score: l2 | l1 norm" },
    target: { type: "string", description: "Target descriptor whose sparse kernels decide block shapes and which ops are pruned" },
    data: { type: "string", description: "Calibration data (as calibrate's): enables bias correction of pruned fully connected and 1x1 conv layers" },
    "min-weights": { type: "int", default: 0, description: "Leave layers with fewer weights dense (small layers carry much of the accuracy and save little; TF MOT skips them too)" },
    "only-marked": { type: "bool", default: false, description: "Prune only ops marked qopt.prune (by select-precision{with-sparsity=true})" },
  },
  run(module, options, ctx) {
    const sparsity = typeof options["sparsity"] === "number" ? options["sparsity"] : 0.5;
    if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparsity must be in [0, 1], got ${sparsity}`);
    const blockText = typeof options["block"] === "string" ? options["block"] : "1x16";
    const norm = (options["norm"] === "l1" ? "l1" : "l2") satisfies PruneNorm;
    const target = typeof options["target"] === "string" ? loadTarget(options["target"]) : undefined;
    const plan = planBlocks(blockText, target);
    const minWeights = typeof options["min-weights"] === "number" ? options["min-weights"] : 0;
    const samples = typeof options["data"] === "string" ? samplesFromPath(module, options["data"]) : codeSamples.get(options);
    const means = samples ? inputMeans(module, samples) : undefined;
    const onlyMarked = options["only-marked"] === true;
    return mapFunctionBodies(module, (block) => pruneBlock(block, plan, sparsity, norm, ctx, minWeights, means, onlyMarked));
  },
});

export function prune(options: { sparsity?: number; block?: string; norm?: PruneNorm; target?: string; minWeights?: number; data?: CalibrationSamples | string; onlyMarked?: boolean } = {}): Pass {
  const pass = instantiatePass(prunePass, {
    ...(options.onlyMarked !== undefined ? { "only-marked": options.onlyMarked } : {}),
    ...(typeof options.data === "string" ? { data: options.data } : {}),
    ...(options.minWeights !== undefined ? { "min-weights": options.minWeights } : {}),
    ...(options.sparsity !== undefined ? { sparsity: options.sparsity } : {}),
    ...(options.block !== undefined ? { block: options.block } : {}),
    ...(options.norm !== undefined ? { norm: options.norm } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
  });
  if (options.data !== undefined && typeof options.data !== "string") codeSamples.set(pass.options, options.data);
  return pass;
}

/** Calibration samples given in code, keyed by the pass instance's options object. */
const codeSamples = new WeakMap<OptionValues, CalibrationSamples>();

function samplesFromPath(module: Module, path: string): CalibrationSamples {
  const sig = entryFunction(module);
  return loadCalibrationData(path, sig.inputNames, calibrationInputsOf(sig.func));
}

/** Mean of each prunable op's input over every position but the channel (last) axis, over the samples. */
function inputMeans(module: Module, samples: CalibrationSamples): Map<Operation, Float64Array> {
  const func = entryFunction(module).func;
  const watched = new Map<Value, Operation[]>();
  for (const op of func.regions[0]!.blocks[0]!.ops) {
    if (PRUNABLE[op.name] === undefined || !op.operands[0]) continue;
    const list = watched.get(op.operands[0]) ?? [];
    list.push(op);
    watched.set(op.operands[0], list);
  }
  const sums = new Map<Value, { sum: Float64Array; count: number }>();
  for (const sample of samples) {
    interpret(module, [...sample], {
      onValue: (value, tensor) => {
        if (!watched.has(value)) return;
        const channels = tensor.shape[tensor.shape.length - 1] ?? 1;
        const entry = sums.get(value) ?? { sum: new Float64Array(channels), count: 0 };
        const data = tensor.data as Float32Array;
        for (let i = 0; i < data.length; i++) entry.sum[i % channels]! += data[i]!;
        entry.count += data.length / channels;
        sums.set(value, entry);
      },
    });
  }
  const means = new Map<Operation, Float64Array>();
  for (const [value, { sum, count }] of sums) for (const op of watched.get(value)!) means.set(op, sum.map((x) => x / count));
  return means;
}

/** Which block shape an op gets, or why it stays dense. */
type BlockChoice = { readonly block: BlockShapeSpec } | { readonly skip: string };
type BlockPlan = (kind: WeightedOpKind, kernel: readonly [number, number] | undefined) => BlockChoice;

function listed(target: Target): string {
  const shapes = blockShapes(target);
  return shapes.length === 0 ? "no block shapes (it has no sparse kernels)" : `block shapes ${shapes.join(", ")}`;
}

function describeOp(kind: WeightedOpKind, kernel: readonly [number, number] | undefined): string {
  return kernel && kind !== "fully_connected" ? `${kind} with a ${kernel[0]}x${kernel[1]} kernel` : kind;
}

function planBlocks(blockText: string, target: Target | undefined): BlockPlan {
  if (blockText.trim() === "target") {
    if (!target) throw new Error("block=target needs a target (prune{target=NAME} or --target=NAME)");
    if (blockShapes(target).length === 0) throw new Error(`target "${target.name}" lists no block shapes (it has no sparse kernels)`);
    return (kind, kernel) => {
      const shape = blockShapes(target, kind).find((s) => supportsSparsity(target, kind, s, kernel));
      return shape ? { block: parseBlockShape(shape) } : { skip: `target "${target.name}" has no sparse kernel for ${describeOp(kind, kernel)}` };
    };
  }
  const block = parseBlockShape(blockText);
  if (!target) return () => ({ block });
  if (!blockShapes(target).includes(block.text as BlockShape)) {
    throw new Error(`target "${target.name}" has no sparse kernel for block shape ${block.text}; it lists ${listed(target)}`);
  }
  return (kind, kernel) =>
    supportsSparsity(target, kind, block.text as BlockShape, kernel) ? { block } : { skip: `target "${target.name}" has no ${block.text} sparse kernel for ${describeOp(kind, kernel)}` };
}

function locationText(op: Operation): string | undefined {
  const l = resolveLocation(op.loc);
  return l ? `${l.file}:${l.line}:${l.col}` : undefined;
}

/** The constant op with its `value` replaced (where it was: a property or a discardable attribute). */
function withValue(op: Operation, value: DenseAttr): Operation {
  if (op.properties && Object.hasOwn(op.properties, "value")) return { ...op, properties: { ...op.properties, value } };
  return { ...op, attributes: { ...op.attributes, value } };
}

function pruneBlock(block: Block, plan: BlockPlan, sparsity: number, norm: PruneNorm, ctx: PassContext, minWeights = 0, inputMeans?: ReadonlyMap<Operation, Float64Array>, onlyMarked = false): Block {
  const producers = producerMap(block.ops);
  const uses = countUses(block.ops);
  const rewriter = new BlockRewriter();
  // Copies made of each shared weight constant: one that every user copied is dropped.
  const copies = new Map<Operation, number>();
  for (const op of block.ops) {
    const kind = PRUNABLE[op.name];
    if (kind === undefined || !hasTrait(op, "WeightedOp")) continue;
    const location = locationText(op);
    const decide = (decisionKind: string, message: string, details?: Record<string, unknown>): void => {
      ctx.decisions.push({ pass: "prune", kind: decisionKind, op: op.name, ...(location ? { location } : {}), message, ...(details ? { details } : {}) });
    };
    if (onlyMarked && !boolAttr(op, "qopt.prune")) {
      decide("not-pruned", "left dense: not marked qopt.prune (only-marked=true)");
      continue;
    }
    const weightValue: Value | undefined = op.operands[1];
    const weights = weightValue ? constantData(weightValue, producers) : undefined;
    const constOp = weightValue ? producers.get(weightValue) : undefined;
    const dense = constOp ? getAttr(constOp, "value") : undefined;
    if (!weightValue || !weights || !constOp || dense?.kind !== "dense") {
      decide("not-pruned", "weights are not a float constant (prune runs before weights are quantized)");
      continue;
    }
    if (weights.data.length < minWeights) {
      decide("not-pruned", `left dense: ${weights.data.length} weights, fewer than min-weights=${minWeights}`);
      continue;
    }
    const kernel: readonly [number, number] | undefined = kind === "fully_connected" || weights.shape.length !== 4 ? undefined : [weights.shape[1]!, weights.shape[2]!];
    const choice = plan(kind, kernel);
    if ("skip" in choice) {
      decide("not-pruned", `left dense: ${choice.skip}`);
      continue;
    }
    const matrix = weightMatrix(weights.shape, outputChannelAxis(op.name));
    const result = pruneWeights(weights.data, matrix, choice.block, sparsity, norm);
    const element = dense.type.element;
    const data = element.kind === "float" && element.name === "f64" ? Float64Array.from(result.data) : result.data;
    const value: DenseAttr = { kind: "dense", type: dense.type, splat: false, data };
    // A constant used only here is rewritten in place; a shared one is copied, so other users keep it.
    let newWeight = weightValue;
    if (uses.get(weightValue) === 1) {
      rewriter.replaceOp(constOp, [withValue(constOp, value)], constOp.results);
    } else {
      const copy = { ...withValue(constOp, value), results: [{ type: weightValue.type }] };
      rewriter.insertBefore(op, [copy]);
      newWeight = copy.results[0]!;
      copies.set(constOp, (copies.get(constOp) ?? 0) + 1);
    }
    const achieved = Number(result.achieved.toPrecision(6));
    const operands = op.operands.map((v, i) => (i === 1 ? newWeight : v));
    // Bias correction (as AIMET does after quantization): with the mean input x̄ seen on calibration data,
    // b'[o] = b[o] + Σ_k x̄[k]·(W[o,k] − W'[o,k]) keeps each output's mean where the dense layer had it.
    const means = inputMeans?.get(op);
    if (means && means.length === matrix.cols && (kind === "fully_connected" || (kernel && kernel[0] === 1 && kernel[1] === 1))) {
      const oldBias = op.operands[2] ? constantData(op.operands[2], producers)?.data : undefined;
      const corrected = new Float32Array(matrix.rows);
      for (let o = 0; o < matrix.rows; o++) {
        let delta = 0;
        for (let k = 0; k < matrix.cols; k++) delta += means[k]! * (weights.data[o * matrix.cols + k]! - result.data[o * matrix.cols + k]!);
        corrected[o] = (oldBias ? oldBias[o]! : 0) + delta;
      }
      const biasConst = makeF32Constant(corrected, [matrix.rows], op.loc);
      rewriter.insertBefore(op, [biasConst]);
      operands[2] = biasConst.results[0]!;
      decide("bias-corrected", `corrected the bias for the pruned weights' mean effect on calibration data`);
    }
    const attributes = { ...op.attributes, "qopt.sparsity": attr.f64(achieved), "qopt.block": attr.str(choice.block.text) };
    rewriter.replaceOp(op, [{ ...op, operands, attributes }], op.results);
    const nm = choice.block.kind === "n:m";
    const note = nm && Math.abs(sparsity - (1 - choice.block.n / choice.block.m)) > 1e-9 ? ` (${choice.block.text} fixes the sparsity; sparsity=${sparsity} does not apply)` : "";
    decide(
      "pruned",
      `${choice.block.text} ${nm ? "groups" : "blocks"}: ${result.zeroedWeights}/${matrix.rows * matrix.cols} weights zeroed, sparsity ${achieved}${note}`,
      { requested: sparsity, achieved, blocks: result.zeroedBlocks, totalBlocks: result.totalBlocks, block: choice.block.text },
    );
  }
  for (const [constOp, n] of copies) if (n === uses.get(constOp.results[0]!)) rewriter.eraseOp(constOp);
  return rewriter.apply(block);
}
