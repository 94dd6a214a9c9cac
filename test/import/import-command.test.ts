/** `qopt import`: stdout or `-o` (atomic), exit codes, one-line errors. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import-command.js";
import { writeNpy } from "../../src/io/npy.js";
import { parseModule } from "../../src/syntax/parser.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { buildModel, sharedPath, tensor } from "./onnx-model.js";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const cmd = importCommand({ stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }).exitOverride();
  process.exitCode = undefined;
  await cmd.parseAsync(args, { from: "user" });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

describe("qopt import", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });
  const dir = mkdtempSync(path.join(tmpdir(), "qopt-import-cli-"));

  it("prints the program to stdout; it parses and verifies", async () => {
    const r = await run([sharedPath("models", "digits-cnn", "model.onnx")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const m = parseModule(r.stdout, { filename: "out.mlir" });
    expect(verifyModule(m)).toEqual([]);
    expect(r.stdout).toContain('{qopt.name = "input"}');
  });

  it("writes -o atomically, leaving no temporary file", async () => {
    const out = path.join(dir, "model.mlir");
    const r = await run([sharedPath("models", "digits-cnn", "model.onnx"), "-o", out]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toContain("func.func @main");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("prints locations with --mlir-print-debuginfo", async () => {
    const r = await run([sharedPath("models", "digits-cnn", "model.onnx"), "--mlir-print-debuginfo"]);
    expect(r.stdout).toContain('loc("conv1")');
  });

  it("binds graph inputs to constants with --constant", async () => {
    const model = path.join(dir, "q.onnx");
    writeFileSync(
      model,
      buildModel({
        inputs: [{ name: "x", shape: [3] }, { name: "s", shape: [] }],
        outputs: [{ name: "y", elemType: 3 }],
        nodes: [{ op: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["y"] }],
        initializers: { z: tensor("i8", [], [1]) },
      }),
    );
    const scale = path.join(dir, "s.npy");
    writeFileSync(scale, writeNpy(tensor("f32", [], [0.5])));
    const r = await run([model, "--constant", `s=${scale}`]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("!quant.uniform<i8:f32, 5.000000e-01:1>");
  });

  it("fails with one line and exit code 1: unsupported ops, missing file, bad protobuf", async () => {
    const model = path.join(dir, "foo.onnx");
    writeFileSync(model, buildModel({ inputs: [{ name: "x", shape: [1] }], outputs: [{ name: "y" }], nodes: [{ op: "Foo", name: "f", inputs: ["x"], outputs: ["y"] }] }));
    const out = path.join(dir, "never.mlir");
    let r = await run([model, "-o", out]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `qopt import: ${model}: unsupported ONNX ops: Foo (node: f)\n` });
    expect(existsSync(out)).toBe(false);
    r = await run([path.join(dir, "missing.onnx")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`qopt import: cannot read '${path.join(dir, "missing.onnx")}': no such file or directory\n`);
    const bad = path.join(dir, "bad.onnx");
    writeFileSync(bad, "not a model");
    r = await run([bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qopt import: .*bad\.onnx: not a valid ONNX model \(.*\)\n$/);
    expect(r.stderr.split("\n").length).toBe(2);
  });
});
