// The whole flow from hand-written ranges on dsp-int16 (16-bit symmetric activations, power-of-two
// scales, single rounding, no float fallback): every requantization is a shift.
// RUN: qopt-opt %s --pass='propagate-ranges,nudge-zero-point{target=dsp-int16},quantize{target=dsp-int16},lower-to-hw{target=dsp-int16}' | FileCheck %s
//
// x ∈ [−0.99, 0.99]: 0.99/32767 = 3.02e-5 ≤ 2^-15 → s_x = 2^-15 (0.000030517578125), zp 0.
// Weights (i8 symmetric narrow, per-tensor for fully_connected): max |w| = 0.49, 0.49/127 = 3.86e-3 ≤ 2^-8
// → s_w = 2^-8; stored round(w/s_w) with ties away: 0.49·256 = 125.44 → 125, −0.25 → −64, 0.125 → 32, 0.0625 → 16.
// y ∈ [−1.9, 1.9]: 1.9/32767 = 5.8e-5 → s_y = 2^-14. M = 2^-15·2^-8/2^-14 = 2^-9 = 0.5·2^-8:
// multiplier 2^30, shift −8, single rounding.
// CHECK-LABEL: func.func @fc_softmax
// CHECK-SAME: qopt.range = [-0.999969482421875, 0.999969482421875]
// CHECK-NEXT: %[[X:.*]] = "quant.qcast"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 0.000030517578125>>
// CHECK-NEXT: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[}}125, -64, 32, 0], [-125, 64, 0, 16]]> : tensor<2x4xi8>}
// CHECK-NEXT: %[[Y:.*]] = "hw.fully_connected"(%[[X]], %[[W]]) {act_max = 32767 : i64, act_min = -32768 : i64, input_zp = 0 : i64, multiplier = [1073741824], output_zp = 0 : i64, rounding = "single-round", shift = [-8]}
// CHECK-SAME: -> tensor<1x2x!quant.uniform<i16:f32, 0.00006103515625>>
// The softmax is hw.softmax's int16 form, rounding once as the target does; its output is 1/32768, zp 0.
// CHECK-NEXT: %[[P:.*]] = "hw.softmax"(%[[Y]]) {{{.*}}rounding = "single-round"}
// CHECK-SAME: -> tensor<1x2x!quant.uniform<i16:f32, 0.000030517578125>>
// CHECK-NEXT: "quant.dcast"(%[[P]])
func.func @fc_softmax(%x: tensor<1x4xf32> {qopt.range = [-0.99, 0.99]}) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[0.49, -0.25, 0.125, 0.0], [-0.49, 0.25, 0.0, 0.0625]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %y = "float.fully_connected"(%x, %w) {qopt.range = [-1.9, 1.9]} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %p = "float.softmax"(%y) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %p : tensor<1x2xf32>
}
