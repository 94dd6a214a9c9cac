/**
 * Locates the shared data directory (`../shared` next to the repository root). Tests that read
 * real files fail with a clear message when it is missing instead of skipping silently.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding package.json, found by walking up from this file. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find package.json above test/io");
    dir = parent;
  }
  return dir;
}

/** Absolute path of `rel` inside ../shared; throws naming the expected location if it is absent. */
export function sharedPath(...rel: string[]): string {
  const shared = path.resolve(repoRoot(), "../shared");
  if (!existsSync(shared)) {
    throw new Error(`shared data directory not found at ${shared} (expected ../shared beside the repository root)`);
  }
  const p = path.join(shared, ...rel);
  if (!existsSync(p)) throw new Error(`missing shared test data: ${p}`);
  return p;
}
