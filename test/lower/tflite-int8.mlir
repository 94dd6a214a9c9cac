// RUN: qopt-opt %s --split-input-file --pass='lower-to-hw{target=tflite-int8}' | FileCheck %s
// QDQ patterns → hw ops on TFLite's int8 kernels: gemmlowp multipliers/shifts, half-away-from-zero
// weights, int32 biases, fused activations as clamp bounds, explicit padding.

!qx = !quant.uniform<i8:f32, 5.000000e-01>
!qy = !quant.uniform<i8:f32, 2.500000e-01:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {2.500000e-01, 1.250000e-01, 6.250000e-02}>
!qb = !quant.uniform<i32:f32:0, {1.250000e-01, 6.250000e-02, 3.125000e-02}>

// s_in·s_w[c]/s_out = 0.5, 0.25, 0.125 → multiplier 2^30 with shifts 0, −1, −2. The weight 0.5 is
// 2, 4, 8 steps per channel; the bias [0.25, −0.5, 1.0] is 2, −8, 32 in units of s_in·s_w[c].
// relu on an output with zp −128 clamps at −128; "same" padding of a 3x3 window is [1, 1, 1, 1].
// CHECK-LABEL: func.func @conv_same_relu
// CHECK-NOT: quant.dcast
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[\[\[}}2, 2], [2, 2], [2, 2]]{{.*}}[4, 4]{{.*}}[8, 8]{{.*}} : tensor<3x3x3x2xi8>} : () -> tensor<3x3x3x2x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01,6.250000e-02}>>
// CHECK-NEXT: %[[B:.*]] = "hw.const"() {value = dense<[2, -8, 32]> : tensor<3xi32>} : () -> tensor<3xi32>
// CHECK-NEXT: %[[C:.*]] = "hw.conv2d"(%0, %[[W]], %[[B]]) {act_max = 127 : i64, act_min = -128 : i64, dilations = [1, 1], input_zp = 0 : i64, multiplier = [1073741824, 1073741824, 1073741824], output_zp = -128 : i64, padding = [1, 1, 1, 1], rounding = "gemmlowp", shift = [0, -1, -2], strides = [1, 1]}
// CHECK-SAME: -> tensor<1x4x4x3x!quant.uniform<i8:f32, 2.500000e-01:-128>>
// CHECK-NEXT: %[[Y:.*]] = "quant.dcast"(%[[C]])
// CHECK-NEXT: return %[[Y]]
func.func @conv_same_relu(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<1x4x4x2x!qx>) -> tensor<1x4x4x2xf32>
  %2 = "float.const"() {value = dense<5.000000e-01> : tensor<3x3x3x2xf32>} : () -> tensor<3x3x3x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<3x3x3x2xf32>) -> tensor<3x3x3x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<3x3x3x2x!qw>) -> tensor<3x3x3x2xf32>
  %5 = "float.const"() {value = dense<[2.500000e-01, -5.000000e-01, 1.000000e+00]> : tensor<3xf32>} : () -> tensor<3xf32>
  %6 = "quant.qcast"(%5) : (tensor<3xf32>) -> tensor<3x!qb>
  %7 = "quant.dcast"(%6) : (tensor<3x!qb>) -> tensor<3xf32>
  %8 = "float.conv2d"(%1, %4, %7) {act = "relu", padding = "same"} : (tensor<1x4x4x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  %9 = "quant.qcast"(%8) : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3x!qy>
  %10 = "quant.dcast"(%9) : (tensor<1x4x4x3x!qy>) -> tensor<1x4x4x3xf32>
  return %10 : tensor<1x4x4x3xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 1.000000e-01:-10>
!qy = !quant.uniform<i8:f32, 5.000000e-02:-128>
!qw = !quant.uniform<i8<-127:127>:f32:3, {1.000000e-02, 2.000000e-02}>

// Depthwise [1, KH, KW, C] weights are per channel on axis 3; the stride-2 "same" window of a 3x3
// kernel on 5x5 pads [1, 1, 1, 1]; relu6 clamps at zp + round(6 / 0.05) = −128 + 120 = −8.
// With float32 scales 0.1·0.01/0.05 = 0.64·2^−5 and 0.1·0.02/0.05 = 0.64·2^−4 (0.64·2^31 ≈ 1374389504).
// CHECK-LABEL: func.func @depthwise_relu6
// CHECK: "hw.depthwise_conv2d"(%0, %{{.*}}) {act_max = -8 : i64, act_min = -128 : i64, depth_multiplier = 1 : i64, dilations = [1, 1], input_zp = -10 : i64, multiplier = [1374389504, 1374389504], output_zp = -128 : i64, padding = [1, 1, 1, 1], rounding = "gemmlowp", shift = [-5, -4], strides = [2, 2]}
// CHECK-SAME: -> tensor<1x3x3x2x!quant.uniform<i8:f32, 5.000000e-02:-128>>
func.func @depthwise_relu6(%arg0: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x5x5x2xf32>) -> tensor<1x5x5x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<1x5x5x2x!qx>) -> tensor<1x5x5x2xf32>
  %2 = "float.const"() {value = dense<1.000000e-01> : tensor<1x3x3x2xf32>} : () -> tensor<1x3x3x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x3x3x2xf32>) -> tensor<1x3x3x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<1x3x3x2x!qw>) -> tensor<1x3x3x2xf32>
  %5 = "float.depthwise_conv2d"(%1, %4) {act = "relu6", padding = "same", strides = [2, 2]} : (tensor<1x5x5x2xf32>, tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x3x3x2xf32>) -> tensor<1x3x3x2x!qy>
  %7 = "quant.dcast"(%6) : (tensor<1x3x3x2x!qy>) -> tensor<1x3x3x2xf32>
  return %7 : tensor<1x3x3x2xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 2.500000e-01:3>
