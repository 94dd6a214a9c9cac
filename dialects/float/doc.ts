/** The float dialect's reference table (see src/ir/op-docs.ts). */
import "./index.js";
import { opTable, opTableMarkdown, type OpDocRow } from "../../src/ir/op-docs.js";

export type { OpDocRow };

export function floatOpTable(): OpDocRow[] {
  return opTable("float");
}

export function floatOpMarkdown(): string {
  return opTableMarkdown("float");
}
