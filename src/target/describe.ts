/**
 * A human-readable summary of a target (`qopt targets show NAME`): what qopt will do with it, in the
 * order a vendor checks it. Returns text; the CLI prints it.
 */
import { INTEGER_OPERAND_TYPES, OP_KINDS, WEIGHTED_OP_KINDS, type IntegerOperandType, type RequantRounding, type Target } from "./types.js";
import { quantizedRange, weightGranularity, zeroPointRange } from "./queries.js";

const ROUNDING_NOTES: Readonly<Record<RequantRounding, string>> = {
  gemmlowp: "TFLite reference kernels (rounding doubling high multiply, then a rounding shift)",
  "single-round": "one rounding of the 64-bit product (a rounding shift for power-of-two scales)",
  "double-round": "TOSA RESCALE with double rounding (same results as gemmlowp)",
  "half-even-float": "real-valued multiplier in floating point, ties to even (ONNX Runtime)",
};

const LINE_WIDTH = 100;

/** Rows of `key  value`, keys aligned; a long comma-separated value wraps under itself. */
function section(title: string, rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [title];
  for (const [k, v] of rows) {
    const indent = " ".repeat(width + 4);
    let line = `  ${k.padEnd(width)}  `;
    const parts = v.split(", ");
    parts.forEach((part, i) => {
      const piece = part + (i < parts.length - 1 ? "," : "");
      if (line.length > indent.length && line.length + piece.length > LINE_WIDTH) {
        lines.push(line.trimEnd());
        line = indent;
      }
      line += piece + " ";
    });
    lines.push(line.trimEnd());
  }
  return lines;
}

function tensorRules(target: Target, role: "activations" | "weights", type: IntegerOperandType): string {
  const rules = target.quantization[role][type];
  if (rules === undefined) return "";
  const [qmin, qmax] = quantizedRange(type, rules.narrowRange);
  const range = `${rules.narrowRange ? "narrow" : "full"} range [${qmin}, ${qmax}]`;
  const zp = zeroPointRange(target, role, type)!;
  const zero = rules.symmetric ? `symmetric (zero point ${zp[0]})` : `asymmetric (zero point in [${zp[0]}, ${zp[1]}])`;
  return `${type}: ${zero}, ${range}`;
}

