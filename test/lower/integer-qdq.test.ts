/**
 * The integer interpretation of QDQ programs (src/quant/integer-qdq): node units run on stored integers
 * in the target's arithmetic, requantizing pairs are the target's RESCALE, constants quantize as the
 * target rounds; and it is what lower-to-hw must keep — a wrong parameter in the lowered program shows.
 * Whole-program equality on every target is asserted in semantics, per-op, digits-cnn and property tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryFunction, interpret } from "../../src/interp/interpreter.js";
import { makeTensor, type Tensor } from "../../src/interp/tensor.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { printModule } from "../../src/syntax/printer.js";
import { compareIntegerQdqAndHw, lowerFor, opsOf, parse, randomInputs, syntheticNet, unequalElements, type Lowering } from "./support.js";
import { PassManager } from "../../src/pass/manager.js";
import { lowerToHw } from "../../passes/index.js";

const calib = randomInputs(1, 16, [[1, 8, 8, 4]]);
const held = randomInputs(2, 16, [[1, 8, 8, 4]]);

function outputs(run: (s: readonly Tensor[]) => Tensor[]): Float32Array[] {
  return held.map((s) => run(s)[0]!.data as Float32Array);
}

function unequal(a: Float32Array[], b: Float32Array[]): number {
  return a.reduce((n, x, i) => n + unequalElements(x, b[i]!), 0);
}

/** The lowered program with the (first) integer of attribute `name` of the first `op` changed by `delta`. */
function mutated(l: Lowering, op: string, name: string, delta: number): Lowering {
  const text = printModule(l.lowered);
  const re = new RegExp(`(?<![_a-z])(${name} = \\[?)(-?\\d+)`, "g");
  re.lastIndex = text.indexOf(`"${op}"`);
  expect(re.lastIndex, `${op} is in the lowered program`).toBeGreaterThanOrEqual(0);
  const m = re.exec(text)!;
  const at = m.index + m[1]!.length;
  return { ...l, lowered: parse(text.slice(0, at) + String(Number(m[2]) + delta) + text.slice(at + m[2]!.length)) };
}

