/**
 * Every float op end to end: parse a one-op module, verify it, interpret it and compare with a
 * straightforward reference written here; run it again with a dynamic batch dim (inference must give
 * `?` there and the kernel must work from the runtime shape); and fold the same op on constants with
 * canonicalize, which must give the interpreted result bit for bit.
 */
import { describe, expect, it } from "vitest";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { printType } from "../../src/syntax/printer.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { formatDiagnostic } from "../../src/ir/diagnostic.js";
import { attrsOf } from "../../src/ir/attr-access.js";
import { getOpDef, hasTrait } from "../../src/ir/opdef.js";
import type { Module, Operation } from "../../src/ir/operation.js";
import { interpret } from "../../src/interp/interpreter.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { roundToF16 } from "../../src/interp/tensor.js";
import { PassManager } from "../../src/pass/manager.js";
import { canonicalize } from "../../passes/canonicalize.js";
import { floatOpTable } from "../../dialects/float/doc.js";
import { readFileSync } from "node:fs";
import { expectClose, indices, offsetOf, randomFloats } from "./f32-check.js";

// ---------------------------------------------------------------------------------------------------
// Harness

interface T {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

interface Case {
  readonly title: string;
  readonly op: string;
  /** Attribute dictionary text, e.g. `{strides = [2, 2]}`. */
  readonly attrs?: string;
  readonly inputs: readonly T[];
  /** The result shape the op must infer. */
  readonly result: readonly number[];
  readonly reference: (inputs: readonly T[]) => Float32Array;
  /** Inputs whose dim 0 becomes `?` in the dynamic-batch run (the result's dim 0 does too); [] skips that run. */
  readonly dynamicBatch?: readonly number[];
  readonly rel?: number;
}

let seed = 1;
function rand(shape: readonly number[], lo = -1, hi = 1): T {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, data: randomFloats(n, seed++, lo, hi) };
}

function typeText(shape: readonly number[], dynamicFirst = false, element = "f32"): string {
  const dims = shape.map((d, i) => (i === 0 && dynamicFirst ? "?" : String(d)));
  return `tensor<${[...dims, element].join("x")}>`;
}

function hexOf(data: Float32Array): string {
  return "0x" + Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("hex").toUpperCase();
}

/** A module whose @main applies the case's op to arguments, or (`constants`) to float.const operands. */
function moduleText(c: Case, mode: "args" | "dynamic" | "constants"): string {
  const dyn = mode === "dynamic" ? (c.dynamicBatch ?? [0]) : [];
  const inTypes = c.inputs.map((t, i) => typeText(t.shape, dyn.includes(i)));
  const outType = typeText(c.result, mode === "dynamic");
  const lines: string[] = [];
  let names: string[];
  if (mode === "constants") {
    lines.push(`func.func @main() -> ${outType} {`);
    names = c.inputs.map((t, i) => {
      lines.push(`  %c${i} = "float.const"() {value = dense<"${hexOf(t.data)}"> : ${inTypes[i]}} : () -> ${inTypes[i]}`);
      return `%c${i}`;
    });
  } else {
    names = c.inputs.map((_, i) => `%a${i}`);
    lines.push(`func.func @main(${names.map((n, i) => `${n}: ${inTypes[i]}`).join(", ")}) -> ${outType} {`);
  }
  lines.push(`  %r = "${c.op}"(${names.join(", ")}) ${c.attrs ?? ""} : (${inTypes.join(", ")}) -> ${outType}`);
  lines.push(`  return %r : ${outType}`, "}");
  return lines.join("\n") + "\n";
}

function parseVerified(text: string): Module {
  const m = parseModule(text, { filename: "ops.test.mlir" });
  const errors = verifyModule(m);
  expect(errors.map(formatDiagnostic), text).toEqual([]);
  return m;
}

function bodyOps(m: Module): readonly Operation[] {
  const func = m.ops.find((o) => o.name === "func.func")!;
  return func.regions[0]!.blocks[0]!.ops;
}

const asTensor = (t: T): Tensor => ({ dtype: "f32", shape: t.shape, data: t.data });