!qy = !quant.uniform<i8:f32, 1.250000e-01>
!qw = !quant.uniform<i8<-127:127>:f32, 1.562500e-02>
!qb = !quant.uniform<i32:f32, 3.906250e-03>

// Fully connected with per-tensor weights, a fused clamp to [−1, 2] (stored −8 … 16) and the leading
// dims kept; 0.25·0.015625/0.125 = 2^−5 = 2^30·2^(−4−31). Weights [0.5, −0.25] are 32, −16 steps; bias 0.0625 is 16.
// CHECK-LABEL: func.func @fully_connected_clamp
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[}}32, -16], [32, -16]]> : tensor<2x2xi8>}
// CHECK: %[[B:.*]] = "hw.const"() {value = dense<16> : tensor<2xi32>}
// CHECK: "hw.fully_connected"(%0, %[[W]], %[[B]]) {act_max = 16 : i64, act_min = -8 : i64, input_zp = 3 : i64, multiplier = [1073741824], output_zp = 0 : i64, rounding = "gemmlowp", shift = [-4]}
// CHECK-SAME: (tensor<2x3x2x!quant.uniform<i8:f32, 2.500000e-01:3>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 1.562500e-02>>, tensor<2xi32>) -> tensor<2x3x2x!quant.uniform<i8:f32, 1.250000e-01>>
func.func @fully_connected_clamp(%arg0: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<2x3x2xf32>) -> tensor<2x3x2x!qx>
  %1 = "quant.dcast"(%0) : (tensor<2x3x2x!qx>) -> tensor<2x3x2xf32>
  %2 = "float.const"() {value = dense<[[5.000000e-01, -2.500000e-01], [5.000000e-01, -2.500000e-01]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x2xf32>) -> tensor<2x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<2x2x!qw>) -> tensor<2x2xf32>
  %5 = "float.const"() {value = dense<6.250000e-02> : tensor<2xf32>} : () -> tensor<2xf32>
  %6 = "quant.qcast"(%5) : (tensor<2xf32>) -> tensor<2x!qb>
  %7 = "quant.dcast"(%6) : (tensor<2x!qb>) -> tensor<2xf32>
  %8 = "float.fully_connected"(%1, %4, %7) {act = "clamp", act_min = -1.000000e+00, act_max = 2.000000e+00} : (tensor<2x3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
  %9 = "quant.qcast"(%8) : (tensor<2x3x2xf32>) -> tensor<2x3x2x!qy>
  %10 = "quant.dcast"(%9) : (tensor<2x3x2x!qy>) -> tensor<2x3x2xf32>
  return %10 : tensor<2x3x2xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 5.000000e-02:-8>
!qb = !quant.uniform<i8:f32, 1.000000e-01:4>
!qo = !quant.uniform<i8:f32, 2.000000e-01:-128>
!qm = !quant.uniform<i8:f32, 2.500000e-02:-5>

// add: TFLite's Prepare with left_shift 20, twice_max = 0.2: input multipliers 0.05/0.2 and
// 0.1/0.2, output 0.2/(2^20·0.2); the fused relu is the clamp [zp, 127]. mul: one multiplier
// 0.05·0.1/0.025 = 0.2 = 0.8·2^−2 (0.8·2^31 rounded after float32 scales: 1717986944).
// CHECK-LABEL: func.func @add_relu_mul
// CHECK: %[[A:.*]] = "hw.add"(%0, %1) {act_max = 127 : i64, act_min = -128 : i64, input1_multiplier = 1073741824 : i64, input1_shift = -1 : i64, input1_zp = -8 : i64, input2_multiplier = 1073741824 : i64, input2_shift = 0 : i64, input2_zp = 4 : i64, left_shift = 20 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, output_zp = -128 : i64, rounding = "gemmlowp"}
// CHECK-SAME: -> tensor<2x4x!quant.uniform<i8:f32, 2.000000e-01:-128>>
// CHECK: %[[M:.*]] = "hw.mul"(%0, %1) {act_max = 127 : i64, act_min = -128 : i64, input1_zp = -8 : i64, input2_zp = 4 : i64, output_multiplier = 1717986944 : i64, output_shift = -2 : i64, output_zp = -5 : i64, rounding = "gemmlowp"}
func.func @add_relu_mul(%arg0: tensor<2x4xf32>, %arg1: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<2x4xf32>) -> tensor<2x4x!qa>
  %1 = "quant.qcast"(%arg1) : (tensor<4xf32>) -> tensor<4x!qb>
  %2 = "quant.dcast"(%0) : (tensor<2x4x!qa>) -> tensor<2x4xf32>
  %3 = "quant.dcast"(%1) : (tensor<4x!qb>) -> tensor<4xf32>
  %4 = "float.add"(%2, %3) {act = "relu"} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %5 = "quant.qcast"(%4) : (tensor<2x4xf32>) -> tensor<2x4x!qo>
  %6 = "quant.dcast"(%5) : (tensor<2x4x!qo>) -> tensor<2x4xf32>
  %7 = "float.mul"(%2, %3) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %8 = "quant.qcast"(%7) : (tensor<2x4xf32>) -> tensor<2x4x!qm>
  %9 = "quant.dcast"(%8) : (tensor<2x4x!qm>) -> tensor<2x4xf32>
  return %6, %9 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

!q = !quant.uniform<i8:f32, 1.000000e-01:-3>
!q2 = !quant.uniform<i8:f32, 2.000000e-01:7>

// Same-scale data movement works on the stored values: max pool ("valid" 2x2 windows), reshape and
// transpose keep the type, so each quant.qcast(quant.dcast) pair between them cancels. The last cast
// changes the parameters: an hw.rescale by 0.1/0.2 = 0.5 (TOSA shift 31 − 0 = 31, DOUBLE_ROUND as gemmlowp).
// CHECK-LABEL: func.func @same_scale_chain
// CHECK-NOT: "quant.dcast"
// CHECK: %[[P:.*]] = "hw.max_pool2d"(%0) {kernel = [2, 2], padding = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: %[[R:.*]] = "hw.reshape"(%[[P]]) : (tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<1x8x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: %[[T:.*]] = "hw.transpose"(%[[R]]) {perm = [1, 0]} : (tensor<1x8x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<8x1x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: %[[S:.*]] = "hw.rescale"(%[[T]]) {double_round = true, input_zp = -3 : i64, multiplier = [1073741824], output_zp = 7 : i64, scale32 = true, shift = [31]}
// CHECK-SAME: -> tensor<8x1x!quant.uniform<i8:f32, 2.000000e-01:7>>
// CHECK-NEXT: %[[D:.*]] = "quant.dcast"(%[[S]])
// CHECK-NEXT: return %[[D]]
func.func @same_scale_chain(%arg0: tensor<1x4x4x2xf32>) -> tensor<8x1xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2x!q>
  %1 = "quant.dcast"(%0) : (tensor<1x4x4x2x!q>) -> tensor<1x4x4x2xf32>
  %2 = "float.max_pool2d"(%1) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!q>
  %4 = "quant.dcast"(%3) : (tensor<1x2x2x2x!q>) -> tensor<1x2x2x2xf32>
  %5 = "float.reshape"(%4) {shape = [1, 8]} : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x8xf32>) -> tensor<1x8x!q>
  %7 = "quant.dcast"(%6) : (tensor<1x8x!q>) -> tensor<1x8xf32>
  %8 = "float.transpose"(%7) {perm = [1, 0]} : (tensor<1x8xf32>) -> tensor<8x1xf32>
  %9 = "quant.qcast"(%8) : (tensor<8x1xf32>) -> tensor<8x1x!q2>
  %10 = "quant.dcast"(%9) : (tensor<8x1x!q2>) -> tensor<8x1xf32>
  return %10 : tensor<8x1xf32>
}

