/**
 * Test support for lower-to-hw: synthetic float nets, random inputs, the quantization pipeline up to
 * QDQ form and through lowering, and the comparisons the semantics tests report (SQNR against float,
 * QDQ-vs-hw differences counted in output quantization steps).
 */
import "../../src/registry.js";
import type { Module, Operation } from "../../src/ir/operation.js";
import { walkModule } from "../../src/ir/operation.js";
import type { UniformQuantType } from "../../src/ir/types.js";
import { parseModule } from "../../src/syntax/parser.js";
import { PassManager } from "../../src/pass/manager.js";
import type { Decision } from "../../src/pass/pass.js";
import { calibrate, canonicalize, foldBatchNorm, fuse, lowerToHw, nudgeZeroPoint, propagateRanges, quantize } from "../../passes/index.js";
import type { QuantizeMode } from "../../passes/quantize.js";
import { entryFunction, interpret } from "../../src/interp/interpreter.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** MLIR's hex form of f32 data. */
export function hexDense(values: ArrayLike<number>): string {
  return `dense<"0x${Buffer.from(Float32Array.from(values).buffer).toString("hex").toUpperCase()}">`;
}

export function randomValues(r: () => number, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (r() - 0.5) * scale);
}

/** `count` samples; each holds one uniform [-1, 1) tensor per shape. */
export function randomInputs(seed: number, count: number, shapes: readonly (readonly number[])[]): Tensor[][] {
  const r = rng(seed);
  return Array.from({ length: count }, () => shapes.map((s) => makeTensor("f32", s, Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1))));
}

/** conv 3x3 (4→8) + bias + relu → depthwise 3x3 → relu6 → mean over H,W → fully connected 8→3 → softmax (test/quant/pipeline.test.ts's net). */
export function syntheticNet(precision?: string): string {
  const r = rng(7);
  const w1 = Array.from({ length: 8 * 3 * 3 * 4 }, () => (r() - 0.5) * 0.6);
  const b1 = Array.from({ length: 8 }, () => (r() - 0.5) * 0.2);
  const w2 = Array.from({ length: 3 * 3 * 8 }, () => (r() - 0.5) * 0.8);
  const w3 = Array.from({ length: 3 * 8 }, () => r() - 0.5);
  const b3 = Array.from({ length: 3 }, () => (r() - 0.5) * 0.1);
  const p = precision ? `, "qopt.precision" = "${precision}"` : "";
  return `
func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x3xf32> {qopt.name = "probs"}) {
  %w1 = "float.const"() {value = ${hexDense(w1)} : tensor<8x3x3x4xf32>} : () -> tensor<8x3x3x4xf32>
  %b1 = "float.const"() {value = ${hexDense(b1)} : tensor<8xf32>} : () -> tensor<8xf32>
  %c1 = "float.conv2d"(%x, %w1, %b1) {padding = "same", act = "relu"${p}} : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %w2 = "float.const"() {value = ${hexDense(w2)} : tensor<1x3x3x8xf32>} : () -> tensor<1x3x3x8xf32>
  %c2 = "float.depthwise_conv2d"(%c1, %w2) {padding = "same"${p}} : (tensor<1x8x8x8xf32>, tensor<1x3x3x8xf32>) -> tensor<1x8x8x8xf32>
  %r2 = "float.relu6"(%c2) {${p.slice(2)}} : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %m = "float.mean"(%r2) {axes = [1, 2], keepdims = false${p}} : (tensor<1x8x8x8xf32>) -> tensor<1x8xf32>
  %w3 = "float.const"() {value = ${hexDense(w3)} : tensor<3x8xf32>} : () -> tensor<3x8xf32>
  %b3 = "float.const"() {value = ${hexDense(b3)} : tensor<3xf32>} : () -> tensor<3xf32>
  %fc = "float.fully_connected"(%m, %w3, %b3) {${p.slice(2)}} : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %p = "float.softmax"(%fc) {${p.slice(2)}} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %p : tensor<1x3xf32>
}`;
}

