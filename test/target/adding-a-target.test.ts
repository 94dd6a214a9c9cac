// The "Adding a target" guide stays true: its example file validates, and what it shows is what qopt prints.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { describeTarget, loadTarget, nearestLegalScale, placeOp, readTargetFile, supportsFusion, supportsOp, blockShapes } from "../../src/target/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The guide is README.md's "Adding a target" section.
const readme = readFileSync(join(root, "README.md"), "utf8");
const guide = readme.slice(readme.indexOf("## Adding a target"));
const examplePath = join(root, "targets", "examples", "acme-npu.json");

/** The fenced code blocks of the guide with the given language. */
function blocks(language: string): string[] {
  return [...guide.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)\\n```", "g"))].map((m) => m[1]!);
}

test("the example file validates", () => {
  expect(readTargetFile(examplePath, "targets/examples/acme-npu.json").errors).toEqual([]);
});

test("the guide's example is the example file, with $schema as a vendor's copy has it", () => {
  const [json] = blocks("json");
  const fromGuide = JSON.parse(json!) as Record<string, unknown>;
  const file = JSON.parse(readFileSync(examplePath, "utf8")) as Record<string, unknown>;
  expect(fromGuide).toEqual({ ...file, $schema: "./node_modules/qopt/targets/schema.json" });
});

test("a vendor file copied from the guide validates where a vendor would put it", () => {
  const dir = mkdtempSync(join(tmpdir(), "qopt-guide-"));
  writeFileSync(join(dir, "acme-npu.json"), blocks("json")[0]! + "\n");
  expect(loadTarget("./acme-npu.json", { cwd: dir }).name).toBe("acme-npu");
});

test("the guide shows what `qopt targets show` prints for the example", () => {
  const shown = blocks("text")[0]!;
  expect(shown + "\n").toBe(describeTarget(loadTarget(examplePath)));
});

test("the guide's query examples give what their comments say", () => {
  const t = loadTarget(examplePath);
  expect(supportsOp(t, "conv2d", "i16", "i8")).toBe(true);
  expect(placeOp(t, "softmax", "i8")).toEqual({ kind: "float-island", floatType: "f16", reason: 'target "acme-npu" does not run softmax' });
  expect(guide).toContain(`reason: 'target "acme-npu" does not run softmax' }`);
  expect(nearestLegalScale(t, 0.1)).toBe(0.1);
  expect(nearestLegalScale(loadTarget("npu-pow2-int8"), 0.1)).toBe(0.125);
  expect(supportsFusion(t, "conv2d+bias+relu6")).toBe(true);
  expect(blockShapes(t, "fully_connected")).toEqual(["2:4"]);
});

test("the guide explains every key of the schema", () => {
  interface Node {
    properties?: Record<string, Node>;
    items?: Node;
    $ref?: string;
    definitions?: Record<string, Node>;
  }
  const schema = JSON.parse(readFileSync(join(root, "targets", "schema.json"), "utf8")) as Node;
  const keys = new Set<string>();
  const visit = (node: Node): void => {
    const resolved = node.$ref === undefined ? node : schema.definitions![node.$ref.replace("#/definitions/", "")]!;
    for (const [key, child] of Object.entries(resolved.properties ?? {})) {
      keys.add(key);
      visit(child);
    }
    if (resolved.items !== undefined) visit(resolved.items);
  };
  visit(schema);
  // Per-type map keys (i8, u8, ...) and per-op keys are values the guide lists, not fields.
  const unexplained = [...keys].filter((k) => !guide.includes("`" + k + "`"));
  expect(unexplained).toEqual([]);
});
