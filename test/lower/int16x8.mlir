// RUN: qopt-opt %s --pass='lower-to-hw{target=tflite-int16x8}' | FileCheck %s
// TFLite 16x8: int16 symmetric activations, int8 weights, and an int64 bias the quantize pass leaves
// float (MLIR's quant types cannot hold it): lowering computes round(b / (s_in·s_w[c])).

!qx = !quant.uniform<i16:f32, 1.220703125e-04>
!qy = !quant.uniform<i16:f32, 2.44140625e-04>
!qw = !quant.uniform<i8<-127:127>:f32:0, {7.8125e-03, 3.90625e-03}>
!qs = !quant.uniform<i16:f32, 3.0517578125e-05>

// s_in = 2^−13, s_w = 2^−7 and 2^−8: the bias 0.5 is 0.5 / 2^−20 = 524288 and 0.5 / 2^−21 = 1048576,
// stored as int64 (16x8 kernels accumulate in int64). 2^−13·2^−7 / 2^−12 = 2^−8 and 2^−9 → shifts −7
// and −8 (TFLite's int64 requantization allows up to +7). The relu clamps at the zero point 0.
// CHECK-LABEL: func.func @conv16x8
// CHECK: %[[B:.*]] = "hw.const"() {value = dense<[524288, 1048576]> : tensor<2xi64>} : () -> tensor<2xi64>
// CHECK-NEXT: %[[C:.*]] = "hw.conv2d"(%0, %{{.*}}, %[[B]]) {act_max = 32767 : i64, act_min = 0 : i64, dilations = [1, 1], input_zp = 0 : i64, multiplier = [1073741824, 1073741824], output_zp = 0 : i64, padding = [0, 0, 0, 0], rounding = "gemmlowp", shift = [-7, -8], strides = [1, 1]}
// CHECK-SAME: (tensor<1x2x2x2x!quant.uniform<i16:f32, 0.0001220703125>>, tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>, tensor<2xi64>) -> tensor<1x2x2x2x!quant.uniform<i16:f32, 0.000244140625>>
// A 16-bit sigmoid is TFLite's 513-entry interpolated table.
// CHECK-NEXT: %[[S:.*]] = "hw.lut"(%[[C]]) {table = dense<"0x{{[0-9A-F]+}}"> : tensor<513xi16>}
// CHECK-SAME: -> tensor<1x2x2x2x!quant.uniform<i16:f32, 0.000030517578125>>
// The 16-bit softmax is hw.softmax's int16 form: QuantizeMultiplier(2^-15·65535/10) = (1717960704, -2).
// CHECK-NEXT: "hw.softmax"(%[[S]]) {input_left_shift = -2 : i64, input_multiplier = 1717960704 : i64, rounding = "gemmlowp"}
// CHECK-SAME: -> tensor<1x2x2x2x!quant.uniform<i16:f32, 0.000030517578125>>
func.func @conv16x8(%arg0: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<1x2x2x2x!qx>) -> tensor<1x2x2x2xf32>
  %2 = "float.const"() {value = dense<2.500000e-01> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<2x1x1x2x!qw>) -> tensor<2x1x1x2xf32>
  %5 = "float.const"() {value = dense<5.000000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
  %6 = "float.conv2d"(%1, %4, %5) {act = "relu"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %7 = "quant.qcast"(%6) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qy>
  %8 = "quant.dcast"(%7) : (tensor<1x2x2x2x!qy>) -> tensor<1x2x2x2xf32>
  %9 = "float.sigmoid"(%8) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %10 = "quant.qcast"(%9) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qs>
  %11 = "quant.dcast"(%10) : (tensor<1x2x2x2x!qs>) -> tensor<1x2x2x2xf32>
  %12 = "float.softmax"(%11) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %13 = "quant.qcast"(%12) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qs>
  %14 = "quant.dcast"(%13) : (tensor<1x2x2x2x!qs>) -> tensor<1x2x2x2xf32>
  return %14 : tensor<1x2x2x2xf32>
}
