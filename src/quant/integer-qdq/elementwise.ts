/**
 * Integer meaning of elementwise node units:
 * - add / sub / mul: TFLite's integer add and sub (inputs rescaled to twice the larger scale with a left
 *   shift of 20, 15 for int16; sub negates input2's multiplier) and mul (one multiplier s1·s2/s_out),
 *   the fused activation as the clamp. Targets that requantize in float (ONNX's half-even-float) still run these with integer multipliers, rounding as
 *   gemmlowp. u8 tensors are their i8 view (zero point − 128), which is exact.
 * - relu, relu6, clamp, sigmoid, tanh: each 8-bit input is dequantized, mapped by the op's float kernel
 *   and quantized to the result as the target's QUANTIZE rounds; 16-bit inputs use TFLite's 513-entry
 *   table sampled every 128 steps with linear interpolation.
 * - softmax: TFLite's fixed-point softmax along the last axis with its Prepare's parameters (beta 1):
 *   8-bit inputs the int8 kernel (output 1/256, zero point −128), int16 inputs SoftmaxInt16 (input zero
 *   point 0, output 1/32768, zero point 0); each quant.qcast of the result requantizes from that type.
 */
import { getOpDef } from "../../ir/opdef.js";
import { integerType, type UniformQuantType } from "../../ir/types.js";
import { intAttr } from "../../ir/attr-access.js";
import { makeTensor, type Tensor } from "../../interp/tensor.js";
import { activationRange } from "../../../dialects/float/activation.js";
import { opAttributes } from "../../../dialects/float/attribute-defaults.js";
import { add, prepareAdd, sub } from "../../../dialects/hw/kernels/add.js";
import { mul, prepareMul } from "../../../dialects/hw/kernels/mul.js";
import { lut16Interpolated } from "../../../dialects/hw/kernels/lut.js";
import { prepareSoftmax, softmaxInt8 } from "../../../dialects/hw/kernels/softmax.js";
import { prepareSoftmaxInt16, SOFTMAX_INT16_MAX_DEPTH, SOFTMAX_INT16_OUTPUT, softmaxInt16 } from "../../../dialects/hw/kernels/softmax-int16.js";
import { activationBounds, dequantizeAll, lutInputs16, quantizeAll, refuse } from "../lowering-params.js";
import { activation, outputParams, type Stored, type TensorParams, type Unit } from "./unit.js";

/** Stored u8 values as i8 (value − 128); i8 and i16 unchanged. */
function signedValues(t: Tensor, unsigned: boolean): Tensor {
  if (!unsigned) return t;
  return makeTensor("i8", t.shape, Int8Array.from(t.data as Uint8Array, (v) => v - 128));
}

function shifted(p: TensorParams): TensorParams {
  return p.storage === "u8" ? { ...p, zp: p.zp - 128, qmin: p.qmin - 128, qmax: p.qmax - 128, storage: "i8" } : p;
}

export function binaryUnit(unit: Unit, kind: "add" | "sub" | "mul"): Stored {
  const lhs = activation(unit, 0);
  const rhs = activation(unit, 1);
  const out = outputParams(unit);
  if (lhs.params.storage !== rhs.params.storage || lhs.params.storage !== out.storage) refuse(`operands and result are stored differently`);
  const unsigned = out.storage === "u8";
  const [p1, p2, po] = [shifted(lhs.params), shifted(rhs.params), shifted(out)];
  const storage = po.storage === "i16" ? "i16" : "i8";
  const a = unit.arithmetic;
  const rounding = a.rounding === "half-even-float" ? "gemmlowp" : a.rounding;
  const { actMin, actMax } = activationBounds(activationRange(unit.op), { scale: po.scale, zeroPoint: po.zp, qmin: po.qmin, qmax: po.qmax }, a.ties);
  const common = { act_min: actMin, act_max: actMax, rounding, output_type: storage } as const;
  const x1 = signedValues(lhs.tensor, unsigned);
  const x2 = signedValues(rhs.tensor, unsigned);
  let y: Tensor;
  try {
    if (kind === "mul") y = mul(x1, x2, { ...prepareMul(p1, p2, po), ...common });
    else y = (kind === "add" ? add : sub)(x1, x2, { ...prepareAdd(p1, p2, po, storage), ...common });
  } catch (e) {
    refuse((e as Error).message);
  }
  if (unsigned) y = makeTensor("u8", y.shape, Uint8Array.from(y.data as Int8Array, (v) => v + 128));
  return { tensor: y, type: unit.output, q: unit.output.element };
}

