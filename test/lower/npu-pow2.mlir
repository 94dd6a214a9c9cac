// RUN: qopt-opt %s --split-input-file --pass='lower-to-hw{target=npu-pow2-int8}' | FileCheck %s
// A power-of-two target: every scale is 2^k, so every requantization is a pure shift (Q0.31
// multiplier exactly 2^30) with the target's single rounding.

!qx = !quant.uniform<i8:f32, 6.250000e-02>
!qy = !quant.uniform<i8:f32, 1.250000e-01>
!qw = !quant.uniform<i8<-127:127>:f32, 1.000000e-01>
!qb = !quant.uniform<i32:f32, 6.250000e-03>

// The QDQ weights have scale 0.1 (the quantize pass does not round weight scales); lowering rounds it
// up to 0.125 and re-quantizes: 0.5 → 4 steps, bias 0.25 → 32 units of 0.0625·0.125.
// 0.0625·0.125/0.125 = 2^−4 → multiplier 2^30, shift −3.
// CHECK-LABEL: func.func @conv_shift_only
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<4> : tensor<2x1x1x2xi8>} : () -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 1.250000e-01>>
// CHECK-NEXT: %[[B:.*]] = "hw.const"() {value = dense<32> : tensor<2xi32>}
// CHECK-NEXT: "hw.conv2d"(%0, %[[W]], %[[B]]) {act_max = 127 : i64, act_min = 0 : i64, dilations = [1, 1], input_zp = 0 : i64, multiplier = [1073741824], output_zp = 0 : i64, padding = [0, 0, 0, 0], rounding = "single-round", shift = [-3], strides = [1, 1]}
func.func @conv_shift_only(%arg0: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<1x2x2x2x!qx>) -> tensor<1x2x2x2xf32>
  %2 = "float.const"() {value = dense<5.000000e-01> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<2x1x1x2x!qw>) -> tensor<2x1x1x2xf32>
  %5 = "float.const"() {value = dense<2.500000e-01> : tensor<2xf32>} : () -> tensor<2xf32>
  %6 = "quant.qcast"(%5) : (tensor<2xf32>) -> tensor<2x!qb>
  %7 = "quant.dcast"(%6) : (tensor<2x!qb>) -> tensor<2xf32>
  %8 = "float.conv2d"(%1, %4, %7) {act = "relu"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %9 = "quant.qcast"(%8) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qy>
  %10 = "quant.dcast"(%9) : (tensor<1x2x2x2x!qy>) -> tensor<1x2x2x2xf32>
  return %10 : tensor<1x2x2x2xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 6.250000e-02>
!qb = !quant.uniform<i8:f32, 2.500000e-01>
!qo = !quant.uniform<i8:f32, 5.000000e-01>

// add with power-of-two scales: every multiplier TFLite's Prepare computes is 2^30.
// CHECK-LABEL: func.func @add_shift_only
// CHECK: "hw.add"(%0, %1) {act_max = 127 : i64, act_min = -128 : i64, input1_multiplier = 1073741824 : i64, input1_shift = -2 : i64, input1_zp = 0 : i64, input2_multiplier = 1073741824 : i64, input2_shift = 0 : i64, input2_zp = 0 : i64, left_shift = 20 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, output_zp = 0 : i64, rounding = "single-round"}
// The max pool result is requantized to its cast's scale by a shift: 0.25/0.5 = 2^30·2^−31 → TOSA shift 31.
// CHECK: %[[P:.*]] = "hw.max_pool2d"
// CHECK-NEXT: "hw.rescale"(%[[P]]) {double_round = false, input_zp = 0 : i64, multiplier = [1073741824], output_zp = 0 : i64, scale32 = true, shift = [31]}
func.func @add_shift_only(%arg0: tensor<1x2x2x4xf32>, %arg1: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x1x1x4xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!qa>
  %1 = "quant.qcast"(%arg1) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!qb>
  %2 = "quant.dcast"(%0) : (tensor<1x2x2x4x!qa>) -> tensor<1x2x2x4xf32>
  %3 = "quant.dcast"(%1) : (tensor<1x2x2x4x!qb>) -> tensor<1x2x2x4xf32>
  %4 = "float.add"(%2, %3) : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %5 = "quant.qcast"(%4) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!qo>
  %6 = "quant.dcast"(%5) : (tensor<1x2x2x4x!qo>) -> tensor<1x2x2x4xf32>
  %7 = "float.max_pool2d"(%3) {kernel = [2, 2]} : (tensor<1x2x2x4xf32>) -> tensor<1x1x1x4xf32>
  %8 = "quant.qcast"(%7) : (tensor<1x1x1x4xf32>) -> tensor<1x1x1x4x!qo>
  %9 = "quant.dcast"(%8) : (tensor<1x1x1x4x!qo>) -> tensor<1x1x1x4xf32>
  return %6, %9 : tensor<1x2x2x4xf32>, tensor<1x1x1x4xf32>
}
