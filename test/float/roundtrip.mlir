// RUN: qopt-opt %s | FileCheck %s
// Every float op in one network-shaped function: parses, verifies (with inferred result types)
// and prints back in generic form. Also fed to mlir-opt-19 by the interop test.

// CHECK-LABEL: func.func @every_float_op
func.func @every_float_op(%x: tensor<?x8x8x3xf32>, %v: tensor<?x16xf32>) -> (tensor<?x10xf32>, tensor<?x4x4x8xf32>, tensor<?x8x4x4xf32>, tensor<?x3x16xf32>) {
  %w = "float.const"() {value = dense<0.5> : tensor<8x3x3x3xf32>} : () -> tensor<8x3x3x3xf32>
  %b = "float.const"() {value = dense<0.1> : tensor<8xf32>} : () -> tensor<8xf32>
  %dw = "float.const"() {value = dense<0.25> : tensor<1x3x3x16xf32>} : () -> tensor<1x3x3x16xf32>
  %fc = "float.const"() {value = dense<1.0> : tensor<10x16xf32>} : () -> tensor<10x16xf32>
  %ones = "float.const"() {value = dense<1.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %zeros = "float.const"() {value = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %m = "float.const"() {value = dense<2.0> : tensor<16x16xf32>} : () -> tensor<16x16xf32>

  // CHECK: %[[CONV:.*]] = "float.conv2d"(%arg0, %{{.*}}, %{{.*}}) {act = "relu", padding = "same", strides = [2, 2]} : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %0 = "float.conv2d"(%x, %w, %b) {act = "relu", padding = "same", strides = [2, 2]} : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  // CHECK-NEXT: "float.conv2d"(%arg0, %{{.*}}) {dilations = [2, 2], groups = 1 : i64, padding = [2, 2, 2, 2]} : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x8x8xf32>
  %1 = "float.conv2d"(%x, %w) {dilations = [2, 2], groups = 1 : i64, padding = [2, 2, 2, 2]} : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x8x8xf32>
  // CHECK-NEXT: %[[DW:.*]] = "float.depthwise_conv2d"(%[[CONV]], %{{.*}}) {act = "clamp", act_max = 6.000000e+00 : f64, act_min = 0.000000e+00 : f64, depth_multiplier = 2 : i64, padding = "valid"} : (tensor<?x4x4x8xf32>, tensor<1x3x3x16xf32>) -> tensor<?x2x2x16xf32>
  %2 = "float.depthwise_conv2d"(%0, %dw) {act = "clamp", act_max = 6.0, act_min = 0.0, depth_multiplier = 2 : i64, padding = "valid"} : (tensor<?x4x4x8xf32>, tensor<1x3x3x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: %[[BN:.*]] = "float.batch_norm"(%[[DW]], {{.*}}) {epsilon = 1.000000e-03 : f64} : (tensor<?x2x2x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x2x2x16xf32>
  %3 = "float.batch_norm"(%2, %ones, %zeros, %zeros, %ones) {epsilon = 1.0e-3} : (tensor<?x2x2x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.relu"(%[[BN]]) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  %4 = "float.relu"(%3) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.relu6"
  %5 = "float.relu6"(%4) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.clamp"({{.*}}) {max = 4.000000e+00 : f64, min = -1.000000e+00 : f64}
  %6 = "float.clamp"(%5) {max = 4.0, min = -1.0} : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.leaky_relu"({{.*}}) {alpha = 2.000000e-01 : f64}
  %7 = "float.leaky_relu"(%6) {alpha = 0.2} : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.sigmoid"
  %8 = "float.sigmoid"(%7) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.tanh"
  %9 = "float.tanh"(%8) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.exp"
  %10 = "float.exp"(%9) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.neg"
  %11 = "float.neg"(%10) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.abs"
  %12 = "float.abs"(%11) : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.max_pool2d"({{.*}}) {kernel = [2, 2], padding = [0, 0, 1, 1], strides = [2, 2]} : (tensor<?x2x2x16xf32>) -> tensor<?x1x1x16xf32>
  %13 = "float.max_pool2d"(%12) {kernel = [2, 2], padding = [0, 0, 1, 1], strides = [2, 2]} : (tensor<?x2x2x16xf32>) -> tensor<?x1x1x16xf32>
  // CHECK-NEXT: "float.avg_pool2d"({{.*}}) {count_include_pad = true, kernel = [3, 3], padding = "same"} : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  %14 = "float.avg_pool2d"(%12) {count_include_pad = true, kernel = [3, 3], padding = "same"} : (tensor<?x2x2x16xf32>) -> tensor<?x2x2x16xf32>
  // CHECK-NEXT: "float.mean"({{.*}}) {axes = [1, 2], keepdims = true} : (tensor<?x2x2x16xf32>) -> tensor<?x1x1x16xf32>
  %15 = "float.mean"(%14) {axes = [1, 2], keepdims = true} : (tensor<?x2x2x16xf32>) -> tensor<?x1x1x16xf32>
  // CHECK-NEXT: "float.concat"({{.*}}, {{.*}}) {axis = -1 : i64} : (tensor<?x1x1x16xf32>, tensor<?x1x1x16xf32>) -> tensor<?x1x1x32xf32>
  %16 = "float.concat"(%13, %15) {axis = -1 : i64} : (tensor<?x1x1x16xf32>, tensor<?x1x1x16xf32>) -> tensor<?x1x1x32xf32>
  // CHECK-NEXT: "float.slice"({{.*}}) {axes = [3], ends = [16], starts = [0]} : (tensor<?x1x1x32xf32>) -> tensor<?x1x1x16xf32>
  %17 = "float.slice"(%16) {axes = [3], ends = [16], starts = [0]} : (tensor<?x1x1x32xf32>) -> tensor<?x1x1x16xf32>
  // CHECK-NEXT: "float.reshape"({{.*}}) {shape = [-1, 16]} : (tensor<?x1x1x16xf32>) -> tensor<?x16xf32>
  %18 = "float.reshape"(%17) {shape = [-1, 16]} : (tensor<?x1x1x16xf32>) -> tensor<?x16xf32>
  // CHECK-NEXT: "float.flatten"({{.*}}) {axis = 1 : i64} : (tensor<?x1x1x16xf32>) -> tensor<?x16xf32>
  %19 = "float.flatten"(%17) {axis = 1 : i64} : (tensor<?x1x1x16xf32>) -> tensor<?x16xf32>
  // CHECK-NEXT: "float.add"
  %20 = "float.add"(%18, %19) : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  // CHECK-NEXT: "float.fully_connected"({{.*}}, {{.*}}) {act = "relu6"} : (tensor<?x16xf32>, tensor<10x16xf32>) -> tensor<?x10xf32>
  %21 = "float.fully_connected"(%20, %fc) {act = "relu6"} : (tensor<?x16xf32>, tensor<10x16xf32>) -> tensor<?x10xf32>
  // CHECK-NEXT: %[[SM:.*]] = "float.softmax"({{.*}}) {axis = -1 : i64} : (tensor<?x10xf32>) -> tensor<?x10xf32>
  %22 = "float.softmax"(%21) {axis = -1 : i64} : (tensor<?x10xf32>) -> tensor<?x10xf32>
  // CHECK-NEXT: %[[T:.*]] = "float.transpose"(%[[CONV]]) {perm = [0, 3, 1, 2]} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
  %23 = "float.transpose"(%0) {perm = [0, 3, 1, 2]} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
  // CHECK-NEXT: %[[R:.*]] = "float.reshape"(%arg1) {shape = [-1, 1, 16]} : (tensor<?x16xf32>) -> tensor<?x1x16xf32>
  %24 = "float.reshape"(%v) {shape = [-1, 1, 16]} : (tensor<?x16xf32>) -> tensor<?x1x16xf32>
  // CHECK-NEXT: "float.pad"(%[[R]]) {mode = "constant", pads = [0, 1, 0, 0, 1, 0], value = 0.000000e+00 : f64} : (tensor<?x1x16xf32>) -> tensor<?x3x16xf32>
  %25 = "float.pad"(%24) {mode = "constant", pads = [0, 1, 0, 0, 1, 0], value = 0.0} : (tensor<?x1x16xf32>) -> tensor<?x3x16xf32>
  // CHECK-NEXT: "float.matmul"({{.*}}, {{.*}}) {transpose_a = false, transpose_b = true} : (tensor<?x3x16xf32>, tensor<16x16xf32>) -> tensor<?x3x16xf32>
  %26 = "float.matmul"(%25, %m) {transpose_a = false, transpose_b = true} : (tensor<?x3x16xf32>, tensor<16x16xf32>) -> tensor<?x3x16xf32>
  // CHECK-NEXT: return %[[SM]], %[[CONV]], %[[T]], %{{.*}} : tensor<?x10xf32>, tensor<?x4x4x8xf32>, tensor<?x8x4x4xf32>, tensor<?x3x16xf32>
  return %22, %0, %23, %26 : tensor<?x10xf32>, tensor<?x4x4x8xf32>, tensor<?x8x4x4xf32>, tensor<?x3x16xf32>
}
