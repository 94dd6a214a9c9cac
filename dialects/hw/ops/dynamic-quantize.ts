/**
 * `hw.dynamic_quantize`: ONNX DynamicQuantizeLinear. The scale and zero point are computed at run
 * time from the input's range, so they are results (not attributes and not a `!quant.uniform` type):
 *   (x: f32 tensor) -> (y: ui8 tensor of x's shape, y_scale: tensor<f32>, y_zero_point: tensor<ui8>)
 * Semantics and arithmetic (float32, as ONNX Runtime) in ../kernels/dynamic-quantize.ts.
 */
import type { TypeConstraint } from "../../../src/ir/opdef.js";
import { defineOp } from "../../../src/ir/opdef.js";
import type { Type } from "../../../src/ir/types.js";
import { dynamicQuantize } from "../kernels/dynamic-quantize.js";
import { checkShape, shapeOf, storageTensor, typeText } from "../constraints.js";

const f32Tensor: TypeConstraint = {
  description: "a tensor of f32 values",
  accepts: (t) => t.kind === "tensor" && t.element.kind === "float" && t.element.name === "f32",
};

/** ONNX fixes DynamicQuantizeLinear's output to uint8: plain storage, its scale is only known at run time. */
const u8Tensor = storageTensor(["u8"], { quantized: false });

/** An error unless `t` is a rank-0 tensor (an unranked one is accepted). */
function scalarError(what: string, t: Type | undefined): string | undefined {
  const shape = shapeOf(t);
  if (t === undefined || shape === undefined || shape.length === 0) return undefined;
  return `${what} must be a scalar (shape []), got ${typeText(t)}`;
}

export const dynamicQuantizeOp = defineOp({
  name: "hw.dynamic_quantize",
  summary: "Quantize f32 to ui8 with a scale and zero point taken from the input's range (ONNX DynamicQuantizeLinear)",
  description:
    "min = min(0, min x), max = max(0, max x); y_scale = (max − min)/255 (1 when max = min); " +
    "y_zero_point = round_half_even(clamp(−min/y_scale, 0, 255)); y = clamp(round_half_even(x/y_scale) + y_zero_point, 0, 255). " +
    "All in float32, as ONNX Runtime computes it.",
  operands: [{ name: "x", type: f32Tensor, doc: "Float32 values to quantize" }],
  results: [
    { name: "y", type: u8Tensor, doc: "Quantized values, x's shape" },
    { name: "y_scale", type: f32Tensor, doc: "Scale, shape []" },
    { name: "y_zero_point", type: u8Tensor, doc: "Zero point, shape []" },
  ],
  traits: ["Pure"],
  verify(op, ctx) {
    const input = shapeOf(op.operands[0]?.type);
    const e = input && checkShape("result 'y'", shapeOf(op.results[0]?.type), input);
    if (e) ctx.error(`${e}, the input's shape`);
    for (const [i, what] of [[1, "'y_scale'"], [2, "'y_zero_point'"]] as const) {
      const s = scalarError(what, op.results[i]?.type);
      if (s) ctx.error(s);
    }
  },
  kernel: (inputs) => dynamicQuantize(inputs[0]!),
});
