/**
 * Properties of lower-to-hw over random programs (fast-check), on every built-in target:
 * - it never emits an hw op at an op/type pair the target does not list (each hw op's activation and
 *   weight storage checked with `supportsOp` against the op kinds it implements);
 * - it never keeps a float op silently: on a target without fallback it either lowers everything or
 *   fails with a legality error; with fallback, every remaining float op has a float-island decision;
 * - on power-of-two targets every quantized scale is a power of two and every multiplier is 2^30;
 * - it keeps the program's meaning: the lowered program computes, bit for bit, what the QDQ program
 *   computes when each node unit runs in the target's integer arithmetic (src/quant/integer-qdq).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numbersAttr } from "../../src/ir/attr-access.js";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import type { Module, Operation, Value } from "../../src/ir/operation.js";
import { loadTarget } from "../../src/target/load.js";
import { opKindOf } from "../../src/target/op-kind.js";
import { locationText } from "../../passes/lower-to-hw.js";
import { isPowerOfTwo, scaleForm, supportsOp } from "../../src/target/queries.js";
import type { OpKind, OperandType } from "../../src/target/types.js";
import { PURE_SHIFT_MULTIPLIER } from "../../src/quant/lowering-params.js";
import { compareIntegerQdqAndHw, hexDense, lowerFor, opsOf, parse, randomInputs, randomValues, rng } from "./support.js";

/** The target op kinds each hw op implements (hw.rescale and hw.const are part of every target). */
const KINDS: Readonly<Record<string, readonly OpKind[]>> = {
  "hw.conv2d": ["conv2d"],
  "hw.depthwise_conv2d": ["depthwise_conv2d"],
  "hw.fully_connected": ["fully_connected"],
  "hw.matmul": ["matmul"],
  "hw.add": ["add"],
  "hw.sub": ["sub"],
  "hw.mul": ["mul"],
  "hw.max_pool2d": ["max_pool2d"],
  "hw.avg_pool2d": ["avg_pool2d", "mean"],
  "hw.lut": ["sigmoid", "tanh", "relu", "relu6", "clamp"],
  "hw.softmax": ["softmax"],
  "hw.reshape": ["reshape"],
  "hw.transpose": ["transpose"],
  "hw.concat": ["concat"],
  "hw.pad": ["pad"],
};
const WEIGHTED = new Set(["hw.conv2d", "hw.depthwise_conv2d", "hw.fully_connected", "hw.matmul"]);

function storage(v: Value | undefined): OperandType | undefined {
  const t = v?.type;
  if (!t || t.kind !== "tensor") return undefined;
  const e = t.element;
  const int = e.kind === "quant.uniform" ? e.storage : e.kind === "int" ? e : undefined;
  if (!int) return undefined;
  if (int.width === 8) return int.signedness === "unsigned" ? "u8" : "i8";
  return int.width === 16 ? "i16" : undefined;
}

interface Shape {
  h: number;
  w: number;
  c: number;
}

type Layer = (x: string, s: Shape, id: number, r: () => number) => { text: string; out: Shape };

const ty = (s: Shape): string => `tensor<1x${s.h}x${s.w}x${s.c}xf32>`;
const act = (r: () => number): string => ["", `, act = "relu"`, `, act = "relu6"`][Math.floor(r() * 3)]!;

