/**
 * A model exported from quantization-aware training (QAT) in ONNX QDQ form, built here with onnx-proto:
 *
 *   x → Q/DQ (s_x) → Conv (int8 per-channel weights behind DequantizeLinear, int32 bias behind
 *   DequantizeLinear) → Q/DQ (s_c) → Relu → Q/DQ (s_r, zero point = storage minimum) → Reshape → Q/DQ (s_r,
 *   as ONNX Runtime's quantizer wraps a Reshape) → MatMul (float weights behind a Q/DQ pair, s_m) →
 *   Q/DQ (s_y) → y; and the conv's dequantized output `cd` as a second output.
 *
 * Every tensor's quantization is fixed by the model, so the pipeline (fold, fuse, calibrate,
 * propagate-ranges, nudge-zero-point, quantize) must change none of it, lowering must carry each QAT type
 * into the hw ops, the lowered program must equal the integer interpretation of the QDQ program bit for
 * bit, and — where ONNX Runtime fuses the groups into its integer kernels — both must equal ONNX Runtime.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildModel, importVerified, randomTensor, runOrt, tensor, type ModelSpec } from "../import/onnx-model.js";
import { lowerFor, unequalElements, type Lowering } from "../lower/support.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { interpretIntegerQdq } from "../../src/quant/integer-qdq/interpret.js";
import { walkModule, type Module, type Operation, type Value } from "../../src/ir/operation.js";
import { elementType } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";

type Activations = "i8" | "u8";

/** The QAT parameters (float32 in the model). Zero points are given for int8; uint8 models add 128. */
const S = { x: 0.03, c: 0.05, r: 0.04, m: 0.003, y: 0.1 } as const;
const Z = { x: -5, c: -20, r: -128, y: 3 } as const;
const SW = [0.004, 0.006, 0.005, 0.003] as const;

function int8Weights(shape: readonly number[], seed: number): Tensor {
  const r = randomTensor(shape, seed, -127.49, 127.49);
  return tensor("i8", shape, Array.from(r.data as Float32Array, Math.round));
}

function qatModel(o: { bias: boolean; activations: Activations }): ModelSpec {
  const u8 = o.activations === "u8";
  const zp = (z: number): Tensor => (u8 ? tensor("u8", [], [z + 128]) : tensor("i8", [], [z]));
  const f32 = (v: number): Tensor => tensor("f32", [], [v]);
  return {
    inputs: [{ name: "x", shape: ["N", 2, 6, 6] }],
    outputs: [{ name: "y" }, { name: "cd" }],
    initializers: {
      sx: f32(S.x), zx: zp(Z.x),
      w: int8Weights([4, 2, 3, 3], 3), sw: tensor("f32", [4], SW), zw: tensor("i8", [4], [0, 0, 0, 0]),
      // The int32 bias in units of s_x·s_w[c] (float32 products), as QLinearConv takes it.
      b: tensor("i32", [4], [100, -200, 50, 7]), sb: tensor("f32", [4], SW.map((s) => Math.fround(Math.fround(S.x) * Math.fround(s)))),
      sc: f32(S.c), zc: zp(Z.c),
      sr: f32(S.r), zr: zp(Z.r),
      shape: tensor("i64", [2], [-1, 144]),
      m: randomTensor([144, 16], 9, -0.3, 0.3), sm: f32(S.m), zm: tensor("i8", [], [0]),
      sy: f32(S.y), zy: zp(Z.y),
    },
    nodes: [
      { op: "QuantizeLinear", inputs: ["x", "sx", "zx"], outputs: ["xq"] },
      { op: "DequantizeLinear", inputs: ["xq", "sx", "zx"], outputs: ["xd"] },
      { op: "DequantizeLinear", inputs: ["w", "sw", "zw"], outputs: ["wd"], attrs: { axis: 0 } },
      ...(o.bias ? [{ op: "DequantizeLinear", inputs: ["b", "sb"], outputs: ["bd"], attrs: { axis: 0 } }] : []),
      { op: "Conv", inputs: o.bias ? ["xd", "wd", "bd"] : ["xd", "wd"], outputs: ["c"], attrs: { pads: [1, 1, 1, 1] } },
      { op: "QuantizeLinear", inputs: ["c", "sc", "zc"], outputs: ["cq"] },
      { op: "DequantizeLinear", inputs: ["cq", "sc", "zc"], outputs: ["cd"] },
      { op: "Relu", inputs: ["cd"], outputs: ["r"] },
      { op: "QuantizeLinear", inputs: ["r", "sr", "zr"], outputs: ["rq"] },
      { op: "DequantizeLinear", inputs: ["rq", "sr", "zr"], outputs: ["rd"] },
      { op: "Reshape", inputs: ["rd", "shape"], outputs: ["f"] },
      { op: "QuantizeLinear", inputs: ["f", "sr", "zr"], outputs: ["fq"] },
      { op: "DequantizeLinear", inputs: ["fq", "sr", "zr"], outputs: ["fd"] },
      { op: "QuantizeLinear", inputs: ["m", "sm", "zm"], outputs: ["mq"] },
      { op: "DequantizeLinear", inputs: ["mq", "sm", "zm"], outputs: ["md"] },
      { op: "MatMul", inputs: ["fd", "md"], outputs: ["mm"] },
      { op: "QuantizeLinear", inputs: ["mm", "sy", "zy"], outputs: ["yq"] },
      { op: "DequantizeLinear", inputs: ["yq", "sy", "zy"], outputs: ["y"] },
    ],
  };
}

