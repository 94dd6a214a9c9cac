/**
 * The trained digits CNN (shared/models/digits-cnn): import, verify, interpret the first 32
 * validation rows and compare with ONNX Runtime and with the stored ORT probabilities.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interp/interpreter.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { readNpyFile } from "../../src/io/npy.js";
import { printModule } from "../../src/syntax/printer.js";
import { diff, expectClose, importVerified, runOrt, sharedPath } from "./onnx-model.js";

const ROWS = 32;

function firstRows(t: Tensor, rows: number): Tensor {
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return makeTensor(t.dtype, [rows, ...t.shape.slice(1)], (t.data as Float32Array).slice(0, rows * per));
}

function argmax(data: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (data[row * width + j]! > data[row * width + best]!) best = j;
  return best;
}

describe("digits-cnn", () => {
  const modelPath = sharedPath("models", "digits-cnn", "model.onnx");
  const bytes = new Uint8Array(readFileSync(modelPath));
  const module = importVerified(bytes, { filename: "model.onnx" });

  it("keeps the ONNX interface and changes layout twice: NCHW → NHWC in, NHWC → NCHW before Flatten", () => {
    const text = printModule(module);
    expect(text).toContain('func.func @main(%arg0: tensor<?x1x8x8xf32> {qopt.name = "input"}) -> (tensor<?x10xf32> {qopt.name = "probs"})');
    // One input channel: NCHW → NHWC moves only a unit dim, so it is a reshape.
    expect(text).toContain('"float.reshape"(%arg0) {shape = [-1, 8, 8, 1]}');
    expect(text.match(/"float\.transpose"/g)?.length).toBe(1);
    expect(text).toContain("tensor<16x3x3x1xf32>"); // conv1 weights OHWI
    expect(text).toContain("tensor<1x3x3x16xf32>"); // depthwise weights [1, KH, KW, C]
    expect(text).toContain('"float.depthwise_conv2d"');
    expect(text).toContain('"float.relu6"');
    expect(text).toContain('"float.batch_norm"');
    expect(text.match(/"float\.fully_connected"/g)?.length).toBe(2);
  });

  it(`matches ONNX Runtime on the first ${ROWS} validation rows`, async () => {
    const val = firstRows(readNpyFile(sharedPath("models", "digits-cnn", "val.npy")), ROWS);
    const [ours] = interpret(module, { input: val });
    const [ref] = await runOrt(bytes, { input: val });
    expectClose(ours!, ref!, "probs");
    const stored = firstRows(readNpyFile(sharedPath("models", "digits-cnn", "val_probs_ort.npy")), ROWS);
    const { maxAbs } = diff(ours!, stored);
    let agree = 0;
    for (let r = 0; r < ROWS; r++) if (argmax(ours!.data as Float32Array, r, 10) === argmax(stored.data as Float32Array, r, 10)) agree++;
    expect(agree).toBe(ROWS);
    expect(maxAbs).toBeLessThan(1e-4);
    console.info(`digits-cnn: max |qopt − ORT| = ${diff(ours!, ref!).maxAbs.toExponential(2)}, vs stored val_probs_ort ${maxAbs.toExponential(2)}, top-1 agreement ${agree}/${ROWS}`);
  });
});
