/**
 * `hw.max_pool2d` and `hw.avg_pool2d` on integers (NHWC), TFLite reference_integer_ops MaxPool /
 * AveragePool and CMSIS-NN arm_max_pool_s8 / arm_avgpool_s8. Both pool stored values directly, so the
 * result has the input's element type (same scale and zero point). Padding is never a candidate and
 * never counted in an average; the average rounds half away from zero (TFLite). A fused relu is the
 * clamp [act_min, act_max].
 */
import type { AttrDict } from "../../../src/ir/attributes.js";
import { intAttr } from "../../../src/ir/attr-access.js";
import { defineOp, type AttrSpec, type OpDef } from "../../../src/ir/opdef.js";
import type { Type } from "../../../src/ir/types.js";
import { DYNAMIC } from "../../../src/ir/types.js";
import { avgPool2d, maxPool2d, type Pool2DAttrs } from "../kernels/pool.js";
import { attributesOf, checkedPair, orThrow, withDefaults } from "../attributes.js";
import { shapeOf, storageOf, storageTensor, typeText } from "../constraints.js";
import { verifyActivationBounds } from "../requant.js";
import { kernelWindow, readWindow, strideAttributes, windowOutput } from "../window.js";

const poolTensor = storageTensor(["i8", "u8", "i16"]);

const poolAttributes: Readonly<Record<string, AttrSpec>> = {
  kernel: { kind: "ints", doc: "[kernel_y, kernel_x], each ≥ 1" },
  ...strideAttributes,
  act_min: { kind: "int", optional: true, doc: "Lower clamp bound; default the storage minimum" },
  act_max: { kind: "int", optional: true, doc: "Upper clamp bound; default the storage maximum" },
};

function inferPool(types: readonly Type[], raw: AttrDict): readonly Type[] | string {
  const attrs = withDefaults(raw, poolAttributes);
  const input = types[0]!;
  if (input.kind !== "tensor") return `input must be a tensor, got ${typeText(input)}`;
  const kernel = checkedPair(attrs, "kernel", 1);
  if (typeof kernel === "string") return kernel;
  const w = readWindow(attrs, false);
  if (typeof w === "string") return w;
  // A window lying wholly in padding has no element to pool (TFLite rejects it).
  if (w.padding[0] >= kernel[0] || w.padding[2] >= kernel[0] || w.padding[1] >= kernel[1] || w.padding[3] >= kernel[1]) {
    return `each padding [${w.padding.join(", ")}] must be smaller than the kernel [${kernel.join(", ")}] on its axis`;
  }
  const shape = shapeOf(input);
  if (shape === undefined) return [{ kind: "tensor", shape: null, element: input.element }];
  if (shape.length !== 4) return `input must be a rank-4 NHWC tensor, got ${typeText(input)}`;
  const hw = windowOutput(w, [shape[1]!, shape[2]!], kernel);
  if (typeof hw === "string") return hw;
  return [{ kind: "tensor", shape: [shape[0] ?? DYNAMIC, hw[0], hw[1], shape[3] ?? DYNAMIC], element: input.element }];
}

function kernelAttrs(attrs: AttrDict, opName: string, min: number, max: number): Pool2DAttrs {
  return {
    kernel: orThrow(checkedPair(attrs, "kernel", 1), opName),
    ...kernelWindow(orThrow(readWindow(attrs, false), opName)),
    act_min: intAttr(attrs, "act_min", min),
    act_max: intAttr(attrs, "act_max", max),
  };
}

function definePool(kind: "max" | "avg"): OpDef {
  const run = kind === "max" ? maxPool2d : avgPool2d;
  return defineOp({
    name: `hw.${kind}_pool2d`,
    summary: kind === "max" ? "Integer 2-D max pooling (NHWC)" : "Integer 2-D average pooling (NHWC), rounding half away from zero",
    operands: [{ name: "input", type: poolTensor }],
    results: [{ name: "result", type: poolTensor }],
    attributes: poolAttributes,
    // Both pool raw stored values, which is only meaningful with one scale in and out.
    traits: ["Pure", "SameOperandsAndResultScale"],
    inferResultTypes: inferPool,
    verify(op, ctx) {
      verifyActivationBounds(attributesOf(op), storageOf(op.results[0]?.type), (m) => ctx.error(m));
    },
    kernel(inputs, op) {
      const s = storageOf(op.results[0]!.type)!;
      return [run(inputs[0]!, kernelAttrs(attributesOf(op), op.name, s.min, s.max))];
    },
  });
}

export const maxPool2dOp = definePool("max");
export const avgPool2dOp = definePool("avg");
