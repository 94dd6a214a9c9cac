/** `float.const`: a constant tensor (weights, biases, any literal). */
import { defineOp, registerConstantMaterializer } from "../../../src/ir/opdef.js";
import { makeOperation } from "../../../src/ir/operation.js";
import { attrDict } from "../../../src/ir/attributes.js";
import { denseAttr } from "../../../src/ir/attr-access.js";
import { denseToTensor } from "../../../src/interp/dense-tensor.js";
import { printType } from "../../../src/syntax/printer.js";
import { anyTensor } from "../constraints.js";

export const constOp = defineOp({
  name: "float.const",
  summary: "A constant tensor",
  description: "`value` is a dense attribute whose type is the result type. Layout follows its users (OHWI conv weights).",
  operands: [],
  results: [{ name: "result", type: anyTensor }],
  attributes: { value: { kind: "dense", doc: "The constant's elements" } },
  traits: ["Pure", "ConstantLike"],
  inferResultTypes: (_types, attrs) => {
    const v = attrs["value"];
    return v && v.kind === "dense" ? [v.type] : "requires a dense 'value' attribute";
  },
  verify(op, ctx) {
    const v = denseAttr(op, "value");
    if (v && printType(v.type) !== printType(op.results[0]!.type)) ctx.error(`value type ${printType(v.type)} does not match result type ${printType(op.results[0]!.type)}`);
  },
  kernel: (_inputs, op) => [denseToTensor(denseAttr(op, "value")!)],
});

registerConstantMaterializer("float", (value, type, loc) => {
  if (value.kind !== "dense" || printType(value.type) !== printType(type)) return undefined;
  return makeOperation({ name: "float.const", attributes: attrDict([["value", value]]), resultTypes: [type], loc });
});
