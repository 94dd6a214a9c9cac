// prune: magnitude pruning of constant conv/fc weights over the [output channels, rest] view.
// RUN: qopt-opt %s --pass='prune{sparsity=0.5 block=1x16}' | FileCheck %s
// RUN: qopt-opt %s --pass='prune{sparsity=0.5 block=2:4}' | FileCheck %s --check-prefix=NM
// RUN: qopt-opt %s --pass='prune{sparsity=0.25 block=4x1}' | FileCheck %s --check-prefix=COL
// RUN: qopt-opt %s --pass='prune{sparsity=0.5 block=target}' --target=npu-sparse-int8 | FileCheck %s --check-prefix=TARGET
// RUN: qopt-opt %s --pass='prune{sparsity=0.5 block=1x16},canonicalize' | FileCheck %s --check-prefix=RUNS
// RUN: not qopt-opt %s --pass='prune{block=4x1}' --target=npu-sparse-int8 2>&1 | FileCheck %s --check-prefix=UNLISTED
// RUN: not qopt-opt %s --pass='prune{block=target}' --target=tflite-int8 2>&1 | FileCheck %s --check-prefix=DENSE
// RUN: not qopt-opt %s --pass='prune{block=target}' 2>&1 | FileCheck %s --check-prefix=NOTARGET
// RUN: not qopt-opt %s --pass='prune{block=3y}' 2>&1 | FileCheck %s --check-prefix=BADSHAPE

// Two 1x16 blocks per row: the lowest-norm block of each row goes (row 0's 0.1s, row 1's 0.2s).
// CHECK-LABEL: func.func @fc
// CHECK: "float.const"() {value = dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01, 1.300000e+01, 1.400000e+01, 1.500000e+01, 1.600000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -1.000000e+00, -2.000000e+00, -3.000000e+00, -4.000000e+00, -5.000000e+00, -6.000000e+00, -7.000000e+00, -8.000000e+00, -9.000000e+00, -1.000000e+01, -1.100000e+01, -1.200000e+01, -1.300000e+01, -1.400000e+01, -1.500000e+01, -1.600000e+01]]>
// CHECK: "float.fully_connected"(%arg0, %{{.*}}) {qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64}

// 2:4 keeps the two largest |w| of every 4 consecutive inputs; equal values keep the lower index.
// NM-LABEL: func.func @fc
// NM: dense<{{\[\[}}0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 8.000000e+00,
// NM-SAME: 1.000000e-01, 1.000000e-01, 0.000000e+00, 0.000000e+00, 1.000000e-01, 1.000000e-01, 0.000000e+00, 0.000000e+00
// NM-SAME: [2.000000e-01, 2.000000e-01, 0.000000e+00, 0.000000e+00,
// NM: "float.fully_connected"(%arg0, %{{.*}}) {qopt.block = "2:4", qopt.sparsity = 5.000000e-01 : f64}

// 4x1 blocks on 2 rows are cut to 2x1 at the edge: a quarter of the weights = the 8 weakest columns
// (inputs 0-3 and 16-19).
// COL-LABEL: func.func @fc
// COL: dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e+00,
// COL-SAME: 1.600000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e-01,
// COL-SAME: [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e-01,
// COL-SAME: 2.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -5.000000e+00,
// COL: {qopt.block = "4x1", qopt.sparsity = 2.500000e-01 : f64}
// TARGET-LABEL: func.func @fc
// TARGET: "float.fully_connected"(%arg0, %{{.*}}) {qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64}
func.func @fc(%x: tensor<1x32xf32>) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0, -9.0, -10.0, -11.0, -12.0, -13.0, -14.0, -15.0, -16.0]]> : tensor<2x32xf32>} : () -> tensor<2x32xf32>
  %y = "float.fully_connected"(%x, %w) : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// OHWI 1x1 conv, 8 input channels: each output channel's row is one (edge-cut) 1x16 block; the two