describe("integer QDQ interpretation", () => {
  const l = lowerFor(parse(syntheticNet()), "tflite-int8", "int8", calib);

  it("runs every node unit of the synthetic net (relu6 fused) in integer arithmetic on tflite-int8, unlike the float simulation", () => {
    const units: string[] = [];
    const integer = outputs((s) => interpretIntegerQdq(l.qdq, s, "tflite-int8", { onUnit: (op, o) => units.push(`${op.name}:${o.integer}`) }));
    expect(new Set(units)).toEqual(new Set(["float.conv2d:true", "float.depthwise_conv2d:true", "float.mean:true", "float.fully_connected:true", "float.softmax:true"]));
    expect(unequal(integer, outputs((s) => interpret(l.lowered, s)))).toBe(0);
    // The float simulation (f32 ops, ties-to-even quant.qcast) is another computation.
    expect(unequal(integer, outputs((s) => interpret(l.qdq, s)))).toBeGreaterThan(0);
  });

  it("shows a wrong output zero point, multiplier or clamp in the lowered program", () => {
    expect(compareIntegerQdqAndHw(l, "tflite-int8", held).unequal).toBe(0);
    for (const [op, name, delta] of [
      ["hw.conv2d", "output_zp", 1],
      ["hw.depthwise_conv2d", "multiplier", 1 << 24],
      ["hw.fully_connected", "act_max", -20],
      ["hw.softmax", "diff_min", 1 << 20],
    ] as const) {
      const d = compareIntegerQdqAndHw(mutated(l, op, name, delta), "tflite-int8", held);
      expect(d.unequal, `${op} ${name} ${delta > 0 ? "+" : ""}${delta}`).toBeGreaterThan(0);
    }
  });

  it("keeps float the units a target does not run and says why", () => {
    const onnx = lowerFor(parse(syntheticNet("i8")), "onnx-qdq", "int8", calib);
    const floats: string[] = [];
    interpretIntegerQdq(onnx.qdq, held[0]!, "onnx-qdq", { onUnit: (op, o) => !o.integer && floats.push(`${op.name}: ${o.reason}`) });
    expect(floats).toEqual([`float.relu6: target "onnx-qdq" does not run relu6 at these types`]);
    expect(compareIntegerQdqAndHw(onnx, "onnx-qdq", held).unequal).toBe(0);
  });

  const x = makeTensor("f32", [1, 4], Float32Array.from([0.3, -0.55, 1.2, 0.0625]));

  it("requantizes a quant.qcast of a quant.dcast as the target's RESCALE (fixed-point multiplier, ties away from zero)", () => {
    // 0.3 / 0.1 → 3; 3·0.1/0.2 = 1.5 → 2 (TOSA RESCALE rounds half up) where a float qcast rounds to even (2 as well),
    // -0.55 / 0.1 → -6 (ties to even), -6·0.5 = -3 exactly; 1.2 → 12 → 6; 0.0625 → 1 → 0.5 → 1 (RESCALE) vs 0 (to even).
    const m = parse(`func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e-01>>
  %d = "quant.dcast"(%q) : (tensor<1x4x!quant.uniform<i8:f32, 1.000000e-01>>) -> tensor<1x4xf32>
  %r = "quant.qcast"(%d) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 2.000000e-01>>
  %y = "quant.dcast"(%r) : (tensor<1x4x!quant.uniform<i8:f32, 2.000000e-01>>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}`);
    const stored: number[] = [];
    interpretIntegerQdq(m, [x], "tflite-int8", { onValue: (v, t, op) => op?.name === "quant.qcast" && v === op.results[0] && stored.push(...Array.from(t.data as Int8Array)) });
    expect(stored.slice(4)).toEqual([2, -3, 6, 1]);
    const float: number[] = [];
    interpret(m, [x], { onValue: (v, t, op) => op?.name === "quant.qcast" && float.push(...Array.from(t.data as Int8Array)) });
    expect(float.slice(4)).toEqual([2, -3, 6, 0]);
  });

  it("quantizes constants as the target's converter rounds ties: away from zero on tflite-int8, to even on onnx-qdq", () => {
    // Weights 0.0625 and 0.1875 at scale 0.125 are ties (0.5, 1.5).
    const m = parse(`func.func @main(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.000000e-01>>
  %d = "quant.dcast"(%q) : (tensor<1x2x!quant.uniform<i8:f32, 1.000000e-01>>) -> tensor<1x2xf32>
  %w = "float.const"() {value = dense<[[6.250000e-02, 1.875000e-01]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %wq = "quant.qcast"(%w) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8<-127:127>:f32, 1.250000e-01>>
  %wd = "quant.dcast"(%wq) : (tensor<1x2x!quant.uniform<i8<-127:127>:f32, 1.250000e-01>>) -> tensor<1x2xf32>
  %y = "float.fully_connected"(%d, %wd) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  %yq = "quant.qcast"(%y) : (tensor<1x1xf32>) -> tensor<1x1x!quant.uniform<i8:f32, 5.000000e-02>>
  %yd = "quant.dcast"(%yq) : (tensor<1x1x!quant.uniform<i8:f32, 5.000000e-02>>) -> tensor<1x1xf32>
  return %yd : tensor<1x1xf32>
}`);
    const weights = (target: string): number[] => {
      const w: number[] = [];
      interpretIntegerQdq(m, [makeTensor("f32", [1, 2], Float32Array.from([1, 1]))], target, {
        onValue: (v, t, op) => op?.name === "quant.qcast" && t.shape.length === 2 && t.shape[1] === 2 && t.dtype === "i8" && op.operands[0] !== undefined && w.push(...Array.from(t.data as Int8Array)),
      });
      return w.slice(2);
    };
    expect(weights("tflite-int8")).toEqual([1, 2]);
    expect(weights("onnx-qdq")).toEqual([0, 2]);
  });

  it("runs a float island in the target's fallback type: f16 on npu-sparse-int8 (as the lowered float.cast pair does), f32 on onnx-qdq", () => {
    // exp has no target op kind, so it is an island everywhere; its i16 result grid (0.001) is finer than f16's spacing above 2.
    const m = parse(`func.func @main(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x64xf32>) -> tensor<1x64x!quant.uniform<i8:f32, 3.125000e-02>>
  %d = "quant.dcast"(%q) : (tensor<1x64x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x64xf32>
  %e = "float.exp"(%d) : (tensor<1x64xf32>) -> tensor<1x64xf32>
  %eq = "quant.qcast"(%e) : (tensor<1x64xf32>) -> tensor<1x64x!quant.uniform<i16:f32, 1.000000e-03>>
  %ed = "quant.dcast"(%eq) : (tensor<1x64x!quant.uniform<i16:f32, 1.000000e-03>>) -> tensor<1x64xf32>
  return %ed : tensor<1x64xf32>
}`);
    const input = [makeTensor("f32", [1, 64], Float32Array.from({ length: 64 }, (_, i) => -1 + (3 * i) / 63))];
    const lowered = new PassManager({ verifyEach: true }).add(lowerToHw({ target: "npu-sparse-int8" })).run(m);
    expect(opsOf(lowered, "float.cast").length).toBe(2);
    const f16 = interpretIntegerQdq(m, input, "npu-sparse-int8")[0]!.data as Float32Array;
    expect(unequalElements(f16, interpret(lowered, input)[0]!.data as Float32Array)).toBe(0);
    const f32 = interpretIntegerQdq(m, input, "onnx-qdq")[0]!.data as Float32Array;
    expect(unequalElements(f32, interpret(m, input)[0]!.data as Float32Array)).toBe(0);
    expect(unequalElements(f16, f32)).toBeGreaterThan(0);
  });

  // Hand-written QDQ programs the pipeline does not produce (found by review): several casts of one
  // result, a per-tensor bias with per-channel weights, a zero point the target does not allow, a
  // per-axis cast. On every target, lowered and integer QDQ agree bit for bit.
  for (const file of ["reshape-two-casts", "per-tensor-bias", "zero-point-outside-range", "per-axis-cast"]) {
    it(`${file}.mlir: lowered equals integer QDQ on every target with float fallback`, () => {
      const m = parse(readFileSync(join(import.meta.dirname, "qdq", `${file}.mlir`), "utf8"), `${file}.mlir`);
      const shapes = entryFunction(m).func.regions[0]!.blocks[0]!.args.map((a) => (a.type.kind === "tensor" ? a.type.shape!.map((d) => (d < 0 ? 2 : d)) : []));
      const samples = randomInputs(21, 8, shapes).map((s) => s.map((t) => ({ ...t, data: Float32Array.from(t.data as Float32Array, (v) => 1.5 * v) })));
      for (const target of ["tflite-int8", "onnx-qdq", "npu-sparse-int8", "tflite-int16x8"]) {
        const lowered = new PassManager({ verifyEach: true }).add(lowerToHw({ target })).run(m);
        const unequal = samples.reduce((n, s) => n + unequalElements(interpret(lowered, s)[0]!.data as Float32Array, interpretIntegerQdq(m, s, target)[0]!.data as Float32Array), 0);
        expect(unequal, target).toBe(0);
      }
    });
  }
});