function runCase(c: Case): void {
  it(`${c.op} ${c.title}`, () => {
    const m = parseVerified(moduleText(c, "args"));
    const [out] = interpret(m, c.inputs.map(asTensor));
    expect(out!.shape).toEqual(c.result);
    const expected = c.reference(c.inputs);
    expectClose(out!.data as Float32Array, expected, c.rel ?? 1e-5);

    // Dynamic batch: inference keeps dim 0 dynamic and the kernel reads the runtime shape.
    if ((c.dynamicBatch ?? [0]).length > 0) {
      const dm = parseVerified(moduleText(c, "dynamic"));
      const op = bodyOps(dm)[0]!;
      const inferred = getOpDef(c.op)!.inferResultTypes!(op.operands.map((v) => v.type), attrsOf(op));
      if (c.op !== "float.reshape" || typeof inferred === "string" || inferred.length > 0) {
        expect(typeof inferred === "string" ? inferred : inferred.map(printType)).toEqual([typeText(c.result, true)]);
      }
      const [dout] = interpret(dm, c.inputs.map(asTensor));
      expect(dout!.shape).toEqual(c.result);
      expect(Array.from(dout!.data as Float32Array)).toEqual(Array.from(out!.data as Float32Array));
    }

    // Constant folding through canonicalize gives the interpreted result exactly.
    const cm = parseVerified(moduleText(c, "constants"));
    const folded = new PassManager().add(canonicalize()).run(cm);
    const ops = bodyOps(folded);
    expect(ops.map((o) => o.name)).toEqual(["float.const", "func.return"]);
    const [fout] = interpret(folded, []);
    expect(fout!.shape).toEqual(c.result);
    expect(Array.from(fout!.data as Float32Array)).toEqual(Array.from(out!.data as Float32Array));
  });
}

// ---------------------------------------------------------------------------------------------------
// References (plain loops over multi-indices, f64 sums)

const get = (t: T, idx: readonly number[]): number => t.data[offsetOf(idx, t.shape)]!;

function build(shape: readonly number[], f: (idx: number[]) => number): Float32Array {
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  let i = 0;
  for (const idx of indices(shape)) out[i++] = f(idx);
  return out;
}

type Act = (v: number) => number;
const noAct: Act = (v) => v;
const reluAct: Act = (v) => Math.max(v, 0);
const relu6Act: Act = (v) => Math.min(Math.max(v, 0), 6);

/** TFLite SAME (ONNX SAME_UPPER) pads of one dim: [begin, end]. */
function samePads(input: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

interface Geometry {
  strides?: [number, number];
  dilations?: [number, number];
  pads?: [number, number, number, number];
}

function refConv(x: T, w: T, b: T | undefined, g: Geometry & { groups?: number }, act: Act = noAct): Float32Array {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [O, KH, KW, Cg] = w.shape as [number, number, number, number];
  const [sh, sw] = g.strides ?? [1, 1];
  const [dh, dw] = g.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = g.pads ?? [0, 0, 0, 0];
  const groups = g.groups ?? 1;
  expect(Cg * groups).toBe(C);
  const OH = Math.floor((H + pt + pb - ((KH - 1) * dh + 1)) / sh) + 1;
  const OW = Math.floor((W + pl + pr - ((KW - 1) * dw + 1)) / sw) + 1;
  const Og = O / groups;
  return build([N, OH, OW, O], ([n, oh, ow, o]) => {
    const grp = Math.floor(o! / Og);
    let s = b ? b.data[o!]! : 0;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ih = oh! * sh - pt + kh * dh;
        const iw = ow! * sw - pl + kw * dw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        for (let ci = 0; ci < Cg; ci++) s += get(x, [n!, ih, iw, grp * Cg + ci]) * get(w, [o!, kh, kw, ci]);
      }
    }
    return act(s);
  });
}

function refDepthwise(x: T, w: T, b: T | undefined, g: Geometry & { multiplier: number }, act: Act = noAct): Float32Array {
  const [N, H, W] = x.shape as [number, number, number, number];
  const [, KH, KW, CM] = w.shape as [number, number, number, number];
  const [sh, sw] = g.strides ?? [1, 1];
  const [dh, dw] = g.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = g.pads ?? [0, 0, 0, 0];
  const OH = Math.floor((H + pt + pb - ((KH - 1) * dh + 1)) / sh) + 1;
  const OW = Math.floor((W + pl + pr - ((KW - 1) * dw + 1)) / sw) + 1;
  return build([N, OH, OW, CM], ([n, oh, ow, k]) => {
    let s = b ? b.data[k!]! : 0;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ih = oh! * sh - pt + kh * dh;
        const iw = ow! * sw - pl + kw * dw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        s += get(x, [n!, ih, iw, Math.floor(k! / g.multiplier)]) * get(w, [0, kh, kw, k!]);
      }
    }
    return act(s);
  });
}