const LAYERS: readonly Layer[] = [
  (x, s, id, r) => {
    const o = 2 + 2 * Math.floor(r() * 3);
    return {
      text: `  %w${id} = "float.const"() {value = ${hexDense(randomValues(r, o * 9 * s.c, 0.8))} : tensor<${o}x3x3x${s.c}xf32>} : () -> tensor<${o}x3x3x${s.c}xf32>
  %b${id} = "float.const"() {value = ${hexDense(randomValues(r, o, 0.2))} : tensor<${o}xf32>} : () -> tensor<${o}xf32>
  %v${id} = "float.conv2d"(${x}, %w${id}, %b${id}) {padding = "same"${act(r)}} : (${ty(s)}, tensor<${o}x3x3x${s.c}xf32>, tensor<${o}xf32>) -> ${ty({ ...s, c: o })}`,
      out: { ...s, c: o },
    };
  },
  (x, s, id, r) => ({
    text: `  %w${id} = "float.const"() {value = ${hexDense(randomValues(r, 9 * s.c, 0.8))} : tensor<1x3x3x${s.c}xf32>} : () -> tensor<1x3x3x${s.c}xf32>
  %v${id} = "float.depthwise_conv2d"(${x}, %w${id}) {padding = "same"${act(r)}} : (${ty(s)}, tensor<1x3x3x${s.c}xf32>) -> ${ty(s)}`,
    out: s,
  }),
  (x, s, id) => ({ text: `  %v${id} = "float.add"(${x}, ${x}) : (${ty(s)}, ${ty(s)}) -> ${ty(s)}`, out: s }),
  (x, s, id) => ({ text: `  %v${id} = "float.mul"(${x}, ${x}) : (${ty(s)}, ${ty(s)}) -> ${ty(s)}`, out: s }),
  (x, s, id) => ({ text: `  %v${id} = "float.max_pool2d"(${x}) {kernel = [2, 2]} : (${ty(s)}) -> ${ty({ ...s, h: s.h - 1, w: s.w - 1 })}`, out: { ...s, h: s.h - 1, w: s.w - 1 } }),
  (x, s, id) => ({ text: `  %v${id} = "float.avg_pool2d"(${x}) {kernel = [2, 2]} : (${ty(s)}) -> ${ty({ ...s, h: s.h - 1, w: s.w - 1 })}`, out: { ...s, h: s.h - 1, w: s.w - 1 } }),
  (x, s, id, r) => {
    const op = ["sigmoid", "tanh", "relu", "relu6", "softmax"][Math.floor(r() * 5)]!;
    return { text: `  %v${id} = "float.${op}"(${x}) : (${ty(s)}) -> ${ty(s)}`, out: s };
  },
  (x, s, id) => ({ text: `  %v${id} = "float.transpose"(${x}) {perm = [0, 2, 1, 3]} : (${ty(s)}) -> ${ty({ ...s, h: s.w, w: s.h })}`, out: { ...s, h: s.w, w: s.h } }),
  (x, s, id) => ({ text: `  %v${id} = "float.concat"(${x}, ${x}) {axis = 3} : (${ty(s)}, ${ty(s)}) -> ${ty({ ...s, c: 2 * s.c })}`, out: { ...s, c: 2 * s.c } }),
  (x, s, id) => ({ text: `  %v${id} = "float.pad"(${x}) {pads = [0, 1, 0, 0, 0, 1, 0, 0]} : (${ty(s)}) -> ${ty({ ...s, h: s.h + 2 })}`, out: { ...s, h: s.h + 2 } }),
  (x, s, id) => ({ text: `  %v${id} = "float.mean"(${x}) {axes = [1, 2]} : (${ty(s)}) -> ${ty({ ...s, h: 1, w: 1 })}`, out: { ...s, h: 1, w: 1 } }),
  (x, s, id, r) => {
    const o = 3 + Math.floor(r() * 4);
    return {
      text: `  %w${id} = "float.const"() {value = ${hexDense(randomValues(r, o * s.c, 1))} : tensor<${o}x${s.c}xf32>} : () -> tensor<${o}x${s.c}xf32>
  %v${id} = "float.fully_connected"(${x}, %w${id}) : (${ty(s)}, tensor<${o}x${s.c}xf32>) -> ${ty({ ...s, c: o })}`,
      out: { ...s, c: o },
    };
  },
  (x, s, id, r) => {
    const o = 2 + Math.floor(r() * 4);
    return {
      text: `  %w${id} = "float.const"() {value = ${hexDense(randomValues(r, s.c * o, 1))} : tensor<${s.c}x${o}xf32>} : () -> tensor<${s.c}x${o}xf32>
  %v${id} = "float.matmul"(${x}, %w${id}) : (${ty(s)}, tensor<${s.c}x${o}xf32>) -> ${ty({ ...s, c: o })}`,
      out: { ...s, c: o },
    };
  },
  (x, s, id, r) => {
    const c = (k: string, scale: number, offset = 0): string =>
      `  %${k}${id} = "float.const"() {value = ${hexDense(Float32Array.from(randomValues(r, s.c, scale), (v) => v + offset))} : tensor<${s.c}xf32>} : () -> tensor<${s.c}xf32>`;
    return {
      text: `${c("g", 0.5, 1)}\n${c("be", 0.4)}\n${c("mu", 0.4)}\n${c("va", 0.5, 0.75)}
  %v${id} = "float.batch_norm"(${x}, %g${id}, %be${id}, %mu${id}, %va${id}) : (${ty(s)}, tensor<${s.c}xf32>, tensor<${s.c}xf32>, tensor<${s.c}xf32>, tensor<${s.c}xf32>) -> ${ty(s)}`,
      out: s,
    };
  },
  // x − relu(x) = min(x, 0): a subtraction of two differently quantized values.
  (x, s, id) => ({
    text: `  %t${id} = "float.relu"(${x}) : (${ty(s)}) -> ${ty(s)}
  %v${id} = "float.sub"(${x}, %t${id}) : (${ty(s)}, ${ty(s)}) -> ${ty(s)}`,
    out: s,
  }),
];

