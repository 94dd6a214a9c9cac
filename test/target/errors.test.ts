// Every way a descriptor can be wrong, with the exact message a vendor sees (golden text).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { FUSION_PATTERNS, loadTarget, readTargetFile, TargetLoadError, tryLoadTarget, validateTarget, type Target } from "../../src/target/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const examplePath = join(root, "targets", "examples", "acme-npu.json");
const exampleText = readFileSync(examplePath, "utf8");
const SOURCE = "targets/my-chip.json";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A fresh copy of the complete vendor example, the valid base every case breaks in one place. */
function base(): { [key: string]: Json } {
  return JSON.parse(exampleText) as { [key: string]: Json };
}

/** The container and last key of a JSON pointer inside `doc`. */
function locate(doc: Json, pointer: string): [Record<string, Json> | Json[], string] {
  const parts = pointer.split("/").slice(1);
  let node = doc;
  for (const p of parts.slice(0, -1)) node = (node as Record<string, Json>)[p]!;
  return [node as Record<string, Json>, parts[parts.length - 1]!];
}

function set(doc: Json, pointer: string, value: Json): void {
  const [container, key] = locate(doc, pointer);
  (container as Record<string, Json>)[key] = value;
}

function remove(doc: Json, pointer: string): void {
  const [container, key] = locate(doc, pointer);
  delete (container as Record<string, Json>)[key];
}

type Edit = readonly ["set", string, Json] | readonly ["remove", string];

function messages(...edits: Edit[]): string[] {
  const doc = base();
  for (const edit of edits) {
    if (edit[0] === "set") set(doc, edit[1], edit[2]);
    else remove(doc, edit[1]);
  }
  return validateTarget(doc, SOURCE).errors.map((e) => e.text);
}

test("the base example is valid, so each case below fails for its own reason only", () => {
  expect(messages()).toEqual([]);
});