/** The op's float kernel on dequantized stored values, quantized to the result as the target rounds. */
function mapped(unit: Unit, stored: Int32Array, x: TensorParams, out: TensorParams): Int32Array {
  const kernel = getOpDef(unit.op.name)?.kernel;
  if (!kernel) refuse(`${unit.op.name} has no float kernel`);
  const [y] = kernel([makeTensor("f32", [stored.length], dequantizeAll(stored, x.scale, x.zp))], unit.op, { options: {} });
  return quantizeAll(y!.data as Float32Array, { scale: out.scale, zeroPoint: out.zp, qmin: out.qmin, qmax: out.qmax }, unit.arithmetic.ties);
}

export function tableUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  const out = outputParams(unit);
  let y: Tensor;
  if (x.params.storage === "i16") {
    if (out.storage === "u8") refuse(`a 16-bit table maps to i16 or i8`);
    const table = mapped(unit, lutInputs16(), x.params, out);
    y = lut16Interpolated(x.tensor, out.storage === "i16" ? Int16Array.from(table) : Int8Array.from(table));
  } else {
    if (out.storage === "i16") refuse(`an 8-bit table maps to i8 or u8`);
    const values = mapped(unit, Int32Array.from(x.tensor.data as Int8Array | Uint8Array), x.params, out);
    y = out.storage === "u8" ? makeTensor("u8", x.tensor.shape, Uint8Array.from(values)) : makeTensor("i8", x.tensor.shape, Int8Array.from(values));
  }
  return { tensor: y, type: unit.output, q: unit.output.element };
}

export function softmaxUnit(unit: Unit): Stored {
  const x = activation(unit, 0);
  const rank = x.tensor.shape.length;
  const axis = intAttr(opAttributes(unit.op), "axis", -1);
  if (axis !== -1 && axis !== rank - 1) refuse(`softmax runs along the last axis only`);
  const a = unit.arithmetic;
  const rounding = a.rounding === "single-round" ? "single-round" : "gemmlowp";
  if (x.params.storage === "i16") return softmaxInt16Unit(unit, x, rounding);
  let params;
  try {
    params = prepareSoftmax(1, x.params.scale, rounding);
  } catch (e) {
    refuse((e as Error).message);
  }
  const y = softmaxInt8(signedValues(x.tensor, x.params.storage === "u8"), { ...params, rounding: params.rounding ?? rounding });
  const fixed: UniformQuantType = { ...unit.output.element, storage: integerType(8, "signed"), storageMin: -128, storageMax: 127, scales: [1 / 256], zeroPoints: [-128] };
  delete (fixed as { axis?: number }).axis;
  // Its fixed output type; each quant.qcast of the result requantizes from it.
  return { tensor: y, type: { ...unit.output, element: fixed }, q: fixed };
}

/** TFLite's SoftmaxInt16 on the stored i16 input, its output (1/32768, zero point 0) requantized to the result type. */
function softmaxInt16Unit(unit: Unit, x: Stored & { readonly params: TensorParams }, rounding: "gemmlowp" | "single-round"): Stored {
  const depth = x.tensor.shape[x.tensor.shape.length - 1] ?? 1;
  if (depth > SOFTMAX_INT16_MAX_DEPTH) refuse(`an int16 softmax sums at most ${SOFTMAX_INT16_MAX_DEPTH} exponentials in int32 (last axis ${depth})`);
  let params;
  try {
    params = prepareSoftmaxInt16(1, { scale: x.params.scale, zeroPoint: x.params.zp }, rounding);
  } catch (e) {
    refuse((e as Error).message);
  }
  const y = softmaxInt16(x.tensor, params);
  const fixed: UniformQuantType = {
    ...unit.output.element,
    storage: integerType(16, "signed"),
    storageMin: -32768,
    storageMax: 32767,
    scales: [SOFTMAX_INT16_OUTPUT.scale],
    zeroPoints: [SOFTMAX_INT16_OUTPUT.zeroPoint],
  };
  delete (fixed as { axis?: number }).axis;
  return { tensor: y, type: { ...unit.output, element: fixed }, q: fixed };
}
