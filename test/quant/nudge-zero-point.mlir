// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=tflite-int8}' | FileCheck %s --check-prefix=TFLITE
// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=onnx-qdq}' | FileCheck %s --check-prefix=ONNX
// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=npu-pow2-int8}' | FileCheck %s --check-prefix=NPU
// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=dsp-int16}' | FileCheck %s --check-prefix=DSP
// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=tflite-int16x8}' | FileCheck %s --check-prefix=I16X8
// No built-in target has narrow-range activations: a vendor copy of tflite-int8 that says so.
// RUN: qopt targets show tflite-int8 --json | sed -e 's/"i8": { "symmetric": false, "narrowRange": false }/"i8": { "symmetric": false, "narrowRange": true }/' > %t.narrow.json
// RUN: qopt-opt %s --split-input-file --pass='nudge-zero-point{target=%t.narrow.json}' | FileCheck %s --check-prefix=NARROW
//
// nudge-zero-point replaces each `qopt.range` by the range its chosen parameters represent,
// [(qmin − zp)·scale, (qmax − zp)·scale]; so the CHECKed ranges below are the nudged parameters.
// How each built-in target stores activations (targets/*.json):
//   tflite-int8    i8 [-128, 127] asymmetric          onnx-qdq        u8 [0, 255] asymmetric
//   npu-pow2-int8  i8 symmetric, power-of-two scales  dsp-int16       i16 symmetric, power-of-two scales
//   tflite-int16x8 i16 [-32768, 32767] symmetric      narrow (above)  i8 [-127, 127] asymmetric

