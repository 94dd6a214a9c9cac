/**
 * The Pareto search on synthetic sensitivity tables, against brute force: the chosen configuration meets
 * the budget whenever some configuration does (and is the best one that does, when the front is exact),
 * a failure reports the best achievable value, the front is non-dominated, and everything is
 * deterministic. The heuristic path (used above `exhaustive-limit` configurations) is checked too.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluate, paretoFront, pickFromFront, type Configuration, type Goal, type SearchProblem } from "../../src/quant/precision-search.js";

/** Random problems: up to 6 ops of 1–4 candidates, optional pairwise conversion costs. */
function problemArb(options: { pairs: boolean; maxOps?: number }): fc.Arbitrary<SearchProblem> {
  const candidate = fc.record({
    error: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 }).map((e) => e / 10)),
    cost: fc.integer({ min: 0, max: 200 }),
    group: fc.constantFrom("i8", "i16", "f32"),
  });
  return fc
    .array(fc.array(candidate, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: options.maxOps ?? 6 })
    .chain((ops) => {
      const edges: [number, number][] = [];
      for (let a = 0; a < ops.length; a++) for (let b = a + 1; b < ops.length; b++) edges.push([a, b]);
      const pairs = options.pairs
        ? fc.subarray(edges).chain((chosen) =>
            fc.tuple(...chosen.map(([a, b]) => fc.array(fc.integer({ min: 0, max: 30 }), { minLength: ops[a]!.length * ops[b]!.length, maxLength: ops[a]!.length * ops[b]!.length }).map((cost) => ({ a, b, cost })))),
          )
        : fc.constant([]);
      return fc.record({
        ops: fc.constant(ops.map((cands, i) => ({ label: `op${i}`, candidates: cands.map((c, j) => ({ id: `${c.group}#${j}`, ...c })) }))),
        pairs,
        fixedCost: fc.integer({ min: 0, max: 50 }),
      });
    });
}

function allConfigurations(problem: SearchProblem): Configuration[] {
  const out: Configuration[] = [];
  const choice = problem.ops.map(() => 0);
  for (;;) {
    out.push({ choice: [...choice], ...evaluate(problem, choice) });
    let i = problem.ops.length - 1;
    for (; i >= 0; i--) {
      if (++choice[i]! < problem.ops[i]!.candidates.length) break;
      choice[i] = 0;
    }
    if (i < 0) return out;
  }
}

/** A goal whose limit lands anywhere from below the cheapest/most accurate to above the dearest/least accurate. */
function goalArb(problem: SearchProblem, kind: Goal["kind"]): fc.Arbitrary<Goal> {
  const all = allConfigurations(problem);
  const values = all.map((c) => (kind === "max-cost" ? c.cost : c.error));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return fc.oneof(
    fc.constantFrom(...values).map((limit) => ({ kind, limit })),
    fc.double({ min: lo - 10, max: hi + 10, noNaN: true }).map((limit) => ({ kind, limit })),
  );
}

const tol = (x: number): number => 1e-9 * Math.abs(x);

function checkAgainstBruteForce(problem: SearchProblem, goal: Goal, exhaustiveLimit?: number): { ok: boolean; feasible: boolean } {
  const front = paretoFront(problem, exhaustiveLimit === undefined ? {} : { exhaustiveLimit });
  const pick = pickFromFront(front, goal);
  const all = allConfigurations(problem);
  const meets = (c: Configuration): boolean => (goal.kind === "max-cost" ? c.cost : c.error) <= goal.limit + tol(goal.limit);
  const feasible = all.filter(meets);
  if (pick.ok) {
    expect(meets(pick.config)).toBe(true);
    expect(evaluate(problem, pick.config.choice)).toEqual({ cost: pick.config.cost, error: pick.config.error });
    pick.config.choice.forEach((c, i) => expect(c).toBeLessThan(problem.ops[i]!.candidates.length));
  } else {
    // A failure names a best value that indeed misses the goal.
    expect(meets(pick.best)).toBe(false);
  }
  return { ok: pick.ok, feasible: feasible.length > 0 };
}