function refPool(x: T, kind: "max" | "avg", g: Geometry & { kernel: [number, number]; ceil?: boolean; includePad?: boolean }): { shape: number[]; data: Float32Array } {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW] = g.kernel;
  const [sh, sw] = g.strides ?? [1, 1];
  const [pt, pl, pb, pr] = g.pads ?? [0, 0, 0, 0];
  const extent = (input: number, k: number, s: number, p0: number, p1: number): number => {
    const span = input + p0 + p1 - k;
    if (!g.ceil) return Math.floor(span / s) + 1;
    const out = Math.ceil(span / s) + 1;
    return (out - 1) * s >= input + p0 ? out - 1 : out;
  };
  const OH = extent(H, KH, sh, pt, pb);
  const OW = extent(W, KW, sw, pl, pr);
  const shape = [N, OH, OW, C];
  const data = build(shape, ([n, oh, ow, c]) => {
    let best = -Infinity;
    let sum = 0;
    let count = 0;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ih = oh! * sh - pt + kh;
        const iw = ow! * sw - pl + kw;
        const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
        const inPadded = ih >= -pt && ih < H + pb && iw >= -pl && iw < W + pr;
        if (inside || (g.includePad && inPadded)) count++;
        if (!inside) continue;
        const v = get(x, [n!, ih, iw, c!]);
        best = Math.max(best, v);
        sum += v;
      }
    }
    return kind === "max" ? best : sum / count;
  });
  return { shape, data };
}

function refMatmul(a: T, b: T, transA: boolean, transB: boolean, outShape: readonly number[]): Float32Array {
  // Vectors become a row (a) or a column (b); batch dims broadcast right-aligned.
  const av = a.shape.length === 1;
  const bv = b.shape.length === 1;
  const as = av ? [1, a.shape[0]!] : [...a.shape];
  const bs = bv ? [b.shape[0]!, 1] : [...b.shape];
  const K = transA ? as[as.length - 2]! : as[as.length - 1]!;
  const full = [...outShape];
  if (av) full.splice(full.length - (bv ? 0 : 1), 0, 1);
  if (bv) full.push(1);
  const batchRank = full.length - 2;
  const data = build(full, (idx) => {
    const i = idx[batchRank]!;
    const j = idx[batchRank + 1]!;
    const batchOf = (shape: number[]): number[] => {
      const own = shape.length - 2;
      return idx.slice(batchRank - own, batchRank).map((v, d) => (shape[d] === 1 ? 0 : v));
    };
    const ab = batchOf(as);
    const bb = batchOf(bs);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const x = a.data[offsetOf([...ab, ...(transA ? [k, i] : [i, k])], as)]!;
      const y = b.data[offsetOf([...bb, ...(transB ? [j, k] : [k, j])], bs)]!;
      s += x * y;
    }
    return s;
  });
  return data;
}

function elementwise(f: (v: number) => number): (inputs: readonly T[]) => Float32Array {
  return ([x]) => Float32Array.from(x!.data, f);
}

// ---------------------------------------------------------------------------------------------------
// Cases