// -----

!q = !quant.uniform<i8:f32, 1.000000e-01:-3>
!qo = !quant.uniform<i8:f32, 5.000000e-02:-10>

// avg_pool2d pools the stored values in the input's scale (TFLite rounds half away) and is then
// requantized to its result's type; a mean over H and W is a global avg pool, plus a reshape when the
// dims are dropped. A flatten left without casts (the quantize pass does not wrap it) is a reshape of
// its quantized input. "same" pooling pads [0, 0, 1, 1] here (3x3 input, 2x2 window, stride 2).
// CHECK-LABEL: func.func @pools_and_mean
// CHECK: %[[A:.*]] = "hw.avg_pool2d"(%0) {kernel = [2, 2], padding = [0, 0, 1, 1], strides = [2, 2]} : (tensor<1x3x3x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<1x2x2x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: "hw.rescale"(%[[A]]) {double_round = true, input_zp = -3 : i64, multiplier = [1073741824], output_zp = -10 : i64, scale32 = true, shift = [29]}
// CHECK: %[[G:.*]] = "hw.avg_pool2d"(%0) {kernel = [3, 3], padding = [0, 0, 0, 0], strides = [1, 1]} : ({{.*}}) -> tensor<1x1x1x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: %[[F:.*]] = "hw.reshape"(%[[G]]) : ({{.*}}) -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: "hw.rescale"(%[[F]])
// CHECK: %[[L:.*]] = "hw.reshape"(%0) : (tensor<1x3x3x4x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<1x36x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: "quant.dcast"(%[[L]])
func.func @pools_and_mean(%arg0: tensor<1x3x3x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x4xf32>, tensor<1x36xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<1x3x3x4xf32>) -> tensor<1x3x3x4x!q>
  %1 = "quant.dcast"(%0) : (tensor<1x3x3x4x!q>) -> tensor<1x3x3x4xf32>
  %2 = "float.avg_pool2d"(%1) {kernel = [2, 2], strides = [2, 2], padding = "same"} : (tensor<1x3x3x4xf32>) -> tensor<1x2x2x4xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!qo>
  %4 = "quant.dcast"(%3) : (tensor<1x2x2x4x!qo>) -> tensor<1x2x2x4xf32>
  %5 = "float.mean"(%1) {axes = [1, 2], keepdims = false} : (tensor<1x3x3x4xf32>) -> tensor<1x4xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x4xf32>) -> tensor<1x4x!qo>
  %7 = "quant.dcast"(%6) : (tensor<1x4x!qo>) -> tensor<1x4xf32>
  %8 = "float.flatten"(%1) : (tensor<1x3x3x4xf32>) -> tensor<1x36xf32>
  return %4, %7, %8 : tensor<1x2x2x4xf32>, tensor<1x4xf32>, tensor<1x36xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 1.000000e-01:-3>
