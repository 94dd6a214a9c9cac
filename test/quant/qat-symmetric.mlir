// A value QAT fixed at a symmetric i16 type (scale 2^-13) feeding a same-scale op: the reshape takes
// exactly that scale on symmetric targets too (its range [-32768·s, 32767·s] stands for s, not for
// 32768/32767·s, or 2·s on dsp-int16's power-of-two grid), so lowering needs no rescale.
// RUN: qopt-opt %s --pass='propagate-ranges,nudge-zero-point{target=dsp-int16},quantize{target=dsp-int16},lower-to-hw{target=dsp-int16}' | FileCheck %s
// RUN: qopt-opt %s --pass='propagate-ranges,nudge-zero-point{target=tflite-int16x8},quantize{target=tflite-int16x8},lower-to-hw{target=tflite-int16x8}' | FileCheck %s
// CHECK-LABEL: func.func @main
// CHECK: %[[R:.*]] = "hw.reshape"(%{{.*}}) : (tensor<1x4x!quant.uniform<i16:f32, 0.0001220703125>>) -> tensor<2x2x!quant.uniform<i16:f32, 0.0001220703125>>
// CHECK-NOT: hw.rescale
// CHECK: "hw.lut"(%[[R]])
func.func @main(%x: tensor<1x4xf32>) -> tensor<2x2xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 1.220703125E-4>>
  %d = "quant.dcast"(%q) : (tensor<1x4x!quant.uniform<i16:f32, 1.220703125E-4>>) -> tensor<1x4xf32>
  %r = "float.reshape"(%d) {shape = [2, 2]} : (tensor<1x4xf32>) -> tensor<2x2xf32>
  %t = "float.tanh"(%r) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %t : tensor<2x2xf32>
}
