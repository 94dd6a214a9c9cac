// RUN: not qopt-opt %s --split-input-file --pass='lower-to-hw{target=npu-pow2-int8}' 2>&1 | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass='lower-to-hw{target=tflite-int8}' | FileCheck %s --check-prefix=FALLBACK
// RUN: not qopt-opt %s --split-input-file --pass=lower-to-hw 2>&1 | FileCheck %s --check-prefix=NOTARGET
// NOTARGET: error: pass 'lower-to-hw' failed: lower-to-hw needs a target: --pass='lower-to-hw{target=tflite-int8}' or --target=…
// npu-pow2-int8 allows no float fallback: every op it cannot run is a legality error naming the op,
// its location, the types it needed and what the target lacks. tflite-int8 allows fallback: the same
// ops it cannot run stay float islands between their dequantize and quantize.

!q = !quant.uniform<i8:f32, 6.250000e-02>
!qs = !quant.uniform<i8:f32, 3.906250e-03:-128>

// CHECK: legality.mlir:[[@LINE+6]]:3: error: 'float.softmax' op cannot run on target "npu-pow2-int8": it needs softmax on i8; the target does not run softmax (it runs conv2d, depthwise_conv2d, fully_connected, add, max_pool2d, avg_pool2d); and the target allows no float fallback
// CHECK-NEXT: %2 = "float.softmax"(%1)
// CHECK-NEXT: ^
func.func @softmax(%arg0: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<2x8xf32>) -> tensor<2x8x!q>
  %1 = "quant.dcast"(%0) : (tensor<2x8x!q>) -> tensor<2x8xf32>
  %2 = "float.softmax"(%1) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x8xf32>) -> tensor<2x8x!qs>
  %4 = "quant.dcast"(%3) : (tensor<2x8x!qs>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}
// FALLBACK-LABEL: func.func @softmax
// FALLBACK: "hw.softmax"

// -----

!q = !quant.uniform<i8:f32, 6.250000e-02>
!qw = !quant.uniform<i8<-127:127>:f32:0, {1.250000e-01, 6.250000e-02}>

// The target quantizes fully_connected weights per tensor (so does tflite-int8: a float island there).
// FALLBACK-LABEL: func.func @per_channel_weights
// FALLBACK: "float.fully_connected"
// CHECK: legality.mlir:[[@LINE+7]]:3: error: 'float.fully_connected' op cannot run on target "npu-pow2-int8": it needs fully_connected on (i8, i8); the target runs it, but this op cannot be lowered: the weights have 2 per-channel scales, but target "npu-pow2-int8" takes per-tensor fully_connected weights; and the target allows no float fallback
func.func @per_channel_weights(%arg0: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %0 = "quant.qcast"(%arg0) : (tensor<1x2xf32>) -> tensor<1x2x!q>
  %1 = "quant.dcast"(%0) : (tensor<1x2x!q>) -> tensor<1x2xf32>
  %2 = "float.const"() {value = dense<2.500000e-01> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %3 = "quant.qcast"(%2) : (tensor<2x2xf32>) -> tensor<2x2x!qw>
  %4 = "quant.dcast"(%3) : (tensor<2x2x!qw>) -> tensor<2x2xf32>
  %5 = "float.fully_connected"(%1, %4) : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %6 = "quant.qcast"(%5) : (tensor<1x2xf32>) -> tensor<1x2x!q>
  %7 = "quant.dcast"(%6) : (tensor<1x2x!q>) -> tensor<1x2xf32>
  return %7 : tensor<1x2xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 5.000000e-02:3>
!qo = !quant.uniform<i8:f32, 1.000000e-01:3>

// Asymmetric, non-power-of-two activations break the target's activation rules; a relu it does not
// run and a float op that was never quantized are reported too, each at its own location.
// CHECK: legality.mlir:[[@LINE+10]]:3: error: 'float.add' op cannot run on target "npu-pow2-int8": it needs add on i8; the target runs it, but this op cannot be lowered: the operand #0 has zero point 3, but target "npu-pow2-int8" needs i8 activation zero points in [0, 0] (symmetric); and the target allows no float fallback
// CHECK: legality.mlir:[[@LINE+12]]:3: error: 'float.relu' op cannot run on target "npu-pow2-int8": it needs relu on i8; the target does not run relu
// CHECK: legality.mlir:[[@LINE+14]]:3: error: 'float.tanh' op cannot run on target "npu-pow2-int8": it needs tanh on f32; the target does not run tanh
// FALLBACK-LABEL: func.func @asymmetric
// FALLBACK: "hw.add"
// FALLBACK: "hw.lut"
// FALLBACK: "float.tanh"
func.func @asymmetric(%arg0: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = "quant.qcast"(%arg0) : (tensor<4xf32>) -> tensor<4x!qa>
  %1 = "quant.dcast"(%0) : (tensor<4x!qa>) -> tensor<4xf32>
  %2 = "float.add"(%1, %1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = "quant.qcast"(%2) : (tensor<4xf32>) -> tensor<4x!qo>
  %4 = "quant.dcast"(%3) : (tensor<4x!qo>) -> tensor<4xf32>
  %5 = "float.relu"(%1) : (tensor<4xf32>) -> tensor<4xf32>
  %6 = "quant.qcast"(%5) : (tensor<4xf32>) -> tensor<4x!qo>
  %7 = "quant.dcast"(%6) : (tensor<4x!qo>) -> tensor<4xf32>
  %8 = "float.tanh"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %4, %7, %8 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
