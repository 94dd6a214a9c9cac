// Loading by built-in name, by relative path and by object; what comes back.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { isTargetPath, loadTarget, tryLoadTarget, type Target } from "../../src/target/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = JSON.parse(readFileSync(join(root, "targets", "examples", "acme-npu.json"), "utf8")) as Target;

test("names and paths are told apart by their shape", () => {
  for (const name of ["tflite-int8", "npu-pow2-int8", "my_chip.v2"]) expect(isTargetPath(name)).toBe(false);
  for (const path of ["./my-chip.json", "../x.json", "my-chip.json", "chips/my-chip", "C:\\chips\\a.json", ".hidden", "/abs/a.json", "A.JSON"])
    expect(isTargetPath(path)).toBe(true);
});

test("by built-in name", () => {
  const t = loadTarget("onnx-qdq");
  expect(t.name).toBe("onnx-qdq");
  expect(t.$schema).toBe("./schema.json");
});

test("by path relative to the working directory", () => {
  expect(loadTarget("./targets/examples/acme-npu.json").name).toBe("acme-npu");
  expect(loadTarget("targets/examples/acme-npu.json").name).toBe("acme-npu");
});

test("by path relative to a given directory, and by absolute path", () => {
  const dir = mkdtempSync(join(tmpdir(), "qopt-target-load-"));
  writeFileSync(join(dir, "my-chip.json"), JSON.stringify({ ...example, name: "my-chip" }));
  expect(loadTarget("./my-chip.json", { cwd: dir }).name).toBe("my-chip");
  expect(loadTarget(join(dir, "my-chip.json")).name).toBe("my-chip");
});

test("by object literal with the Target type", () => {
  const literal: Target = {
    name: "tiny",
    description: "smallest useful target",
    schemaVersion: 1,
    types: { activations: ["i8"], weights: ["i8"], bias: ["i32"] },
    quantization: {
      activations: { i8: { symmetric: false, narrowRange: false } },
      weights: { i8: { symmetric: true, narrowRange: true } },
      weightGranularity: { default: "per-channel" },
      scale: "any",
      biasType: { i8: "i32" },
      quantizeRounding: "half-away-from-zero",
    },
    requantization: { rounding: "gemmlowp", multiplierBits: 32, accumulatorBits: { i8: 32 } },
    ops: { fully_connected: [["i8", "i8"]], add: [["i8"]] },
    fusions: ["fully_connected+bias+relu"],
    fallback: { allowed: false },
    cost: { macsPerCycle: { i8: 16 }, bytesPerCycle: 8, opOverheadCycles: 10 },
  };
  const loaded = loadTarget(literal);
  expect(loaded).toEqual(literal);
  // The result is a frozen copy: passes can share it, and the caller's object stays theirs.
  expect(loaded).not.toBe(literal);
  expect(Object.isFrozen(loaded)).toBe(true);
  expect(Object.isFrozen(loaded.ops.fully_connected![0])).toBe(true);
  expect(Object.isFrozen(literal)).toBe(false);
});

test("loaded targets are deeply frozen", () => {
  const t = loadTarget("tflite-int8");
  expect(Object.isFrozen(t.quantization.activations.i8)).toBe(true);
  expect(() => {
    (t.types.activations as string[]).push("u8");
  }).toThrow(TypeError);
});

test("tryLoadTarget returns the target or the errors, never throws for a bad descriptor", () => {
  expect(tryLoadTarget("dsp-int16")).toMatchObject({ ok: true, errors: [] });
  expect(tryLoadTarget("./nope.json")).toMatchObject({ ok: false });
});