/** The `!quant.uniform` type the model's Q/DQ pair with this scale and (int8) zero point gives: float32 scale, printed in full. */
function quantText(activations: Activations, scale: number, int8Zp: number): string {
  const zp = activations === "u8" ? int8Zp + 128 : int8Zp;
  return `!quant.uniform<${activations}:f32, ${Math.fround(scale)}${zp === 0 ? "" : `:${zp}`}>`;
}

function expectedTypes(a: Activations) {
  return {
    x: quantText(a, S.x, Z.x),
    c: quantText(a, S.c, Z.c),
    r: quantText(a, S.r, Z.r),
    y: quantText(a, S.y, Z.y),
    m: `!quant.uniform<i8:f32, ${Math.fround(S.m)}>`,
    // OHWI filters: the output channels stay axis 0.
    w: `!quant.uniform<i8:f32:0, {${SW.map((s) => Math.fround(s)).join(",")}}>`,
  };
}

const elementText = (v: Value): string => printType(elementType(v.type));

function opsNamed(module: Module, name: string): Operation[] {
  const found: Operation[] = [];
  walkModule(module, (op) => {
    if (op.name === name) found.push(op);
  });
  return found;
}

function producers(module: Module): Map<Value, Operation> {
  const map = new Map<Value, Operation>();
  walkModule(module, (op) => op.results.forEach((r) => map.set(r, op)));
  return map;
}

function users(module: Module): Map<Value, Operation[]> {
  const map = new Map<Value, Operation[]>();
  walkModule(module, (op) => op.operands.forEach((v) => map.set(v, [...(map.get(v) ?? []), op])));
  return map;
}

/** The element type a float value dequantizes (its producing quant.dcast's source), or undefined. */
function dequantizedFrom(v: Value, producer: Map<Value, Operation>): string | undefined {
  const p = producer.get(v);
  return p?.name === "quant.dcast" ? elementText(p.operands[0]!) : undefined;
}

/** The element types a float value is cast to by quant.qcast (every use must be one). */
function castTo(v: Value, use: Map<Value, Operation[]>): string[] {
  return (use.get(v) ?? []).map((u) => (u.name === "quant.qcast" ? elementText(u.results[0]!) : `used by ${u.name}`));
}

const calib = Array.from({ length: 4 }, (_, i) => [randomTensor([2, 2, 6, 6], 100 + i)]);
/** Four batches of four inputs: 4·(4·16 + 4·144) = 2560 output elements. */
const inputs = Array.from({ length: 4 }, (_, i) => randomTensor([4, 2, 6, 6], 200 + i));

/** Unequal output elements of two runs over all inputs, per output. */
function unequalOver(a: (x: Tensor) => Tensor[], b: (x: Tensor) => Tensor[] | Promise<Tensor[]>): Promise<number[]> {
  return inputs.reduce(async (acc, x) => {
    const counts = await acc;
    const [ra, rb] = [a(x), await b(x)];
    return counts.map((n, i) => n + unequalElements(ra[i]!.data as Float32Array, rb[i]!.data as Float32Array));
  }, Promise.resolve([0, 0]));
}