describe("schema errors", () => {
  test.each<[string, Edit[], string[]]>([
    ["a type name that does not exist", [["set", "/ops/conv2d/0/1", "i4"]], [`${SOURCE}: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32`]],
    [
      "a misspelt key",
      [["set", "/quantization/narowRange", true]],
      [`${SOURCE}: /quantization: unknown key "narowRange" (allowed: activations, weights, weightGranularity, scale, biasType, quantizeRounding)`],
    ],
    [
      "a misspelt top-level key",
      [["set", "/sparsty", {}]],
      [`${SOURCE}: /: unknown key "sparsty" (allowed: $schema, name, description, schemaVersion, types, quantization, requantization, ops, fusions, sparsity, fallback, cost)`],
    ],
    [
      "an op kind qopt does not know",
      [["set", "/ops/conv3d", [["i8", "i8"]]]],
      [
        `${SOURCE}: /ops: unknown key "conv3d" (allowed: conv2d, depthwise_conv2d, fully_connected, matmul, add, sub, mul, max_pool2d, avg_pool2d, mean, softmax, sigmoid, tanh, relu, relu6, clamp, concat, reshape, transpose, pad)`,
      ],
    ],
    [
      "an unknown key in tensor rules",
      [["set", "/quantization/weights/i8/perChannel", true]],
      [`${SOURCE}: /quantization/weights/i8: unknown key "perChannel" (allowed: symmetric, narrowRange, zeroPointRange)`],
    ],
    ["a missing nested key", [["remove", "/requantization/rounding"]], [`${SOURCE}: /requantization: missing required key "rounding"`]],
    ["a missing top-level key", [["remove", "/name"]], [`${SOURCE}: /: missing required key "name"`]],
    ["a string for a number", [["set", "/cost/bytesPerCycle", "fast"]], [`${SOURCE}: /cost/bytesPerCycle: expected a number, got "fast"`]],
    ["a string for an object", [["set", "/types", "i8"]], [`${SOURCE}: /types: expected an object, got "i8"`]],
    ["a string for a boolean", [["set", "/fallback/allowed", "yes"]], [`${SOURCE}: /fallback/allowed: expected true or false, got "yes"`]],
    ["a fraction for an integer", [["set", "/requantization/accumulatorBits/i8", 32.5]], [`${SOURCE}: /requantization/accumulatorBits/i8: expected an integer, got 32.5`]],
    ["null for an object", [["set", "/sparsity", null]], [`${SOURCE}: /sparsity: expected an object, got null`]],
    ["an object for an array", [["set", "/fusions", {}]], [`${SOURCE}: /fusions: expected an array, got an object`]],
    ["a number where a type name goes (no enum error on top)", [["set", "/types/activations/0", 5]], [`${SOURCE}: /types/activations/0: expected a string, got 5`]],
    ["an unsupported schema version", [["set", "/schemaVersion", 2]], [`${SOURCE}: /schemaVersion: expected 1, got 2`]],
    [
      "a name with spaces and capitals",
      [["set", "/name", "My Chip"]],
      [`${SOURCE}: /name: "My Chip" is not a valid name (lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)`],
    ],
    ["an empty description", [["set", "/description", ""]], [`${SOURCE}: /description: must not be empty`]],
    ["a weighted op entry without its weight type", [["set", "/ops/conv2d/0", ["i8"]]], [`${SOURCE}: /ops/conv2d/0: conv2d entries are [activation, weight], got 1 type`]],
    ["a weighted op entry with three types", [["set", "/ops/fully_connected/0", ["i8", "i8", "i8"]]], [`${SOURCE}: /ops/fully_connected/0: fully_connected entries are [activation, weight], got 3 types`]],
    ["an op without weights given a weight type", [["set", "/ops/add/0", ["i8", "i8"]]], [`${SOURCE}: /ops/add/0: add entries are [activation] (add has no weight), got 2 types`]],
    ["an op with no entries", [["set", "/ops/mul", []]], [`${SOURCE}: /ops/mul: expected at least 1 item, got 0`]],
    ["a zero-point range with one bound", [["set", "/quantization/activations/i16/zeroPointRange", [1]]], [`${SOURCE}: /quantization/activations/i16/zeroPointRange: expected exactly 2 items, got 1`]],
    ["an empty type list", [["set", "/types/weights", []]], [`${SOURCE}: /types/weights: expected at least 1 item, got 0`]],
    ["a type listed twice", [["set", "/types/activations", ["i8", "i16", "i8"]]], [`${SOURCE}: /types/activations: "i8" is listed twice (items 0 and 2)`]],
    ["an op pair listed twice", [["set", "/ops/conv2d", [["i8", "i8"], ["i16", "i8"], ["i8", "i8"]]]], [`${SOURCE}: /ops/conv2d: ["i8","i8"] is listed twice (items 0 and 2)`]],
    ["no ops at all", [["set", "/ops", {}]], [`${SOURCE}: /ops: expected at least 1 key, got none`]],
    ["an accumulator narrower than the schema allows", [["set", "/requantization/accumulatorBits/i8", 8]], [`${SOURCE}: /requantization/accumulatorBits/i8: expected at least 16, got 8`]],
    ["an accumulator wider than the schema allows", [["set", "/requantization/accumulatorBits/i8", 128]], [`${SOURCE}: /requantization/accumulatorBits/i8: expected at most 64, got 128`]],
    ["zero bandwidth", [["set", "/cost/bytesPerCycle", 0]], [`${SOURCE}: /cost/bytesPerCycle: expected more than 0, got 0`]],
    ["a sparsity threshold of 100%", [["set", "/sparsity/minSparsity", 1]], [`${SOURCE}: /sparsity/minSparsity: expected less than 1, got 1`]],
    ["a negative per-op overhead", [["set", "/cost/opOverheadCycles", -1]], [`${SOURCE}: /cost/opOverheadCycles: expected at least 0, got -1`]],
    ["float fallback without its float type", [["set", "/fallback", { allowed: true }]], [`${SOURCE}: /fallback: missing required key "floatType"`]],
    ["a float fallback type that is not a float", [["set", "/fallback/floatType", "i8"]], [`${SOURCE}: /fallback/floatType: "i8" is not one of f16, f32`]],
    ["a multiplier width qopt cannot emit", [["set", "/requantization/multiplierBits", 24]], [`${SOURCE}: /requantization/multiplierBits: 24 is not one of 16, 32`]],
    [
      "an unknown rounding mode",
      [["set", "/requantization/rounding", "round-half-up"]],
      [`${SOURCE}: /requantization/rounding: "round-half-up" is not one of gemmlowp, single-round, double-round, half-even-float`],
    ],
    ["an unknown quantize rounding", [["set", "/quantization/quantizeRounding", "half-up"]], [`${SOURCE}: /quantization/quantizeRounding: "half-up" is not one of half-away-from-zero, half-to-even`]],
    ["an unknown scale form", [["set", "/quantization/scale", "pow2"]], [`${SOURCE}: /quantization/scale: "pow2" is not one of any, power-of-two`]],
    ["an unknown granularity", [["set", "/quantization/weightGranularity/default", "per-axis"]], [`${SOURCE}: /quantization/weightGranularity/default: "per-axis" is not one of per-channel, per-tensor`]],
    ["an unknown bias type", [["set", "/quantization/biasType/i8", "i16"]], [`${SOURCE}: /quantization/biasType/i8: "i16" is not one of i32, i64`]],
    ["an unknown fusion", [["set", "/fusions/0", "conv2d+relu"]], [`${SOURCE}: /fusions/0: "conv2d+relu" is not one of ${FUSION_PATTERNS.join(", ")}`]],
    ["an unknown block shape", [["set", "/sparsity/blockShapes/0", "1x3"]], [`${SOURCE}: /sparsity/blockShapes/0: "1x3" is not one of 1x4, 1x8, 1x16, 4x1, 8x1, 16x1, 2x2, 4x4, 2:4, 4:8`]],
    ["a sparse op without weights", [["set", "/sparsity/ops/0/op", "add"]], [`${SOURCE}: /sparsity/ops/0/op: "add" is not one of conv2d, depthwise_conv2d, fully_connected, matmul`]],
  ])("%s", (_name, edits, expected) => {
    expect(messages(...edits)).toEqual(expected);
  });

  test("all problems are reported at once", () => {
    expect(messages(["set", "/ops/conv2d/0/1", "i4"], ["remove", "/requantization/rounding"], ["set", "/quantization/narowRange", true])).toEqual([
      `${SOURCE}: /quantization: unknown key "narowRange" (allowed: activations, weights, weightGranularity, scale, biasType, quantizeRounding)`,
      `${SOURCE}: /requantization: missing required key "rounding"`,
      `${SOURCE}: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32`,
    ]);
  });

  test("cross-field rules wait until the schema passes (no follow-on noise)", () => {
    // "i4" would also fail the "listed in /types/activations" rule; only the schema error shows.
    expect(messages(["set", "/ops/conv2d/0/0", "i4"])).toEqual([`${SOURCE}: /ops/conv2d/0/0: "i4" is not one of i8, u8, i16, f16, f32`]);
  });
});

