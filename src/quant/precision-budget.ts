/**
 * The budgets `select-precision` chooses under:
 *
 * | text                 | meaning                                                          |
 * |----------------------|------------------------------------------------------------------|
 * | `size<=1.25x-int8`   | weights + biases + conversion parameters ≤ 1.25 × the all-int8 model |
 * | `size<=12000`        | … ≤ 12000 bytes (`12000B` also reads)                              |
 * | `latency<=1.1x-int8` | target cost-model cycles ≤ 1.1 × the all-int8 program             |
 * | `latency<=50000`     | … ≤ 50000 cycles                                                  |
 * | `sqnr>=35`           | predicted output SQNR ≥ 35 dB (`35dB` also reads)                 |
 * | `mse<=1e-4`          | predicted output MSE ≤ 1e-4                                       |
 *
 * A cost budget (size, latency) picks the most accurate configuration that fits; an accuracy floor
 * (sqnr, mse) picks the cheapest one that reaches it.
 */

export type CostAxis = "size" | "latency";

export type Budget =
  /** `relative`: `limit` is a multiple of the all-int8 configuration's cost. */
  | { readonly kind: CostAxis; readonly limit: number; readonly relative: boolean }
  | { readonly kind: "sqnr"; readonly minDb: number }
  | { readonly kind: "mse"; readonly max: number };

export class BudgetError extends Error {
  override name = "BudgetError";
}

const FORMS = "size<=N (bytes), size<=Nx-int8, latency<=N (cycles), latency<=Nx-int8, sqnr>=N (dB) or mse<=N";
const NUMBER = "([0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9]+(?:[eE][-+]?[0-9]+)?)";

export function parseBudget(text: string): Budget {
  const t = text.replace(/\s+/g, "");
  const bad = (why: string): never => {
    throw new BudgetError(`invalid budget '${text}': ${why} (expected ${FORMS}, e.g. size<=1.25x-int8 or sqnr>=35)`);
  };
  if (t === "") bad("empty");
  let m = new RegExp(`^(size|latency)(<=|>=|<|=|>)(.*)$`).exec(t);
  if (m) {
    const [, axis, op, rest] = m as unknown as [string, CostAxis, string, string];
    if (op !== "<=") bad(`a ${axis} budget is an upper bound: write ${axis}<=…`);
    const rel = new RegExp(`^${NUMBER}x-?int8$`, "i").exec(rest);
    if (rel) return costBudget(axis, Number(rel[1]), true, bad);
    const unit = axis === "size" ? "(?:B|bytes)?" : "(?:cycles)?";
    const abs = new RegExp(`^${NUMBER}${unit}$`, "i").exec(rest);
    if (abs) return costBudget(axis, Number(abs[1]), false, bad);
    return bad(`'${rest}' is not a number${axis === "size" ? " of bytes" : " of cycles"} or a multiple of int8 like 1.25x-int8`);
  }
  m = /^sqnr(<=|>=|<|=|>)(.*)$/i.exec(t);
  if (m) {
    if (m[1] !== ">=") bad("an SQNR budget is a floor: write sqnr>=…");
    const v = new RegExp(`^(-?${NUMBER.slice(1, -1)})(?:dB)?$`, "i").exec(m[2]!);
    if (!v || !Number.isFinite(Number(v[1]))) bad(`'${m[2]}' is not a number of dB`);
    return { kind: "sqnr", minDb: Number(v![1]) };
  }
  m = /^mse(<=|>=|<|=|>)(.*)$/i.exec(t);
  if (m) {
    if (m[1] !== "<=") bad("an MSE budget is an upper bound: write mse<=…");
    const v = new RegExp(`^${NUMBER}$`).exec(m[2]!);
    if (!v || !(Number(v[1]) >= 0)) bad(`'${m[2]}' is not a non-negative number`);
    return { kind: "mse", max: Number(v![1]) };
  }
  const head = /^[a-z_]+/i.exec(t)?.[0];
  return bad(head ? `unknown quantity '${head}'` : "no quantity");
}

function costBudget(kind: CostAxis, value: number, relative: boolean, bad: (why: string) => never): Budget {
  if (!Number.isFinite(value) || value <= 0) bad(`the ${kind} limit must be a positive number`);
  return { kind, limit: value, relative };
}

export function formatBudget(b: Budget): string {
  switch (b.kind) {
    case "size":
    case "latency":
      return `${b.kind}<=${b.relative ? `${b.limit}x-int8` : b.limit}`;
    case "sqnr":
      return `sqnr>=${b.minDb}`;
    case "mse":
      return `mse<=${b.max}`;
  }
}

export function isCostBudget(b: Budget): b is Extract<Budget, { kind: CostAxis }> {
  return b.kind === "size" || b.kind === "latency";
}
