/** `qopt compare` through its commander command with injected output: golden lines, JSON and errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/registry.js";
import { compareCommand } from "../../src/cli/compare-command.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printModule } from "../../src/syntax/printer.js";
import { PassManager } from "../../src/pass/manager.js";
import { calibrate, propagateRanges, nudgeZeroPoint, quantize } from "../../passes/index.js";
import { makeTensor } from "../../src/interp/tensor.js";
import { writeNpyFile } from "../../src/io/npy.js";

// Files are named relative to a scratch directory (the working directory while these tests run), so
// that the printed locations and table widths do not depend on where the system keeps temporary files.
const dir = mkdtempSync(join(tmpdir(), "qopt-compare-"));
const cwd = process.cwd();
beforeAll(() => process.chdir(dir));
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});
const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** y = x·w + 10, with w = [1, 2, 3, last]: B differs from A in the last weight only. */
function program(last: string): string {
  return `// A two-op classifier head.
func.func @main(%x: tensor<2x4xf32> {qopt.name = "x"}) -> (tensor<2x4xf32> {qopt.name = "y"}) {
  %w = "float.const"() {value = dense<[1.0, 2.0, 3.0, ${last}]> : tensor<4xf32>} : () -> tensor<4xf32>
  %c = "float.const"() {value = dense<10.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%x, %w) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %y = "float.add"(%m, %c) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
`;
}

const fileA = "a.mlir";
const fileB = "b.mlir";
const fileX = "x.npy";
writeFileSync(join(dir, fileA), program("4.0"));
writeFileSync(join(dir, fileB), program("3.0"));
writeNpyFile(join(dir, fileX), makeTensor("f32", [2, 4], Float32Array.from([1, 1, 1, 1, 4, 3, 2, 1])));

async function compare(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const saved = process.exitCode;
  try {
    await compareCommand({ stdout: (t) => (out += t), stderr: (t) => (err += t) })
      .exitOverride()
      .configureOutput({ writeErr: (t) => (err += t) })
      .parseAsync(args, { from: "user" });
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.exitCode = saved;
  }
}