// weakest output channels (1 and 3) go.
// CHECK-LABEL: func.func @conv1x1
// CHECK: dense<{{\[\[\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]], {{\[\[\[}}2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]]>
// CHECK: "float.conv2d"(%arg0, %{{.*}}) {qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64}
// TARGET-LABEL: func.func @conv1x1
// TARGET: "float.conv2d"(%arg0, %{{.*}}) {qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64}
func.func @conv1x1(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x4xf32> {
  %w = "float.const"() {value = dense<[[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]], [[[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]], [[[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]]], [[[-0.25, -0.25, -0.25, -0.25, -0.25, -0.25, -0.25, -0.25]]]]> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32>
  %y = "float.conv2d"(%x, %w) : (tensor<1x2x2x8xf32>, tensor<4x1x1x8xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// npu-sparse-int8 runs sparse 1x1 convs and fully connected layers only: a 3x3 conv and a depthwise
// conv stay dense under block=target.
// CHECK-LABEL: func.func @conv3x3_depthwise
// CHECK: "float.conv2d"{{.*}}qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64
// CHECK: "float.depthwise_conv2d"{{.*}}qopt.block = "1x16", qopt.sparsity = 5.000000e-01 : f64
// TARGET-LABEL: func.func @conv3x3_depthwise
// TARGET-NOT: qopt.sparsity
// TARGET: return
func.func @conv3x3_depthwise(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = "float.const"() {value = dense<[[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]], [[7.0], [8.0], [9.0]]], [[[0.1], [0.2], [0.3]], [[0.4], [0.5], [0.6]], [[0.7], [0.8], [0.9]]]]> : tensor<2x3x3x1xf32>} : () -> tensor<2x3x3x1xf32>
  %c = "float.conv2d"(%x, %w) : (tensor<1x4x4x1xf32>, tensor<2x3x3x1xf32>) -> tensor<1x2x2x2xf32>
  %d = "float.const"() {value = dense<[[[[1.0, -0.5], [1.0, -0.5]], [[1.0, -0.5], [1.0, -0.5]]]]> : tensor<1x2x2x2xf32>} : () -> tensor<1x2x2x2xf32>
  %y = "float.depthwise_conv2d"(%c, %d) {padding = "same"} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// A weight constant shared by two layers is copied, so each layer is pruned on its own (and the
// original, now unused, goes).
// CHECK-LABEL: func.func @shared
// CHECK-NEXT: %[[P:.*]] = "float.const"
// CHECK-NEXT: "float.fully_connected"(%arg0, %[[P]]) {qopt.block = "1x16"
// CHECK-NEXT: %[[Q:.*]] = "float.const"
// CHECK-NEXT: "float.fully_connected"(%arg0, %[[Q]]) {qopt.block = "1x16"
// The pruned program still verifies after canonicalization folds what it can.
// RUNS-LABEL: func.func @shared
// RUNS: "float.fully_connected"
func.func @shared(%x: tensor<1x32xf32>) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0, -9.0, -10.0, -11.0, -12.0, -13.0, -14.0, -15.0, -16.0]]> : tensor<2x32xf32>} : () -> tensor<2x32xf32>
  %a = "float.fully_connected"(%x, %w) : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32>
  %b = "float.fully_connected"(%x, %w) : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32>
  %y = "float.add"(%a, %b) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// UNLISTED: error: pass 'prune' failed: target "npu-sparse-int8" has no sparse kernel for block shape 4x1; it lists block shapes 1x16
// DENSE: error: pass 'prune' failed: target "tflite-int8" lists no block shapes (it has no sparse kernels)
// NOTARGET: error: pass 'prune' failed: block=target needs a target (prune{target=NAME} or --target=NAME)
// BADSHAPE: error: pass 'prune' failed: block shape '3y' is neither RxC (e.g. 1x16, 4x1) nor N:M (e.g. 2:4)