describe("float ops: verify, interpret, dynamic batch, fold", () => {
  // conv2d: groups, strides, dilations, explicit pads, bias, relu6.
  {
    const x = rand([2, 5, 6, 4]);
    const w = rand([6, 3, 3, 2]);
    const b = rand([6]);
    runCase({
      title: "grouped, strided, dilated, explicit pads, bias, relu6",
      op: "float.conv2d",
      attrs: "{act = \"relu6\", dilations = [1, 2], groups = 2, padding = [1, 0, 2, 1], strides = [2, 1]}",
      inputs: [x, w, b],
      result: [2, 3, 3, 6],
      reference: () => refConv(x, w, b, { strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1], groups: 2 }, relu6Act),
    });
  }
  {
    const x = rand([1, 7, 8, 3]);
    const w = rand([4, 3, 3, 3]);
    const [pt, pb] = samePads(7, 3, 2, 1);
    const [pl, pr] = samePads(8, 3, 2, 1);
    runCase({
      title: "same padding, stride 2, no bias",
      op: "float.conv2d",
      attrs: "{padding = \"same\", strides = [2, 2]}",
      inputs: [x, w],
      result: [1, 4, 4, 4],
      reference: () => refConv(x, w, undefined, { strides: [2, 2], pads: [pt, pl, pb, pr] }),
    });
  }
  {
    const x = rand([2, 4, 4, 3]);
    const w = rand([5, 2, 2, 3]);
    const b = rand([5]);
    runCase({
      title: "valid (default) padding with a fused clamp",
      op: "float.conv2d",
      attrs: "{act = \"clamp\", act_max = 0.5, act_min = -0.25}",
      inputs: [x, w, b],
      result: [2, 3, 3, 5],
      reference: () => refConv(x, w, b, {}, (v) => Math.min(Math.max(v, Math.fround(-0.25)), 0.5)),
    });
  }
  {
    const x = rand([2, 6, 5, 3]);
    const w = rand([1, 3, 3, 6]);
    const b = rand([6]);
    const [pt, pb] = samePads(6, 3, 2, 1);
    const [pl, pr] = samePads(5, 3, 2, 1);
    runCase({
      title: "depth multiplier 2, same padding, stride 2, bias, relu",
      op: "float.depthwise_conv2d",
      attrs: "{act = \"relu\", depth_multiplier = 2, padding = \"same\", strides = [2, 2]}",
      inputs: [x, w, b],
      result: [2, 3, 3, 6],
      reference: () => refDepthwise(x, w, b, { strides: [2, 2], pads: [pt, pl, pb, pr], multiplier: 2 }, reluAct),
    });
  }
  {
    const x = rand([1, 6, 6, 4]);
    const w = rand([1, 3, 3, 4]);
    runCase({
      title: "dilation 2, explicit pads, no bias",
      op: "float.depthwise_conv2d",
      attrs: "{dilations = [2, 2], padding = [2, 1, 2, 1]}",
      inputs: [x, w],
      result: [1, 6, 4, 4],
      reference: () => refDepthwise(x, w, undefined, { dilations: [2, 2], pads: [2, 1, 2, 1], multiplier: 1 }),
    });
  }
  {
    const x = rand([2, 3, 5]);
    const w = rand([4, 5]);
    const b = rand([4]);
    runCase({
      title: "keeps leading dims, bias, relu",
      op: "float.fully_connected",
      attrs: "{act = \"relu\"}",
      inputs: [x, w, b],
      result: [2, 3, 4],
      reference: () => build([2, 3, 4], ([i, j, n]) => {
        let s = b.data[n!]!;
        for (let k = 0; k < 5; k++) s += get(x, [i!, j!, k]) * get(w, [n!, k]);
        return Math.max(s, 0);
      }),
    });
  }
  {
    const x = rand([3, 5]);
    const w = rand([2, 5]);
    runCase({
      title: "no bias",
      op: "float.fully_connected",
      inputs: [x, w],
      result: [3, 2],
      reference: () => build([3, 2], ([i, n]) => {
        let s = 0;
        for (let k = 0; k < 5; k++) s += get(x, [i!, k]) * get(w, [n!, k]);
        return s;
      }),
    });
  }
  {
    const a = rand([2, 3, 4]);
    const b = rand([4, 5]);
    runCase({ title: "batched a, shared b", op: "float.matmul", inputs: [a, b], result: [2, 3, 5], reference: () => refMatmul(a, b, false, false, [2, 3, 5]) });
  }
  {
    const a = rand([2, 1, 3, 4]);
    const b = rand([3, 5, 4]);
    runCase({
      title: "broadcast batch dims, transpose_b",
      op: "float.matmul",
      attrs: "{transpose_b = true}",
      inputs: [a, b],
      result: [2, 3, 3, 5],
      reference: () => refMatmul(a, b, false, true, [2, 3, 3, 5]),
    });
  }
  {
    const a = rand([2, 4, 3]);
    const b = rand([2, 4, 2]);
    runCase({
      title: "transpose_a",
      op: "float.matmul",
      attrs: "{transpose_a = true}",
      inputs: [a, b],
      result: [2, 3, 2],
      reference: () => refMatmul(a, b, true, false, [2, 3, 2]),
      dynamicBatch: [0, 1],
    });
  }
  {
    const a = rand([4]);
    const b = rand([2, 4, 3]);
    runCase({ title: "1-D a (row vector)", op: "float.matmul", inputs: [a, b], result: [2, 3], reference: () => refMatmul(a, b, false, false, [2, 3]), dynamicBatch: [1] });
  }

  const unary: Array<[string, string | undefined, (v: number) => number]> = [
    ["float.relu", undefined, (v) => Math.max(v, 0)],
    ["float.relu6", undefined, (v) => Math.min(Math.max(v, 0), 6)],
    ["float.clamp", "{max = 2.5, min = -1.0}", (v) => Math.min(Math.max(v, -1), 2.5)],
    ["float.leaky_relu", "{alpha = 0.2}", (v) => (v < 0 ? v * Math.fround(0.2) : v)],
    ["float.leaky_relu", undefined, (v) => (v < 0 ? v * Math.fround(0.01) : v)],
    ["float.sigmoid", undefined, (v) => 1 / (1 + Math.exp(-v))],
    ["float.tanh", undefined, (v) => Math.tanh(v)],
    ["float.exp", undefined, (v) => Math.exp(v)],
    ["float.neg", undefined, (v) => -v],
    ["float.abs", undefined, (v) => Math.abs(v)],
  ];
  for (const [op, attrs, f] of unary) {
    const x = rand([2, 3, 4], -8, 8);
    runCase({ title: attrs ?? "(defaults)", op, ...(attrs ? { attrs } : {}), inputs: [x], result: [2, 3, 4], reference: elementwise(f) });
  }

  for (const axis of [undefined, 1]) {
    const x = rand([2, 3, 4], -4, 4);
    const ax = axis ?? 2;
    runCase({
      title: axis === undefined ? "last axis (default)" : `axis ${axis}`,
      op: "float.softmax",
      ...(axis !== undefined ? { attrs: `{axis = ${axis}}` } : {}),
      inputs: [x],
      result: [2, 3, 4],
      reference: () => build([2, 3, 4], (idx) => {
        let max = -Infinity;
        for (let k = 0; k < x.shape[ax]!; k++) max = Math.max(max, get(x, idx.map((v, d) => (d === ax ? k : v))));
        let sum = 0;
        for (let k = 0; k < x.shape[ax]!; k++) sum += Math.exp(get(x, idx.map((v, d) => (d === ax ? k : v))) - max);
        return Math.exp(get(x, idx) - max) / sum;
      }),
    });
  }

  {
    const x = rand([2, 7, 7, 3]);
    const [pt, pb] = samePads(7, 3, 2, 1);
    const ref = refPool(x, "max", { kernel: [3, 3], strides: [2, 2], pads: [pt, pt, pb, pb] });
    runCase({ title: "3x3 stride 2 same", op: "float.max_pool2d", attrs: "{kernel = [3, 3], padding = \"same\", strides = [2, 2]}", inputs: [x], result: ref.shape, reference: () => ref.data });
  }
  {
    const x = rand([1, 6, 6, 2]);
    const ref = refPool(x, "max", { kernel: [3, 3], strides: [2, 2], ceil: true });
    runCase({ title: "ceil_mode", op: "float.max_pool2d", attrs: "{ceil_mode = true, kernel = [3, 3], strides = [2, 2]}", inputs: [x], result: [1, 3, 3, 2], reference: () => ref.data });
  }
  for (const includePad of [false, true]) {
    const x = rand([2, 5, 5, 3]);
    const ref = refPool(x, "avg", { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], includePad });
    runCase({
      title: `explicit pads, count_include_pad = ${includePad}`,
      op: "float.avg_pool2d",
      attrs: `{count_include_pad = ${includePad}, kernel = [3, 3], padding = [1, 1, 1, 1], strides = [2, 2]}`,
      inputs: [x],
      result: [2, 3, 3, 3],
      reference: () => ref.data,
    });
  }
  {
    const x = rand([2, 4, 5, 3]);
    const ref = refPool(x, "avg", { kernel: [2, 2] });
    runCase({ title: "valid, stride 1", op: "float.avg_pool2d", attrs: "{kernel = [2, 2]}", inputs: [x], result: [2, 3, 4, 3], reference: () => ref.data });
  }

  {
    const x = rand([2, 4, 5, 3]);
    runCase({
      title: "global average pool (axes [1, 2], keepdims)",
      op: "float.mean",
      attrs: "{axes = [1, 2]}",
      inputs: [x],
      result: [2, 1, 1, 3],
      reference: () => build([2, 1, 1, 3], ([n, , , c]) => {
        let s = 0;
        for (let h = 0; h < 4; h++) for (let w = 0; w < 5; w++) s += get(x, [n!, h, w, c!]);
        return s / 20;
      }),
    });
  }
  {
    const x = rand([2, 3, 4]);
    runCase({
      title: "axes [-1] without keepdims",
      op: "float.mean",
      attrs: "{axes = [-1], keepdims = false}",
      inputs: [x],
      result: [2, 3],
      reference: () => build([2, 3], ([i, j]) => {
        let s = 0;
        for (let k = 0; k < 4; k++) s += get(x, [i!, j!, k]);
        return s / 4;
      }),
    });
  }

  {
    const x = rand([2, 3, 4]);
    runCase({ title: "shape from the result type", op: "float.reshape", inputs: [x], result: [2, 12], reference: () => x.data });
    runCase({ title: "shape attribute with -1", op: "float.reshape", attrs: "{shape = [-1, 12]}", inputs: [x], result: [2, 12], reference: () => x.data });
    runCase({ title: "shape attribute, -1 inside", op: "float.reshape", attrs: "{shape = [2, -1, 2]}", inputs: [x], result: [2, 6, 2], reference: () => x.data, dynamicBatch: [] });
  }
  {
    const x = rand([2, 3, 4, 5]);
    runCase({ title: "axis 1 (default)", op: "float.flatten", inputs: [x], result: [2, 60], reference: () => x.data });
    runCase({ title: "axis 2", op: "float.flatten", attrs: "{axis = 2}", inputs: [x], result: [6, 20], reference: () => x.data });
    runCase({ title: "axis 0", op: "float.flatten", attrs: "{axis = 0}", inputs: [x], result: [1, 120], reference: () => x.data, dynamicBatch: [] });
    runCase({ title: "axis -1", op: "float.flatten", attrs: "{axis = -1}", inputs: [x], result: [24, 5], reference: () => x.data });
  }
  {
    const x = rand([2, 3, 4, 5]);
    runCase({
      title: "NHWC to NCHW",
      op: "float.transpose",
      attrs: "{perm = [0, 3, 1, 2]}",
      inputs: [x],
      result: [2, 5, 3, 4],
      reference: () => build([2, 5, 3, 4], ([n, c, h, w]) => get(x, [n!, h!, w!, c!])),
    });
  }
  {
    const xs = [rand([2, 3, 2]), rand([2, 3, 1]), rand([2, 3, 4])];
    runCase({
      title: "three operands along the last axis",
      op: "float.concat",
      attrs: "{axis = -1}",
      inputs: xs,
      result: [2, 3, 7],
      reference: () => build([2, 3, 7], ([i, j, k]) => (k! < 2 ? get(xs[0]!, [i!, j!, k!]) : k! < 3 ? get(xs[1]!, [i!, j!, k! - 2]) : get(xs[2]!, [i!, j!, k! - 3]))),
      dynamicBatch: [0, 1, 2],
    });
  }
  {
    const xs = [rand([1, 3]), rand([2, 3])];
    runCase({
      title: "axis 0",
      op: "float.concat",
      attrs: "{axis = 0}",
      inputs: xs,
      result: [3, 3],
      reference: () => new Float32Array([...xs[0]!.data, ...xs[1]!.data]),
      dynamicBatch: [],
    });
  }
  {
    const x = rand([2, 3, 4]);
    runCase({
      title: "constant value, ONNX pads order",
      op: "float.pad",
      attrs: "{pads = [0, 1, 2, 0, 2, 1], value = 1.5}",
      inputs: [x],
      result: [2, 6, 7],
      reference: () => build([2, 6, 7], ([i, j, k]) => {
        const jj = j! - 1;
        const kk = k! - 2;
        return jj >= 0 && jj < 3 && kk >= 0 && kk < 4 ? get(x, [i!, jj, kk]) : 1.5;
      }),
    });
    runCase({
      title: "negative pads crop",
      op: "float.pad",
      attrs: "{pads = [0, -1, 1, 0, 0, -2]}",
      inputs: [x],
      result: [2, 2, 3],
      reference: () => build([2, 2, 3], ([i, j, k]) => (k! === 0 ? 0 : get(x, [i!, j! + 1, k! - 1]))),
    });
    runCase({
      title: "reflect mode",
      op: "float.pad",
      attrs: "{mode = \"reflect\", pads = [0, 0, 2, 0, 0, 1]}",
      inputs: [x],
      result: [2, 3, 7],
      reference: () => build([2, 3, 7], ([i, j, k]) => {
        let s = k! - 2;
        if (s < 0) s = -s;
        if (s > 3) s = 6 - s;
        return get(x, [i!, j!, s]);
      }),
    });
  }
  {
    const x = rand([2, 5, 6]);
    runCase({
      title: "negative start, clamped end, step 2",
      op: "float.slice",
      attrs: "{axes = [1, 2], ends = [4, 100], starts = [1, -5], steps = [1, 2]}",
      inputs: [x],
      result: [2, 3, 3],
      reference: () => build([2, 3, 3], ([i, j, k]) => get(x, [i!, j! + 1, 1 + 2 * k!])),
    });
    runCase({
      title: "negative step reverses",
      op: "float.slice",
      attrs: "{axes = [2], ends = [-100], starts = [-1], steps = [-1]}",
      inputs: [x],
      result: [2, 5, 6],
      reference: () => build([2, 5, 6], ([i, j, k]) => get(x, [i!, j!, 5 - k!])),
    });
  }
  {
    const x = rand([2, 3, 3, 4]);
    const scale = rand([4]);
    const bias = rand([4]);
    const mean = rand([4]);
    const variance = rand([4], 0.1, 2);
    runCase({
      title: "per channel of the last axis",
      op: "float.batch_norm",
      attrs: "{epsilon = 1.0e-3}",
      inputs: [x, scale, bias, mean, variance],
      result: [2, 3, 3, 4],
      reference: () => build([2, 3, 3, 4], (idx) => {
        const c = idx[3]!;
        return ((get(x, idx) - mean.data[c]!) / Math.sqrt(variance.data[c]! + Math.fround(1e-3))) * scale.data[c]! + bias.data[c]!;
      }),
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Inference on dynamic dims beyond the batch, traits, f16, docs

describe("float ops: inference details", () => {
  const infer = (op: string, operandTypes: string, attrs = "{}"): string => {
    const m = parseModule(`func.func @f(${operandTypes.split(";").map((t, i) => `%a${i}: ${t}`).join(", ")}) {\n  return\n}\n`);
    const types = m.ops[0]!.regions[0]!.blocks[0]!.args.map((a) => a.type);
    const attrModule = parseModule(`"test.holder"() ${attrs} : () -> ()\n`);
    const r = getOpDef(op)!.inferResultTypes!(types, attrsOf(attrModule.ops[0]!));
    return typeof r === "string" ? `error: ${r}` : r.map(printType).join(", ");
  };

  it("conv2d keeps a dynamic spatial dim dynamic and computes the static one", () => {
    expect(infer("float.conv2d", "tensor<?x?x9x3xf32>;tensor<8x3x3x3xf32>", '{padding = "same", strides = [2, 2]}')).toBe("tensor<?x?x5x8xf32>");
    expect(infer("float.conv2d", "tensor<*xf32>;tensor<8x3x3x3xf32>")).toBe("tensor<?x?x?x8xf32>");
  });
  it("matmul, fully_connected and concat propagate dynamic dims", () => {
    expect(infer("float.matmul", "tensor<?x3x4xf32>;tensor<1x4x?xf32>")).toBe("tensor<?x3x?xf32>");
    expect(infer("float.fully_connected", "tensor<?x?x16xf32>;tensor<10x16xf32>")).toBe("tensor<?x?x10xf32>");
    expect(infer("float.concat", "tensor<?x3xf32>;tensor<2x?xf32>", "{axis = 1}")).toBe("tensor<2x?xf32>");
  });
  it("reshape resolves -1 only when the element count is static", () => {
    expect(infer("float.reshape", "tensor<2x3x4xf32>", "{shape = [4, -1]}")).toBe("tensor<4x6xf32>");
    expect(infer("float.reshape", "tensor<?x3x4xf32>", "{shape = [-1, 12]}")).toBe("tensor<?x12xf32>");
    expect(infer("float.reshape", "tensor<2x3x4xf32>")).toBe("");
  });
  it("slice, pad and flatten keep dynamic dims dynamic", () => {
    expect(infer("float.slice", "tensor<?x10xf32>", "{axes = [1], ends = [8], starts = [2]}")).toBe("tensor<?x6xf32>");
    expect(infer("float.pad", "tensor<?x4xf32>", "{pads = [1, 1, 1, 1]}")).toBe("tensor<?x6xf32>");
    expect(infer("float.flatten", "tensor<2x?x4xf32>", "{axis = 1}")).toBe("tensor<2x?xf32>");
  });
  it("reports errors as strings", () => {
    expect(infer("float.conv2d", "tensor<1x8x8x3xf32>;tensor<8x3x3x3xf32>", '{padding = "bogus"}')).toMatch(/^error: padding must be/);
    expect(infer("float.transpose", "tensor<1x2x3xf32>", "{perm = [0, 0, 1]}")).toMatch(/not a permutation/);
  });
});

describe("float ops: traits and ranges", () => {
  it("declares the traits passes ask about", () => {
    for (const op of ["float.relu", "float.relu6", "float.clamp"]) expect(hasTrait(op, "RangeClamp")).toBe(true);
    for (const op of ["float.reshape", "float.transpose", "float.concat", "float.pad", "float.flatten", "float.max_pool2d", "float.slice"]) {
      expect(hasTrait(op, "SameOperandsAndResultScale"), op).toBe(true);
    }
    expect(hasTrait("float.avg_pool2d", "SameOperandsAndResultScale")).toBe(false);
    for (const op of ["float.conv2d", "float.depthwise_conv2d", "float.fully_connected"]) expect(hasTrait(op, "WeightedOp")).toBe(true);
    expect(getOpDef("float.sigmoid")!.fixedOutputRange).toEqual({ min: 0, max: 1 });
    expect(getOpDef("float.tanh")!.fixedOutputRange).toEqual({ min: -1, max: 1 });
    expect(getOpDef("float.softmax")!.fixedOutputRange).toEqual({ min: 0, max: 1 });
    for (const op of ["float.sigmoid", "float.tanh", "float.softmax"]) expect(hasTrait(op, "FixedOutputRange")).toBe(true);
  });

  it("f16 ops compute in f32 and store f16", () => {
    const m = parseVerified(`func.func @main(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = "float.sigmoid"(%x) : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}
`);
    const data = Float32Array.from([-2, -0.5, 0.25, 3], roundToF16);
    const [out] = interpret(m, [{ dtype: "f16", shape: [4], data }]);
    expect(out!.dtype).toBe("f16");
    expect(Array.from(out!.data as Float32Array)).toEqual(Array.from(data, (v) => roundToF16(1 / (1 + Math.exp(-v)))));
  });

  it("runs the every-op network of roundtrip.mlir on a runtime batch of 2", () => {
    const m = parseVerified(readFileSync(new URL("./roundtrip.mlir", import.meta.url), "utf8"));
    const x = rand([2, 8, 8, 3]);
    const v = rand([2, 16]);
    const outs = interpret(m, [asTensor(x), asTensor(v)]);
    expect(outs.map((o) => o.shape)).toEqual([[2, 10], [2, 4, 4, 8], [2, 8, 4, 4], [2, 3, 16]]);
    // Softmax rows sum to 1.
    const sm = outs[0]!.data as Float32Array;
    for (let r = 0; r < 2; r++) expect(sm.slice(r * 10, r * 10 + 10).reduce((p, q) => p + q, 0)).toBeCloseTo(1, 5);
  });

  it("documents every op with its layout", () => {
    const rows = floatOpTable();
    const names = rows.map((r) => r.name);
    for (const op of ["conv2d", "depthwise_conv2d", "fully_connected", "matmul", "relu", "relu6", "clamp", "leaky_relu", "sigmoid", "tanh", "exp", "neg", "abs", "softmax", "max_pool2d", "avg_pool2d", "mean", "reshape", "transpose", "concat", "pad", "flatten", "slice", "batch_norm"]) {
      expect(names).toContain(`float.${op}`);
    }
    for (const r of rows) expect(r.summary.length, r.name).toBeGreaterThan(0);
    expect(rows.find((r) => r.name === "float.conv2d")!.description).toMatch(/NHWC.*OHWI/);
    expect(rows.find((r) => r.name === "float.depthwise_conv2d")!.description).toMatch(/\[1, KH, KW, C·M\]/);
    expect(rows.find((r) => r.name === "float.fully_connected")!.description).toMatch(/\[N, K\]/);
  });
});
