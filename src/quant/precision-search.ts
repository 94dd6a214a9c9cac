/**
 * The search behind `select-precision`, on numbers only (so properties can run it on synthetic tables):
 * each op picks one candidate; a configuration's error is the sum of its ops' errors (additive noise:
 * the output noise power of several quantized ops is about the sum of each one's alone) and its cost is
 * a fixed part, each op's own cost and a cost per pair of connected ops (a conversion between their
 * precisions: requantize, quantize or dequantize).
 *
 * `paretoFront` returns the non-dominated configurations (cost ascending, error descending):
 * - exhaustive when the number of configurations is at most `exhaustiveLimit` (default 2^17): exact;
 * - otherwise a Lagrangian sweep (minimise cost + λ·error for λ over a geometric grid, each by iterated
 *   conditional modes from the separable optimum, so conversion costs are seen), greedy walks from the
 *   cheapest configuration upward (best error decrease per unit of cost) and from the most accurate one
 *   downward (least error increase per unit of cost saved), and uniform starts (every op at the same
 *   activation type), then a Pareto local search (every one-op change of a front point that nothing on
 *   the front dominates joins it, until the front is stable). The minimum error is exact either way
 *   (error has no pairwise part); the minimum cost is a local optimum when the pairs make it a graph
 *   problem.
 * Everything is deterministic: fixed orders, ties broken by candidate index.
 */

export interface SearchCandidate {
  readonly id: string;
  /** Noise power this candidate adds (MSE of the output). */
  readonly error: number;
  /** Its own cost on the axis searched (bytes or cycles), conversions to fixed neighbours included. */
  readonly cost: number;
  /** Optional grouping for uniform starts (e.g. the activation type). */
  readonly group?: string;
}

export interface SearchOp {
  readonly label: string;
  readonly candidates: readonly SearchCandidate[];
}

/** Extra cost when op `a` takes candidate i and op `b` candidate j: `cost[i * kb + j]`. */
export interface PairCost {
  readonly a: number;
  readonly b: number;
  readonly cost: ArrayLike<number>;
}

export interface SearchProblem {
  readonly ops: readonly SearchOp[];
  readonly pairs: readonly PairCost[];
  /** Cost that no choice changes (ops that are not selectable, conversions between them). */
  readonly fixedCost: number;
}

export interface Configuration {
  /** Candidate index per op. */
  readonly choice: readonly number[];
  readonly cost: number;
  readonly error: number;
}

export interface Front {
  /** Non-dominated configurations, cost ascending and error descending. */
  readonly points: readonly Configuration[];
  readonly exhaustive: boolean;
  /** Configurations evaluated. */
  readonly evaluated: number;
}

export const DEFAULT_EXHAUSTIVE_LIMIT = 1 << 17;

export function evaluate(problem: SearchProblem, choice: readonly number[]): { cost: number; error: number } {
  let cost = problem.fixedCost;
  let error = 0;
  problem.ops.forEach((op, i) => {
    const c = op.candidates[choice[i]!]!;
    cost += c.cost;
    error += c.error;
  });
  for (const p of problem.pairs) cost += p.cost[choice[p.a]! * problem.ops[p.b]!.candidates.length + choice[p.b]!]!;
  return { cost, error };
}

export function configurationCount(problem: SearchProblem): number {
  return problem.ops.reduce((n, op) => n * op.candidates.length, 1);
}

function checkProblem(problem: SearchProblem): void {
  problem.ops.forEach((op) => {
    if (op.candidates.length === 0) throw new RangeError(`${op.label}: no candidate`);
  });
  for (const p of problem.pairs) {
    const ka = problem.ops[p.a]?.candidates.length;
    const kb = problem.ops[p.b]?.candidates.length;
    if (ka === undefined || kb === undefined || p.cost.length !== ka * kb) throw new RangeError(`pair ${p.a}→${p.b}: cost table has ${p.cost.length} entries, expected ${ka ?? "?"}×${kb ?? "?"}`);
  }
}

