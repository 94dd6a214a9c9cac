/**
 * Elementwise functions in QDQ form → `hw.lut`, and softmax → `hw.softmax`.
 *
 * A table entry is what the QDQ program computes for that stored input: dequantize (f32), the float op's
 * own kernel (so sigmoid, tanh, relu, relu6 and clamp share one rule), quantize to the result's
 * `quant.qcast` type with the target's tie rounding (TFLite PopulateLookupTable). 8-bit inputs get 256
 * entries; int16 inputs get TFLite's 513-entry interpolated table sampled every 128 stored steps.
 *
 * Softmax: TFLite's kernel with the parameters of its Prepare (beta 1) along the last axis. 8-bit inputs
 * run the int8 form (`prepareSoftmax`; output fixed at scale 1/256, zero point −128; u8 inputs pass
 * through an exact zero-point shift), i16 inputs the int16 form (`prepareSoftmaxInt16`; input zero point
 * 0 as TFLite requires, output fixed at scale 1/32768, zero point 0). The pass rescales the fixed output
 * to the cast's type where that differs.
 */
import { attr, intAttr } from "../../src/ir/attr-access.js";
import { getOpDef } from "../../src/ir/opdef.js";
import { integerType } from "../../src/ir/types.js";
import type { Operation } from "../../src/ir/operation.js";
import type { Tensor } from "../../src/interp/tensor.js";
import { prepareSoftmax } from "../../dialects/hw/kernels/softmax.js";
import { prepareSoftmaxInt16, SOFTMAX_INT16_MAX_DEPTH, SOFTMAX_INT16_OUTPUT } from "../../dialects/hw/kernels/softmax-int16.js";
import { opAttributes } from "../../dialects/float/attribute-defaults.js";
import { dequantizeAll, lutInputs16, lutInputs8, quantizeAll, refuse } from "../../src/quant/lowering-params.js";
import { denseInts, outputParams, shapeOf, signedView, storageArray, storageIntegerType, tensorLike, withParams, type LoweringEnv, type Lowered, type QTensor, type Site } from "./env.js";


/** The stored results of the op's float kernel on the stored inputs `stored` (dequantized with the input's parameters). */
function tabulate(site: Site, stored: Int32Array, scale: number, zp: number): Float32Array {
  const kernel = getOpDef(site.op.name)?.kernel;
  if (!kernel) refuse(`${site.op.name} has no float kernel to tabulate`);
  const input: Tensor = { dtype: "f32", shape: [stored.length], data: dequantizeAll(stored, scale, zp) };
  const [y] = kernel([input], site.op, { options: {} });
  if (!y || !(y.data instanceof Float32Array)) refuse(`${site.op.name}'s kernel did not return f32 values`);
  return y.data;
}

export function lowerTable(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  const out = env.output(site);
  const wide = x.storage === "i16";
  if (wide ? out.storage !== "i16" && out.storage !== "i8" : out.storage === "i16") {
    refuse(`hw.lut maps ${x.storage} inputs to ${wide ? "i16 or i8" : "i8 or u8"} results, not ${out.storage}`);
  }
  const inputs = wide ? lutInputs16() : lutInputs8(x.storage === "u8");
  const stored = quantizeAll(tabulate(site, inputs, x.scale, x.zp), outputParams(out), env.ties);
  const table = denseInts(storageIntegerType(out.q), [stored.length], storageArray(out.q, stored));
  if (wide) env.decide("interpolated-table", op, `${op.name}: 16-bit table of 513 entries sampled every 128 steps and interpolated (TFLite), not exact between samples`);
  return { value: env.emit("hw.lut", [x.value], { table }, out.type, op.loc), exact: false };
}

export function lowerSoftmax(site: Site, env: LoweringEnv): Lowered {
  const op = site.op;
  const x = env.activation(site, 0);
  env.output(site);
  const shape = shapeOf(x.type);
  const rank = shape?.length ?? 0;
  const axis = intAttr(opAttributes(op), "axis", -1);
  if (!shape || (axis !== -1 && axis !== rank - 1)) refuse(`hw.softmax normalizes the last axis only (axis = ${axis} of rank ${rank})`);
  if (x.storage === "i16") return lowerSoftmaxInt16(site, env, x, shape);
  let input = x.value;
  if (x.storage === "u8") {
    env.require("softmax", "i8", "running a u8 softmax as the i8 hw.softmax");
    env.decide("zero-point-shift", op, `${op.name}: the u8 input passes through i8 (zero point − 128, an exact rescale) because hw.softmax runs i8`);
    input = env.rescale(x.value, tensorLike(x.type, signedView(x.q)), op.loc);
  }
  let rounding = softmaxRounding(env, op);
  let params;
  try {
    params = prepareSoftmax(1, x.scale, rounding);
  } catch (e) {
    refuse((e as Error).message);
  }
  rounding = params.rounding ?? rounding;
  const fixed = withParams(x.q, 1 / 256, -128, { type: integerType(8, "signed"), min: -128, max: 127 });
  const attrs = {
    input_multiplier: attr.int(params.input_multiplier),
    input_left_shift: attr.int(params.input_left_shift),
    diff_min: attr.int(params.diff_min),
    rounding: attr.str(rounding),
  };
  return { value: env.emit("hw.softmax", [input], attrs, tensorLike(x.type, fixed), op.loc), exact: false };
}

/** The TFLite build hw.softmax follows on this target: single rounding where the target rounds once, else gemmlowp. */
function softmaxRounding(env: LoweringEnv, op: Operation): "gemmlowp" | "single-round" {
  if (env.rounding === "half-even-float") env.decide("rounding-substituted", op, `${op.name}: hw.softmax is TFLite's fixed-point kernel; it rounds as gemmlowp, not as the target's half-even-float`);
  return env.rounding === "single-round" ? "single-round" : "gemmlowp";
}

/**
 * The int16 form: TFLite's SoftmaxInt16. Refuses what its Prepare refuses (an input zero point other
 * than 0) and what its C code leaves undefined (rows whose int32 sum could overflow, a left shift of 31).
 */
function lowerSoftmaxInt16(site: Site, env: LoweringEnv, x: QTensor, shape: readonly number[]): Lowered {
  const op = site.op;
  const depth = shape[shape.length - 1] ?? 1;
  if (depth > SOFTMAX_INT16_MAX_DEPTH) refuse(`the int16 hw.softmax sums at most ${SOFTMAX_INT16_MAX_DEPTH} exponentials in int32 (last axis ${depth})`);
  const rounding = softmaxRounding(env, op);
  let params;
  try {
    params = prepareSoftmaxInt16(1, { scale: x.scale, zeroPoint: x.zp }, rounding);
  } catch (e) {
    refuse((e as Error).message);
  }
  const fixed = withParams(x.q, SOFTMAX_INT16_OUTPUT.scale, SOFTMAX_INT16_OUTPUT.zeroPoint, { type: integerType(16, "signed"), min: -32768, max: 32767 });
  const attrs = {
    input_multiplier: attr.int(params.input_multiplier),
    input_left_shift: attr.int(params.input_left_shift),
    rounding: attr.str(params.rounding ?? rounding),
  };
  return { value: env.emit("hw.softmax", [x.value], attrs, tensorLike(x.type, fixed), op.loc), exact: false };
}
