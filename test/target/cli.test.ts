// `qopt targets list | show | validate`, driven through commander as the qopt program will.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { describe, expect, test } from "vitest";
import { parseTargetOption, targetsCommand } from "../../src/cli/targets-command.js";
import { listBuiltinTargets, readTargetFile } from "../../src/target/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Run {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `qopt <args>` with the targets command added as the main program will add it. */
async function qopt(args: string[], cwd?: string): Promise<Run> {
  const run: Run = { code: undefined, stdout: "", stderr: "" };
  const targets = targetsCommand({
    stdout: { write: (s: string) => (run.stdout += s) },
    stderr: { write: (s: string) => (run.stderr += s) },
    setExitCode: (c) => (run.code = c),
    ...(cwd === undefined ? {} : { cwd }),
  });
  // Commander would exit the process on a usage error; make it throw instead.
  for (const c of [targets, ...targets.commands]) c.exitOverride();
  const program = new Command("qopt").exitOverride().addCommand(targets);
  try {
    await program.parseAsync(["node", "qopt", ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    run.code = e.exitCode;
  }
  return run;
}

describe("qopt targets list", () => {
  test("names every built-in with its description", async () => {
    const run = await qopt(["targets", "list"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("Built-in targets:");
    for (const name of listBuiltinTargets()) expect(lines.some((l) => l.startsWith(`  ${name} `))).toBe(true);
    expect(run.stdout).toContain("  npu-pow2-int8    Fixed-function int8 NPU: power-of-two scales");
  });

  test("--json", async () => {
    const run = await qopt(["targets", "list", "--json"]);
    const rows = JSON.parse(run.stdout) as { name: string; description: string }[];
    expect(rows.map((r) => r.name)).toEqual(listBuiltinTargets());
    expect(rows.every((r) => r.description.length > 0)).toBe(true);
  });
});

describe("qopt targets show", () => {
  test("a human-readable summary (golden)", async () => {
    const run = await qopt(["targets", "show", "npu-pow2-int8"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "npu-pow2-int8: Fixed-function int8 NPU: power-of-two scales (requantization is a shift), symmetric activations, conv/fc/add/pool only, no float fallback",
        "schema version 1",
        "",
        "Types",
        "  activations  i8",
        "  weights      i8",
        "  bias         i32",
        "",
        "Quantization",
        "  scales       powers of two only (requantization is a shift; scales round up)",
        "  activations  i8: symmetric (zero point 0), full range [-128, 127]",
        "  weights      i8: symmetric (zero point 0), narrow range [-127, 127]",
        "  granularity  conv2d per-tensor, depthwise_conv2d per-tensor, fully_connected per-tensor",
        "  bias         i8 → i32",
        "  quantize     rounds ties away from zero (as TFLite)",
        "",
        "Requantization",
        "  rounding     single-round: one rounding of the 64-bit product (a rounding shift for power-of-two scales)",
        "  multiplier   none (shift only)",
        "  accumulator  i8 → 32-bit",
        "",
        "Ops (activation×weight, or activation)",
        "  conv2d            i8×i8",
        "  depthwise_conv2d  i8×i8",
        "  fully_connected   i8×i8",
        "  add               i8",
        "  max_pool2d        i8",
        "  avg_pool2d        i8",
        "",
        "Other",
        "  fusions         conv2d+bias, conv2d+bias+relu, depthwise_conv2d+bias, depthwise_conv2d+bias+relu,",
        "                  fully_connected+bias",
        "  sparsity        none (dense only)",
        "  float fallback  not allowed: every op must lower to integer ops",
        "  cost            MACs/cycle i8 1024; 64 bytes/cycle; 20 cycles per op",
        "",
      ].join("\n"),
    );
  });

  test.each(listBuiltinTargets())("every built-in has a summary: %s", async (name) => {
    const run = await qopt(["targets", "show", name]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`${name}: `)).toBe(true);
    for (const heading of ["Types", "Quantization", "Requantization", "Ops (activation×weight, or activation)", "Other"]) expect(run.stdout).toContain(`\n${heading}\n`);
  });

  test("a file by path, with its sparsity", async () => {
    const run = await qopt(["targets", "show", "./targets/examples/acme-npu.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  sparsity        2:4 blocks on fully_connected, conv2d (1x1 kernels); pays from 50% sparsity\n");
    expect(run.stdout).toContain("  float fallback  allowed: ops the target cannot run stay in f16\n");
  });

  test("--json prints the descriptor itself, pointing $schema at the installed schema", async () => {
    const run = await qopt(["targets", "show", "tflite-int8", "--json"]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    const original = JSON.parse(readFileSync(join(root, "targets", "tflite-int8.json"), "utf8")) as Record<string, unknown>;
    expect(printed).toEqual({ ...original, $schema: "./node_modules/qopt/targets/schema.json" });
    expect(Object.keys(printed)[0]).toBe("$schema");
    expect(run.stdout).toContain('    "conv2d": [["i8", "i8"], ["i16", "i8"], ["f32", "i8"]],\n');
  });

  test("--json output is ready to copy, edit and validate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qopt-targets-cli-"));
    for (const name of listBuiltinTargets()) {
      const run = await qopt(["targets", "show", name, "--json"]);
      const copy = join(dir, `${name}-copy.json`);
      writeFileSync(copy, run.stdout.replace(`"name": "${name}"`, `"name": "${name}-copy"`));
      expect(readTargetFile(copy).errors).toEqual([]);
    }
  });

  test("--json of a file keeps the file's own $schema", async () => {
    const run = await qopt(["targets", "show", "./targets/examples/acme-npu.json", "--json"]);
    expect((JSON.parse(run.stdout) as { $schema: string }).$schema).toBe("../schema.json");
  });

  test("an unknown name: the errors on stderr, exit 1", async () => {
    const run = await qopt(["targets", "show", "tflite-int9"]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'unknown target "tflite-int9"; did you mean "tflite-int8"? (built-in targets: dsp-int16, npu-pow2-int8, npu-sparse-int8, onnx-qdq, tflite-int16x8, tflite-int8; for a file, give its path, e.g. ./tflite-int9.json)\n',
    });
  });

  test("a missing argument is commander's usage error, on our stderr", async () => {
    const run = await qopt(["targets", "show"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: missing required argument 'target'");
  });
});

describe("qopt targets validate", () => {
  const dir = mkdtempSync(join(tmpdir(), "qopt-targets-validate-"));
  const example = readFileSync(join(root, "targets", "examples", "acme-npu.json"), "utf8");
  writeFileSync(join(dir, "good.json"), example);
  writeFileSync(join(dir, "my-chip.json"), example.replace('"conv2d": [["i8", "i8"]', '"conv2d": [["i8", "i4"]').replace('"scale": "any"', '"scale": "any", "narowRange": true'));
  writeFileSync(join(dir, "broken.json"), '{ "name": "x", }');

  test("a valid file: ok on stdout, exit 0", async () => {
    const run = await qopt(["targets", "validate", "good.json"], dir);
    expect(run).toEqual({ code: 0, stdout: 'good.json: ok (target "acme-npu")\n', stderr: "" });
  });

  test("an invalid file: every error on stderr, exit 1", async () => {
    const run = await qopt(["targets", "validate", "my-chip.json"], dir);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        'my-chip.json: /quantization: unknown key "narowRange" (allowed: activations, weights, weightGranularity, scale, biasType, quantizeRounding)',
        'my-chip.json: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32',
        "",
      ].join("\n"),
    });
  });

  test("several files: each judged, exit 1 if any fails", async () => {
    const run = await qopt(["targets", "validate", "good.json", "broken.json", "missing.json"], dir);
    expect(run).toEqual({
      code: 1,
      stdout: 'good.json: ok (target "acme-npu")\n',
      stderr: ["broken.json:1:16: invalid JSON: trailing comma before '}'", "missing.json: no such file", "2 of 3 files invalid", ""].join("\n"),
    });
  });

  test("every built-in validates from the command line", async () => {
    const run = await qopt(["targets", "validate", ...listBuiltinTargets().map((n) => `targets/${n}.json`), "targets/examples/acme-npu.json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });
});

describe("parseTargetOption (for --target on other commands)", () => {
  test("returns the loaded target", () => {
    expect(parseTargetOption("dsp-int16").name).toBe("dsp-int16");
  });

  test("a bad target is commander's InvalidArgumentError carrying every message", () => {
    let thrown: unknown;
    try {
      parseTargetOption("./nope.json");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as Error).message).toBe("\n./nope.json: no such file");
  });
});