!qb = !quant.uniform<i8:f32, 2.000000e-01:5>

// concat: the input quantized differently from the result is requantized first; pad fills with the
// stored zero (the zero point).
// CHECK-LABEL: func.func @concat_pad
// CHECK: %[[R:.*]] = "hw.rescale"(%1) {double_round = true, input_zp = 5 : i64, multiplier = [1073741824], output_zp = -3 : i64, scale32 = true, shift = [29]}
// CHECK-NEXT: %[[C:.*]] = "hw.concat"(%0, %[[R]]) {axis = 1 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 1.000000e-01:-3>>, tensor<2x3x!quant.uniform<i8:f32, 1.000000e-01:-3>>) -> tensor<2x6x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: %[[P:.*]] = "hw.pad"(%[[C]]) {pad_value = -3 : i64, pads = [0, 1, 0, 2]}
// CHECK-SAME: -> tensor<2x9x!quant.uniform<i8:f32, 1.000000e-01:-3>>
func.func @concat_pad(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> tensor<2x9xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3x!qa>
  %1 = "quant.qcast"(%arg1) : (tensor<2x3xf32>) -> tensor<2x3x!qb>
  %2 = "quant.dcast"(%0) : (tensor<2x3x!qa>) -> tensor<2x3xf32>
  %3 = "quant.dcast"(%1) : (tensor<2x3x!qb>) -> tensor<2x3xf32>
  %4 = "float.concat"(%2, %3) {axis = 1} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  %5 = "quant.qcast"(%4) : (tensor<2x6xf32>) -> tensor<2x6x!qa>
  %6 = "quant.dcast"(%5) : (tensor<2x6x!qa>) -> tensor<2x6xf32>
  %7 = "float.pad"(%6) {pads = [0, 1, 0, 2]} : (tensor<2x6xf32>) -> tensor<2x9xf32>
  %8 = "quant.qcast"(%7) : (tensor<2x9xf32>) -> tensor<2x9x!qa>
  %9 = "quant.dcast"(%8) : (tensor<2x9x!qa>) -> tensor<2x9xf32>
  return %9 : tensor<2x9xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 6.250000e-02>
!qs = !quant.uniform<i8:f32, 3.906250e-03:-128>
!qt = !quant.uniform<i8:f32, 7.812500e-03>
!ql = !quant.uniform<i8:f32, 1.250000e-01:10>

// sigmoid and tanh become 256-entry tables into their fixed output types (entry i is the stored
// result for stored input i − 128); softmax is TFLite's int8 kernel (Prepare: beta·s_in·2^26 =
// 2^22 → multiplier 2^30, left shift 23; diff_min = −floor(31·2^26 / 2^23) = −248), whose fixed output
// 1/256, −128 is what the cast asks for here.
// CHECK-LABEL: func.func @tables_and_softmax
// CHECK: "hw.lut"(%0) {table = dense<"0x{{[0-9A-F]+}}"> : tensor<256xi8>} : (tensor<4x8x!quant.uniform<i8:f32, 6.250000e-02>>) -> tensor<4x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK: "hw.lut"(%0) {table = dense<"0x{{[0-9A-F]+}}"> : tensor<256xi8>} : (tensor<4x8x!quant.uniform<i8:f32, 6.250000e-02>>) -> tensor<4x8x!quant.uniform<i8:f32, 7.812500e-03>>
// CHECK: "hw.softmax"(%0) {diff_min = -248 : i64, input_left_shift = 23 : i64, input_multiplier = 1073741824 : i64, rounding = "gemmlowp"} : (tensor<4x8x!quant.uniform<i8:f32, 6.250000e-02>>) -> tensor<4x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK-NOT: "float.
func.func @tables_and_softmax(%arg0: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<4x8xf32>) -> tensor<4x8x!qx>
  %1 = "quant.dcast"(%0) : (tensor<4x8x!qx>) -> tensor<4x8xf32>
  %2 = "float.sigmoid"(%1) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = "quant.qcast"(%2) : (tensor<4x8xf32>) -> tensor<4x8x!qs>
  %4 = "quant.dcast"(%3) : (tensor<4x8x!qs>) -> tensor<4x8xf32>
  %5 = "float.tanh"(%1) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %6 = "quant.qcast"(%5) : (tensor<4x8xf32>) -> tensor<4x8x!qt>
  %7 = "quant.dcast"(%6) : (tensor<4x8x!qt>) -> tensor<4x8xf32>
  %8 = "float.softmax"(%1) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %9 = "quant.qcast"(%8) : (tensor<4x8xf32>) -> tensor<4x8x!qs>
  %10 = "quant.dcast"(%9) : (tensor<4x8x!qs>) -> tensor<4x8xf32>
  return %4, %7, %10 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 1.000000e-01:-3>
!qb = !quant.uniform<i8:f32, 1.000000e-01:-3>
!qc = !quant.uniform<i8:f32, 4.000000e-01:0>

// A dequantize/quantize pair with identical types cancels; with different types it is one hw.rescale.
// CHECK-LABEL: func.func @requantize_pairs
// CHECK-NEXT: %[[Q:.*]] = "quant.qcast"(%arg0)
// CHECK-NEXT: %[[R:.*]] = "hw.rescale"(%[[Q]]) {double_round = true, input_zp = -3 : i64, multiplier = [1073741824], output_zp = 0 : i64, scale32 = true, shift = [32]}
// CHECK-NEXT: %[[D1:.*]] = "quant.dcast"(%[[Q]])
// CHECK-NEXT: %[[D2:.*]] = "quant.dcast"(%[[R]])
// CHECK-NEXT: return %[[D1]], %[[D2]]
func.func @requantize_pairs(%arg0: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<4xf32>) -> tensor<4x!qa>
  %1 = "quant.dcast"(%0) : (tensor<4x!qa>) -> tensor<4xf32>
  %2 = "quant.qcast"(%1) : (tensor<4xf32>) -> tensor<4x!qb>
  %3 = "quant.qcast"(%1) : (tensor<4xf32>) -> tensor<4x!qc>
  %4 = "quant.dcast"(%2) : (tensor<4x!qb>) -> tensor<4xf32>
  %5 = "quant.dcast"(%3) : (tensor<4x!qc>) -> tensor<4xf32>
  return %4, %5 : tensor<4xf32>, tensor<4xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 5.000000e-01:2>
!qb = !quant.uniform<i8:f32, 2.500000e-01:-1>
!qo = !quant.uniform<i8:f32, 1.000000e+00:4>
!qw = !quant.uniform<i8<-127:127>:f32, 1.250000e-01>

// A matmul of two quantized tensors (QLinearMatMul) takes both as they are; a quantized constant
// right-hand side becomes an hw.const. 0.5·0.25/1 = 2^−3; 0.5·0.125/1 = 2^−4.
// CHECK-LABEL: func.func @matmuls
// CHECK: "hw.matmul"(%0, %1) {a_zp = [2], act_max = 127 : i64, act_min = -128 : i64, b_zp = [-1], multiplier = [1073741824], output_zp = 4 : i64, rounding = "gemmlowp", shift = [-2]} : (tensor<2x3x4x!quant.uniform<i8:f32, 5.000000e-01:2>>, tensor<4x5x!quant.uniform<i8:f32, 2.500000e-01:-1>>) -> tensor<2x3x5x!quant.uniform<i8:f32, 1.000000e+00:4>>
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<8> : tensor<4x5xi8>}
// CHECK-NEXT: "hw.matmul"(%0, %[[W]]) {a_zp = [2], act_max = 127 : i64, act_min = -128 : i64, b_zp = [0], multiplier = [1073741824], output_zp = 4 : i64, rounding = "gemmlowp", shift = [-3]}
func.func @matmuls(%arg0: tensor<2x3x4xf32>, %arg1: tensor<4x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<2x3x4xf32>) -> tensor<2x3x4x!qa>
  %1 = "quant.qcast"(%arg1) : (tensor<4x5xf32>) -> tensor<4x5x!qb>
  %2 = "quant.dcast"(%0) : (tensor<2x3x4x!qa>) -> tensor<2x3x4xf32>
  %3 = "quant.dcast"(%1) : (tensor<4x5x!qb>) -> tensor<4x5xf32>
  %4 = "float.matmul"(%2, %3) : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %5 = "quant.qcast"(%4) : (tensor<2x3x5xf32>) -> tensor<2x3x5x!qo>
  %6 = "quant.dcast"(%5) : (tensor<2x3x5x!qo>) -> tensor<2x3x5xf32>
  %7 = "float.const"() {value = dense<1.000000e+00> : tensor<4x5xf32>} : () -> tensor<4x5xf32>
  %8 = "quant.qcast"(%7) : (tensor<4x5xf32>) -> tensor<4x5x!qw>
  %9 = "quant.dcast"(%8) : (tensor<4x5x!qw>) -> tensor<4x5xf32>
  %10 = "float.matmul"(%2, %9) : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %11 = "quant.qcast"(%10) : (tensor<2x3x5xf32>) -> tensor<2x3x5x!qo>
  %12 = "quant.dcast"(%11) : (tensor<2x3x5x!qo>) -> tensor<2x3x5xf32>
  return %6, %12 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// -----

