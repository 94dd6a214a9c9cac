/**
 * Data movement in QDQ form → `hw.reshape` / `hw.transpose` / `hw.pad` / `hw.concat` on stored values:
 * the quantization does not change (SameOperandsAndResultScale), so the hw result dequantizes to exactly
 * the float result. `float.flatten` is a reshape. A constant pad value becomes its stored value (it must
 * lie on the quantization grid). Concat inputs whose parameters differ from the result's are each
 * requantized with `hw.rescale` first (TFLite's converter inserts the same requantize).
 */
import { attr, floatAttr, intAttr, numbersAttr, stringAttr } from "../../src/ir/attr-access.js";
import { typeEquals } from "../../src/ir/types.js";
import { printType } from "../../src/syntax/printer.js";
import { opAttributes } from "../../dialects/float/attribute-defaults.js";
import { refuse } from "../../src/quant/lowering-params.js";
import { shapeOf, tensorLike, type LoweringEnv, type Lowered, type Site } from "./env.js";


export function lowerReshape(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  const result = op.results[0]!.type;
  const shape = shapeOf(result);
  if (!shape || shape.filter((d) => d < 0).length > 1) refuse(`hw.reshape needs a ranked result with at most one dynamic dim, got ${printType(result)}`);
  return { value: env.emit("hw.reshape", [x.value], {}, tensorLike(result, x.q), op.loc), exact: true };
}

export function lowerTranspose(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  const perm = numbersAttr(opAttributes(op), "perm") ?? [];
  return { value: env.emit("hw.transpose", [x.value], { perm: attr.ints(perm) }, tensorLike(op.results[0]!.type, x.q), op.loc), exact: true };
}

export function lowerPad(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  const a = opAttributes(op);
  if (stringAttr(a, "mode", "constant") !== "constant") refuse(`hw.pad pads with a constant only (mode = "${stringAttr(a, "mode")}")`);
  const pads = numbersAttr(a, "pads") ?? [];
  if (pads.some((p) => p < 0)) refuse(`hw.pad does not crop (negative pads [${pads.join(", ")}])`);
  const value = floatAttr(a, "value", 0);
  const steps = value / x.scale;
  const k = Math.round(steps);
  if (Math.abs(steps - k) > 1e-6 * Math.max(1, Math.abs(steps))) refuse(`the pad value ${value} is not on the input's quantization grid (scale ${x.scale})`);
  const stored = x.zp + k;
  if (stored < x.q.storageMin || stored > x.q.storageMax) refuse(`the pad value ${value} is outside the input's quantized range`);
  const attrs = { pads: attr.ints(pads), pad_value: attr.int(stored) };
  return { value: env.emit("hw.pad", [x.value], attrs, tensorLike(op.results[0]!.type, x.q), op.loc), exact: true };
}

export function lowerConcat(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const inputs = op.operands.map((_, i) => env.activation(site, i));
  if (inputs.length === 0) refuse(`a concat needs operands`);
  let common = inputs[0]!.q;
  if (site.output) {
    const out = env.output(site);
    if (out.storage !== inputs[0]!.storage) env.require("concat", out.storage, "concatenating into the result's storage type");
    common = out.q;
  }
  else if (inputs.some((t) => !typeEquals(t.q, common))) refuse(`its inputs are quantized differently and its result has no quantized type to requantize them to`);
  let requantized = 0;
  const values = inputs.map((t) => {
    if (typeEquals(t.q, common)) return t.value;
    requantized++;
    return env.rescale(t.value, tensorLike(t.type, common), op.loc);
  });
  if (requantized > 0) env.decide("requantize", op, `${op.name}: ${requantized} of ${inputs.length} inputs requantized to the result's ${printType(common)} (hw.rescale)`);
  const axis = intAttr(opAttributes(op), "axis", 0);
  const value = env.emit("hw.concat", values, { axis: attr.int(axis) }, tensorLike(op.results[0]!.type, common), op.loc);
  return { value, exact: requantized === 0 };
}