describe("qopt compare", () => {
  it("prints SQNR, max/mean abs error and top-1 agreement per output", async () => {
    // A: [[11, 12, 13, 14], [14, 16, 16, 14]]; B: [[11, 12, 13, 13], [14, 16, 16, 13]].
    // Signal 1534, noise 2 → 10·log10(767) = 28.85 dB; row 0's argmax moves (3 → 2), row 1's stays.
    const r = await compare(fileA, fileB, "--input", `x=${fileX}`);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe("output 0 'y' [2, 4]: SQNR 28.85 dB  max abs 1  mean abs 0.25  top-1 50%\n");
  });

  it("--per-layer prints matching tensors worst SQNR first", async () => {
    const r = await compare(fileA, fileB, "--input", fileX, "--per-layer");
    expect(r.code).toBe(0);
    // The mul's error is the same as the add's, on a smaller signal (134 vs 1534): 10·log10(67) = 18.26 dB.
    expect(r.out.split("\n")).toEqual([
      "output 0 'y' [2, 4]: SQNR 28.85 dB  max abs 1  mean abs 0.25  top-1 50%",
      "",
      "per layer, worst SQNR first (2 tensors):",
      "  SQNR dB  max abs  mean abs  top-1  op         location    matched",
      "    18.26        1      0.25    50%  float.mul  a.mlir:5:3  by order",
      "    28.85        1      0.25    50%  float.add  a.mlir:6:3  by order",
      "",
    ]);
  });

  it("--json prints the same numbers, with Infinity for identical tensors", async () => {
    const same = await compare(fileA, fileA, "--input", `x=${fileX}`, "--per-layer", "--json");
    expect(same.code).toBe(0);
    const parsed = JSON.parse(same.out) as { outputs: Record<string, unknown>[]; layers: Record<string, unknown>[]; unmatched: unknown[] };
    expect(parsed.outputs).toEqual([{ index: 0, name: "y", shape: [2, 4], sqnrDb: "Infinity", maxAbsError: 0, meanAbsError: 0, elements: 8, top1Agreement: 100 }]);
    expect(parsed.layers.map((l) => [l["op"], l["location"], l["matchedBy"], l["sqnrDb"]])).toEqual([
      ["float.mul", "a.mlir:5:3", "location", "Infinity"],
      ["float.add", "a.mlir:6:3", "location", "Infinity"],
    ]);
    expect(parsed.unmatched).toEqual([]);
    const diff = JSON.parse((await compare(fileA, fileB, "--input", `x=${fileX}`, "--json")).out) as { outputs: { sqnrDb: number }[] };
    expect(diff.outputs[0]!.sqnrDb).toBeCloseTo(10 * Math.log10(767), 12);
  });

  it("float tiny CNN vs its int8 QDQ version: a row per layer, matched by location", async () => {
    const floatFile = example("tiny-cnn.mlir");
    const m = parseModule(readFileSync(floatFile, "utf8"), { filename: floatFile });
    const q = new PassManager().add(calibrate({ data: example("tiny-calib.npy") })).add(propagateRanges()).add(nudgeZeroPoint()).add(quantize({ mode: "int8" })).run(m);
    const qFile = "tiny.int8.mlir";
    writeFileSync(qFile, printModule(q, { debugInfo: true }));
    const r = await compare(floatFile, qFile, "--input", `x=${example("tiny-input.npy")}`, "--per-layer");
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^output 0 'probs' \[1, 3\]: SQNR \d+\.\d\d dB {2}max abs [0-9.e-]+ {2}mean abs [0-9.e-]+ {2}top-1 100%$/);
    expect(lines[2]).toBe("per layer, worst SQNR first (8 tensors):");
    expect(lines[3]).toMatch(/^ {2}SQNR dB +max abs +mean abs +top-1 +op +location +matched$/);
    const rows = lines.slice(4, 12);
    for (const op of ["float.conv2d", "float.depthwise_conv2d", "float.fully_connected", "float.softmax"]) {
      expect(rows.some((row) => new RegExp(`^ +\\d+\\.\\d\\d .* ${op.replace(".", "\\.")} +\\S*tiny-cnn\\.mlir:\\d+:3 +by location$`).test(row)), op).toBe(true);
    }
    const sqnrs = rows.map((row) => Number(row.trim().split(/ +/)[0]));
    expect([...sqnrs].sort((x, y) => x - y)).toEqual(sqnrs);
  });

  it("reports what cannot be compared, naming the files", async () => {
    const other = "other.mlir";
    writeFileSync(other, `func.func @main(%x: tensor<2x4xf32> {qopt.name = "x"}) -> (tensor<2x4xf32>, tensor<2x4xf32>) {\n  return %x, %x : tensor<2x4xf32>, tensor<2x4xf32>\n}\n`);
    const outputs = await compare(fileA, other, "--input", `x=${fileX}`);
    expect(outputs.code).toBe(1);
    expect(outputs.err).toBe("qopt compare: the programs have different outputs: a.mlir returns 1 (y), other.mlir returns 2 (output_0, output_1)\n");
    const shaped = "shaped.mlir";
    writeFileSync(shaped, `func.func @main(%x: tensor<2x4xf32> {qopt.name = "x"}) -> (tensor<8xf32> {qopt.name = "y"}) {\n  %y = "float.reshape"(%x) : (tensor<2x4xf32>) -> tensor<8xf32>\n  return %y : tensor<8xf32>\n}\n`);
    expect((await compare(fileA, shaped, "--input", `x=${fileX}`)).err).toBe("qopt compare: output 0 'y': a.mlir gives shape [2, 4], shaped.mlir gives [8]\n");
    expect((await compare(fileA, fileB)).err).toBe("qopt compare: missing input 'x' (pass --input NAME=file.npy)\n");
    expect((await compare(fileA, fileB, "--input", `z=${fileX}`)).err).toBe("qopt compare: no input named 'z' (inputs: x)\n");
    expect((await compare(fileA, "nope.mlir", "--input", `x=${fileX}`)).err).toBe("qopt compare: cannot read 'nope.mlir': no such file or directory\n");
    const wrong = await compare(fileA, fileB, "--input", `x=${example("tiny-input.npy")}`);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe("qopt compare: a.mlir: input 'x': expected rank 2 ([2, 4]), got [1, 8, 8, 4]\n");
    const invalid = "invalid.mlir";
    writeFileSync(invalid, `func.func @main(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {\n  return %y : tensor<2x4xf32>\n}\n`);
    const bad = await compare(fileA, invalid, "--input", `x=${fileX}`);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^invalid\.mlir:2:\d+: error: /);
  });
});