describe("cross-field errors", () => {
  test.each<[string, Edit[], string[]]>([
    ["an op pair with an activation type the target does not store", [["set", "/ops/conv2d/0/0", "u8"]], [`${SOURCE}: /ops/conv2d/0/0: "u8" is not listed in /types/activations (i8, i16)`]],
    ["an op pair with a weight type the target does not store", [["set", "/ops/conv2d/1/1", "i16"]], [`${SOURCE}: /ops/conv2d/1/1: "i16" is not listed in /types/weights (i8)`]],
    ["an unweighted op with an unlisted type", [["set", "/ops/add/1/0", "f32"]], [`${SOURCE}: /ops/add/1/0: "f32" is not listed in /types/activations (i8, i16)`]],
    [
      "an integer activation type without quantization rules",
      [["remove", "/quantization/activations/i16"]],
      [`${SOURCE}: /quantization/activations: missing required key "i16" (i16 is in /types/activations)`],
    ],
    [
      "quantization rules for a type the target does not have",
      [["set", "/quantization/activations/u8", { symmetric: false, narrowRange: false }]],
      [`${SOURCE}: /quantization/activations/u8: "u8" is not an integer type in /types/activations (i8, i16)`],
    ],
    ["an integer weight type without rules", [["set", "/quantization/weights", {}]], [`${SOURCE}: /quantization/weights: missing required key "i8" (i8 is in /types/weights)`]],
    ["a missing bias type", [["remove", "/quantization/biasType/i16"]], [`${SOURCE}: /quantization/biasType: missing required key "i16" (i16 is in /types/activations)`]],
    ["a bias type not in /types/bias", [["set", "/quantization/biasType/i16", "i64"], ["set", "/requantization/accumulatorBits/i16", 64]], [`${SOURCE}: /quantization/biasType/i16: "i64" is not listed in /types/bias (i32)`]],
    [
      "an accumulator narrower than the bias",
      [["set", "/types/bias", ["i32", "i64"]], ["set", "/quantization/biasType/i16", "i64"]],
      [`${SOURCE}: /requantization/accumulatorBits/i16: a 48-bit accumulator cannot hold the i64 bias of /quantization/biasType/i16`],
    ],
    ["a missing accumulator width", [["remove", "/requantization/accumulatorBits/i8"]], [`${SOURCE}: /requantization/accumulatorBits: missing required key "i8" (i8 is in /types/activations)`]],
    [
      "no multiplier width for arbitrary scales",
      [["remove", "/requantization/multiplierBits"]],
      [`${SOURCE}: /requantization: missing required key "multiplierBits" (needed when /quantization/scale is "any")`],
    ],
    [
      "a zero-point range on a symmetric type",
      [["set", "/quantization/weights/i8/zeroPointRange", [-1, 1]]],
      [`${SOURCE}: /quantization/weights/i8/zeroPointRange: a symmetric type has a fixed zero point; remove zeroPointRange or set symmetric to false`],
    ],
    ["a zero-point range outside the storage range", [["set", "/quantization/activations/i8/zeroPointRange", [0, 300]]], [`${SOURCE}: /quantization/activations/i8/zeroPointRange: [0, 300] is not within i8's range [-128, 127]`]],
    ["an empty zero-point range", [["set", "/quantization/activations/i16/zeroPointRange", [5, 3]]], [`${SOURCE}: /quantization/activations/i16/zeroPointRange: [5, 3] is empty: the first value must not exceed the second`]],
    ["a weight granularity for an op the target does not run", [["set", "/quantization/weightGranularity/matmul", "per-tensor"]], [`${SOURCE}: /quantization/weightGranularity/matmul: matmul is not in /ops`]],
    ["a fusion of an op the target does not run", [["set", "/fusions/4", "sub+relu"]], [`${SOURCE}: /fusions/4: "sub+relu" needs sub, which is not in /ops`]],
    ["a sparse kernel for an op the target does not run", [["set", "/sparsity/ops/0/op", "matmul"]], [`${SOURCE}: /sparsity/ops/0/op: "matmul" is not in /ops`]],
    [
      "a kernel size on an op without a spatial kernel",
      [["set", "/sparsity/ops/0/kernel", [1, 1]]],
      [`${SOURCE}: /sparsity/ops/0/kernel: fully_connected has no spatial kernel; kernel applies to conv2d and depthwise_conv2d only`],
    ],
    [
      "a float type while float fallback is off",
      [["set", "/fallback/allowed", false]],
      [`${SOURCE}: /fallback/floatType: float islands are not allowed (/fallback/allowed is false); remove floatType or allow fallback`],
    ],
    ["no cost for an activation type", [["remove", "/cost/macsPerCycle/i16"]], [`${SOURCE}: /cost/macsPerCycle: missing required key "i16" (i16 is in /types/activations)`]],
    ["no cost for the fallback float type", [["remove", "/cost/macsPerCycle/f16"]], [`${SOURCE}: /cost/macsPerCycle: missing required key "f16" (f16 is /fallback/floatType)`]],
  ])("%s", (_name, edits, expected) => {
    expect(messages(...edits)).toEqual(expected);
  });
});

