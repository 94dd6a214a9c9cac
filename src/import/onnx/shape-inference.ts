/**
 * Result shapes of imported ops, in ONNX's formulas (-1 = dynamic). The importer needs them to
 * type the ops it emits and to move axes between NCHW and NHWC.
 */
import { DYNAMIC } from "../../ir/types.js";

/** numpy broadcasting; a string is an error message (the float dialect's rule, shared). */
import { broadcastShape as broadcastShapes } from "../../../dialects/float/constraints.js";

export { broadcastShapes };

/** One spatial output extent: floor((in + pads − effective kernel) / stride) + 1; dynamic in, dynamic out. */
export function windowOutput(input: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number): number {
  if (input < 0) return DYNAMIC;
  return Math.floor((input + padBegin + padEnd - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

/** ONNX auto_pad SAME_UPPER / SAME_LOWER pads of one dim: output ceil(in / stride), the odd pixel at the end (UPPER) or start (LOWER). */
export function samePads(input: number, kernel: number, stride: number, dilation: number, lower: boolean): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
  const small = Math.floor(total / 2);
  return lower ? [total - small, small] : [small, total - small];
}

/** Product of dims, dynamic when any is. */
export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) {
    if (d < 0) return DYNAMIC;
    p *= d;
  }
  return p;
}

/** numpy.matmul result shape; a string is an error message. */
export function matmulShape(a: readonly number[], b: readonly number[]): number[] | string {
  if (a.length === 0 || b.length === 0) return "matmul operands must have rank ≥ 1";
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1]!;
  const k2 = b2[b2.length - 2]!;
  if (k1 >= 0 && k2 >= 0 && k1 !== k2) return `inner dims differ: [${a.join(", ")}] · [${b.join(", ")}]`;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  if (typeof batch === "string") return batch;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}
