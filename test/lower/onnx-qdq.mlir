// RUN: qopt-opt %s --split-input-file --pass='lower-to-hw{target=onnx-qdq}' | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass='lower-to-hw{target=tflite-int8}' | FileCheck %s --check-prefix=TFL
// ONNX Runtime's QDQ kernels: requantization by the real scale with half-even rounding
// (QLinearConv / QLinearMatMul), QuantizeLinear's ties to even, u8 activations, and f32 float islands
// for ops the target does not run.

!qx = !quant.uniform<i8:f32, 5.000000e-01:1>
!qy = !quant.uniform<i8:f32, 2.500000e-01:-2>
!qw = !quant.uniform<i8<-127:127>:f32, 2.500000e-01>

// The weights 0.625 and 0.75 are 2.5 and 3 steps of 0.25: ties to even give 2 (ONNX QuantizeLinear),
// away from zero 3 (TFLite). The output stage carries the real multiplier 0.5·0.25/0.25 for
// half-even-float; TFLite's is 2^30·2^(0−31).
// CHECK-LABEL: func.func @fc_half_even
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[}}2, -2], [3, -3]]> : tensor<2x2xi8>}
// CHECK: "hw.fully_connected"(%0, %[[W]]) {act_max = 127 : i64, act_min = -128 : i64, input_zp = 1 : i64, output_zp = -2 : i64, rounding = "half-even-float", scale = [5.000000e-01]}
// TFL-LABEL: func.func @fc_half_even
// TFL: "hw.const"() {value = dense<{{\[\[}}3, -3], [3, -3]]> : tensor<2x2xi8>}
// TFL: "hw.fully_connected"
// TFL-SAME: multiplier = [1073741824], output_zp = -2 : i64, rounding = "gemmlowp", shift = [0]
func.func @fc_half_even(%arg0: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<3x2xf32>) -> tensor<3x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<3x2x!qx>) -> tensor<3x2xf32>
  %2 = "float.const"() {value = dense<[[6.250000e-01, -6.250000e-01], [7.500000e-01, -7.500000e-01]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x2xf32>) -> tensor<2x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<2x2x!qw>) -> tensor<2x2xf32>
  %5 = "float.fully_connected"(%1, %4) : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %6 = "quant.qcast"(%5) : (tensor<3x2xf32>) -> tensor<3x2x!qy>
  %7 = "quant.dcast"(%6) : (tensor<3x2x!qy>) -> tensor<3x2xf32>
  return %7 : tensor<3x2xf32>
}

// -----

!qa = !quant.uniform<u8:f32, 1.000000e-01:128>
!qb = !quant.uniform<u8:f32, 2.000000e-01:100>
!qo = !quant.uniform<u8:f32, 4.000000e-01:10>

// hw.add runs i8 and i16: u8 tensors pass through i8 with zero point − 128 (a rescale by exactly 1:
// multiplier 2^30, TOSA shift 30) and back. It carries integer multipliers, so it rounds as gemmlowp.
// CHECK-LABEL: func.func @add_u8
// CHECK: %[[A:.*]] = "hw.rescale"(%0) {double_round = true, input_zp = 128 : i64, multiplier = [1073741824], output_zp = 0 : i64, scale32 = true, shift = [30]} : (tensor<8x!quant.uniform<u8:f32, 1.000000e-01:128>>) -> tensor<8x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK-NEXT: %[[B:.*]] = "hw.rescale"(%1) {double_round = true, input_zp = 100 : i64, multiplier = [1073741824], output_zp = -28 : i64, scale32 = true, shift = [30]}
// CHECK-NEXT: %[[S:.*]] = "hw.add"(%[[A]], %[[B]]) {act_max = 127 : i64, act_min = -128 : i64
// CHECK-SAME: output_zp = -118 : i64, rounding = "gemmlowp"}
// CHECK-SAME: -> tensor<8x!quant.uniform<i8:f32, 4.000000e-01:-118>>
// CHECK-NEXT: %[[O:.*]] = "hw.rescale"(%[[S]]) {double_round = true, input_zp = -118 : i64, multiplier = [1073741824], output_zp = 10 : i64, scale32 = true, shift = [30]}
// CHECK-SAME: -> tensor<8x!quant.uniform<u8:f32, 4.000000e-01:10>>
// TFL-LABEL: func.func @add_u8
// TFL: "float.add"
func.func @add_u8(%arg0: tensor<8xf32>, %arg1: tensor<8xf32>) -> tensor<8xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<8xf32>) -> tensor<8x!qa>
  %1 = "quant.qcast"(%arg1) : (tensor<8xf32>) -> tensor<8x!qb>
  %2 = "quant.dcast"(%0) : (tensor<8x!qa>) -> tensor<8xf32>
  %3 = "quant.dcast"(%1) : (tensor<8x!qb>) -> tensor<8xf32>
  %4 = "float.add"(%2, %3) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %5 = "quant.qcast"(%4) : (tensor<8xf32>) -> tensor<8x!qo>
  %6 = "quant.dcast"(%5) : (tensor<8x!qo>) -> tensor<8xf32>
  return %6 : tensor<8xf32>
}

// -----

!q = !quant.uniform<u8:f32, 5.000000e-02:20>
!qs = !quant.uniform<u8:f32, 3.906250e-03>

// onnx-qdq does not run relu6: it stays a float op between its dequantize and quantize (a float
// island, allowed here); the sigmoid after it is lowered to a u8 table (indexed by the stored value).
// CHECK-LABEL: func.func @relu6_island
// CHECK: %[[D:.*]] = "quant.dcast"(%0)
// CHECK-NEXT: %[[R:.*]] = "float.relu6"(%[[D]])
// CHECK-NEXT: %[[Q:.*]] = "quant.qcast"(%[[R]])
// CHECK-NEXT: "hw.lut"(%[[Q]]) {table = dense<"0x{{[0-9A-F]+}}"> : tensor<256xui8>} : (tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:20>>) -> tensor<1x4x!quant.uniform<u8:f32, 3.906250e-03>>
// tflite-int8 runs neither on u8: both stay float islands.
// TFL-LABEL: func.func @relu6_island
// TFL: "float.relu6"
// TFL: "float.sigmoid"
func.func @relu6_island(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4x!q>
  %1 = "quant.dcast"(%0) : (tensor<1x4x!q>) -> tensor<1x4xf32>
  %2 = "float.relu6"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x4xf32>) -> tensor<1x4x!q>
  %4 = "quant.dcast"(%3) : (tensor<1x4x!q>) -> tensor<1x4xf32>
  %5 = "float.sigmoid"(%4) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x4xf32>) -> tensor<1x4x!qs>
  %7 = "quant.dcast"(%6) : (tensor<1x4x!qs>) -> tensor<1x4xf32>
  return %7 : tensor<1x4xf32>
}
