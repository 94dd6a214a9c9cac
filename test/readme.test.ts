/** README.md stays honest: its op tables are the ones the op definitions generate (`npm run docs`). */
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { withCurrentTables, DOCUMENTED_DIALECTS } from "../scripts/readme-tables.js";

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");

it("has a table for every dialect", () => {
  for (const d of DOCUMENTED_DIALECTS) expect(readme).toContain(`<!-- op-table:${d} -->`);
});

it("op tables match the op definitions (run `npm run docs` after changing an op)", () => {
  expect(withCurrentTables(readme)).toBe(readme);
});
