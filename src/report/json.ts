/** `--report-json`: the quantization report as a JSON document. */
import type { QuantReport } from "./model.js";

/**
 * The report as JSON text with a trailing newline: two-space indentation, arrays of numbers (bin
 * edges, counts, per-channel scales) on one line. An exact layer's SQNR (`Infinity`) is written as
 * `1e999`, which JSON's grammar allows and `JSON.parse` (and Python's `json`) read back as infinity,
 * where `JSON.stringify` would write `null`.
 */
export function renderReportJson(report: QuantReport): string {
  return formatJson(report, true) + "\n";
}

/**
 * JSON text of a plain value (objects, arrays, strings, numbers, booleans, null). As JSON.stringify,
 * but ±Infinity become ±1e999 and NaN becomes null; object members that are `undefined` are left out.
 * `pretty` indents by two spaces and keeps arrays of scalars on one line.
 */
export function formatJson(value: unknown, pretty: boolean): string {
  return format(value, pretty ? "\n" : "", pretty);
}

function format(value: unknown, newline: string, pretty: boolean): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "null";
    if (value === Infinity) return "1e999";
    if (value === -Infinity) return "-1e999";
    return JSON.stringify(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  const inner = pretty ? newline + "  " : "";
  const sep = pretty ? ": " : ":";
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    if (items.length === 0) return "[]";
    if (items.every((v) => v === null || typeof v !== "object")) return "[" + items.map((v) => format(v, "", false)).join(pretty ? ", " : ",") + "]";
    return "[" + items.map((v) => inner + format(v, inner, pretty)).join(",") + newline + "]";
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
    if (entries.length === 0) return "{}";
    return "{" + entries.map(([k, v]) => inner + JSON.stringify(k) + sep + format(v, inner, pretty)).join(",") + newline + "}";
  }
  throw new TypeError(`formatJson: cannot write a ${typeof value} as JSON`);
}