/** The op types of the graph ONNX Runtime runs after its optimizations (CPU EP), e.g. "com.microsoft:QLinearConv". */
async function ortOptimizedOps(bytes: Uint8Array): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "qopt-qat-ort-"));
  try {
    const path = join(dir, "optimized.onnx");
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, optimizedModelFilePath: path });
    await session.release();
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(path));
    return (model.graph?.node ?? []).map((n) => `${n.domain ? `${n.domain}:` : ""}${n.opType ?? ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a QAT ONNX model (Q/DQ pairs around Conv, Relu and MatMul)", () => {
  it("imports with every QAT type; the NCHW↔NHWC transposes it adds are quantized again with the same type", () => {
    const module = importVerified(buildModel(qatModel({ bias: true, activations: "i8" })));
    const t = expectedTypes("i8");
    const producer = producers(module);
    const use = users(module);
    const [conv] = opsNamed(module, "float.conv2d");
    expect(conv!.operands.map((v) => dequantizedFrom(v, producer))).toEqual([
      t.x,
      t.w,
      `!quant.uniform<i32:f32:0, {${SW.map((s) => Math.fround(Math.fround(S.x) * Math.fround(s))).join(",")}}>`,
    ]);
    expect(castTo(conv!.results[0]!, use)).toEqual([t.c]);
    const [relu] = opsNamed(module, "float.relu");
    expect(dequantizedFrom(relu!.operands[0]!, producer)).toBe(t.c);
    expect(castTo(relu!.results[0]!, use)).toEqual([t.r]);
    const [matmul] = opsNamed(module, "float.matmul");
    expect(matmul!.operands.map((v) => dequantizedFrom(v, producer))).toEqual([t.r, t.m]);
    expect(castTo(matmul!.results[0]!, use)).toEqual([t.y]);
    // Layout changes and the model's Reshape move stored values: each reads a dequantization and is cast
    // back to that same type, so no pass sees an unquantized tensor between two QAT pairs.
    const moves = [...opsNamed(module, "float.transpose"), ...opsNamed(module, "float.reshape")];
    // Three layout transposes (x to NHWC; the relu result and cd back to NCHW) and the model's Reshape.
    expect(moves.length).toBe(4);
    for (const op of moves) {
      const from = dequantizedFrom(op.operands[0]!, producer);
      expect(from, `${op.name} reads a dequantization`).toBeDefined();
      expect(castTo(op.results[0]!, use), `${op.name} result`).toEqual([from]);
    }
  });

  for (const target of ["onnx-qdq", "tflite-int8"] as const) {
    /** What the pipeline must do with the model, for one target. */
    const checkPipeline = (bias: boolean): void => {
      const imported = importVerified(buildModel(qatModel({ bias, activations: "i8" })));
      const l: Lowering = lowerFor(imported, target, "int8", calib);
      const t = expectedTypes("i8");
      // Nothing is left to calibrate or quantize: no range recorded, no quant.qcast added.
      expect(opsNamed(l.qdq, "quant.qcast").length).toBe(opsNamed(imported, "quant.qcast").length);
      walkModule(l.qdq, (op) => expect(op.attributes["qopt.range"], `${op.name} has no recorded range`).toBeUndefined());
      // Every QAT type reaches the hw ops.
      const [conv] = opsNamed(l.lowered, "hw.conv2d");
      expect(conv, "the conv is lowered (not a float island)").toBeDefined();
      expect(conv!.operands.slice(0, 2).map(elementText)).toEqual([t.x, t.w]);
      expect(elementText(conv!.results[0]!)).toBe(t.c);
      const [matmul] = opsNamed(l.lowered, "hw.matmul");
      expect(matmul!.operands.map(elementText)).toEqual([t.r, t.m]);
      expect(elementText(matmul!.results[0]!)).toBe(t.y);
      if (target === "tflite-int8") {
        const [lut] = opsNamed(l.lowered, "hw.lut");
        expect([elementText(lut!.operands[0]!), elementText(lut!.results[0]!)]).toEqual([t.c, t.r]);
      } else {
        // onnx-qdq has no relu kernel (ORT removes a Relu before a Q whose zero point is the storage
        // minimum); it stays a logged float island between the QAT types.
        const [relu] = opsNamed(l.lowered, "float.relu");
        expect(dequantizedFrom(relu!.operands[0]!, producers(l.lowered))).toBe(t.c);
        expect(castTo(relu!.results[0]!, users(l.lowered))).toEqual([t.r]);
        expect(l.decisions.filter((d) => d.kind === "float-island").map((d) => d.op)).toEqual(["float.relu"]);
      }
      // The model's QAT types agree everywhere: no requantization anywhere.
      expect(opsNamed(l.lowered, "hw.rescale")).toEqual([]);
      expect(opsNamed(l.lowered, "hw.transpose").length).toBe(3);
      // The lowered program is the integer interpretation of the QDQ program, bit for bit — of the
      // pipeline's QDQ program and of the imported one (the same program: the pipeline changed nothing).
      for (const x of inputs) {
        const hw = interpret(l.lowered, [x]);
        const qdq = interpretIntegerQdq(l.qdq, [x], target);
        const asImported = interpretIntegerQdq(imported, [x], target);
        hw.forEach((h, i) => {
          expect(unequalElements(h.data as Float32Array, qdq[i]!.data as Float32Array), `output ${i} vs integer QDQ`).toBe(0);
          expect(unequalElements(h.data as Float32Array, asImported[i]!.data as Float32Array), `output ${i} vs integer QDQ of the imported model`).toBe(0);
        });
      }
    };

    it(`${target}: the pipeline keeps every QAT type into the lowered hw ops, and the lowered program equals integer QDQ bit for bit (conv without bias)`, () => {
      checkPipeline(false);
    });

    it(`${target}: … and with the int32 bias behind DequantizeLinear (a quant.scast of int32 integers)`, () => {
      checkPipeline(true);
    });
  }

  describe("against ONNX Runtime (CPU EP, graph optimizations on)", () => {
    it("uint8 activations: ORT fuses QLinearConv and QLinearMatMul; integer QDQ and the lowered onnx-qdq program equal it on every element", async () => {
      for (const bias of [false, true]) {
        const bytes = buildModel(qatModel({ bias, activations: "u8" }));
        const ops = await ortOptimizedOps(bytes);
        expect(ops, "ORT runs the conv as QLinearConv").toContain("com.microsoft:QLinearConv");
        expect(ops).toContain("QLinearMatMul");
        expect(ops.filter((op) => op === "Conv" || op === "MatMul" || op === "Relu")).toEqual([]);
        const imported = importVerified(bytes);
        const fromOrt = (x: Tensor): Promise<Tensor[]> => runOrt(bytes, { x });
        expect(await unequalOver((x) => interpretIntegerQdq(imported, [x], "onnx-qdq"), fromOrt), `bias ${bias}: integer QDQ vs ORT [y, cd]`).toEqual([0, 0]);
        const l = lowerFor(imported, "onnx-qdq", "int8", calib);
        expect(await unequalOver((x) => interpret(l.lowered, [x]), fromOrt), `bias ${bias}: lowered onnx-qdq vs ORT [y, cd]`).toEqual([0, 0]);
      }
    });

    it("int8 activations: where ORT keeps the Conv in float (no QLinearConv for int8 activations on x86), integer QDQ differs from it by single steps at rounding ties only", async () => {
      for (const bias of [false, true]) {
        const bytes = buildModel(qatModel({ bias, activations: "i8" }));
        const ops = await ortOptimizedOps(bytes);
        expect(ops).toContain("QLinearMatMul");
        const imported = importVerified(bytes);
        let unequal = 0;
        let beyondOneStep = 0;
        let total = 0;
        for (const x of inputs) {
          const ours = interpretIntegerQdq(imported, [x], "onnx-qdq");
          const theirs = await runOrt(bytes, { x });
          ours.forEach((o, i) => {
            const a = o.data as Float32Array;
            const b = theirs[i]!.data as Float32Array;
            const step = Math.fround(i === 0 ? S.y : S.c);
            total += a.length;
            for (let k = 0; k < a.length; k++) {
              if (a[k] === b[k]) continue;
              unequal++;
              if (Math.abs(a[k]! - b[k]!) > step * 1.001) beyondOneStep++;
            }
          });
        }
        console.log(`QAT model, int8 activations, bias ${bias}: ORT runs [${ops.join(", ")}]; integer QDQ vs ORT: ${unequal} of ${total} output elements differ`);
        if (ops.includes("com.microsoft:QLinearConv") || ops.includes("QLinearConv")) {
          expect(unequal).toBe(0);
        } else {
          // ORT sums the dequantized products in float32 and quantizes that sum; QLinearConv (and the
          // integer QDQ meaning) rounds acc·(s_x·s_w/s_c) once. They part only where the real result sits
          // at a rounding tie (e.g. acc = −9500, acc·0.0029999998 = −28.499998 → −28 in integers, while
          // ORT's float sum reaches −28.5 → −29): one step, and rarely.
          expect(ops).toContain("Conv");
          expect(beyondOneStep).toBe(0);
          expect(unequal).toBeLessThanOrEqual(total / 200);
        }
      }
    });
  });
});
