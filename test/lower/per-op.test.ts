/**
 * Op by op: interpret(lowered hw) against the QDQ form on one-op programs quantized by the pipeline,
 * per target. Against the QDQ form run in the target's integer arithmetic (src/quant/integer-qdq) every
 * op is bit-exact, float islands included. Against its float simulation: data movement (max pool,
 * transpose, concat of equally quantized inputs) is bit-exact; lookup tables are exact up to ties (the
 * table rounds as the target's QUANTIZE, the QDQ program's quant.qcast to even); accumulating ops differ where the QDQ program's f32 arithmetic and
 * ties-to-even requantization land on the other side of a rounding boundary from the exact integer
 * accumulator and the target's fixed-point rule; TFLite's softmax is a fixed-point approximation. The
 * test prints how often each op differs and asserts the bounds.
 */
import { describe, expect, it } from "vitest";
import { addDifference, compareIntegerQdqAndHw, hexDense, lowerFor, opsOf, outputQuant, parse, randomInputs, randomValues, rng, type Difference } from "./support.js";
import { interpret } from "../../src/interp/interpreter.js";

interface OpCase {
  readonly name: string;
  readonly inputs: readonly (readonly number[])[];
  readonly body: (args: readonly string[]) => { text: string; result: string; type: string };
  /** Largest difference allowed, in output steps; 0 = bit-exact. */
  readonly maxSteps: number;
}

const t = (shape: readonly number[]): string => `tensor<${shape.join("x")}xf32>`;

function net(c: OpCase): string {
  const args = c.inputs.map((_, i) => `%a${i}`);
  const b = c.body(args);
  return `func.func @main(${c.inputs.map((s, i) => `%a${i}: ${t(s)}`).join(", ")}) -> ${b.type} {\n${b.text}\n  return ${b.result} : ${b.type}\n}`;
}

const r = rng(5);
const img = [1, 6, 6, 4];
const cases: readonly OpCase[] = [
  {
    name: "conv2d 3x3 same + bias + relu",
    inputs: [img],
    maxSteps: 1,
    body: ([x]) => ({
      text: `  %w = "float.const"() {value = ${hexDense(randomValues(r, 6 * 3 * 3 * 4, 0.8))} : tensor<6x3x3x4xf32>} : () -> tensor<6x3x3x4xf32>
  %b = "float.const"() {value = ${hexDense(randomValues(r, 6, 0.4))} : tensor<6xf32>} : () -> tensor<6xf32>
  %y = "float.conv2d"(${x}, %w, %b) {padding = "same", act = "relu"} : (${t(img)}, tensor<6x3x3x4xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>`,
      result: "%y",
      type: "tensor<1x6x6x6xf32>",
    }),
  },
  {
    name: "depthwise_conv2d 3x3 + bias",
    inputs: [img],
    maxSteps: 1,
    body: ([x]) => ({
      text: `  %w = "float.const"() {value = ${hexDense(randomValues(r, 3 * 3 * 4, 0.8))} : tensor<1x3x3x4xf32>} : () -> tensor<1x3x3x4xf32>
  %b = "float.const"() {value = ${hexDense(randomValues(r, 4, 0.4))} : tensor<4xf32>} : () -> tensor<4xf32>
  %y = "float.depthwise_conv2d"(${x}, %w, %b) {padding = [1, 1, 1, 1]} : (${t(img)}, tensor<1x3x3x4xf32>, tensor<4xf32>) -> ${t(img)}`,
      result: "%y",
      type: t(img),
    }),
  },
  {
    name: "fully_connected + bias",
    inputs: [[4, 16]],
    maxSteps: 1,
    body: ([x]) => ({
      text: `  %w = "float.const"() {value = ${hexDense(randomValues(r, 8 * 16, 1))} : tensor<8x16xf32>} : () -> tensor<8x16xf32>
  %b = "float.const"() {value = ${hexDense(randomValues(r, 8, 0.4))} : tensor<8xf32>} : () -> tensor<8xf32>
  %y = "float.fully_connected"(${x}, %w, %b) : (tensor<4x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<4x8xf32>`,
      result: "%y",
      type: "tensor<4x8xf32>",
    }),
  },
  {
    name: "matmul of two activations",
    inputs: [
      [2, 3, 8],
      [8, 5],
    ],
    maxSteps: 1,
    body: ([a, b]) => ({ text: `  %y = "float.matmul"(${a}, ${b}) : (tensor<2x3x8xf32>, tensor<8x5xf32>) -> tensor<2x3x5xf32>`, result: "%y", type: "tensor<2x3x5xf32>" }),
  },
  { name: "add", inputs: [img, img], maxSteps: 1, body: ([a, b]) => ({ text: `  %y = "float.add"(${a}, ${b}) : (${t(img)}, ${t(img)}) -> ${t(img)}`, result: "%y", type: t(img) }) },
  { name: "sub", inputs: [img, img], maxSteps: 1, body: ([a, b]) => ({ text: `  %y = "float.sub"(${a}, ${b}) : (${t(img)}, ${t(img)}) -> ${t(img)}`, result: "%y", type: t(img) }) },
  { name: "mul", inputs: [img, img], maxSteps: 1, body: ([a, b]) => ({ text: `  %y = "float.mul"(${a}, ${b}) : (${t(img)}, ${t(img)}) -> ${t(img)}`, result: "%y", type: t(img) }) },
  {
    name: "max_pool2d 2x2",
    inputs: [img],
    maxSteps: 0,
    body: ([x]) => ({ text: `  %y = "float.max_pool2d"(${x}) {kernel = [2, 2], strides = [2, 2]} : (${t(img)}) -> tensor<1x3x3x4xf32>`, result: "%y", type: "tensor<1x3x3x4xf32>" }),
  },
  {
    name: "avg_pool2d 2x2",
    inputs: [img],
    maxSteps: 2,
    body: ([x]) => ({ text: `  %y = "float.avg_pool2d"(${x}) {kernel = [2, 2], strides = [2, 2]} : (${t(img)}) -> tensor<1x3x3x4xf32>`, result: "%y", type: "tensor<1x3x3x4xf32>" }),
  },
  // The hw pools average in the input's scale (TFLite rounds half away) and the pass then rescales to the
  // result's finer scale: two roundings, so up to 2 output steps.
  {
    name: "mean over H, W",
    inputs: [img],
    maxSteps: 2,
    body: ([x]) => ({ text: `  %y = "float.mean"(${x}) {axes = [1, 2], keepdims = false} : (${t(img)}) -> tensor<1x4xf32>`, result: "%y", type: "tensor<1x4xf32>" }),
  },
  { name: "sigmoid", inputs: [[4, 16]], maxSteps: 1, body: ([x]) => ({ text: `  %y = "float.sigmoid"(${x}) : (tensor<4x16xf32>) -> tensor<4x16xf32>`, result: "%y", type: "tensor<4x16xf32>" }) },
  { name: "tanh", inputs: [[4, 16]], maxSteps: 1, body: ([x]) => ({ text: `  %y = "float.tanh"(${x}) : (tensor<4x16xf32>) -> tensor<4x16xf32>`, result: "%y", type: "tensor<4x16xf32>" }) },
  { name: "softmax", inputs: [[4, 16]], maxSteps: 2, body: ([x]) => ({ text: `  %y = "float.softmax"(${x}) : (tensor<4x16xf32>) -> tensor<4x16xf32>`, result: "%y", type: "tensor<4x16xf32>" }) },
  {
    name: "transpose",
    inputs: [img],
    maxSteps: 0,
    body: ([x]) => ({ text: `  %y = "float.transpose"(${x}) {perm = [0, 3, 1, 2]} : (${t(img)}) -> tensor<1x4x6x6xf32>`, result: "%y", type: "tensor<1x4x6x6xf32>" }),
  },
  {
    name: "mul → concat (mul result requantized)",
    inputs: [img, img],
    maxSteps: 2,
    body: ([a, b]) => ({
      // b·b lies in [0, 1): quantized differently from a, so it is requantized to the concat's union range.
      text: `  %h = "float.mul"(${b}, ${b}) : (${t(img)}, ${t(img)}) -> ${t(img)}
  %y = "float.concat"(${a}, %h) {axis = 3} : (${t(img)}, ${t(img)}) -> tensor<1x6x6x8xf32>`,
      result: "%y",
      type: "tensor<1x6x6x8xf32>",
    }),
  },
];

