// Weights of ops that stay float (dynamic-range "hybrid" ops, float islands) are stored as their int8
// integers: the quant.qcast of the float constant folds to hw.const (rounded as the target's converter
// rounds ties, away from zero on tflite-int8: 0.5 → 1), and the op reads its dequantization.
// RUN: qopt-opt %s --pass='lower-to-hw{target=tflite-int8}' | FileCheck %s

// CHECK-LABEL: func.func @hybrid_fc
// CHECK-NOT: "quant.qcast"
// CHECK: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[}}1, -2, 127, -127]]> : tensor<1x4xi8>} : () -> tensor<1x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>
// CHECK-NEXT: %[[D:.*]] = "quant.dcast"(%[[W]])
// CHECK-NEXT: "float.fully_connected"(%arg0, %[[D]]) {qopt.dynamic_range}
func.func @hybrid_fc(%x: tensor<2x4xf32>) -> tensor<2x1xf32> {
  %w = "float.const"() {value = dense<[[0.125, -0.5, 31.75, -40.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %q = "quant.qcast"(%w) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>
  %d = "quant.dcast"(%q) : (tensor<1x4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01>>) -> tensor<1x4xf32>
  %y = "float.fully_connected"(%x, %d) {qopt.dynamic_range} : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