// [-1.09375, 14.84375] has width 255/16, so over 256 levels the scale is exactly 1/16, but zero is off
// the grid. TF's Nudge: zp_from_min = qmin − min/scale, nzp = round_half_away(zp_from_min),
// nudged = [(qmin − nzp)·scale, (qmax − nzp)·scale].
//   tflite-int8: zp_from_min = -128 + 17.5 = -110.5 → -111 (half away from zero; half-even would give
//                -110) → [(-128 + 111)/16, (127 + 111)/16] = [-1.0625, 14.875]
//   onnx-qdq:    zp_from_min = 0 + 17.5 = 17.5 → 18 → [-18/16, (255 - 18)/16] = [-1.125, 14.8125]
// Symmetric: scale = max(|min|, |max|)/qmax, zp 0, range ±qmax·scale (what quantize re-derives the same
// scale from; ±32768 would give 32768/32767 of it, or twice it on power-of-two targets).
//   tflite-int16x8: scale = 14.84375/32767 → [-14.84375, 14.84375]
// Power of two: the symmetric scale rounded up to 2^k, so the range still holds [min, max]:
//   npu-pow2-int8: 14.84375/127 = 0.1169 → 2^-3 = 0.125 → [-127/8, 127/8] = [-15.875, 15.875]
//   dsp-int16:     14.84375/32767 = 4.53e-4 → 2^-11 = 4.88e-4 (2^-12 = 2.44e-4 is too small)
//                  → [-32767/2048, 32767/2048] = [-15.99951171875, 15.99951171875]
// TFLITE-LABEL: func.func @zero_off_grid
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.range = [-1.062500e+00, 1.487500e+01]}
// ONNX-LABEL: func.func @zero_off_grid
// ONNX-NEXT: "float.neg"(%arg0) {qopt.range = [-1.125000e+00, 1.481250e+01]}
// I16X8-LABEL: func.func @zero_off_grid
// I16X8-NEXT: "float.neg"(%arg0) {qopt.range = [-1.484375e+01, 1.484375e+01]}
// NPU-LABEL: func.func @zero_off_grid
// NPU-NEXT: "float.neg"(%arg0) {qopt.range = [-1.587500e+01, 1.587500e+01]}
// DSP-LABEL: func.func @zero_off_grid
// DSP-NEXT: "float.neg"(%arg0) {qopt.range = [-15.99951171875, 15.99951171875]}
func.func @zero_off_grid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = "float.neg"(%x) {qopt.range = [-1.09375, 14.84375]} : (tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// Narrow range, i8 [-127, 127]: [-1.09375, 14.78125] has width 254/16, so the scale is 1/16;
// zp_from_min = -127 + 17.5 = -109.5 → -110 → [(-127 + 110)/16, (127 + 110)/16] = [-1.0625, 14.8125].
// NARROW-LABEL: func.func @narrow_range
// NARROW-NEXT: "float.neg"(%arg0) {qopt.range = [-1.062500e+00, 1.481250e+01]}
func.func @narrow_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = "float.neg"(%x) {qopt.range = [-1.09375, 14.78125]} : (tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// Symmetric i16 (zp 0): |min| = 7.999755859375 = 32767/4096 dominates, so the scale is 2^-12 and the
// range ±32767/4096 = ±7.999755859375: the small positive side widens to match.
// 2^-12 is already a power of two, so dsp-int16 keeps it. tflite-int8 stores an op marked
// `qopt.precision = "i16"` in its symmetric i16 too; its unmarked op stays asymmetric i8: scale =
// 8.999755859375/255 = 0.0352932, zp_from_min = -128 + 7.999755859375/0.0352932 = 98.67 → 99,
// range [(-128 - 99)·0.0352932, (127 - 99)·0.0352932] = [-8.01155, 0.98821].
// I16X8-LABEL: func.func @symmetric
// I16X8-NEXT: "float.neg"(%arg0) {qopt.range = [-7.999755859375, 7.999755859375]}
// DSP-LABEL: func.func @symmetric
// DSP-NEXT: "float.neg"(%arg0) {qopt.range = [-7.999755859375, 7.999755859375]}
// TFLITE-LABEL: func.func @symmetric
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.range = [-8.0115{{[0-9]*}}, 0.9882{{[0-9]*}}]}
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.precision = "i16", qopt.range = [-7.999755859375, 7.999755859375]}
func.func @symmetric(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = "float.neg"(%x) {qopt.range = [-7.999755859375, 1.0]} : (tensor<4xf32>) -> tensor<4xf32>
  %b = "float.neg"(%x) {qopt.precision = "i16", qopt.range = [-7.999755859375, 1.0]} : (tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// Degenerate ranges get valid, finite parameters (never a zero scale, NaN or Infinity):
// - [0, 0] (all zeros): scale 1 and, asymmetric, zp = qmin (references.md: a constant tensor gets
//   zp = qmin), so the range is [0, qmax − qmin]: i8 and u8 [0, 255], narrow i8 [0, 254]; symmetric
//   schemes keep zp 0 and stand for ±qmax: i8 ±127, i16 ±32767.
// - [c, c] is widened to hold 0 and then nudged as usual:
//   [0.5, 0.5] → [0, 0.5]: i8/u8 scale 0.5/255 with zp at qmin → [0, 0.5];
//     npu-pow2-int8: 0.5/127 = 0.0039 → 2^-7 → ±127/128 = ±0.9921875;
//     dsp-int16: 0.5/32767 = 1.5259e-5 is just above 2^-16 = 1.5259e-5 → 2^-15
//                → ±32767/32768 = ±0.999969482421875;
//     tflite-int16x8: scale 0.5/32767 → ±0.5.
//   [-0.75, -0.75] → [-0.75, 0]: i8 zp_from_min = -128 + 255 = 127 → [(-128 - 127)·0.75/255, 0] = [-0.75, 0].
// TFLITE-LABEL: func.func @degenerate
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.range = [0.000000e+00, 2.550000e+02]}
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.range = [0.000000e+00, 5.000000e-01]}
// TFLITE-NEXT: "float.neg"(%arg0) {qopt.range = [-7.500000e-01, 0.000000e+00]}
// ONNX-LABEL: func.func @degenerate
// ONNX-NEXT: "float.neg"(%arg0) {qopt.range = [0.000000e+00, 2.550000e+02]}
// ONNX-NEXT: "float.neg"(%arg0) {qopt.range = [0.000000e+00, 5.000000e-01]}
// NPU-LABEL: func.func @degenerate
// NPU-NEXT: "float.neg"(%arg0) {qopt.range = [-1.270000e+02, 1.270000e+02]}
// NPU-NEXT: "float.neg"(%arg0) {qopt.range = [-9.921875e-01, 9.921875e-01]}
// NPU-NEXT: "float.neg"(%arg0) {qopt.range = [-9.921875e-01, 9.921875e-01]}
// DSP-LABEL: func.func @degenerate
// DSP-NEXT: "float.neg"(%arg0) {qopt.range = [-3.276700e+04, 3.276700e+04]}
// DSP-NEXT: "float.neg"(%arg0) {qopt.range = [-0.999969482421875, 0.999969482421875]}
// I16X8-LABEL: func.func @degenerate
// I16X8-NEXT: "float.neg"(%arg0) {qopt.range = [-3.276700e+04, 3.276700e+04]}
// I16X8-NEXT: "float.neg"(%arg0) {qopt.range = [-5.000000e-01, 5.000000e-01]}
// NARROW-LABEL: func.func @degenerate
// NARROW-NEXT: "float.neg"(%arg0) {qopt.range = [0.000000e+00, 2.540000e+02]}
func.func @degenerate(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = "float.neg"(%x) {qopt.range = [0.0, 0.0]} : (tensor<4xf32>) -> tensor<4xf32>
  %pos = "float.neg"(%x) {qopt.range = [0.5, 0.5]} : (tensor<4xf32>) -> tensor<4xf32>
  %neg = "float.neg"(%x) {qopt.range = [-0.75, -0.75]} : (tensor<4xf32>) -> tensor<4xf32>
  return %zero, %pos, %neg : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Fixed-range ops get the spec's fixed parameters for their storage type, whatever range was recorded
// (the parameters `quantize` gives them):
//   i8:  logistic/softmax 1/256, zp -128 → [0, 255/256] = [0, 0.99609375]; tanh 1/128, zp 0 → [-1, 127/128]
//   u8:  logistic/softmax 1/256, zp 0 → [0, 0.99609375]; tanh 1/128, zp 128 → [-128/128, 127/128] = [-1, 0.9921875]
//   i16: 1/32768, zp 0 → [-32768/32768, 32767/32768] = [-1, 0.999969482421875]
// TFLITE-LABEL: func.func @fixed_range_ops
// TFLITE-NEXT: "float.sigmoid"(%arg0) {qopt.range = [0.000000e+00, 0.99609375]}
// TFLITE-NEXT: "float.tanh"(%arg0) {qopt.range = [-1.000000e+00, 9.921875e-01]}
// TFLITE-NEXT: "float.softmax"(%arg0) {axis = -1 : i64, qopt.range = [0.000000e+00, 0.99609375]}
// ONNX-LABEL: func.func @fixed_range_ops
// ONNX-NEXT: "float.sigmoid"(%arg0) {qopt.range = [0.000000e+00, 0.99609375]}
// ONNX-NEXT: "float.tanh"(%arg0) {qopt.range = [-1.000000e+00, 9.921875e-01]}
// I16X8-LABEL: func.func @fixed_range_ops
// I16X8-NEXT: "float.sigmoid"(%arg0) {qopt.range = [-1.000000e+00, 0.999969482421875]}
// I16X8-NEXT: "float.tanh"(%arg0) {qopt.range = [-1.000000e+00, 0.999969482421875]}
// I16X8-NEXT: "float.softmax"(%arg0) {axis = -1 : i64, qopt.range = [-1.000000e+00, 0.999969482421875]}
// DSP-LABEL: func.func @fixed_range_ops
// DSP-NEXT: "float.sigmoid"(%arg0) {qopt.range = [-1.000000e+00, 0.999969482421875]}
func.func @fixed_range_ops(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %s = "float.sigmoid"(%x) {qopt.range = [0.1, 0.9]} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %t = "float.tanh"(%x) {qopt.range = [-0.5, 0.5]} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %m = "float.softmax"(%x) {axis = -1 : i64, qopt.range = [0.0, 1.0]} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %s, %t, %m : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// Constant weights are int8 symmetric (zp 0) with narrow range [-127, 127] on every target, even where
// activations are asymmetric or u8: scale = max(|min|, |max|)/127.
//   [-0.5, 1.984375]: 1.984375/127 = 1/64 → [-127/64, 127/64] = [-1.984375, 1.984375] (1/64 is a power
//   of two: npu-pow2-int8 keeps it);
//   [-0.5, 2]: 2/127 → [-2, 2]; on npu-pow2-int8 2/127 = 0.0157 rounds up to 2^-5 → [-127/32, 127/32]
//   = [-3.96875, 3.96875].
// TFLITE-LABEL: func.func @weights
// TFLITE-NEXT: "float.const"() {qopt.range = [-1.984375e+00, 1.984375e+00],
// TFLITE: "float.const"() {qopt.range = [-2.000000e+00, 2.000000e+00],
// ONNX-LABEL: func.func @weights
// ONNX-NEXT: "float.const"() {qopt.range = [-1.984375e+00, 1.984375e+00],
// ONNX: "float.const"() {qopt.range = [-2.000000e+00, 2.000000e+00],
// NPU-LABEL: func.func @weights
// NPU-NEXT: "float.const"() {qopt.range = [-1.984375e+00, 1.984375e+00],
// NPU: "float.const"() {qopt.range = [-3.968750e+00, 3.968750e+00],
func.func @weights(%x: tensor<1x2xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  %w = "float.const"() {qopt.range = [-0.5, 1.984375], value = dense<[[-0.5, 1.984375], [0.25, 0.5], [1.0, 0.0]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %y = "float.fully_connected"(%x, %w) : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  %v = "float.const"() {qopt.range = [-0.5, 2.0], value = dense<[[-0.5, 2.0], [0.25, 0.5], [1.0, 0.0]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %z = "float.fully_connected"(%x, %v) : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  return %y, %z : tensor<1x3xf32>, tensor<1x3xf32>
}

// -----

// Ranges of values that quantization-aware training fixed (the operand of a quant.qcast, the result of a
// quant.dcast) are left exactly as they are on every target, although zero is off their grid.
// TFLITE-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// TFLITE: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
// ONNX-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// ONNX: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
// NPU-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// NPU: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
// DSP-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// DSP: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
// I16X8-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// I16X8: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
// NARROW-LABEL: func.func @qat_fixed(%arg0: tensor<4xf32> {qopt.range = [-1.093750e+00, 1.484375e+01]})
// NARROW: "quant.dcast"(%0) {qopt.range = [-1.093750e+00, 1.484375e+01]}
func.func @qat_fixed(%x: tensor<4xf32> {qopt.range = [-1.09375, 14.84375]}) -> tensor<4xf32> {
  %0 = "quant.qcast"(%x) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 6.250000e-02:-111>>
  %1 = "quant.dcast"(%0) {qopt.range = [-1.09375, 14.84375]} : (tensor<4x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