/** Strictly better error for more cost; equal points keep the first in (cost, error, choice) order. */
function nonDominated(configs: readonly Configuration[]): Configuration[] {
  const sorted = [...configs].sort((x, y) => x.cost - y.cost || x.error - y.error || compareChoice(x.choice, y.choice));
  const out: Configuration[] = [];
  let best = Infinity;
  for (const c of sorted) {
    if (c.error < best) {
      out.push(c);
      best = c.error;
    }
  }
  return out;
}

function compareChoice(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function paretoFront(problem: SearchProblem, options: { exhaustiveLimit?: number } = {}): Front {
  checkProblem(problem);
  const limit = options.exhaustiveLimit ?? DEFAULT_EXHAUSTIVE_LIMIT;
  const total = configurationCount(problem);
  return total <= limit ? exhaustiveFront(problem, total) : heuristicFront(problem);
}

function exhaustiveFront(problem: SearchProblem, total: number): Front {
  const n = problem.ops.length;
  const sizes = problem.ops.map((op) => op.candidates.length);
  const costs = new Float64Array(total);
  const errors = new Float64Array(total);
  const choice = new Array<number>(n).fill(0);
  for (let index = 0; index < total; index++) {
    const e = evaluate(problem, choice);
    costs[index] = e.cost;
    errors[index] = e.error;
    // Odometer, last op fastest: index order is lexicographic order of choices.
    for (let i = n - 1; i >= 0; i--) {
      if (++choice[i]! < sizes[i]!) break;
      choice[i] = 0;
    }
  }
  const order = Array.from({ length: total }, (_, i) => i).sort((x, y) => costs[x]! - costs[y]! || errors[x]! - errors[y]! || x - y);
  const points: Configuration[] = [];
  let best = Infinity;
  for (const index of order) {
    if (errors[index]! < best) {
      best = errors[index]!;
      points.push({ choice: decode(index, sizes), cost: costs[index]!, error: errors[index]! });
    }
  }
  return { points, exhaustive: true, evaluated: total };
}

function decode(index: number, sizes: readonly number[]): number[] {
  const choice = new Array<number>(sizes.length).fill(0);
  for (let i = sizes.length - 1; i >= 0; i--) {
    choice[i] = index % sizes[i]!;
    index = Math.floor(index / sizes[i]!);
  }
  return choice;
}

/** Per op, the pairs it is part of, with which side it is. */
function neighbours(problem: SearchProblem): { pair: PairCost; side: "a" | "b" }[][] {
  const byOp = problem.ops.map((): { pair: PairCost; side: "a" | "b" }[] => []);
  for (const pair of problem.pairs) {
    byOp[pair.a]!.push({ pair, side: "a" });
    byOp[pair.b]!.push({ pair, side: "b" });
  }
  return byOp;
}

/** Pair cost op `i` sees at candidate `c` with its neighbours as in `choice`. */
function localPairCost(problem: SearchProblem, around: readonly { pair: PairCost; side: "a" | "b" }[], choice: readonly number[], c: number): number {
  let sum = 0;
  for (const { pair, side } of around) {
    const kb = problem.ops[pair.b]!.candidates.length;
    sum += side === "a" ? pair.cost[c * kb + choice[pair.b]!]! : pair.cost[choice[pair.a]! * kb + c]!;
  }
  return sum;
}

type Score = readonly [number, number];
type Objective = (cost: number, error: number) => Score;

function better(s: Score, t: Score): boolean {
  return s[0] < t[0] || (s[0] === t[0] && s[1] < t[1]);
}

/**
 * Iterated conditional modes: each op in turn takes its best candidate given its neighbours, until no
 * op changes. A change needs a strict improvement of the op's local score, which lowers the global
 * objective, so sweeps end.
 */
function icm(problem: SearchProblem, around: ReturnType<typeof neighbours>, start: readonly number[], objective: Objective): number[] {
  const choice = [...start];
  for (let sweep = 0; sweep < 100; sweep++) {
    let changed = false;
    problem.ops.forEach((op, i) => {
      const score = (c: number): Score => objective(op.candidates[c]!.cost + localPairCost(problem, around[i]!, choice, c), op.candidates[c]!.error);
      let best = choice[i]!;
      let bestScore = score(best);
      for (let c = 0; c < op.candidates.length; c++) {
        const s = score(c);
        if (better(s, bestScore)) {
          best = c;
          bestScore = s;
        }
      }
      if (best !== choice[i]) {
        choice[i] = best;
        changed = true;
      }
    });
    if (!changed) break;
  }
  return choice;
}

/** Per op, the candidate that is best on its own under `objective` (ties: lower index). */
function separable(problem: SearchProblem, objective: Objective): number[] {
  return problem.ops.map((op) => {
    let best = 0;
    op.candidates.forEach((cand, c) => {
      const s = objective(cand.cost, cand.error);
      const b = objective(op.candidates[best]!.cost, op.candidates[best]!.error);
      if (s[0] < b[0] || (s[0] === b[0] && s[1] < b[1])) best = c;
    });
    return best;
  });
}

function heuristicFront(problem: SearchProblem): Front {
  const around = neighbours(problem);
  const found = new Map<string, Configuration>();
  let evaluated = 0;
  const add = (choice: readonly number[]): Configuration => {
    const key = choice.join(",");
    const known = found.get(key);
    if (known) return known;
    const e = evaluate(problem, choice);
    evaluated++;
    const config = { choice: [...choice], ...e };
    found.set(key, config);
    return config;
  };
  const byCost: Objective = (cost, error) => [cost, error];
  const byError: Objective = (cost, error) => [error, cost];
  const cheapest = add(icm(problem, around, separable(problem, byCost), byCost));
  const accurate = add(icm(problem, around, separable(problem, byError), byError));

  // Uniform starts: every op in the same group (activation type) where it can be.
  const groups = [...new Set(problem.ops.flatMap((op) => op.candidates.map((c) => c.group).filter((g): g is string => g !== undefined)))];
  for (const g of groups) {
    const start = separable(problem, byCost).map((c, i) => {
      const inGroup = problem.ops[i]!.candidates.findIndex((cand) => cand.group === g);
      return inGroup >= 0 ? inGroup : c;
    });
    add(start);
    add(icm(problem, around, start, byCost));
  }

  // Lagrangian sweep: λ in units that make cost and error spans comparable.
  const costSpan = problem.ops.reduce((s, op) => s + spread(op.candidates.map((c) => c.cost)), 0) || 1;
  const errorSpan = problem.ops.reduce((s, op) => s + spread(op.candidates.map((c) => c.error)), 0);
  if (errorSpan > 0) {
    const unit = costSpan / errorSpan;
    for (let k = -48; k <= 48; k++) {
      const lambda = unit * 10 ** (k / 8);
      const objective: Objective = (cost, error) => [cost + lambda * error, error];
      add(icm(problem, around, separable(problem, objective), objective));
    }
  }

  // Greedy walks along the front, one op change at a time.
  walk(problem, around, cheapest.choice, add, "up");
  walk(problem, around, accurate.choice, add, "down");

  // Pareto local search: every one-op change of a front point that no front point dominates joins the
  // front, until it is stable or the evaluation budget is spent. Large fronts are searched from evenly
  // spaced seeds, so the cost stays bounded on big models.
  let front = nonDominated([...found.values()]);
  const budget = evaluated + PLS_EVALUATIONS;
  for (let round = 0; round < 20 && evaluated < budget; round++) {
    const fresh: Configuration[] = [];
    for (const p of spaced(front, PLS_SEEDS)) {
      problem.ops.forEach((op, i) => {
        const from = op.candidates[p.choice[i]!]!;
        const fromCost = from.cost + localPairCost(problem, around[i]!, p.choice, p.choice[i]!);
        op.candidates.forEach((cand, c) => {
          if (c === p.choice[i] || evaluated >= budget) return;
          const cost = p.cost + cand.cost + localPairCost(problem, around[i]!, p.choice, c) - fromCost;
          const error = p.error + cand.error - from.error;
          if (dominatedBy(front, cost, error)) return;
          const next = [...p.choice];
          next[i] = c;
          const before = evaluated;
          const config = add(next);
          if (evaluated > before) fresh.push(config);
        });
      });
    }
    if (fresh.length === 0) break;
    front = nonDominated([...front, ...fresh]);
  }
  return { points: front, exhaustive: false, evaluated };
}

/** Evaluations the Pareto local search may spend beyond the sweeps and walks, and its seeds per round. */
const PLS_EVALUATIONS = 50_000;
const PLS_SEEDS = 128;

/** At most `n` points, evenly spaced along the front, both ends included. */
function spaced(front: readonly Configuration[], n: number): readonly Configuration[] {
  if (front.length <= n) return front;
  return Array.from({ length: n }, (_, k) => front[Math.round((k * (front.length - 1)) / (n - 1))]!);
}

/** Is (cost, error) dominated by (or equal to) a point of `front` (cost ascending, error descending)? */
function dominatedBy(front: readonly Configuration[], cost: number, error: number): boolean {
  let lo = 0;
  let hi = front.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (front[mid]!.cost <= cost) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return last >= 0 && front[last]!.error <= error;
}

function spread(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
}

/**
 * "up": from a cheap configuration, repeatedly take the change with the largest error decrease per unit
 * of added cost (free improvements first). "down": from an accurate one, the change with the smallest
 * error increase per unit of cost saved. Every visited configuration is recorded.
 */
function walk(problem: SearchProblem, around: ReturnType<typeof neighbours>, start: readonly number[], add: (c: readonly number[]) => Configuration, direction: "up" | "down"): void {
  const choice = [...start];
  const limit = problem.ops.reduce((n, op) => n + op.candidates.length, 0) * 4;
  for (let step = 0; step < limit; step++) {
    let bestOp = -1;
    let bestCand = -1;
    let bestKey: Score = [Infinity, Infinity];
    problem.ops.forEach((op, i) => {
      const from = op.candidates[choice[i]!]!;
      const fromCost = from.cost + localPairCost(problem, around[i]!, choice, choice[i]!);
      op.candidates.forEach((cand, c) => {
        if (c === choice[i]) return;
        const dCost = cand.cost + localPairCost(problem, around[i]!, choice, c) - fromCost;
        const dError = cand.error - from.error;
        let key: Score;
        if (direction === "up") {
          if (!(dError < 0)) return;
          // Free improvements first (largest decrease), then the least cost per unit of error removed.
          key = dCost <= 0 ? [0, dError] : [1, dCost / -dError];
        } else {
          if (!(dCost < 0)) return;
          // Free savings first (largest saving), then the least error added per unit of cost saved.
          key = dError <= 0 ? [0, dCost] : [1, dError / -dCost];
        }
        if (better(key, bestKey)) {
          bestKey = key;
          bestOp = i;
          bestCand = c;
        }
      });
    });
    if (bestOp < 0) return;
    choice[bestOp] = bestCand;
    add(choice);
  }
}

export type Goal =
  /** The most accurate configuration whose cost is at most `limit`. */
  | { readonly kind: "max-cost"; readonly limit: number }
  /** The cheapest configuration whose error is at most `limit`. */
  | { readonly kind: "max-error"; readonly limit: number };

export type Pick =
  | { readonly ok: true; readonly config: Configuration; readonly position: number }
  /** No point meets the goal; `best` is the lowest cost (max-cost) or lowest error (max-error) found. */
  | { readonly ok: false; readonly best: Configuration };

/** Relative slack for comparisons with the limit, so a limit computed from a configuration's own cost admits it. */
const SLACK = 1e-9;

export function pickFromFront(front: Front, goal: Goal): Pick {
  const points = front.points;
  if (points.length === 0) throw new RangeError("empty Pareto front");
  const within = (v: number, limit: number): boolean => v <= limit + SLACK * Math.abs(limit);
  if (goal.kind === "max-cost") {
    let found = -1;
    points.forEach((p, i) => {
      if (within(p.cost, goal.limit)) found = i;
    });
    return found < 0 ? { ok: false, best: points[0]! } : { ok: true, config: points[found]!, position: found };
  }
  const i = points.findIndex((p) => within(p.error, goal.limit));
  return i < 0 ? { ok: false, best: points[points.length - 1]! } : { ok: true, config: points[i]!, position: i };
}
