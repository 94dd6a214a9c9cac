// A float island on a target whose float fallback is f16 (npu-sparse-int8 runs no clamp) runs in f16
// between float.cast ops, as the chip's vector unit would; on an f32-fallback target (onnx-qdq) the
// same island stays f32. Either way its quantized edges stay quant.dcast / quant.qcast.
// RUN: qopt-opt %s --pass='lower-to-hw{target=npu-sparse-int8}' | FileCheck %s
// RUN: qopt-opt %s --pass='lower-to-hw{target=onnx-qdq}' | FileCheck %s --check-prefix=F32

// CHECK-LABEL: func.func @clamp_island
// CHECK: %[[D:.*]] = "quant.dcast"(%{{.*}}) : (tensor<1x8x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[H:.*]] = "float.cast"(%[[D]]) : (tensor<1x8xf32>) -> tensor<1x8xf16>
// CHECK-NEXT: %[[C:.*]] = "float.clamp"(%[[H]]) {max = 1.000000e+00 : f64, min = -1.000000e+00 : f64} : (tensor<1x8xf16>) -> tensor<1x8xf16>
// CHECK-NEXT: %[[F:.*]] = "float.cast"(%[[C]]) : (tensor<1x8xf16>) -> tensor<1x8xf32>
// CHECK-NEXT: "quant.qcast"(%[[F]]) : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>
// F32-LABEL: func.func @clamp_island
// F32-NOT: float.cast
// F32: %[[D:.*]] = "quant.dcast"
// F32-NEXT: %[[C:.*]] = "float.clamp"(%[[D]]) {max = 1.000000e+00 : f64, min = -1.000000e+00 : f64} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// F32-NEXT: "quant.qcast"(%[[C]])
func.func @clamp_island(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i8:f32, 3.125000e-02>>
  %d = "quant.dcast"(%q) : (tensor<1x8x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x8xf32>
  %c = "float.clamp"(%d) {min = -1.0 : f64, max = 1.0 : f64} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %cq = "quant.qcast"(%c) : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>
  %cd = "quant.dcast"(%cq) : (tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<1x8xf32>
  return %cd : tensor<1x8xf32>
}