/** Multi-line summary of `target`, ending with a newline. */
export function describeTarget(target: Target): string {
  const q = target.quantization;
  const r = target.requantization;
  const intActivations = INTEGER_OPERAND_TYPES.filter((t) => q.activations[t] !== undefined);
  const intWeights = INTEGER_OPERAND_TYPES.filter((t) => q.weights[t] !== undefined);
  const lines: string[] = [`${target.name}: ${target.description}`, `schema version ${target.schemaVersion}`, ""];

  lines.push(
    ...section("Types", [
      ["activations", target.types.activations.join(", ")],
      ["weights", target.types.weights.join(", ")],
      ["bias", target.types.bias.join(", ")],
    ]),
    "",
  );

  const weighted = WEIGHTED_OP_KINDS.filter((k) => target.ops[k] !== undefined);
  const quantRows: [string, string][] = [
    ["scales", q.scale === "power-of-two" ? "powers of two only (requantization is a shift; scales round up)" : "any positive value (fixed-point multiplier and shift)"],
  ];
  intActivations.forEach((t, i) => quantRows.push([i === 0 ? "activations" : "", tensorRules(target, "activations", t)]));
  intWeights.forEach((t, i) => quantRows.push([i === 0 ? "weights" : "", tensorRules(target, "weights", t)]));
  quantRows.push(["granularity", weighted.length === 0 ? "(no weighted ops)" : weighted.map((k) => `${k} ${weightGranularity(target, k)}`).join(", ")]);
  quantRows.push(["bias", intActivations.map((t) => `${t} → ${q.biasType[t] ?? "?"}`).join(", ") || "(no integer activations)"]);
  quantRows.push(["quantize", q.quantizeRounding === "half-to-even" ? "rounds ties to even (as ONNX QuantizeLinear)" : "rounds ties away from zero (as TFLite)"]);
  lines.push(...section("Quantization", quantRows), "");

  lines.push(
    ...section("Requantization", [
      ["rounding", `${r.rounding}: ${ROUNDING_NOTES[r.rounding]}`],
      ["multiplier", r.multiplierBits === undefined ? "none (shift only)" : `${r.multiplierBits}-bit`],
      ["accumulator", intActivations.map((t) => `${t} → ${r.accumulatorBits[t] ?? "?"}-bit`).join(", ") || "(no integer activations)"],
    ]),
    "",
  );

  const ops = OP_KINDS.filter((k) => target.ops[k] !== undefined);
  const opWidth = Math.max(...ops.map((k) => k.length));
  lines.push("Ops (activation×weight, or activation)");
  for (const kind of ops) lines.push(`  ${kind.padEnd(opWidth)}  ${(target.ops[kind] ?? []).map((e) => e.join("×")).join("  ")}`);
  lines.push("");

  const sparsity = target.sparsity;
  const sparseOps = sparsity?.ops.map((o) => (o.kernel === undefined ? o.op : `${o.op} (${o.kernel[0]}x${o.kernel[1]} kernels)`)).join(", ");
  const cost = target.cost;
  lines.push(
    ...section("Other", [
      ["fusions", target.fusions.length === 0 ? "none" : target.fusions.join(", ")],
      [
        "sparsity",
        sparsity === undefined
          ? "none (dense only)"
          : `${sparsity.blockShapes.join(" or ")} blocks on ${sparseOps}; pays from ${Math.round(sparsity.minSparsity * 100)}% sparsity`,
      ],
      ["float fallback", target.fallback.allowed ? `allowed: ops the target cannot run stay in ${target.fallback.floatType}` : "not allowed: every op must lower to integer ops"],
      [
        "cost",
        `MACs/cycle ${Object.entries(cost.macsPerCycle)
          .map(([t, n]) => `${t} ${n}`)
          .join(", ")}; ${cost.bytesPerCycle} bytes/cycle; ${cost.opOverheadCycles} cycles per op`,
      ],
    ]),
  );
  return lines.join("\n") + "\n";
}

/** Where `$schema` points in descriptors printed for copying: qopt installed in the project's node_modules. */
export const INSTALLED_SCHEMA_REF = "./node_modules/qopt/targets/schema.json";

/**
 * The descriptor as JSON for a file: two-space indentation, but short arrays (type lists, op pairs)
 * on one line so the ops table stays readable, and `$schema` first.
 */
export function formatTargetJson(target: Target, schemaRef: string | undefined = target.$schema): string {
  const rest: Record<string, unknown> = { ...target };
  delete rest["$schema"];
  const value: Record<string, unknown> = schemaRef === undefined ? rest : { $schema: schemaRef, ...rest };
  const format = (v: unknown, indent: string): string => {
    const flat = JSON.stringify(v);
    if (typeof v !== "object" || v === null) return flat;
    const inner = indent + "  ";
    if (Array.isArray(v)) {
      // Arrays of scalars or of scalar arrays read best on one line when they fit.
      const scalar = (x: unknown): boolean => typeof x !== "object" || x === null;
      if (v.every((x) => scalar(x) || (Array.isArray(x) && x.every(scalar)))) {
        const oneLine = `[${v.map((x) => (Array.isArray(x) ? `[${x.map((y) => JSON.stringify(y)).join(", ")}]` : JSON.stringify(x))).join(", ")}]`;
        if (indent.length + oneLine.length <= 100) return oneLine;
      }
      return `[\n${v.map((x) => inner + format(x, inner)).join(",\n")}\n${indent}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    // Small objects of scalars (tensor rules, fallback) fit one line too.
    if (entries.every(([, x]) => typeof x !== "object" || x === null || Array.isArray(x)) && indent.length + flat.length <= 80 && entries.length <= 3)
      return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${format(x, inner)}`).join(", ")} }`;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(",\n")}\n${indent}}`;
  };
  return format(value, "") + "\n";
}
