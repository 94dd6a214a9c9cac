/**
 * SqueezeNet 1.0 (Iandola et al. 2016; the architecture of the ONNX backend test's light_squeezenet
 * and the model-zoo squeezenet1.0), built as an ONNX model with seeded He-uniform weights:
 *
 *   conv1 96 7×7/2 → relu → maxpool 3×3/2 → fire2..4 → maxpool → fire5..8 → maxpool → fire9
 *   → conv10 1000 1×1 → relu → global avgpool → flatten → softmax
 *
 * A fire module is squeeze (1×1, s channels) → relu → [expand 1×1 (e), expand 3×3 pad 1 (e)] → relu
 * → concat on channels. Max pools use ceil mode, as the Caffe original does (so 224 → 109 → 54 →
 * 27 → 13). Dropout is omitted (identity at inference).
 */
import { OnnxGraph, windowOutput, type BenchModel } from "./onnx-graph.js";
import { SeededRandom } from "./seeded-random.js";

export interface SqueezeNetOptions {
  /** Input height and width; default 224. Smaller sizes give quick test models (≥ 35). */
  readonly size?: number;
  /** Weight seed; default 1. */
  readonly seed?: number;
}

/** [squeeze, expand] channels of fire2 … fire9. */
const FIRES: ReadonlyArray<readonly [number, number]> = [
  [16, 64],
  [16, 64],
  [32, 128],
  [32, 128],
  [48, 192],
  [48, 192],
  [64, 256],
  [64, 256],
];

export function squeezenetModel(options: SqueezeNetOptions = {}): BenchModel {
  const size = options.size ?? 224;
  const rng = new SeededRandom(options.seed ?? 1);
  const g = new OnnxGraph(`squeezenet1.0_${size}`);
  const input = g.input("data", "float", [1, 3, size, size]);
  let channels = 3;
  let h = size;
  let w = size;
  let macs = 0;

  const conv = (x: string, label: string, out: number, k: number, stride: number, pad: number): string => {
    const fanIn = channels * k * k;
    const weight = g.initializer(`${label}_w`, [out, channels, k, k], rng.he(out * fanIn, fanIn));
    const bias = g.initializer(`${label}_b`, [out], rng.uniform(out, -0.05, 0.05));
    const oh = windowOutput(h, k, stride, pad, pad);
    const ow = windowOutput(w, k, stride, pad, pad);
    macs += oh * ow * out * fanIn;
    return g.op("Conv", [x, weight, bias], label, { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] });
  };
  /** conv → relu, updating the running shape. */
  const convRelu = (x: string, label: string, out: number, k: number, stride: number, pad: number): string => {
    const y = conv(x, label, out, k, stride, pad);
    return g.op("Relu", [y], `${label}_relu`);
  };
  const advance = (out: number, k: number, stride: number, pad: number, ceil = false): void => {
    channels = out;
    h = windowOutput(h, k, stride, pad, pad, ceil);
    w = windowOutput(w, k, stride, pad, pad, ceil);
  };
  const maxPool = (x: string, label: string): string => {
    const y = g.op("MaxPool", [x], label, { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    advance(channels, 3, 2, 0, true);
    return y;
  };
  const fire = (x: string, index: number, squeeze: number, expand: number): string => {
    const label = `fire${index}`;
    const s = convRelu(x, `${label}_squeeze1x1`, squeeze, 1, 1, 0);
    channels = squeeze;
    const e1 = convRelu(s, `${label}_expand1x1`, expand, 1, 1, 0);
    const e3 = convRelu(s, `${label}_expand3x3`, expand, 3, 1, 1);
    channels = 2 * expand;
    return g.op("Concat", [e1, e3], `${label}_concat`, { axis: 1 });
  };

  let x = convRelu(input, "conv1", 96, 7, 2, 0);
  advance(96, 7, 2, 0);
  x = maxPool(x, "pool1");
  FIRES.forEach(([squeeze, expand], i) => {
    const index = i + 2;
    x = fire(x, index, squeeze, expand);
    // Pools follow fire4 and fire8.
    if (index === 4) x = maxPool(x, "pool3");
    if (index === 8) x = maxPool(x, "pool5");
  });
  x = convRelu(x, "conv10", 1000, 1, 1, 0);
  channels = 1000;
  x = g.op("GlobalAveragePool", [x], "pool10");
  x = g.op("Flatten", [x], "flatten", { axis: 1 });
  g.node("Softmax", [x], "softmax", { axis: 1 }, ["prob"]);
  g.output("prob", "float", [1, 1000]);
  return { name: "squeezenet", bytes: g.encode(), inputName: input, inputShape: [1, 3, size, size], inputType: "float", outputName: "prob", outputShape: [1, 1000], macs };
}
