// integer-io: a quantized program takes and returns integers (TFLite's inference_input_type and
// inference_output_type = int8). A function input whose only user is a quant.qcast takes that qcast's
// !quant.uniform type, so callers pass stored integers with the scale and zero point the type names; a
// result produced by a quant.dcast returns the quantized value. Everything else keeps float.
//
// RUN: qopt-opt %s --split-input-file --pass=integer-io | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass='quantize{target=tflite-int8},lower-to-hw{target=tflite-int8},integer-io' | FileCheck %s --check-prefix=HW

!qx = !quant.uniform<i8:f32, 7.812500e-03:-64>
!qy = !quant.uniform<i8:f32, 3.906250e-03:-128>

// 'x' feeds only its qcast: it becomes an i8 input with scale 2^-7, zp −64, and the qcast goes.
// 'skip' also feeds the float add: it stays f32 (its qcast stays). 'probs' comes from a dcast: it returns
// the i8 value (scale 1/256, zp −128) and the dcast at exit goes. 'sum' is a float op's result: f32.
// Argument and result attributes (the names) stay with their positions.
// CHECK-LABEL: func.func @mixed_io
// CHECK-SAME: (%arg0: tensor<1x4x!quant.uniform<i8:f32, 7.812500e-03:-64>> {qopt.name = "x"}, %arg1: tensor<1x4xf32> {qopt.name = "skip"})
// CHECK-SAME: -> (tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>> {qopt.name = "probs"}, tensor<1x4xf32> {qopt.name = "sum"})
// CHECK-NEXT: %[[X:[0-9]+]] = "quant.dcast"(%arg0) : (tensor<1x4x!quant.uniform<i8:f32, 7.812500e-03:-64>>) -> tensor<1x4xf32>
// CHECK-NEXT: %[[P:[0-9]+]] = "float.softmax"(%[[X]])
// CHECK-NEXT: %[[QP:[0-9]+]] = "quant.qcast"(%[[P]]) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK-NEXT: %[[QS:[0-9]+]] = "quant.qcast"(%arg1)
// CHECK-NEXT: %[[S:[0-9]+]] = "quant.dcast"(%[[QS]])
// CHECK-NEXT: %[[SUM:[0-9]+]] = "float.add"(%[[S]], %arg1)
// CHECK-NEXT: return %[[QP]], %[[SUM]] : tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>, tensor<1x4xf32>
func.func @mixed_io(%x: tensor<1x4xf32> {qopt.name = "x"}, %s: tensor<1x4xf32> {qopt.name = "skip"}) -> (tensor<1x4xf32> {qopt.name = "probs"}, tensor<1x4xf32> {qopt.name = "sum"}) {
  %0 = "quant.qcast"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!qx>
  %1 = "quant.dcast"(%0) : (tensor<1x4x!qx>) -> tensor<1x4xf32>
  %2 = "float.softmax"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %3 = "quant.qcast"(%2) : (tensor<1x4xf32>) -> tensor<1x4x!qy>
  %4 = "quant.dcast"(%3) : (tensor<1x4x!qy>) -> tensor<1x4xf32>
  %5 = "quant.qcast"(%s) : (tensor<1x4xf32>) -> tensor<1x4x!qx>
  %6 = "quant.dcast"(%5) : (tensor<1x4x!qx>) -> tensor<1x4xf32>
  %7 = "float.add"(%6, %s) : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %4, %7 : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

!qy = !quant.uniform<i8:f32, 3.906250e-03:-128>

// A dcast at exit that another op still reads stays (for that op); the result is still the i8 value.
// CHECK-LABEL: func.func @exit_dcast_still_read
// CHECK-SAME: -> (tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>, tensor<1x4xf32>)
// CHECK: %[[Q:[0-9]+]] = "quant.qcast"
// CHECK-NEXT: %[[D:[0-9]+]] = "quant.dcast"(%[[Q]])
// CHECK-NEXT: %[[R:[0-9]+]] = "float.relu"(%[[D]])
// CHECK-NEXT: return %[[Q]], %[[R]]
func.func @exit_dcast_still_read(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %0 = "float.softmax"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = "quant.qcast"(%0) : (tensor<1x4xf32>) -> tensor<1x4x!qy>
  %2 = "quant.dcast"(%1) : (tensor<1x4x!qy>) -> tensor<1x4xf32>
  %3 = "float.relu"(%2) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %2, %3 : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// The whole path of `qopt quantize --io=int`: quantize, lower, then integer-io. The input [-1, 0.9921875]
// is i8 with s = 1.9921875 / 255 = 2^-7 and zp = round(-128 + 1 · 2^7) = 0; the softmax output is i8
// with the fixed 1/256, zp −128. No quantize or dequantize is left: the program is integers end to end.
// HW-LABEL: func.func @fc_softmax(%arg0: tensor<1x4x!quant.uniform<i8:f32, 7.812500e-03>> {{.*}}) -> tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// HW-NOT: quant.qcast
// HW-NOT: quant.dcast
// HW: %[[F:[0-9]+]] = "hw.fully_connected"(%arg0,
// HW-NOT: quant.qcast
// HW-NOT: quant.dcast
// HW: %[[P:[0-9]+]] = "hw.softmax"(%[[F]])
// HW-NEXT: return %[[P]] : tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
func.func @fc_softmax(%x: tensor<1x4xf32> {qopt.range = [-1.0, 0.9921875]}) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[0.9921875, 0.5, -0.25, 0.0], [0.125, -0.248046875, 0.0, 0.0625]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "float.const"() {value = dense<[0.25, -0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %f = "float.fully_connected"(%x, %w, %b) {qopt.range = [-1.0, 2.984375]} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %p = "float.softmax"(%f) {qopt.range = [0.0, 1.0]} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %p : tensor<1x2xf32>
}
