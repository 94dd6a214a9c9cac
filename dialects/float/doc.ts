/**
 * The float dialect's reference table, generated from the op definitions (name, summary, layout and
 * semantics, operands, attributes with defaults, traits) — the docs read the same declaration as
 * everything else.
 */
import "./index.js";
import { allOpDefs, type OpDef } from "../../src/ir/opdef.js";
import { printAttribute } from "../../src/syntax/printer.js";

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

/** One row per `float.*` op, sorted by name. */
export function floatOpTable(): OpDocRow[] {
  return allOpDefs()
    .filter((d) => d.name.startsWith("float."))
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

/** The table as Markdown. */
export function floatOpMarkdown(): string {
  const esc = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = floatOpTable().map((r) => `| \`${r.name}\` | ${esc(r.summary)} | ${esc(r.operands)} | ${esc(r.attributes)} | ${esc(r.traits)} | ${esc(r.description)} |`);
  return ["| op | summary | operands | attributes | traits | layout and semantics |", "|---|---|---|---|---|---|", ...rows].join("\n") + "\n";
}
