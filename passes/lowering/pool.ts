/**
 * max_pool2d / avg_pool2d / mean in QDQ form → `hw.max_pool2d` / `hw.avg_pool2d` on the input's stored
 * values (same scale in and out; the pass rescales to the result's `quant.qcast` type where it differs).
 * Padding becomes explicit; ONNX ceil_mode becomes extra end padding (hw pools never count padding).
 * `float.mean` over H and W of an NHWC tensor is a global average pool (TFLite MEAN), plus `hw.reshape`
 * when the reduced dims are dropped; any other mean is refused.
 */
import { attr, boolAttr, numbersAttr } from "../../src/ir/attr-access.js";
import { printType } from "../../src/syntax/printer.js";
import { opAttributes } from "../../dialects/float/attribute-defaults.js";
import { readWindow, resolvePads } from "../../dialects/float/window.js";
import { refuse } from "../../src/quant/lowering-params.js";
import { shapeOf, tensorLike, type LoweringEnv, type Lowered, type Site } from "./env.js";


export function lowerPool(site: Site, env: LoweringEnv, kind: "max" | "avg"): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  if (kind === "avg") env.output(site);
  const a = opAttributes(op);
  const kernel = numbersAttr(a, "kernel") ?? [];
  if (kernel.length !== 2) refuse(`'kernel' must have two values`);
  const window = readWindow(a);
  if (typeof window === "string") refuse(window);
  if (window.dilations[0] !== 1 || window.dilations[1] !== 1) refuse(`hw pools have no dilations (got [${window.dilations.join(", ")}])`);
  const shape = shapeOf(x.type);
  if (!shape || shape.length !== 4) refuse(`the input must be a ranked NHWC tensor, got ${printType(x.type)}`);
  const [H, W] = [shape[1]!, shape[2]!];
  if ((window.padding.kind === "same" || window.ceilMode) && (H < 0 || W < 0)) refuse(`padding needs static spatial dims, got ${printType(x.type)}`);
  const pads = [...resolvePads(window, [H, W], [kernel[0]!, kernel[1]!])];
  if (window.ceilMode) {
    // ONNX ceil_mode: the last windows overhang the input; extra end padding (never counted) gives the same windows.
    const result = shapeOf(op.results[0]!.type);
    const outHW = [result?.[1] ?? -1, result?.[2] ?? -1];
    if (outHW[0]! < 0 || outHW[1]! < 0) refuse(`ceil_mode needs a static result shape`);
    for (const d of [0, 1] as const) {
      const needed = (outHW[d]! - 1) * window.strides[d] + kernel[d]! - (d === 0 ? H : W) - pads[d]!;
      pads[d + 2] = Math.max(pads[d + 2]!, needed);
    }
  }
  if (kind === "avg" && boolAttr(a, "count_include_pad") && pads.some((p) => p > 0)) refuse(`hw.avg_pool2d never counts padding (count_include_pad = true with padding [${pads.join(", ")}])`);
  if (pads[0]! >= kernel[0]! || pads[2]! >= kernel[0]! || pads[1]! >= kernel[1]! || pads[3]! >= kernel[1]!) {
    refuse(`a padding [${pads.join(", ")}] as large as the kernel [${kernel.join(", ")}] leaves windows wholly in padding`);
  }
  const type = tensorLike(op.results[0]!.type, x.q);
  const attrs = { kernel: attr.ints(kernel), strides: attr.ints(window.strides), padding: attr.ints(pads) };
  return { value: env.emit(`hw.${kind}_pool2d`, [x.value], attrs, type, op.loc), exact: kind === "max" };
}

export function lowerMean(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  env.output(site);
  const a = opAttributes(op);
  const shape = shapeOf(x.type);
  const axes = (numbersAttr(a, "axes") ?? []).map((d) => (shape && d < 0 ? d + shape.length : d));
  if (!shape || shape.length !== 4 || axes.length !== 2 || !axes.includes(1) || !axes.includes(2)) {
    refuse(`only a mean over H and W of an NHWC tensor (axes [1, 2]) is a global average pool; this one reduces axes [${numbersAttr(a, "axes")?.join(", ")}] of ${printType(x.type)}`);
  }
  const [N, H, W, C] = shape as [number, number, number, number];
  if (H < 0 || W < 0) refuse(`a global average pool needs static H and W, got ${printType(x.type)}`);
  env.require("avg_pool2d", x.storage, "the global average pool");
  const pooled = env.emit(
    "hw.avg_pool2d",
    [x.value],
    { kernel: attr.ints([H, W]), strides: attr.ints([1, 1]), padding: attr.ints([0, 0, 0, 0]) },
    { kind: "tensor", shape: [N, 1, 1, C], element: x.q },
    op.loc,
  );
  if (boolAttr(a, "keepdims", true)) return { value: pooled, exact: false };
  env.require("reshape", x.storage, "dropping the reduced dims");
  return { value: env.emit("hw.reshape", [pooled], {}, tensorLike(op.results[0]!.type, x.q), op.loc), exact: false };
}