describe("Pareto search (exhaustive)", () => {
  it("meets a cost budget whenever a configuration does, with the least error there is", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }).chain((p) => fc.tuple(fc.constant(p), goalArb(p, "max-cost"))), ([problem, goal]) => {
        const { ok, feasible } = checkAgainstBruteForce(problem, goal);
        expect(ok).toBe(feasible);
        const all = allConfigurations(problem);
        const pick = pickFromFront(paretoFront(problem), goal);
        if (pick.ok) expect(pick.config.error).toBeCloseTo(Math.min(...all.filter((c) => c.cost <= goal.limit + tol(goal.limit)).map((c) => c.error)), 9);
        else expect(pick.best.cost).toBe(Math.min(...all.map((c) => c.cost))); // "the smallest achievable is …"
      }),
      { numRuns: 300 },
    );
  });

  it("meets an accuracy floor whenever a configuration does, at the least cost there is", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }).chain((p) => fc.tuple(fc.constant(p), goalArb(p, "max-error"))), ([problem, goal]) => {
        const { ok, feasible } = checkAgainstBruteForce(problem, goal);
        expect(ok).toBe(feasible);
        const all = allConfigurations(problem);
        const pick = pickFromFront(paretoFront(problem), goal);
        if (pick.ok) expect(pick.config.cost).toBe(Math.min(...all.filter((c) => c.error <= goal.limit + tol(goal.limit)).map((c) => c.cost)));
        else expect(pick.best.error).toBeCloseTo(Math.min(...all.map((c) => c.error)), 9); // "the best achievable is …"
      }),
      { numRuns: 300 },
    );
  });

  it("returns a non-dominated front, cost ascending and error descending, that covers every configuration", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }), (problem) => {
        const front = paretoFront(problem);
        expect(front.exhaustive).toBe(true);
        const all = allConfigurations(problem);
        for (let i = 1; i < front.points.length; i++) {
          expect(front.points[i]!.cost).toBeGreaterThan(front.points[i - 1]!.cost);
          expect(front.points[i]!.error).toBeLessThan(front.points[i - 1]!.error);
        }
        for (const c of all) {
          // Every configuration is matched or beaten by a front point.
          expect(front.points.some((p) => p.cost <= c.cost && p.error <= c.error + tol(c.error))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("Pareto search (heuristic, as for large models)", () => {
  it("meets an accuracy floor whenever a configuration does (the least error is found exactly)", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }).chain((p) => fc.tuple(fc.constant(p), goalArb(p, "max-error"))), ([problem, goal]) => {
        const { ok, feasible } = checkAgainstBruteForce(problem, goal, 0);
        expect(ok).toBe(feasible);
      }),
      { numRuns: 300 },
    );
  });

  it("meets a cost budget whenever a configuration does, when there are no conversion costs", () => {
    fc.assert(
      fc.property(problemArb({ pairs: false }).chain((p) => fc.tuple(fc.constant(p), goalArb(p, "max-cost"))), ([problem, goal]) => {
        const { ok, feasible } = checkAgainstBruteForce(problem, goal, 0);
        expect(ok).toBe(feasible);
      }),
      { numRuns: 300 },
    );
  });

  it("with conversion costs, what it picks meets the budget, and a failure says what it could reach", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }).chain((p) => fc.tuple(fc.constant(p), goalArb(p, "max-cost"))), ([problem, goal]) => {
        checkAgainstBruteForce(problem, goal, 0);
      }),
      { numRuns: 300 },
    );
  });

  it("finds the exact front on most small problems", () => {
    let exact = 0;
    let runs = 0;
    fc.assert(
      fc.property(problemArb({ pairs: true, maxOps: 5 }), (problem) => {
        const a = paretoFront(problem).points.map((p) => [p.cost, p.error]);
        const b = paretoFront(problem, { exhaustiveLimit: 0 }).points.map((p) => [p.cost, p.error]);
        runs++;
        if (JSON.stringify(a) === JSON.stringify(b)) exact++;
      }),
      { numRuns: 200, seed: 42 },
    );
    console.info(`heuristic front identical to the exhaustive one on ${exact}/${runs} random problems`);
    expect(exact / runs).toBeGreaterThan(0.95);
  });
});

describe("determinism", () => {
  it("gives the same front and choice on every run, exhaustive or heuristic", () => {
    fc.assert(
      fc.property(problemArb({ pairs: true }), fc.integer({ min: 0, max: 1 }), (problem, heuristic) => {
        const options = heuristic ? { exhaustiveLimit: 0 } : {};
        const a = paretoFront(problem, options);
        const b = paretoFront(structuredClone(problem), options);
        expect(b).toEqual(a);
        const goal: Goal = { kind: "max-cost", limit: (a.points[0]!.cost + a.points[a.points.length - 1]!.cost) / 2 };
        expect(pickFromFront(b, goal)).toEqual(pickFromFront(a, goal));
      }),
      { numRuns: 200 },
    );
  });
});
