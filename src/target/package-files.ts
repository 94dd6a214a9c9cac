/**
 * Where the shipped descriptor files live. They are JSON files read at run time (not imported), so
 * the same code finds them from `src/target/` under vitest and from `dist/src/target/` after tsc: walk
 * up from this module to the directory holding qopt's package.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding qopt's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    // Check the name: a nested package.json (e.g. `{"type":"module"}` in a build directory) is not ours.
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "qopt") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find qopt's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** `targets/`: the schema and one JSON file per built-in target. */
export function targetsDirectory(): string {
  return join(packageRoot(), "targets");
}

export function schemaPath(): string {
  return join(targetsDirectory(), "schema.json");
}
