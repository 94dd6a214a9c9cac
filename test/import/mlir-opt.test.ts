/**
 * Imported programs are MLIR: mlir-opt-19 (--allow-unregistered-dialect, for the float dialect)
 * accepts them and verifies their quant ops. Skipped with a printed reason when mlir-opt is absent.
 *
 * Known gap: ONNX uint8/uint16 tensors import as `ui8`/`ui16` and `quant.scast` converts between
 * them and `!quant.uniform<u8...>`; MLIR's scast wants signless storage integers (`i8`), so
 * models with unsigned integer graph inputs/outputs or unsigned integer constants feeding
 * DequantizeLinear do not verify in mlir-opt yet (they do in qopt).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printModule } from "../../src/syntax/printer.js";
import { mlirOptAvailable, runMlirOpt } from "../support/mlir-opt.js";
import { buildModel, importVerified, randomTensor, sharedPath, tensor } from "./onnx-model.js";

const available = mlirOptAvailable();
if (!available) console.warn("mlir-opt-19 not found: skipping the import interop tests");

describe.skipIf(!available)("imported programs in mlir-opt-19", () => {
  const accept = (text: string): void => {
    const r = runMlirOpt(text, ["--allow-unregistered-dialect", "--mlir-print-debuginfo"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  };

  it("accepts digits-cnn", () => {
    const module = importVerified(new Uint8Array(readFileSync(sharedPath("models", "digits-cnn", "model.onnx"))));
    accept(printModule(module, { debugInfo: true }));
  });

  it("accepts and verifies a QDQ model with int8 activations and per-axis int8 weights", () => {
    const bytes = buildModel({
      inputs: [{ name: "x", shape: ["N", 3, 6, 6] }],
      outputs: [{ name: "y" }],
      initializers: {
        s: tensor("f32", [], [0.02]),
        z: tensor("i8", [], [-5]),
        w: tensor("i8", [4, 3, 3, 3], Array.from({ length: 108 }, (_, i) => ((i * 37) % 255) - 127)),
        sw: tensor("f32", [4], [0.01, 0.02, 0.03, 0.04]),
        b: randomTensor([4], 1),
      },
      nodes: [
        { op: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["xq"] },
        { op: "DequantizeLinear", inputs: ["xq", "s", "z"], outputs: ["xd"] },
        { op: "DequantizeLinear", inputs: ["w", "sw"], outputs: ["wd"], attrs: { axis: 0 } },
        { op: "Conv", inputs: ["xd", "wd", "b"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
        { op: "QuantizeLinear", inputs: ["c", "s", "z"], outputs: ["cq"] },
        { op: "DequantizeLinear", inputs: ["cq", "s", "z"], outputs: ["y"] },
      ],
    });
    accept(printModule(importVerified(bytes), { debugInfo: true }));
  });
});
