// RUN: qopt-opt %s --pass=fuse | FileCheck %s
// RUN: qopt-opt %s --pass='fuse{target=npu-pow2-int8}' | FileCheck %s --check-prefix=NPU
// RUN: qopt-opt %s --pass=fold-batch-norm,canonicalize | FileCheck %s --check-prefix=BN

// CHECK-LABEL: func.func @conv_bias_relu
// CHECK: %[[C:.*]] = "float.conv2d"(%arg0, %{{.*}}, %{{.*}}) {act = "relu"}
// CHECK-NOT: "float.add"
// CHECK-NOT: "float.relu"
// CHECK: return %[[C]]
// NPU-LABEL: func.func @conv_bias_relu
// NPU: "float.conv2d"(%arg0, %{{.*}}, %{{.*}}) {act = "relu"}
func.func @conv_bias_relu(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %w = "float.const"() {value = dense<0.5> : tensor<3x1x1x2xf32>} : () -> tensor<3x1x1x2xf32>
  %c = "float.conv2d"(%x, %w) : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>) -> tensor<1x4x4x3xf32>
  %b = "float.const"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %a = "float.add"(%c, %b) : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  %r = "float.relu"(%a) : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// The NPU fuses conv+bias+relu only: relu6 stays a separate op there.
// CHECK-LABEL: func.func @fc_relu6
// CHECK: "float.fully_connected"(%arg0, %{{.*}}) {act = "relu6"}
// NPU-LABEL: func.func @fc_relu6
// NPU: "float.fully_connected"
// NPU-NEXT: "float.relu6"
func.func @fc_relu6(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = "float.const"() {value = dense<0.25> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
  %f = "float.fully_connected"(%x, %w) : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %r = "float.relu6"(%f) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// BN-LABEL: func.func @conv_bn
// BN-NOT: "float.batch_norm"
// BN: "float.conv2d"(%arg0, %{{.*}}, %{{.*}})
// BN-NOT: "float.batch_norm"
func.func @conv_bn(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "float.const"() {value = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %c = "float.conv2d"(%x, %w) : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %g = "float.const"() {value = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %be = "float.const"() {value = dense<[0.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "float.const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "float.const"() {value = dense<[4.0, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bn = "float.batch_norm"(%c, %g, %be, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %bn : tensor<1x4x4x2xf32>
}
