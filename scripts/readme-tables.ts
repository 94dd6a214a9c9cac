/**
 * Regenerates README.md's op tables from the op definitions (`npm run docs`). The README holds each
 * table between `<!-- op-table:DIALECT -->` and `<!-- /op-table -->`; test/readme.test.ts fails when a
 * table is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "../src/registry.js";
import { opTableMarkdown } from "../src/ir/op-docs.js";
import { packageRoot } from "../src/cli/version.js";

export const DOCUMENTED_DIALECTS = ["float", "quant", "hw"] as const;

/** README text with every marked table replaced by the current one. */
export function withCurrentTables(readme: string): string {
  return readme.replace(/<!-- op-table:([a-z]+) -->\n[\s\S]*?<!-- \/op-table -->/g, (_m, dialect: string) => `<!-- op-table:${dialect} -->\n${opTableMarkdown(dialect)}<!-- /op-table -->`);
}

if (process.argv[1]?.endsWith("readme-tables.js")) {
  const path = join(packageRoot(), "README.md");
  writeFileSync(path, withCurrentTables(readFileSync(path, "utf8")));
}
