/**
 * ResNet-50 v1 (He et al. 2015; the architecture of the ONNX backend test's light_resnet50), built as
 * an ONNX model with seeded weights:
 *
 *   conv1 64 7×7/2 pad 3 → BN → relu → maxpool 3×3/2 pad 1
 *   → 3, 4, 6, 3 bottleneck blocks (64, 128, 256, 512 → ×4 channels)
 *   → global avgpool → flatten → Gemm 2048 → 1000
 *
 * Bottleneck (v1: the stride sits on the first 1×1 conv): 1×1/s → BN → relu → 3×3 pad 1 → BN → relu
 * → 1×1 (×4) → BN, plus the shortcut (a 1×1/s projection conv + BN in each stage's first block, the
 * identity otherwise) → Add → relu. Batch norms are separate nodes, as in the exported model.
 *
 * Weights are He-uniform; BN statistics are random around the identity. The BN that closes each
 * residual branch gets a small gamma (0.1–0.3) so that the 16 residual additions grow the activations
 * only mildly (the "zero-init last BN" habit, softened so that every branch still matters).
 */
import { OnnxGraph, windowOutput, type BenchModel } from "./onnx-graph.js";
import { SeededRandom } from "./seeded-random.js";

export interface ResNet50Options {
  /** Input height and width; default 224. */
  readonly size?: number;
  /** Weight seed; default 2. */
  readonly seed?: number;
}

/** [blocks, bottleneck width] per stage; the stage output has 4× the width. */
const STAGES: ReadonlyArray<readonly [number, number]> = [
  [3, 64],
  [4, 128],
  [6, 256],
  [3, 512],
];

interface Shaped {
  readonly name: string;
  readonly channels: number;
  readonly h: number;
  readonly w: number;
}

export function resnet50Model(options: ResNet50Options = {}): BenchModel {
  const size = options.size ?? 224;
  const rng = new SeededRandom(options.seed ?? 2);
  const g = new OnnxGraph(`resnet50v1_${size}`);
  const input = g.input("data", "float", [1, 3, size, size]);
  let macs = 0;

  const conv = (x: Shaped, label: string, out: number, k: number, stride: number, pad: number): Shaped => {
    const fanIn = x.channels * k * k;
    const weight = g.initializer(`${label}_w`, [out, x.channels, k, k], rng.he(out * fanIn, fanIn));
    const h = windowOutput(x.h, k, stride, pad, pad);
    const w = windowOutput(x.w, k, stride, pad, pad);
    macs += h * w * out * fanIn;
    const name = g.op("Conv", [x.name, weight], label, { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] });
    return { name, channels: out, h, w };
  };
  const batchNorm = (x: Shaped, label: string, gamma: readonly [number, number] = [0.8, 1.2]): Shaped => {
    const c = x.channels;
    const scale = g.initializer(`${label}_scale`, [c], rng.uniform(c, gamma[0], gamma[1]));
    const bias = g.initializer(`${label}_bias`, [c], rng.uniform(c, -0.1, 0.1));
    const mean = g.initializer(`${label}_mean`, [c], rng.uniform(c, -0.1, 0.1));
    const variance = g.initializer(`${label}_var`, [c], rng.uniform(c, 0.8, 1.2));
    return { ...x, name: g.op("BatchNormalization", [x.name, scale, bias, mean, variance], label, { epsilon: 1e-5 }) };
  };
  const relu = (x: Shaped, label: string): Shaped => ({ ...x, name: g.op("Relu", [x.name], label) });

  const bottleneck = (x: Shaped, label: string, width: number, stride: number): Shaped => {
    const out = width * 4;
    let y = relu(batchNorm(conv(x, `${label}_branch2a`, width, 1, stride, 0), `${label}_bn2a`), `${label}_relu2a`);
    y = relu(batchNorm(conv(y, `${label}_branch2b`, width, 3, 1, 1), `${label}_bn2b`), `${label}_relu2b`);
    y = batchNorm(conv(y, `${label}_branch2c`, out, 1, 1, 0), `${label}_bn2c`, [0.1, 0.3]);
    const shortcut = x.channels === out && stride === 1 ? x : batchNorm(conv(x, `${label}_branch1`, out, 1, stride, 0), `${label}_bn1`);
    const sum = g.op("Add", [y.name, shortcut.name], `${label}_add`);
    return relu({ ...y, name: sum }, `${label}_relu`);
  };

  let x: Shaped = { name: input, channels: 3, h: size, w: size };
  x = relu(batchNorm(conv(x, "conv1", 64, 7, 2, 3), "bn_conv1"), "conv1_relu");
  x = {
    name: g.op("MaxPool", [x.name], "pool1", { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    channels: x.channels,
    h: windowOutput(x.h, 3, 2, 1, 1),
    w: windowOutput(x.w, 3, 2, 1, 1),
  };
  STAGES.forEach(([blocks, width], s) => {
    for (let b = 0; b < blocks; b++) {
      // Stage 2 keeps the resolution (the max pool already halved it); later stages halve it in block a.
      const stride = b === 0 && s > 0 ? 2 : 1;
      x = bottleneck(x, `res${s + 2}${String.fromCharCode(97 + b)}`, width, stride);
    }
  });
  const pooled = g.op("GlobalAveragePool", [x.name], "pool5");
  const flat = g.op("Flatten", [pooled], "flatten", { axis: 1 });
  const fcWeight = g.initializer("fc1000_w", [1000, 2048], rng.uniform(1000 * 2048, -Math.sqrt(3 / 2048), Math.sqrt(3 / 2048)));
  const fcBias = g.initializer("fc1000_b", [1000], rng.uniform(1000, -0.05, 0.05));
  macs += 2048 * 1000;
  g.node("Gemm", [flat, fcWeight, fcBias], "fc1000", { transB: 1 }, ["fc1000"]);
  g.output("fc1000", "float", [1, 1000]);
  return { name: "resnet50", bytes: g.encode(), inputName: input, inputShape: [1, 3, size, size], inputType: "float", outputName: "fc1000", outputShape: [1, 1000], macs };
}
