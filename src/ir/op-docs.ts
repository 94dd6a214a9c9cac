/**
 * Reference tables of ops generated from their definitions (name, summary, operands, attributes with
 * defaults, traits, description): the docs read the same declaration as everything else.
 */
import { allOpDefs, type OpDef } from "./opdef.js";
import { printAttribute } from "../syntax/printer.js";

export interface OpDocRow {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  /** `input, filter, bias?` (`?` optional, `...` variadic). */
  readonly operands: string;
  /** `strides = [1, 1]`, `kernel` (required), `axes?` (optional without default). */
  readonly attributes: string;
  readonly traits: string;
}

function operandList(def: OpDef): string {
  return def.operands.map((o) => `${o.name}${o.arity === "optional" ? "?" : o.arity === "variadic" ? "..." : ""}`).join(", ");
}

function attributeList(def: OpDef): string {
  return Object.entries(def.attributes ?? {})
    .map(([name, spec]) => (spec.default !== undefined ? `${name} = ${printAttribute(spec.default, {}, true)}` : spec.optional ? `${name}?` : name))
    .join(", ");
}

/** One row per op of a dialect (`"float"`), sorted by name. */
export function opTable(dialect: string): OpDocRow[] {
  return allOpDefs()
    .filter((d) => d.name.startsWith(`${dialect}.`))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => ({
      name: d.name,
      summary: d.summary,
      description: d.description ?? "",
      operands: operandList(d),
      attributes: attributeList(d),
      traits: (d.traits ?? []).join(", "),
    }));
}

/** The table as Markdown (one row per op). */
export function opTableMarkdown(dialect: string): string {
  const esc = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = opTable(dialect).map((r) => `| \`${r.name}\` | ${esc(r.summary)} | ${esc(r.operands)} | ${esc(r.attributes)} | ${esc(r.traits)} |`);
  return ["| op | summary | operands | attributes | traits |", "|---|---|---|---|---|", ...rows].join("\n") + "\n";
}
