/**
 * lower-to-hw on whole programs: the pipeline (fold → fuse → calibrate → propagate → nudge → quantize →
 * lower) on synthetic nets, per built-in target. The lowered integer program must stay close to float
 * (SQNR) and compute exactly what its QDQ form computes in the target's integer arithmetic
 * (src/quant/integer-qdq: each node unit on stored integers with the target's rounding), bit for bit.
 * Against the float simulation of the QDQ form (f32 ops, ties-to-even quant.qcast) it differs by design
 * where f32 arithmetic lands on the other side of a rounding boundary from the exact integer
 * accumulator and the target's fixed-point rule (and TFLite's fixed-point softmax and interpolated
 * 16-bit tables are approximations): the tests count how often and bound it.
 */
import { describe, expect, it } from "vitest";
import { DiagnosticError } from "../../src/ir/diagnostic.js";
import { PURE_SHIFT_MULTIPLIER } from "../../src/quant/lowering-params.js";
import { numbersAttr } from "../../src/ir/attr-access.js";
import { isPowerOfTwo } from "../../src/target/queries.js";
import { PassManager } from "../../src/pass/manager.js";
import { printModule } from "../../src/syntax/printer.js";
import { loadTarget } from "../../src/target/load.js";
import { lowerToHw } from "../../passes/index.js";
import { compareIntegerQdqAndHw, compareQdqAndHw, lowerFor, opsOf, parse, poolNet, quantizeFor, randomInputs, syntheticNet, worstSqnr } from "./support.js";

const calib = randomInputs(1, 16, [[1, 8, 8, 4]]);
const held = randomInputs(2, 64, [[1, 8, 8, 4]]);

interface Case {
  readonly name: string;
  readonly target: string;
  readonly mode: "int8" | "int16x8";
  readonly net: string;
  /** Least SQNR of the lowered program against float over the held-back inputs. */
  readonly minSqnr?: number;
  /** Largest QDQ-vs-hw difference allowed, in output steps. */
  readonly maxSteps: number;
  readonly islands: number;
}

const cases: readonly Case[] = [
  { name: "tflite-int8", target: "tflite-int8", mode: "int8", net: syntheticNet(), minSqnr: 30, maxSteps: 2, islands: 0 },
  { name: "npu-sparse-int8", target: "npu-sparse-int8", mode: "int8", net: syntheticNet(), minSqnr: 30, maxSteps: 2, islands: 0 },
  // onnx-qdq with i8 activations (its second activation type, as select-precision would pick). relu6
  // is not an onnx-qdq op: it stays a float island; the mean after it quantizes its float input itself.
  { name: "onnx-qdq (i8)", target: "onnx-qdq", mode: "int8", net: syntheticNet("i8"), minSqnr: 30, maxSteps: 2, islands: 1 },
  // Pure-shift requantization, TFLite's add and the integer average pool round ties away from zero where
  // the float simulation rounds them to even; on this net's coarse power-of-two grids ties are common
  // (about 14% of the add's results), and the upward bias costs about 4 dB: 31.5 dB lowered (and
  // integer QDQ) against 35.7 dB for the float simulation, which no power-of-two NPU computes.
  { name: "npu-pow2-int8 (conv/add/pool net)", target: "npu-pow2-int8", mode: "int8", net: poolNet(), minSqnr: 25, maxSteps: 4, islands: 0 },
  // 16x8: every op lowers, the softmax to hw.softmax's int16 form (TFLite SoftmaxInt16).
  { name: "tflite-int16x8", target: "tflite-int16x8", mode: "int16x8", net: syntheticNet(), minSqnr: 40, maxSteps: 2, islands: 0 },
];