describe("file errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "qopt-target-errors-"));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  test("a path that does not exist says so", () => {
    expect(tryLoadTarget("./missing.json", { cwd: dir }).errors.map((e) => e.text)).toEqual(["./missing.json: no such file"]);
  });

  test("a directory is not a descriptor", () => {
    expect(readTargetFile(dir, "targets/examples").errors.map((e) => e.text)).toEqual(["targets/examples: is a directory, not a JSON file"]);
  });

  test("malformed JSON gives file:line:col", () => {
    const name = write("trailing.json", '{\n  "name": "x",\n  "schemaVersion": 1,\n}\n');
    const errors = tryLoadTarget(`./${name}`, { cwd: dir }).errors;
    expect(errors.map((e) => e.text)).toEqual(["./trailing.json:4:1: invalid JSON: trailing comma before '}'"]);
    expect(errors[0]).toMatchObject({ line: 4, column: 1, message: "invalid JSON: trailing comma before '}'" });
  });

  test("an empty file", () => {
    write("empty.json", "");
    expect(tryLoadTarget("./empty.json", { cwd: dir }).errors.map((e) => e.text)).toEqual(["./empty.json:1:1: invalid JSON: the file is empty"]);
  });

  test("a duplicate key is an error, not a silent overwrite", () => {
    const text = exampleText.replace('"scale": "any",', '"scale": "any",\n    "scale": "power-of-two",');
    write("duplicate.json", text);
    const line = text.split("\n").findIndex((l) => l.includes('"power-of-two"')) + 1;
    expect(tryLoadTarget("./duplicate.json", { cwd: dir }).errors.map((e) => e.text)).toEqual([`./duplicate.json:${line}:5: /quantization: duplicate key "scale"`]);
  });

  test("schema errors from a file carry the line and column of the bad value", () => {
    const text = exampleText.replace('"conv2d": [["i8", "i8"], ["i16", "i8"]]', '"conv2d": [["i8", "i4"], ["i16", "i8"]]');
    write("bad-type.json", text);
    const line = text.split("\n").findIndex((l) => l.includes('"i4"')) + 1;
    const column = text.split("\n")[line - 1]!.indexOf('"i4"') + 1;
    const result = readTargetFile(join(dir, "bad-type.json"), SOURCE);
    expect(result.errors).toEqual([
      {
        source: SOURCE,
        pointer: "/ops/conv2d/0/1",
        line,
        column,
        message: '"i4" is not one of i8, u8, i16, f16, f32',
        text: `${SOURCE}: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32`,
      },
    ]);
  });

  test("an unknown key from a file is located at the key's value", () => {
    const text = exampleText.replace('"scale": "any",', '"scale": "any",\n    "narowRange": true,');
    write("typo.json", text);
    const line = text.split("\n").findIndex((l) => l.includes("narowRange")) + 1;
    expect(readTargetFile(join(dir, "typo.json"), SOURCE).errors[0]).toMatchObject({ pointer: "/quantization", line, column: 19 });
  });

  test("errors in a file are listed in file order", () => {
    const text = exampleText.replace('"scale": "any"', '"scale": "pow2"').replace('"name": "acme-npu"', '"name": "ACME"');
    write("two.json", text);
    expect(readTargetFile(join(dir, "two.json"), SOURCE).errors.map((e) => e.pointer)).toEqual(["/name", "/quantization/scale"]);
  });
});

