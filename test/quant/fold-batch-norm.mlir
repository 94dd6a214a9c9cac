// fold-batch-norm: into the preceding conv / fully connected weights and bias when that op's only user
// is the batch norm, else a multiply and an add by constants.
// RUN: qopt-opt %s --split-input-file --pass=fold-batch-norm | FileCheck %s
// With γ = [3, 1], σ² = [1, 4], ε = 0: k = γ/√σ² = [3, 0.5]; μ = [1, −2], β = [0.5, 0]:
// shift = β − μ·k = [0.5 − 3, 0 + 1] = [−2.5, 1].

// Folded: w' = w·k per output channel ([[1, 2], [3, 4]] → [[3, 6], [1.5, 2]]), b' = b·k + shift
// ([1, −1] → [3 − 2.5, −0.5 + 1] = [0.5, 0.5]).
// CHECK-LABEL: func.func @conv_bn
// CHECK: %[[W:.*]] = "float.const"() {value = dense<{{\[\[\[\[}}3.000000e+00, 6.000000e+00]]], {{\[\[\[}}1.500000e+00, 2.000000e+00]]]]> : tensor<2x1x1x2xf32>}
// CHECK-NEXT: %[[B:.*]] = "float.const"() {value = dense<5.000000e-01> : tensor<2xf32>}
// CHECK-NEXT: %[[C:.*]] = "float.conv2d"(%arg0, %[[W]], %[[B]])
// CHECK-NEXT: return %[[C]]
func.func @conv_bn(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "float.const"() {value = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "float.const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %g = "float.const"() {value = dense<[3.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %be = "float.const"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "float.const"() {value = dense<[1.0, -2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "float.const"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bn = "float.batch_norm"(%c, %g, %be, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

// No weighted producer (a relu): x·k + shift.
// CHECK-LABEL: func.func @relu_bn
// CHECK: %[[R:.*]] = "float.relu"(%arg0)
// CHECK: %[[K:.*]] = "float.const"() {value = dense<[3.000000e+00, 5.000000e-01]> : tensor<2xf32>}
// CHECK-NEXT: %[[S:.*]] = "float.const"() {value = dense<[-2.500000e+00, 1.000000e+00]> : tensor<2xf32>}
// CHECK-NEXT: %[[M:.*]] = "float.mul"(%[[R]], %[[K]])
// CHECK-NEXT: %[[A:.*]] = "float.add"(%[[M]], %[[S]])
// CHECK-NEXT: return %[[A]]
func.func @relu_bn(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %r = "float.relu"(%x) : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %g = "float.const"() {value = dense<[3.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %be = "float.const"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "float.const"() {value = dense<[1.0, -2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "float.const"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bn = "float.batch_norm"(%r, %g, %be, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

// A conv whose result has another user keeps its weights: the batch norm becomes mul + add.
// CHECK-LABEL: func.func @shared_conv_bn
// CHECK: %[[C:.*]] = "float.conv2d"(%arg0, %{{.*}}) :
// CHECK: "float.mul"(%[[C]], %{{.*}})
// CHECK-NEXT: "float.add"
// CHECK-NOT: "float.batch_norm"
func.func @shared_conv_bn(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %w = "float.const"() {value = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %c = "float.conv2d"(%x, %w) : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %g = "float.const"() {value = dense<[3.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %be = "float.const"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "float.const"() {value = dense<[1.0, -2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "float.const"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bn = "float.batch_norm"(%c, %g, %be, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %bn, %c : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}
