/**
 * Magnitude pruning: properties of `pruneWeights` (≥ 1000 cases each) and of the `prune` pass on
 * generated conv → depthwise → fully connected programs, which must still verify and run.
 */
import { producerMap } from "../../src/ir/rewriter.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import "../../src/registry.js";
import { parseBlockShape, pruneWeights, weightMatrix, type WeightMatrix } from "../../src/quant/pruning.js";
import { parseModule } from "../../src/syntax/parser.js";
import { PassManager } from "../../src/pass/manager.js";
import { prune } from "../../passes/index.js";
import { interpret } from "../../src/interp/interpreter.js";
import { makeTensor } from "../../src/interp/tensor.js";
import { getAttr, type Module, type Operation } from "../../src/ir/operation.js";
import { constantData, outputChannelAxis } from "../../src/quant/constants.js";

const RUNS = 1000;

/**
 * A weight matrix [rows, cols]: all of magnitude 1 (equal-norm blocks everywhere, to
 * exercise tie-breaking), spread-out values, or fast-check's doubles (zeros, tiny values).
 */
const arbValue = fc.oneof(
  fc.constantFrom(-2, -1, 1, 2, 0.5),
  fc.integer({ min: -1000, max: 1000 }).map((v) => v / 100),
  fc.double({ min: -10, max: 10, noNaN: true }),
);
const arbMatrix = fc
  .record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 40 }), kind: fc.nat({ max: 2 }) })
  .chain(({ rows, cols, kind }) =>
    fc
      .array(kind === 0 ? fc.constantFrom(-1, 1) : kind === 1 ? arbValue : fc.double({ min: -10, max: 10, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols })
      .map((values) => ({ rows, cols, data: Float32Array.from(values) })),
  );

/** A sparsity in [0, 1], spread evenly (fast-check's doubles crowd near 0), with the ends now and then. */
const arbSparsity = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1000 }).map((v) => v / 1000), weight: 9 }, { arbitrary: fc.constantFrom(0, 1, 0.5), weight: 1 });

/** Mostly small blocks (many per matrix), sometimes large ones cut by the edges. */
const arbBlock = fc.oneof(
  fc.record({ r: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ r: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 20 }) }),
);

interface BlockRef {
  readonly index: number;
  readonly cells: readonly number[];
}

function blocksOf(m: WeightMatrix, br: number, bc: number): BlockRef[] {
  const out: BlockRef[] = [];
  const gridCols = Math.ceil(m.cols / bc);
  for (let r0 = 0; r0 < m.rows; r0 += br) {
    for (let c0 = 0; c0 < m.cols; c0 += bc) {
      const cells: number[] = [];
      for (let r = r0; r < Math.min(r0 + br, m.rows); r++) for (let c = c0; c < Math.min(c0 + bc, m.cols); c++) cells.push(m.offset(r, c));
      out.push({ index: (r0 / br) * gridCols + c0 / bc, cells });
    }
  }
  return out;
}

const l2 = (data: Float32Array, cells: readonly number[]): number => Math.sqrt(cells.reduce((s, i) => s + data[i]! * data[i]!, 0));