function program(layers: readonly number[], seed: number): string {
  const r = rng(seed);
  let s: Shape = { h: 5, w: 5, c: 3 };
  let x = "%x";
  const lines: string[] = [];
  layers.forEach((l, i) => {
    // Pools need 2x2 inputs; mean leaves 1x1.
    const layer = (l === 4 || l === 5) && (s.h < 2 || s.w < 2) ? 2 : l;
    const step = LAYERS[layer]!(x, s, i, r);
    lines.push(step.text);
    s = step.out;
    x = `%v${i}`;
  });
  return `func.func @main(%x: tensor<1x5x5x3xf32>) -> ${ty(s)} {\n${lines.join("\n")}\n  return ${x} : ${ty(s)}\n}`;
}

const TARGETS = ["tflite-int8", "tflite-int16x8", "onnx-qdq", "npu-pow2-int8", "npu-sparse-int8", "dsp-int16"] as const;
/** Integer modes most often; the weights-only modes leave ops float (float kernels or islands). */
const MODES = ["int8", "int8", "int8", "dynamic-range", "weight-only", "float16"] as const;
const OBSERVERS = ["minmax", "moving-average", "percentile", "mse"] as const;

/** Float ops of the QDQ program by location: an hw op's kind is that of the float op it was lowered from. */
function sourceKinds(qdq: Module): Map<string, OpKind> {
  const kinds = new Map<string, OpKind>();
  for (const op of opsOf(qdq, "float.")) {
    const k = opKindOf(op.name);
    if (k) kinds.set(locationText(op.loc), k);
  }
  return kinds;
}

function checkEmittedOps(ops: readonly Operation[], targetName: string, sources: Map<string, OpKind>): void {
  const target = loadTarget(targetName);
  for (const op of ops) {
    const kinds = KINDS[op.name];
    if (!kinds) continue;
    const activation = storage(op.operands[0]);
    const weight = WEIGHTED.has(op.name) ? storage(op.operands[1]) : undefined;
    expect(activation, `${op.name} activation storage`).toBeDefined();
    // hw.lut stands for five op kinds and hw.avg_pool2d for two: the one that counts is the source op's.
    const source = sources.get(locationText(op.loc));
    const candidates = source && kinds.includes(source) ? [source] : kinds;
    const listed = candidates.some((k) => supportsOp(target, k, activation!, WEIGHTED.has(op.name) ? weight : undefined));
    expect(listed, `${targetName} does not list ${candidates.join("/")} (${op.name}) at (${activation}${weight ? `, ${weight}` : ""})`).toBe(true);
  }
}

function checkPowerOfTwo(ops: readonly Operation[]): void {
  for (const op of ops) {
    for (const v of [...op.operands, ...op.results]) {
      const t = v.type;
      if (t.kind === "tensor" && t.element.kind === "quant.uniform") for (const s of t.element.scales) expect(isPowerOfTwo(Math.fround(s)), `${op.name} scale ${s}`).toBe(true);
    }
    for (const name of ["multiplier", "input1_multiplier", "input2_multiplier", "output_multiplier"]) {
      for (const m of numbersAttr(op, name) ?? []) expect(m === 0 || m === PURE_SHIFT_MULTIPLIER, `${op.name} ${name} = ${m}`).toBe(true);
    }
    expect(numbersAttr(op, "scale"), `${op.name} carries real scales`).toBeUndefined();
  }
}

