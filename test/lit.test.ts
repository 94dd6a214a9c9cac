// Runs every .mlir test under test/ (one vitest case per file). The RUN lines use the built
// tools in dist/ through test/bin, so `npm run build` must have run first (`npm test` does).
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { discoverLitTests, runLitFile } from "./lit/run-lit.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const files = discoverLitTests(repoRoot);
/** Per RUN line; below the per-file vitest timeout so that a hang is reported with its output. */
const RUN_LINE_TIMEOUT_MS = 60_000;
const FILE_TIMEOUT_MS = 180_000;

function buildHint(): string {
  const missing = ["dist/src/cli/qopt-opt.js", "dist/src/testing/filecheck-cli.js"].filter((p) => !existsSync(join(repoRoot, p)));
  return missing.length === 0 ? "" : `\n(note: ${missing.join(", ")} missing — run \`npm run build\` first)`;
}

describe("lit: .mlir tests", () => {
  it("discovers test files only under test/, outside bin, artifacts and fixtures", () => {
    for (const file of files) {
      const rel = relative(repoRoot, file);
      expect(rel.startsWith("test/")).toBe(true);
      expect(/^test\/(bin|artifacts|fixtures)\//.test(rel)).toBe(false);
    }
  });

  // Each file spawns a few processes and mostly waits on them, so files run concurrently, as in lit.
  for (const file of files) {
    const name = relative(repoRoot, file);
    it.concurrent(
      name,
      async ({ expect: localExpect, skip }) => {
        const result = await runLitFile(file, { repoRoot, timeoutMs: RUN_LINE_TIMEOUT_MS });
        if (result.skipped !== undefined) skip(result.skipped);
        if (!result.ok) localExpect.fail(`${name} failed:\n${result.output}${buildHint()}`);
      },
      FILE_TIMEOUT_MS,
    );
  }
});