!q = !quant.uniform<i8:f32, 1.000000e-01:-3>

// What the target runs but hw cannot express stays a float island between its casts (tflite-int8
// allows fallback): a mean over channels is no global average pool. A sub is TFLite's SUB, with ADD's
// Prepare: all scales 0.1, twice_max = 0.2 → inputs 0.5 = (2^30, 0), output 0.2/(2^20·0.1) = 2^-19 = (2^30, −18).
// CHECK-LABEL: func.func @islands
// CHECK: %[[D:.*]] = "quant.dcast"(%0)
// CHECK-NEXT: %[[M:.*]] = "float.mean"(%[[D]]) {axes = [3]}
// CHECK-NEXT: "quant.qcast"(%[[M]])
// CHECK: "hw.sub"(%0, %0) {act_max = 127 : i64, act_min = -128 : i64, input1_multiplier = 1073741824 : i64, input1_shift = 0 : i64, input1_zp = -3 : i64, input2_multiplier = 1073741824 : i64, input2_shift = 0 : i64, input2_zp = -3 : i64, left_shift = 20 : i64, output_multiplier = 1073741824 : i64, output_shift = -18 : i64, output_zp = -3 : i64, rounding = "gemmlowp"}
func.func @islands(%arg0: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x2x2x4xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!q>
  %1 = "quant.dcast"(%0) : (tensor<1x2x2x4x!q>) -> tensor<1x2x2x4xf32>
  %2 = "float.mean"(%1) {axes = [3]} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x1xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1x!q>
  %4 = "quant.dcast"(%3) : (tensor<1x2x2x1x!q>) -> tensor<1x2x2x1xf32>
  %5 = "float.sub"(%1, %1) : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!q>
  %7 = "quant.dcast"(%6) : (tensor<1x2x2x4x!q>) -> tensor<1x2x2x4xf32>
  return %4, %7 : tensor<1x2x2x1xf32>, tensor<1x2x2x4xf32>
}
