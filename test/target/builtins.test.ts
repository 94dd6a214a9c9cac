// Every built-in target validates, is named after its file, and says what its documentation says.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  allowedPairs,
  biasType,
  blockShapes,
  builtinTargetPath,
  floatFallback,
  listBuiltinTargets,
  loadTarget,
  placeOp,
  quantizeRounding,
  readTargetFile,
  requantRounding,
  scaleForm,
  supportedOps,
  supportsFusion,
  supportsOp,
  supportsSparsity,
  weightGranularity,
  zeroPointRange,
  accumulatorBits,
  activationQuantization,
  weightQuantization,
  minSparsity,
  OP_KINDS,
} from "../../src/target/index.js";

const BUILTINS = ["dsp-int16", "npu-pow2-int8", "npu-sparse-int8", "onnx-qdq", "tflite-int16x8", "tflite-int8"];

test("the built-ins are exactly the six documented targets", () => {
  expect(listBuiltinTargets()).toEqual(BUILTINS);
});

describe.each(BUILTINS)("built-in %s", (name) => {
  test("validates against the schema and qopt's rules", () => {
    const result = readTargetFile(builtinTargetPath(name), `targets/${name}.json`);
    expect(result.errors.map((e) => e.text)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  test("is named after its file and points editors at the schema", () => {
    const raw = JSON.parse(readFileSync(builtinTargetPath(name), "utf8")) as { name: string; $schema: string };
    expect(raw.name).toBe(name);
    expect(raw.$schema).toBe("./schema.json");
    expect(loadTarget(name).name).toBe(name);
  });

  test("every op it runs is placed natively at its listed types", () => {
    const t = loadTarget(name);
    for (const kind of supportedOps(t)) {
      for (const entry of allowedPairs(t, kind)) expect(placeOp(t, kind, entry[0], entry[1])).toEqual({ kind: "native" });
    }
  });
});

test("tflite-int8: per-channel int8 conv weights, asymmetric int8 activations, gemmlowp, f32 fallback, 16x8 kernels", () => {
  const t = loadTarget("tflite-int8");
  expect(weightGranularity(t, "conv2d")).toBe("per-channel");
  expect(weightGranularity(t, "depthwise_conv2d")).toBe("per-channel");
  expect(weightGranularity(t, "fully_connected")).toBe("per-tensor");
  expect(activationQuantization(t, "i8")).toEqual({ symmetric: false, narrowRange: false });
  expect(weightQuantization(t, "i8")).toEqual({ symmetric: true, narrowRange: true });
  expect(zeroPointRange(t, "weights", "i8")).toEqual([0, 0]);
  expect(requantRounding(t)).toBe("gemmlowp");
  expect(quantizeRounding(t)).toBe("half-away-from-zero");
  expect(scaleForm(t)).toBe("any");
  expect(floatFallback(t)).toBe("f32");
  // The 16x8 kernels TFLite's CPU has, so mixed precision can pick them per layer.
  for (const kind of ["conv2d", "depthwise_conv2d", "fully_connected"] as const) {
    expect(supportsOp(t, kind, "i8", "i8")).toBe(true);
    expect(supportsOp(t, kind, "i16", "i8")).toBe(true);
  }
  expect(supportsOp(t, "softmax", "i16")).toBe(true);
  expect(activationQuantization(t, "i16")).toEqual({ symmetric: true, narrowRange: false });
  expect(biasType(t, "i8")).toBe("i32");
  expect(biasType(t, "i16")).toBe("i64");
  expect(accumulatorBits(t, "i16")).toBe(64);
  expect(supportsFusion(t, "conv2d+bias+relu6")).toBe(true);
  expect(blockShapes(t)).toEqual([]);
});

test("tflite-int16x8: int16 symmetric activations, int8 weights, int64 bias", () => {
  const t = loadTarget("tflite-int16x8");
  expect(t.types).toEqual({ activations: ["i16"], weights: ["i8"], bias: ["i64"] });
  expect(activationQuantization(t, "i16")).toEqual({ symmetric: true, narrowRange: false });
  expect(zeroPointRange(t, "activations", "i16")).toEqual([0, 0]);
  expect(biasType(t, "i16")).toBe("i64");
  expect(accumulatorBits(t, "i16")).toBe(64);
  expect(supportsOp(t, "conv2d", "i16", "i8")).toBe(true);
  expect(supportsOp(t, "conv2d", "i8", "i8")).toBe(false);
  expect(requantRounding(t)).toBe("gemmlowp");
});

test("onnx-qdq: u8 asymmetric activations, i8 symmetric per-channel weights, half-even everywhere", () => {
  const t = loadTarget("onnx-qdq");
  expect(t.types.activations).toContain("u8");
  expect(activationQuantization(t, "u8")).toEqual({ symmetric: false, narrowRange: false });
  expect(zeroPointRange(t, "activations", "u8")).toEqual([0, 255]);
  expect(weightQuantization(t, "i8")?.symmetric).toBe(true);
  expect(weightGranularity(t, "conv2d")).toBe("per-channel");
  expect(weightGranularity(t, "fully_connected")).toBe("per-channel");
  expect(requantRounding(t)).toBe("half-even-float");
  expect(quantizeRounding(t)).toBe("half-to-even");
  expect(supportsOp(t, "conv2d", "u8", "i8")).toBe(true);
  expect(supportsOp(t, "conv2d", "i8", "u8")).toBe(false);
  expect(floatFallback(t)).toBe("f32");
});

test("npu-pow2-int8: power-of-two scales, symmetric activations, conv/fc/add/pool only, no fallback", () => {
  const t = loadTarget("npu-pow2-int8");
  expect(scaleForm(t)).toBe("power-of-two");
  expect(activationQuantization(t, "i8")?.symmetric).toBe(true);
  expect(floatFallback(t)).toBeUndefined();
  expect(supportedOps(t)).toEqual(["conv2d", "depthwise_conv2d", "fully_connected", "add", "max_pool2d", "avg_pool2d"]);
  expect(supportsFusion(t, "conv2d+bias+relu")).toBe(true);
  expect(supportsFusion(t, "conv2d+bias+relu6")).toBe(false);
  expect(supportsFusion(t, "add+relu")).toBe(false);
  expect(t.requantization.multiplierBits).toBeUndefined();
  expect(placeOp(t, "softmax", "i8")).toEqual({
    kind: "unsupported",
    reason: 'target "npu-pow2-int8" does not run softmax, and allows no float fallback',
  });
});

test("dsp-int16: int16 activations for every op, power-of-two scales", () => {
  const t = loadTarget("dsp-int16");
  expect(scaleForm(t)).toBe("power-of-two");
  expect(t.types.activations).toEqual(["i16"]);
  for (const kind of supportedOps(t)) for (const entry of allowedPairs(t, kind)) expect(entry[0]).toBe("i16");
  expect(supportedOps(t).length).toBe(OP_KINDS.length);
  expect(supportsOp(t, "conv2d", "i16", "i8")).toBe(true);
  expect(supportsOp(t, "conv2d", "i16", "i16")).toBe(true);
  expect(accumulatorBits(t, "i16")).toBe(40);
});

test("npu-sparse-int8: 1x16 block-sparse fully connected and 1x1 conv2d", () => {
  const t = loadTarget("npu-sparse-int8");
  expect(blockShapes(t)).toEqual(["1x16"]);
  expect(blockShapes(t, "fully_connected")).toEqual(["1x16"]);
  expect(blockShapes(t, "depthwise_conv2d")).toEqual([]);
  expect(minSparsity(t)).toBe(0.5);
  expect(supportsSparsity(t, "fully_connected", "1x16")).toBe(true);
  expect(supportsSparsity(t, "conv2d", "1x16", [1, 1])).toBe(true);
  expect(supportsSparsity(t, "conv2d", "1x16", [3, 3])).toBe(false);
  expect(supportsSparsity(t, "conv2d", "1x16")).toBe(false);
  expect(supportsSparsity(t, "fully_connected", "2:4")).toBe(false);
  expect(floatFallback(t)).toBe("f16");
});

test("built-in files are found relative to the package root, not the working directory", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  expect(builtinTargetPath("tflite-int8")).toBe(join(root, "targets", "tflite-int8.json"));
});
