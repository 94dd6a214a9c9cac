/**
 * A synthetic int8 convolution stack for the integer comparison, in two equivalent forms:
 *
 * - ONNX: a chain of QLinearConv nodes on an int8 NCHW input (int8 weights with per-channel scales,
 *   int32 biases), which ONNX Runtime executes with its integer kernels;
 * - qopt: the same chain as `hw.conv2d` ops on the NHWC input with OHWI weights and ONNX's
 *   requantization (`rounding = "half-even-float"`, scale = x_scale·w_scale/y_scale per channel,
 *   computed in f32 as ONNX Runtime computes it).
 *
 * The layers follow a ResNet stage at 56×56: 3×3 64→64, 3×3 64→64, 1×1 64→256, 1×1 256→64, all with
 * output zero point −128 (a fused ReLU: negative reals clamp to the zero point).
 */
import "../../src/registry.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { Module } from "../../src/ir/operation.js";
import { parseModule } from "../../src/syntax/parser.js";
import { OnnxGraph, windowOutput, type BenchModel } from "./onnx-graph.js";
import { SeededRandom } from "./seeded-random.js";

export interface ConvLayer {
  readonly out: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

export interface Int8ConvStackOptions {
  /** Input [1, channels, size, size]; default 64 channels at 56×56. */
  readonly channels?: number;
  readonly size?: number;
  readonly layers?: readonly ConvLayer[];
  readonly seed?: number;
}

export interface Int8ConvStack {
  readonly onnx: BenchModel;
  /** The hw.conv2d program (NHWC). */
  readonly module: Module;
  readonly mlir: string;
  /** The input in ONNX layout (NCHW) and in qopt's (NHWC). */
  readonly inputNchw: Int8Array;
  readonly inputNhwc: Int8Array;
  /** Runs the qopt program on `inputNhwc`; returns the NHWC output. */
  runQopt(): Int8Array;
  /** An NCHW output of this stack in NHWC order. */
  toNhwc(nchw: Int8Array): Int8Array;
  readonly note: string;
}

export const RESNET_STAGE_LAYERS: readonly ConvLayer[] = [
  { out: 64, kernel: 3, stride: 1, pad: 1 },
  { out: 64, kernel: 3, stride: 1, pad: 1 },
  { out: 256, kernel: 1, stride: 1, pad: 0 },
  { out: 64, kernel: 1, stride: 1, pad: 0 },
];

/** Input scale and zero point; every layer outputs with OUTPUT_SCALE and zero point −128. */
const INPUT_SCALE = 0.02;
const OUTPUT_SCALE = 0.05;
const ZERO_POINT = -128;

function hex(bytes: Uint8Array): string {
  return `"0x${Buffer.from(bytes).toString("hex").toUpperCase()}"`;
}

function bytesOf(a: Int8Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** [N, C, H, W] → [N, H, W, C] (and OIHW → OHWI). */
function nchwToNhwc(x: Int8Array, n: number, c: number, h: number, w: number): Int8Array {
  const out = new Int8Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ci = 0; ci < c; ci++)
      for (let y = 0; y < h; y++)
        for (let xi = 0; xi < w; xi++) out[((b * h + y) * w + xi) * c + ci] = x[((b * c + ci) * h + y) * w + xi]!;
  return out;
}

/** An MLIR float array literal; every element keeps its exact double value and has a decimal point. */
function floats(values: ArrayLike<number>): string {
  const literal = (v: number): string => {
    const s = String(v);
    if (s.includes(".")) return s;
    return s.includes("e") ? s.replace("e", ".0e") : `${s}.0`;
  };
  return `[${Array.from(values, literal).join(", ")}]`;
}

export function int8ConvStack(options: Int8ConvStackOptions = {}): Int8ConvStack {
  const channels = options.channels ?? 64;
  const size = options.size ?? 56;
  const layers = options.layers ?? RESNET_STAGE_LAYERS;
  const rng = new SeededRandom(options.seed ?? 3);
  const g = new OnnxGraph(`int8_conv_stack_${layers.length}`);
  const input = g.input("x", "int8", [1, channels, size, size]);
  const inputNchw = rng.int8(channels * size * size, -128, 127);
  const lines: string[] = [];
  let c = channels;
  let h = size;
  let w = size;
  let xScale = INPUT_SCALE;
  let x = input;
  let ssa = "%x";
  let macs = 0;
  layers.forEach((layer, i) => {
    const { out, kernel: k, stride, pad } = layer;
    const fanIn = c * k * k;
    // Real weights He-uniform (bound √(6/fanIn)); symmetric per-channel int8 in [−127, 127].
    const bound = Math.sqrt(6 / fanIn);
    const wScale = new Float32Array(out);
    for (let o = 0; o < out; o++) wScale[o] = (bound * (0.75 + 0.25 * rng.next())) / 127;
    const weights = rng.int8(out * fanIn, -127, 127);
    const bias = new Int32Array(out);
    for (let o = 0; o < out; o++) bias[o] = Math.round((0.2 * rng.next() - 0.1) / (xScale * wScale[o]!));
    const oh = windowOutput(h, k, stride, pad, pad);
    const ow = windowOutput(w, k, stride, pad, pad);
    macs += oh * ow * out * fanIn;

    const label = `conv${i}`;
    const y = g.op(
      "QLinearConv",
      [
        x,
        g.scalar(`${label}_x_scale`, new Float32Array([xScale])),
        g.scalar(`${label}_x_zp`, new Int8Array([i === 0 ? 0 : ZERO_POINT])),
        g.initializer(`${label}_w`, [out, c, k, k], weights),
        g.initializer(`${label}_w_scale`, [out], wScale),
        g.initializer(`${label}_w_zp`, [out], new Int8Array(out)),
        g.scalar(`${label}_y_scale`, new Float32Array([OUTPUT_SCALE])),
        g.scalar(`${label}_y_zp`, new Int8Array([ZERO_POINT])),
        g.initializer(`${label}_b`, [out], bias),
      ],
      label,
      { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] },
    );

    // ONNX Runtime's QLinearConv multiplier: x_scale · w_scale[o] / y_scale, in f32.
    const scale = Array.from(wScale, (ws) => Math.fround(Math.fround(Math.fround(xScale) * ws) / Math.fround(OUTPUT_SCALE)));
    const ohwi = nchwToNhwc(weights, out, c, k, k);
    const inType = `tensor<1x${h}x${w}x${c}xi8>`;
    const wType = `tensor<${out}x${k}x${k}x${c}xi8>`;
    const outType = `tensor<1x${oh}x${ow}x${out}xi8>`;
    lines.push(`    %w${i} = "hw.const"() {value = dense<${hex(bytesOf(ohwi))}> : ${wType}} : () -> ${wType}`);
    lines.push(`    %b${i} = "hw.const"() {value = dense<${hex(bytesOf(bias))}> : tensor<${out}xi32>} : () -> tensor<${out}xi32>`);
    lines.push(
      `    %y${i} = "hw.conv2d"(${ssa}, %w${i}, %b${i}) {input_zp = ${i === 0 ? 0 : ZERO_POINT} : i64, output_zp = ${ZERO_POINT} : i64, ` +
        `padding = [${pad}, ${pad}, ${pad}, ${pad}], rounding = "half-even-float", scale = ${floats(scale)}, strides = [${stride}, ${stride}]} : ` +
        `(${inType}, ${wType}, tensor<${out}xi32>) -> ${outType}`,
    );
    x = y;
    ssa = `%y${i}`;
    c = out;
    h = oh;
    w = ow;
    xScale = OUTPUT_SCALE;
  });
  const outputName = x;
  g.output(outputName, "int8", [1, c, h, w]);
  const inType = `tensor<1x${size}x${size}x${channels}xi8>`;
  const outType = `tensor<1x${h}x${w}x${c}xi8>`;
  const mlir = [`module {`, `  func.func @main(%x: ${inType}) -> ${outType} {`, ...lines, `    return ${ssa} : ${outType}`, `  }`, `}`, ``].join("\n");
  const module = parseModule(mlir, { filename: "int8-conv-stack.mlir" });
  const inputNhwc = nchwToNhwc(inputNchw, 1, channels, size, size);
  const [outC, outH, outW] = [c, h, w];
  return {
    onnx: { name: "int8-conv-stack", bytes: g.encode(), inputName: input, inputShape: [1, channels, size, size], inputType: "int8", outputName, outputShape: [1, c, h, w], macs },
    module,
    mlir,
    inputNchw,
    inputNhwc,
    runQopt: () => interpret(module, [{ dtype: "i8", shape: [1, size, size, channels], data: inputNhwc }])[0]!.data as Int8Array,
    toNhwc: (nchw) => nchwToNhwc(nchw, 1, outC, outH, outW),
    note: "qopt runs the hw.conv2d program through the interpreter",
  };
}