describe("lower-to-hw properties over random programs", () => {
  const calib = randomInputs(9, 4, [[1, 5, 5, 3]]);
  const outcomes = new Map<string, { lowered: number; refused: number }>();

  it("emits only op/type pairs the target lists, keeps no float op silently, and shifts only on power-of-two targets", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: LAYERS.length - 1 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(...TARGETS),
        fc.constantFrom(...MODES),
        fc.constantFrom(...OBSERVERS),
        (layers, seed, targetName, mode, observer) => {
        const target = loadTarget(targetName);
        const stats = outcomes.get(targetName) ?? { lowered: 0, refused: 0 };
        outcomes.set(targetName, stats);
        let l;
        try {
          l = lowerFor(parse(program(layers, seed)), targetName, targetName === "tflite-int16x8" && mode === "int8" ? "int16x8" : mode, calib, observer);
        } catch (e) {
          // Only a target without float fallback may refuse, and only with a legality error.
          expect(e).toBeInstanceOf(DiagnosticError);
          expect(target.fallback.allowed).toBe(false);
          expect((e as Error).message).toMatch(new RegExp(`op cannot run on target "${targetName}": it needs .*; and the target allows no float fallback`));
          stats.refused++;
          return;
        }
        stats.lowered++;
        const hw = opsOf(l.lowered, "hw.");
        checkEmittedOps(hw, targetName, sourceKinds(l.qdq));
        const floats = opsOf(l.lowered, "float.").filter((op) => op.name !== "float.const" && op.name !== "float.cast");
        const islands = l.decisions.filter((d) => d.kind === "float-island" || d.kind === "float-kernel");
        if (!target.fallback.allowed) expect(floats).toEqual([]);
        expect(islands.length).toBe(floats.length);
        if (scaleForm(target) === "power-of-two") checkPowerOfTwo(hw);
      }),
      { numRuns: 1000, seed: 20240611 },
    );
    console.info(`random programs per target (lowered / legality error): ${[...outcomes].map(([t, s]) => `${t} ${s.lowered}/${s.refused}`).join(", ")}`);
  }, 120_000);

  it("keeps the meaning: interpret(lowered) equals the QDQ program in the target's integer arithmetic, bit for bit", () => {
    const held = randomInputs(10, 2, [[1, 5, 5, 3]]);
    let compared = 0;
    let elements = 0;
    let integerUnits = 0;
    let floatUnits = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: LAYERS.length - 1 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...TARGETS), fc.constantFrom(...MODES), (layers, seed, targetName, mode) => {
        let l;
        try {
          l = lowerFor(parse(program(layers, seed)), targetName, targetName === "tflite-int16x8" && mode === "int8" ? "int16x8" : mode, calib);
        } catch (e) {
          if (e instanceof DiagnosticError) return; // a legality error: nothing to run (checked above)
          throw e;
        }
        const d = compareIntegerQdqAndHw(l, targetName, held);
        compared++;
        elements += d.total;
        integerUnits += d.integerUnits;
        floatUnits += d.floatUnits.length;
        expect(d.unequal, `${targetName}: ${program(layers, seed)}`).toBe(0);
      }),
      { numRuns: 1000, seed: 20261125 },
    );
    console.info(`integer QDQ vs lowered: ${compared} random programs, ${elements} output elements, all bit-exact; ${integerUnits} node units ran in integer arithmetic, ${floatUnits} stayed float (islands)`);
    expect(integerUnits).toBeGreaterThan(compared);
  }, 300_000);

  it("on power-of-two targets, programs of the ops they run lower to power-of-two scales and shifts only, with the meaning kept", () => {
    // conv, depthwise, add, max pool, avg pool, fully connected: what npu-pow2-int8 runs.
    const POW2_LAYERS = [0, 1, 2, 4, 5, 11] as const;
    const held = randomInputs(10, 2, [[1, 5, 5, 3]]);
    let lowered = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...POW2_LAYERS), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...OBSERVERS), (layers, seed, observer) => {
        const l = lowerFor(parse(program(layers, seed)), "npu-pow2-int8", "int8", calib, observer);
        lowered++;
        const hw = opsOf(l.lowered, "hw.");
        checkEmittedOps(hw, "npu-pow2-int8", sourceKinds(l.qdq));
        checkPowerOfTwo(hw);
        expect(compareIntegerQdqAndHw(l, "npu-pow2-int8", held).unequal).toBe(0);
      }),
      { numRuns: 1000, seed: 7 },
    );
    expect(lowered).toBe(1000);
  }, 300_000);
});
