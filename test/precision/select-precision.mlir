// analyze-sensitivity measures each op alone at each precision tflite-int8 allows; select-precision
// chooses under a budget and writes qopt.precision; an impossible budget names the best achievable value.
// RUN: qopt-opt %s --target=tflite-int8 --pass='analyze-sensitivity{data=%S/../../examples/tiny-calib.npy cache=none},select-precision{budget=size<=1.3x-int8}' | FileCheck %s
// RUN: not qopt-opt %s --target=tflite-int8 --pass='analyze-sensitivity{data=%S/../../examples/tiny-calib.npy cache=none},select-precision{budget=size<=10}' 2>&1 | FileCheck %s --check-prefix=SIZE
// RUN: not qopt-opt %s --target=tflite-int8 --pass='select-precision{budget=sqnr>=35}' 2>&1 | FileCheck %s --check-prefix=NOTABLE
// RUN: not qopt-opt %s --target=tflite-int8 --pass='analyze-sensitivity{data=%S/../../examples/tiny-calib.npy cache=none},select-precision{budget=speed>=2}' 2>&1 | FileCheck %s --check-prefix=BUDGET

// CHECK-LABEL: func.func @main
// CHECK: "float.conv2d"{{.*}}qopt.precision = "{{i8|i16|f32}}", qopt.sensitivity = {f32 = 0x7FF0000000000000 : f64, i16_i8 = {{.*}} : f64, i8_i8 = {{.*}} : f64}, qopt.sensitivity_mse = {f32 = 0.000000e+00 : f64,
// CHECK: "float.mean"{{.*}}qopt.precision = "{{i8|i16|f32}}", qopt.sensitivity = {f32 = 0x7FF0000000000000 : f64, i16 = {{.*}} : f64, i8 = {{.*}} : f64}
// CHECK: "float.fully_connected"{{.*}}qopt.precision = "{{i8|i16|f32}}"
// CHECK: "float.softmax"{{.*}}qopt.precision = "{{i8|i16|f32}}"

// SIZE: error: pass 'select-precision' failed: no precision configuration meets size<=10 (10 bytes): the smallest achievable size is {{[0-9]+}} bytes (1.000x the all-i8 configuration)
// NOTABLE: error: pass 'select-precision' failed: select-precision needs per-op sensitivities (qopt.sensitivity): run analyze-sensitivity{data=… target=…} first
// BUDGET: error: pass 'select-precision' failed: invalid budget 'speed>=2': unknown quantity 'speed'

func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x3xf32> {qopt.name = "probs"}) {
  %w = "float.const"() {value = dense<[[[[-0.314, 0.053, -0.156, 0.125]]], [[[0.151, -0.521, -0.584, 0.405]]]]> : tensor<2x1x1x4xf32>} : () -> tensor<2x1x1x4xf32>
  %b = "float.const"() {value = dense<[0.050, -0.020]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) {act = "relu"} : (tensor<1x8x8x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>) -> tensor<1x8x8x2xf32>
  %m = "float.mean"(%c) {axes = [1, 2], keepdims = false} : (tensor<1x8x8x2xf32>) -> tensor<1x2xf32>
  %f = "float.const"() {value = dense<[[-0.481, -0.531], [0.991, -0.059], [0.673, -0.047]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %fc = "float.fully_connected"(%m, %f) : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  %p = "float.softmax"(%fc) : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %p : tensor<1x3xf32>
}