/**
 * A net a conv/fc/add/pool-only power-of-two NPU can run: conv 3x3 + bias + relu → depthwise 3x3 +
 * bias + relu → add (residual) → max pool 2x2 → global avg pool 4x4 → fully connected 8→3 + bias.
 */
export function poolNet(): string {
  const r = rng(11);
  const w1 = Array.from({ length: 8 * 3 * 3 * 4 }, () => (r() - 0.5) * 0.6);
  const b1 = Array.from({ length: 8 }, () => (r() - 0.5) * 0.2);
  const w2 = Array.from({ length: 3 * 3 * 8 }, () => (r() - 0.5) * 0.8);
  const b2 = Array.from({ length: 8 }, () => (r() - 0.5) * 0.2);
  const w3 = Array.from({ length: 3 * 8 }, () => r() - 0.5);
  const b3 = Array.from({ length: 3 }, () => (r() - 0.5) * 0.1);
  return `
func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x1x1x3xf32> {qopt.name = "logits"}) {
  %w1 = "float.const"() {value = ${hexDense(w1)} : tensor<8x3x3x4xf32>} : () -> tensor<8x3x3x4xf32>
  %b1 = "float.const"() {value = ${hexDense(b1)} : tensor<8xf32>} : () -> tensor<8xf32>
  %c1 = "float.conv2d"(%x, %w1, %b1) {padding = "same", act = "relu"} : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %w2 = "float.const"() {value = ${hexDense(w2)} : tensor<1x3x3x8xf32>} : () -> tensor<1x3x3x8xf32>
  %b2 = "float.const"() {value = ${hexDense(b2)} : tensor<8xf32>} : () -> tensor<8xf32>
  %c2 = "float.depthwise_conv2d"(%c1, %w2, %b2) {padding = "same", act = "relu"} : (tensor<1x8x8x8xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %s = "float.add"(%c1, %c2) : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %mp = "float.max_pool2d"(%s) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
  %ap = "float.avg_pool2d"(%mp) {kernel = [4, 4]} : (tensor<1x4x4x8xf32>) -> tensor<1x1x1x8xf32>
  %w3 = "float.const"() {value = ${hexDense(w3)} : tensor<3x8xf32>} : () -> tensor<3x8xf32>
  %b3 = "float.const"() {value = ${hexDense(b3)} : tensor<3xf32>} : () -> tensor<3xf32>
  %fc = "float.fully_connected"(%ap, %w3, %b3) : (tensor<1x1x1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x1x1x3xf32>
  return %fc : tensor<1x1x1x3xf32>
}`;
}

export interface Lowering {
  readonly float: Module;
  readonly qdq: Module;
  readonly lowered: Module;
  readonly decisions: readonly Decision[];
}

/** fold → fuse → calibrate → propagate → nudge → quantize (QDQ) for a target, verified after every pass. */
export function quantizeFor(float: Module, target: string, mode: QuantizeMode, calib: readonly (readonly Tensor[])[], observer?: string): { qdq: Module; pm: PassManager } {
  const pm = new PassManager({ verifyEach: true, freeze: true })
    .add(canonicalize())
    .add(foldBatchNorm())
    .add(fuse({ target }))
    .add(canonicalize())
    .add(calibrate({ data: calib, ...(observer ? { observer } : {}) }))
    .add(propagateRanges())
    .add(nudgeZeroPoint({ target }))
    .add(quantize({ mode, target }));
  return { qdq: pm.run(float), pm };
}

/** The whole pipeline; `lowerToHw` throws DiagnosticError on targets that cannot run the program. */
export function lowerFor(float: Module, target: string, mode: QuantizeMode, calib: readonly (readonly Tensor[])[], observer?: string): Lowering {
  const { qdq, pm } = quantizeFor(float, target, mode, calib, observer);
  const lowered = new PassManager({ verifyEach: true, freeze: true, context: pm.context }).add(lowerToHw({ target })).run(qdq);
  return { float, qdq, lowered, decisions: pm.context.decisions };
}

