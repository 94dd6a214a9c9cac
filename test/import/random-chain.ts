/**
 * Random chains of layout-sensitive ONNX ops on a rank-4 NCHW input (Conv, depthwise Conv, pools,
 * Transpose, Flatten/Unsqueeze, Concat, Softmax, Pad, BatchNormalization, broadcasting Add, Relu),
 * deterministic in the seed.
 */
import type { Tensor } from "../../src/interp/tensor.js";
import { float, randomTensor, rng, tensor, type ModelSpec, type NodeSpec } from "./onnx-model.js";

export function randomChain(seed: number): { spec: ModelSpec; inputs: Record<string, Tensor> } {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  let shape = [int(1, 2), int(1, 4), int(3, 6), int(3, 6)];
  const inputShape = [...shape];
  const nodes: NodeSpec[] = [];
  const initializers: Record<string, Tensor> = {};
  let cur = "x";
  let k = 0;
  const fresh = (p: string): string => `${p}${k++}`;
  const emit = (op: string, inputs: string[], attrs: NodeSpec["attrs"], next: number[]): void => {
    const out = fresh("v");
    nodes.push({ op, inputs: [cur, ...inputs], outputs: [out], ...(attrs ? { attrs } : {}) });
    cur = out;
    shape = next;
  };
  const steps = int(2, 7);
  for (let s = 0; s < steps; s++) {
    const rank = shape.length;
    // Start with a Conv most of the time so that the chain runs in NHWC.
    const choice = s === 0 && r() < 0.7 ? 0 : int(0, 11);
    if (rank === 4 && choice === 0) {
      const kk = r() < 0.5 ? 1 : 3;
      const o = int(1, 4);
      const w = fresh("w");
      initializers[w] = randomTensor([o, shape[1]!, kk, kk], seed + s);
      emit("Conv", [w], { pads: kk === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0] }, [shape[0]!, o, shape[2]!, shape[3]!]);
    } else if (rank === 4 && choice === 1 && shape[1]! > 1) {
      const w = fresh("w");
      initializers[w] = randomTensor([shape[1]!, 1, 3, 3], seed + s);
      emit("Conv", [w], { group: shape[1]!, pads: [1, 1, 1, 1] }, [...shape]);
    } else if (rank === 4 && choice === 2 && shape[2]! >= 2 && shape[3]! >= 2) {
      emit(r() < 0.5 ? "MaxPool" : "AveragePool", [], { kernel_shape: [2, 2] }, [shape[0]!, shape[1]!, shape[2]! - 1, shape[3]! - 1]);
    } else if (choice === 3) {
      const perm = Array.from({ length: rank }, (_, i) => i).sort(() => r() - 0.5);
      emit("Transpose", [], { perm }, perm.map((p) => shape[p]!));
    } else if (choice === 4 && rank > 2) {
      const axis = int(1, rank - 1);
      const flat = [shape.slice(0, axis).reduce((a, b) => a * b, 1), shape.slice(axis).reduce((a, b) => a * b, 1)];
      emit("Flatten", [], { axis }, flat);
    } else if (choice === 4 && rank === 2) {
      const axes = fresh("axes");
      initializers[axes] = tensor("i64", [2], [2, 3]);
      emit("Unsqueeze", [axes], undefined, [...shape, 1, 1]);
    } else if (choice === 5) {
      const c = fresh("c");
      const keep = int(1, rank);
      const bshape = shape.slice(rank - keep).map((d) => (r() < 0.4 ? 1 : d));
      initializers[c] = randomTensor(bshape, seed + 100 + s);
      emit("Add", [c], undefined, [...shape]);
    } else if (choice === 6) {
      const other = cur;
      const relu = fresh("r");
      nodes.push({ op: "Relu", inputs: [other], outputs: [relu] });
      const axis = int(0, rank - 1);
      const next = [...shape];
      next[axis] = shape[axis]! * 2;
      emit("Concat", [relu], { axis }, next);
    } else if (choice === 7) {
      emit("Softmax", [], { axis: int(-rank, rank - 1) }, [...shape]);
    } else if (choice === 8) {
      const pads = Array.from({ length: 2 * rank }, () => int(0, 1));
      const p = fresh("pads");
      initializers[p] = tensor("i64", [2 * rank], pads);
      emit("Pad", [p], undefined, shape.map((d, i) => d + pads[i]! + pads[rank + i]!));
    } else if (choice === 9 && rank >= 2) {
      const c = shape[1]!;
      const names = ["g", "b", "m", "v"].map(fresh);
      initializers[names[0]!] = randomTensor([c], seed + 200 + s, 0.5, 1.5);
      initializers[names[1]!] = randomTensor([c], seed + 300 + s);
      initializers[names[2]!] = randomTensor([c], seed + 400 + s);
      initializers[names[3]!] = randomTensor([c], seed + 500 + s, 0.2, 2);
      emit("BatchNormalization", names, { epsilon: float(1e-3) }, [...shape]);
    } else if (choice === 10 && rank === 4) {
      emit("GlobalAveragePool", [], undefined, [shape[0]!, shape[1]!, 1, 1]);
    } else {
      emit("Relu", [], undefined, [...shape]);
    }
  }
  const spec: ModelSpec = { inputs: [{ name: "x", shape: inputShape }], outputs: [{ name: cur }], nodes, initializers };
  return { spec, inputs: { x: randomTensor(inputShape, seed + 999) } };
}