describe("lower-to-hw: whole programs", () => {
  for (const c of cases) {
    it(`${c.name}: lowered program ≥ ${c.minSqnr} dB vs float and equal to its QDQ form in integer arithmetic`, () => {
      const l = lowerFor(parse(c.net), c.target, c.mode, calib);
      const islands = l.decisions.filter((d) => d.kind === "float-island");
      expect(islands.length).toBe(c.islands);
      const floatOps = opsOf(l.lowered, "float.").filter((op) => op.name !== "float.const");
      expect(floatOps.length).toBe(c.islands);
      const sqnrLowered = worstSqnr(l.float, l.lowered, held);
      const sqnrQdq = worstSqnr(l.float, l.qdq, held);
      const diff = compareQdqAndHw(l, held);
      const exact = compareIntegerQdqAndHw(l, c.target, held);
      console.info(
        `${c.name}: worst SQNR vs float ${sqnrLowered.toFixed(1)} dB lowered / ${sqnrQdq.toFixed(1)} dB QDQ; ` +
          `integer QDQ vs hw: ${exact.unequal}/${exact.total} output elements differ (${exact.integerUnits} integer node units); ` +
          `float-simulated QDQ vs hw: ${diff.differing}/${diff.total} differ (max ${diff.maxSteps} steps) over ${held.length} held-back inputs; ${islands.length} float islands`,
      );
      expect(exact.unequal).toBe(0);
      expect(exact.floatUnits.length).toBe(c.islands);
      expect(sqnrLowered).toBeGreaterThanOrEqual(c.minSqnr!);
      expect(diff.maxSteps).toBeLessThanOrEqual(c.maxSteps);
    });
  }

  it("onnx-qdq with its default u8 activations: softmax gets the u8 fixed parameters (1/256, zp 0) and stays accurate", () => {
    const l = lowerFor(parse(syntheticNet()), "onnx-qdq", "int8", calib);
    const softmax = l.decisions.find((d) => d.kind === "float-island" && d.op === "float.softmax");
    const diff = compareQdqAndHw(l, held);
    expect(compareIntegerQdqAndHw(l, "onnx-qdq", held).unequal).toBe(0);
    const lowered = worstSqnr(l.float, l.lowered, held);
    console.info(
      `onnx-qdq (u8): worst SQNR vs float ${lowered.toFixed(1)} dB lowered / ${worstSqnr(l.float, l.qdq, held).toFixed(1)} dB QDQ; ` +
        `QDQ vs hw: ${diff.differing}/${diff.total} differ (max ${diff.maxSteps} steps); islands: ${l.decisions.filter((d) => d.kind === "float-island").map((d) => d.op).join(", ")}`,
    );
    expect(softmax?.message ?? "").not.toContain("outside its storage range");
    expect(lowered).toBeGreaterThanOrEqual(30);
    expect(diff.maxSteps).toBeLessThanOrEqual(1);
  });

  it("npu-pow2-int8 refuses the synthetic net: relu6, mean and softmax are not ops it runs, and it has no float fallback", () => {
    let error: unknown;
    try {
      lowerFor(parse(syntheticNet()), "npu-pow2-int8", "int8", calib);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiagnosticError);
    const message = (error as Error).message;
    expect(message).toContain(`net.mlir:8:3: error: 'float.relu6' op cannot run on target "npu-pow2-int8": it needs relu6 on i8; the target does not run relu6`);
    expect(message).toContain(`error: 'float.mean' op cannot run on target "npu-pow2-int8"`);
    expect(message).toContain(`error: 'float.softmax' op cannot run on target "npu-pow2-int8"`);
    expect(message).toContain("and the target allows no float fallback");
  });

  it("takes a target descriptor object in code as well as a name", () => {
    const { qdq } = quantizeFor(parse(syntheticNet()), "tflite-int8", "int8", calib);
    const byName = new PassManager({ verifyEach: true }).add(lowerToHw({ target: "tflite-int8" })).run(qdq);
    const byObject = new PassManager({ verifyEach: true }).add(lowerToHw({ target: loadTarget("tflite-int8") })).run(qdq);
    expect(printModule(byObject)).toBe(printModule(byName));
  });

  it("npu-pow2-int8: every scale a power of two, every requantization a pure shift", () => {
    const l = lowerFor(parse(poolNet()), "npu-pow2-int8", "int8", calib);
    for (const op of opsOf(l.lowered, "hw.")) {
      for (const t of [...op.operands, ...op.results].map((v) => v.type)) {
        if (t.kind === "tensor" && t.element.kind === "quant.uniform") for (const s of t.element.scales) expect(isPowerOfTwo(Math.fround(s))).toBe(true);
      }
      for (const name of ["multiplier", "input1_multiplier", "input2_multiplier", "output_multiplier"]) {
        for (const m of numbersAttr(op, name) ?? []) expect(m).toBe(PURE_SHIFT_MULTIPLIER);
      }
    }
    const rounded = l.decisions.filter((d) => d.kind === "scale-rounded");
    // The quantize pass leaves weight scales as they are; lowering rounds them up and says so.
    expect(rounded.length).toBeGreaterThan(0);
    expect(l.decisions.filter((d) => d.kind === "pure-shift").length).toBeGreaterThanOrEqual(4);
  });
});