export function parse(text: string, filename = "net.mlir"): Module {
  return parseModule(text, { filename });
}

export function sqnrDb(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    signal += ref[i]! ** 2;
    noise += (ref[i]! - got[i]!) ** 2;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

/** The quantized type the function's (first) result is dequantized from: the step of its output grid. */
export function outputQuant(module: Module): UniformQuantType {
  const body = entryFunction(module).func.regions[0]!.blocks[0]!;
  const ret = body.ops[body.ops.length - 1]!;
  const producer = body.ops.find((op) => op.results.includes(ret.operands[0]!));
  const t = producer?.name === "quant.dcast" ? producer.operands[0]!.type : undefined;
  if (!t || t.kind !== "tensor" || t.element.kind !== "quant.uniform") throw new Error("the result is not a quant.dcast of a quantized tensor");
  return t.element;
}

export interface Difference {
  /** Elements compared and how many differ. */
  total: number;
  differing: number;
  /** Largest difference, in steps of the output scale. */
  maxSteps: number;
}

export function addDifference(acc: Difference, a: ArrayLike<number>, b: ArrayLike<number>, step: number): void {
  for (let i = 0; i < a.length; i++) {
    acc.total++;
    const d = Math.round(Math.abs(a[i]! - b[i]!) / step);
    if (d > 0) acc.differing++;
    if (d > acc.maxSteps) acc.maxSteps = d;
  }
}

/** Runs both programs on every sample and counts differing output elements (first result). */
export function compareQdqAndHw(l: Lowering, samples: readonly (readonly Tensor[])[]): Difference {
  const step = Math.fround(outputQuant(l.qdq).scales[0]!);
  const acc: Difference = { total: 0, differing: 0, maxSteps: 0 };
  for (const s of samples) addDifference(acc, interpret(l.qdq, s)[0]!.data as Float32Array, interpret(l.lowered, s)[0]!.data as Float32Array, step);
  return acc;
}

/** Worst per-sample SQNR of `module` against the float program. */
export function worstSqnr(float: Module, module: Module, samples: readonly (readonly Tensor[])[]): number {
  let worst = Infinity;
  for (const s of samples) worst = Math.min(worst, sqnrDb(interpret(float, s)[0]!.data as Float32Array, interpret(module, s)[0]!.data as Float32Array));
  return worst;
}

export function opsOf(module: Module, prefix: string): Operation[] {
  const ops: Operation[] = [];
  walkModule(module, (op) => {
    if (op.name.startsWith(prefix)) ops.push(op);
  });
  return ops;
}

/** How many elements of two float outputs are not bit-for-bit equal. */
export function unequalElements(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n;
}

/** Runs the lowered program and the QDQ program in the target's integer arithmetic on every sample; counts unequal output elements (all results). */
export function compareIntegerQdqAndHw(l: Lowering, target: string, samples: readonly (readonly Tensor[])[]): { total: number; unequal: number; integerUnits: number; floatUnits: string[] } {
  let total = 0;
  let unequal = 0;
  let integerUnits = 0;
  const floatUnits: string[] = [];
  for (const s of samples) {
    const hw = interpret(l.lowered, s);
    const qdq = interpretIntegerQdq(l.qdq, s, target, {
      onUnit: (op, outcome) => {
        if (outcome.integer) integerUnits++;
        else floatUnits.push(`${op.name}: ${outcome.reason}`);
      },
    });
    hw.forEach((t, i) => {
      total += t.data.length;
      unequal += unequalElements(t.data as Float32Array, qdq[i]!.data as Float32Array);
    });
  }
  return { total, unequal, integerUnits: integerUnits / Math.max(1, samples.length), floatUnits: [...new Set(floatUnits)] };
}