describe("pruneWeights: RxC blocks", () => {
  it("reaches the requested sparsity within one block, zeroing whole blocks, the lowest-norm ones", () => {
    fc.assert(
      fc.property(arbMatrix, arbBlock, arbSparsity, ({ rows, cols, data }, { r, c }, sparsity) => {
        const m = weightMatrix([rows, cols], 0);
        const block = parseBlockShape(`${r}x${c}`);
        const res = pruneWeights(data, m, block, sparsity);
        const total = rows * cols;
        // Within one (full) block of the request.
        expect(Math.abs(res.achieved * total - sparsity * total)).toBeLessThanOrEqual(r * c);
        const blocks = blocksOf(m, r, c);
        const changedSet = new Set<number>();
        for (const b of blocks) {
          const untouched = b.cells.every((i) => res.data[i] === data[i]);
          const cleared = b.cells.every((i) => res.data[i] === 0);
          // Whole blocks: a block is either untouched or entirely zero.
          expect(untouched || cleared).toBe(true);
          if (!untouched) changedSet.add(b.index);
        }
        expect(res.zeroedBlocks).toBeGreaterThanOrEqual(changedSet.size);
        expect(res.zeroedWeights).toBe(Math.round(res.achieved * total));
        // Every block the pruning changed scores at most as much as every block left with a non-zero.
        const changed = blocks.filter((b) => changedSet.has(b.index));
        const kept = blocks.filter((b) => b.cells.some((i) => res.data[i] !== 0));
        if (changed.length > 0 && kept.length > 0) {
          const maxChanged = Math.max(...changed.map((b) => l2(data, b.cells)));
          const minKept = Math.min(...kept.map((b) => l2(data, b.cells)));
          expect(maxChanged).toBeLessThanOrEqual(minKept * (1 + 1e-12));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("prunes exactly the blocks first in (norm, index) order, deterministically", () => {
    fc.assert(
      fc.property(arbMatrix, arbBlock, arbSparsity, fc.constantFrom("l2" as const, "l1" as const), ({ rows, cols, data }, { r, c }, sparsity, norm) => {
        const m = weightMatrix([rows, cols], 0);
        const block = parseBlockShape(`${r}x${c}`);
        const a = pruneWeights(data, m, block, sparsity, norm);
        const b = pruneWeights(data, m, block, sparsity, norm);
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
        const blocks = blocksOf(m, r, c);
        const score = (cells: readonly number[]): number => (norm === "l2" ? l2(data, cells) : cells.reduce((s, i) => s + Math.abs(data[i]!), 0));
        const order = [...blocks].sort((x, y) => score(x.cells) - score(y.cells) || x.index - y.index);
        const pruned = new Set(order.slice(0, a.zeroedBlocks).map((x) => x.index));
        const expected = new Float32Array(data);
        for (const blk of blocks) if (pruned.has(blk.index)) for (const i of blk.cells) expected[i] = 0;
        expect(Array.from(a.data)).toEqual(Array.from(expected));
        // The input is not changed.
        expect(a.data).not.toBe(data);
      }),
      { numRuns: RUNS },
    );
  });

  it("breaks ties by block index: among equal norms the earlier block goes first", () => {
    const m = weightMatrix([2, 4], 0);
    const data = Float32Array.from([1, -1, 1, -1, -1, 1, -1, 1]);
    expect(Array.from(pruneWeights(data, m, parseBlockShape("1x2"), 0.5).data)).toEqual([0, 0, 0, 0, -1, 1, -1, 1]);
    expect(Array.from(pruneWeights(data, m, parseBlockShape("2x1"), 0.25).data)).toEqual([0, -1, 1, -1, 0, 1, -1, 1]);
    expect(Array.from(pruneWeights(data, m, parseBlockShape("2:4"), 0).data)).toEqual([1, -1, 0, 0, -1, 1, 0, 0]);
  });

  it("prunes nothing at sparsity 0 and everything at sparsity 1", () => {
    fc.assert(
      fc.property(arbMatrix, arbBlock, ({ rows, cols, data }, { r, c }) => {
        const m = weightMatrix([rows, cols], 0);
        const block = parseBlockShape(`${r}x${c}`);
        expect(Array.from(pruneWeights(data, m, block, 0).data)).toEqual(Array.from(data));
        expect(pruneWeights(data, m, block, 1).data.every((v) => v === 0)).toBe(true);
        expect(pruneWeights(data, m, block, 1).achieved).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("pruneWeights: N:M groups", () => {
  it("keeps at most N non-zeros in every group of M consecutive inputs: the N largest |w|", () => {
    fc.assert(
      fc.property(arbMatrix, fc.integer({ min: 1, max: 8 }).chain((mm) => fc.tuple(fc.integer({ min: 0, max: mm }), fc.constant(mm))), arbSparsity, ({ rows, cols, data }, [n, mm], sparsity) => {
        const m = weightMatrix([rows, cols], 0);
        const res = pruneWeights(data, m, parseBlockShape(`${n}:${mm}`), sparsity);
        // Checked per group; one assertion per case keeps 1000 cases fast.
        const wrong: string[] = [];
        for (let r = 0; r < rows; r++) {
          for (let c0 = 0; c0 < cols; c0 += mm) {
            const group = Array.from({ length: Math.min(mm, cols - c0) }, (_, k) => m.offset(r, c0 + k));
            if (group.filter((i) => res.data[i] !== 0).length > n) wrong.push(`row ${r} group at ${c0}: more than ${n} non-zeros`);
            // Exactly the first N in (|w| descending, index ascending) order stay: the N largest |w|.
            const keep = new Set([...group].sort((a, b) => Math.abs(data[b]!) - Math.abs(data[a]!) || a - b).slice(0, n));
            for (const i of group) if (!Object.is(res.data[i], keep.has(i) ? data[i] : 0)) wrong.push(`element ${i}: ${res.data[i]} from ${data[i]}`);
          }
        }
        expect(wrong).toEqual([]);
        // Sparsity is 1 − N/M whatever was asked, when the rows are whole groups.
        if (cols % mm === 0) expect(res.achieved).toBeCloseTo(1 - n / mm, 12);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("weightMatrix", () => {
  it("views OHWI as [O, KH·KW·I] in row-major order, and depthwise [1,KH,KW,C] as [C, KH·KW]", () => {
    const ohwi = weightMatrix([4, 3, 3, 16], outputChannelAxis("float.conv2d"));
    expect([ohwi.rows, ohwi.cols]).toEqual([4, 144]);
    // A 1x16 block at (o, 16·k) = one output channel, 16 input channels at kernel position k.
    expect(ohwi.offset(2, 16 * 5 + 3)).toBe(2 * 144 + 5 * 16 + 3);
    const dw = weightMatrix([1, 3, 3, 8], outputChannelAxis("float.depthwise_conv2d"));
    expect([dw.rows, dw.cols]).toEqual([8, 9]);
    expect(dw.offset(5, 4)).toBe(4 * 8 + 5);
  });

  it("visits every element exactly once", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), (shape, a) => {
        const m = weightMatrix(shape, a % shape.length);
        const seen = new Set<number>();
        for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) seen.add(m.offset(r, c));
        expect(seen.size).toBe(shape.reduce((x, y) => x * y, 1));
        expect(Math.max(...seen)).toBe(seen.size - 1);
      }),
      { numRuns: RUNS },
    );
  });

  it("rejects malformed block shapes with the accepted forms", () => {
    expect(() => parseBlockShape("3y")).toThrow(/neither RxC \(e\.g\. 1x16, 4x1\) nor N:M \(e\.g\. 2:4\)/);
    expect(() => parseBlockShape("0x4")).toThrow(/at least 1/);
    expect(() => parseBlockShape("5:4")).toThrow(/N ≤ M/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The pass on generated programs

function hex(values: ArrayLike<number>): string {
  return `"0x${Buffer.from(Float32Array.from(values).buffer).toString("hex").toUpperCase()}"`;
}

interface NetSpec {
  cin: number;
  o: number;
  kh: number;
  kw: number;
  dk: number;
  n: number;
  w1: number[];
  w2: number[];
  w3: number[];
}

const arbNet: fc.Arbitrary<NetSpec> = fc
  .record({ cin: fc.integer({ min: 1, max: 6 }), o: fc.integer({ min: 1, max: 6 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), dk: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 5 }) })
  .chain((s) => {
    const w = (len: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: -8, max: 8 }).map((v) => v / 4), { minLength: len, maxLength: len });
    return fc.tuple(w(s.o * s.kh * s.kw * s.cin), w(s.dk * s.dk * s.o), w(s.n * s.o)).map(([w1, w2, w3]) => ({ ...s, w1, w2, w3 }));
  });

function netText(s: NetSpec): string {
  const t4 = (a: number, b: number, c: number, d: number): string => `tensor<${a}x${b}x${c}x${d}xf32>`;
  return `
func.func @main(%x: ${t4(1, 4, 4, s.cin)} {qopt.name = "x"}) -> (tensor<1x${s.n}xf32> {qopt.name = "y"}) {
  %w1 = "float.const"() {value = dense<${hex(s.w1)}> : ${t4(s.o, s.kh, s.kw, s.cin)}} : () -> ${t4(s.o, s.kh, s.kw, s.cin)}
  %c = "float.conv2d"(%x, %w1) {padding = "same"} : (${t4(1, 4, 4, s.cin)}, ${t4(s.o, s.kh, s.kw, s.cin)}) -> ${t4(1, 4, 4, s.o)}
  %w2 = "float.const"() {value = dense<${hex(s.w2)}> : ${t4(1, s.dk, s.dk, s.o)}} : () -> ${t4(1, s.dk, s.dk, s.o)}
  %d = "float.depthwise_conv2d"(%c, %w2) {padding = "same"} : (${t4(1, 4, 4, s.o)}, ${t4(1, s.dk, s.dk, s.o)}) -> ${t4(1, 4, 4, s.o)}
  %m = "float.mean"(%d) {axes = [1, 2], keepdims = false} : (${t4(1, 4, 4, s.o)}) -> tensor<1x${s.o}xf32>
  %w3 = "float.const"() {value = dense<${hex(s.w3)}> : tensor<${s.n}x${s.o}xf32>} : () -> tensor<${s.n}x${s.o}xf32>
  %y = "float.fully_connected"(%m, %w3) : (tensor<1x${s.o}xf32>, tensor<${s.n}x${s.o}xf32>) -> tensor<1x${s.n}xf32>
  return %y : tensor<1x${s.n}xf32>
}`;
}

function weightedOps(m: Module): { op: Operation; weights: Float32Array; shape: readonly number[] }[] {
  const body = m.ops.find((o) => o.name === "func.func")!.regions[0]!.blocks[0]!;
  const producers = producerMap(body.ops);
  return body.ops
    .filter((o) => o.name === "float.conv2d" || o.name === "float.depthwise_conv2d" || o.name === "float.fully_connected")
    .map((op) => {
      const c = constantData(op.operands[1]!, producers)!;
      return { op, weights: c.data, shape: c.shape };
    });
}

const arbShape = fc.constantFrom("1x16", "4x1", "1x4", "2x2", "2:4", "1:2");

describe("prune pass", () => {
  it("records achieved sparsity per layer within one block of the request; the program still verifies and runs", () => {
    fc.assert(
      fc.property(arbNet, arbShape, arbSparsity, (spec, shapeText, sparsity) => {
        const module = parseModule(netText(spec), { filename: "net.mlir" });
        const pm = new PassManager({ verifyEach: true, freeze: true }).add(prune({ sparsity, block: shapeText }));
        const pruned = pm.run(module);
        const block = parseBlockShape(shapeText);
        const before = weightedOps(module);
        const after = weightedOps(pruned);
        expect(after.length).toBe(3);
        after.forEach(({ op, weights, shape }, k) => {
          const total = weights.length;
          const s = getAttr(op, "qopt.sparsity");
          const b = getAttr(op, "qopt.block");
          expect(b).toEqual({ kind: "string", value: block.text });
          expect(s?.kind).toBe("float");
          const achieved = s?.kind === "float" ? s.value : NaN;
          const zeros = weights.reduce((z, v, i) => z + (v === 0 && before[k]!.weights[i] !== 0 ? 1 : 0), 0);
          // Recorded sparsity counts what was zeroed (at least the new zeros).
          expect(achieved * total).toBeGreaterThanOrEqual(zeros - 1e-3);
          const m = weightMatrix(shape, outputChannelAxis(op.name));
          if (block.kind === "block") {
            expect(Math.abs(achieved - sparsity) * total).toBeLessThanOrEqual(block.rows * block.cols + 1e-3);
          } else {
            for (let r = 0; r < m.rows; r++) {
              for (let c0 = 0; c0 < m.cols; c0 += block.m) {
                let nz = 0;
                for (let c = c0; c < Math.min(c0 + block.m, m.cols); c++) if (weights[m.offset(r, c)] !== 0) nz++;
                expect(nz).toBeLessThanOrEqual(block.n);
              }
            }
          }
          // The pass writes exactly what the library computes.
          const expected = pruneWeights(before[k]!.weights, m, block, sparsity);
          expect(Array.from(weights)).toEqual(Array.from(expected.data));
        });
        const pruneDecisions = pm.context.decisions.filter((d) => d.pass === "prune" && d.kind === "pruned");
        expect(pruneDecisions.length).toBe(3);
        for (const d of pruneDecisions) expect(Object.keys(d.details ?? {})).toEqual(expect.arrayContaining(["requested", "achieved", "blocks"]));
        const x = makeTensor("f32", [1, 4, 4, spec.cin], Float32Array.from({ length: 16 * spec.cin }, (_, i) => ((i * 7) % 11) / 5 - 1));
        const [y] = interpret(pruned, { x });
        expect(y!.shape).toEqual([1, spec.n]);
        expect(Array.from(y!.data as Float32Array).every(Number.isFinite)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("with block=target prunes only what the target runs sparse, in its shape, and logs the rest", () => {
    fc.assert(
      fc.property(arbNet, arbSparsity, (spec, sparsity) => {
        const module = parseModule(netText(spec), { filename: "net.mlir" });
        const pm = new PassManager({ verifyEach: true }).add(prune({ sparsity, block: "target", target: "npu-sparse-int8" }));
        const pruned = pm.run(module);
        for (const { op } of weightedOps(pruned)) {
          // npu-sparse-int8: 1x16 for fully connected and 1x1 conv2d only.
          const sparse = op.name === "float.fully_connected" || (op.name === "float.conv2d" && spec.kh === 1 && spec.kw === 1);
          expect(getAttr(op, "qopt.block")).toEqual(sparse ? { kind: "string", value: "1x16" } : undefined);
        }
        const skipped = pm.context.decisions.filter((d) => d.kind === "not-pruned");
        expect(skipped.some((d) => d.op === "float.depthwise_conv2d" && /has no sparse kernel for depthwise_conv2d/.test(d.message))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("logs that N:M fixes the sparsity when the option asks for another", () => {
    const spec: NetSpec = { cin: 4, o: 4, kh: 1, kw: 1, dk: 1, n: 2, w1: Array(16).fill(1), w2: Array(4).fill(1), w3: Array(8).fill(1) };
    const pm = new PassManager().add(prune({ sparsity: 0.3, block: "2:4" }));
    pm.run(parseModule(netText(spec), { filename: "net.mlir" }));
    const d = pm.context.decisions.find((x) => x.op === "float.fully_connected")!;
    expect(d.message).toContain("2:4 fixes the sparsity; sparsity=0.3 does not apply");
    expect(d.details).toMatchObject({ requested: 0.3, achieved: 0.5, block: "2:4" });
    expect(d.location).toBe("net.mlir:9:3");
  });
});