const targets = [
  { target: "tflite-int8", mode: "int8" as const },
  { target: "npu-sparse-int8", mode: "int8" as const },
  { target: "onnx-qdq", mode: "int8" as const },
  { target: "tflite-int16x8", mode: "int16x8" as const },
];

describe("lower-to-hw op by op: hw against QDQ", () => {
  for (const { target, mode } of targets) {
    it(`${target}: differences per op over held-back inputs`, () => {
      const lines: string[] = [];
      const over: string[] = [];
      const inexact: string[] = [];
      for (const c of cases) {
        const calib = randomInputs(3, 16, c.inputs);
        const held = randomInputs(4, 32, c.inputs);
        const l = lowerFor(parse(net(c)), target, mode, calib);
        // Whatever lowering did with the op, the QDQ program run in the target's integer arithmetic is the lowered program bit for bit.
        const exact = compareIntegerQdqAndHw(l, target, held);
        if (exact.unequal > 0) inexact.push(`${c.name}: ${exact.unequal} of ${exact.total}`);
        const island = l.decisions.find((d) => d.kind === "float-island");
        if (island) {
          lines.push(`  ${c.name.padEnd(44)} float island: ${island.message.replace(/^.*?: it needs /, "needs ")}`);
          continue;
        }
        expect(opsOf(l.lowered, "float.").filter((op) => op.name !== "float.const")).toEqual([]);
        const step = Math.fround(outputQuant(l.qdq).scales[0]!);
        const d: Difference = { total: 0, differing: 0, maxSteps: 0 };
        for (const s of held) addDifference(d, interpret(l.qdq, s)[0]!.data as Float32Array, interpret(l.lowered, s)[0]!.data as Float32Array, step);
        lines.push(`  ${c.name.padEnd(44)} ${String(d.differing).padStart(5)} of ${String(d.total).padStart(5)} differ (${((100 * d.differing) / d.total).toFixed(2)}%), max ${d.maxSteps} steps`);
        if (d.maxSteps > c.maxSteps) over.push(`${c.name}: ${d.maxSteps} steps`);
      }
      console.info(`${target} (${mode}): interpret(hw) vs interpret(QDQ)\n${lines.join("\n")}`);
      expect(over).toEqual([]);
      expect(inexact).toEqual([]);
    });
  }
});
