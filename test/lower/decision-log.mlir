// qopt-opt --decision-log writes every decision as one JSON object per line, also when the run fails:
// tflite-int8 keeps the clamp as a float island; npu-pow2-int8 (no float fallback) refuses it, and the
// log says why.
// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-opt %s --pass='lower-to-hw{target=tflite-int8}' --decision-log %t/ok.jsonl -o %t/ok.mlir
// RUN: FileCheck %s --check-prefix=OK < %t/ok.jsonl
// RUN: not qopt-opt %s --pass='lower-to-hw{target=npu-pow2-int8}' --decision-log %t/failed.jsonl -o %t/failed.mlir 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: test ! -e %t/failed.mlir
// RUN: FileCheck %s --check-prefix=FAILED < %t/failed.jsonl

// OK: {"pass":"lower-to-hw","kind":"float-island","op":"float.clamp","location":"{{.*}}decision-log.mlir:[[LINE:[0-9]+]]:3","message":"float.clamp at {{.*}} stays a float island between its dequantize and quantize: it needs clamp on i8;
// OK-NEXT: {"pass":"lower-to-hw","kind":"lowered","message":"target tflite-int8: lowered 0 ops to hw; 1 float islands;
// ERR: error: 'float.clamp' op cannot run on target "npu-pow2-int8"
// FAILED: {"pass":"lower-to-hw","kind":"illegal","op":"float.clamp","location":"{{.*}}decision-log.mlir:{{[0-9]+}}:3","message":"'float.clamp' op cannot run on target \"npu-pow2-int8\": it needs clamp on i8;
// FAILED-NEXT: {"pass":"lower-to-hw","kind":"lowered","message":"target npu-pow2-int8: lowered 0 ops to hw; 0 float islands;
func.func @clamp(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i8:f32, 3.125000e-02>>
  %d = "quant.dcast"(%q) : (tensor<1x8x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x8xf32>
  %c = "float.clamp"(%d) {min = -1.0 : f64, max = 1.0 : f64} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %cq = "quant.qcast"(%c) : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>
  %cd = "quant.dcast"(%cq) : (tensor<1x8x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<1x8xf32>
  return %cd : tensor<1x8xf32>
}