describe("names and exceptions", () => {
  test("an unknown built-in name lists the built-ins and suggests the closest", () => {
    expect(tryLoadTarget("tflite-int9").errors.map((e) => e.text)).toEqual([
      'unknown target "tflite-int9"; did you mean "tflite-int8"? (built-in targets: dsp-int16, npu-pow2-int8, npu-sparse-int8, onnx-qdq, tflite-int16x8, tflite-int8; for a file, give its path, e.g. ./tflite-int9.json)',
    ]);
  });

  test("a name close to nothing gets no suggestion", () => {
    expect(tryLoadTarget("gpu").errors.map((e) => e.text)).toEqual([
      'unknown target "gpu" (built-in targets: dsp-int16, npu-pow2-int8, npu-sparse-int8, onnx-qdq, tflite-int16x8, tflite-int8; for a file, give its path, e.g. ./gpu.json)',
    ]);
  });

  test("loadTarget throws TargetLoadError holding every error, one per line", () => {
    const doc = base();
    set(doc, "/ops/conv2d/0/1", "i4");
    remove(doc, "/requantization/rounding");
    let thrown: unknown;
    try {
      loadTarget(doc as unknown as Target);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TargetLoadError);
    const error = thrown as TargetLoadError;
    expect(error.message).toBe(
      ['<object>: /requantization: missing required key "rounding"', '<object>: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32'].join("\n"),
    );
    expect(error.errors).toHaveLength(2);
  });

  test("validateTarget names in-memory descriptors <object> by default", () => {
    expect(validateTarget({}).errors.map((e) => e.text)[0]).toBe('<object>: /: missing required key "name"');
  });

  test("a value that is not an object at all", () => {
    expect(validateTarget([1, 2], SOURCE).errors.map((e) => e.text)).toEqual([`${SOURCE}: /: expected an object, got an array`]);
  });
});
