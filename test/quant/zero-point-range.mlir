// A target that limits the zero point (targets/examples/acme-npu.json: asymmetric i16 activations with
// zeroPointRange [-128, 127]) gets a zero point inside that range, with the scale widened to keep the range.
// RUN: qopt-opt %s --pass='nudge-zero-point{target=%S/../../targets/examples/acme-npu.json}' | FileCheck %s
// RUN: qopt-opt %s --pass='nudge-zero-point{target=%S/../../targets/examples/acme-npu.json},quantize{target=%S/../../targets/examples/acme-npu.json}' | FileCheck %s --check-prefix=QDQ

// [0, 6] in i16: TF's Nudge gives zp = qmin = -32768, outside [-128, 127]; so zp = -128 and
// scale = 6 / (32767 + 128) = 6 / 32895, which represents [(-32768 + 128)·s, (32767 + 128)·s] = [-5.953488372093023, 6].
// CHECK-LABEL: func.func @zero_point_range
// CHECK: "float.add"(%arg0, %arg0) {qopt.precision = "i16", qopt.range = [-5.953488372093023, 6.000000e+00]}
// The i8 input is requantized to the add's i16 once, though the add reads it twice.
// QDQ: %[[R:.*]] = "quant.qcast"(%{{.*}}) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32,
// QDQ-NEXT: %[[D:.*]] = "quant.dcast"(%[[R]])
// QDQ-NEXT: "float.add"(%[[D]], %[[D]])
// QDQ-NEXT: "quant.qcast"({{.*}}) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, {{.*}}:-128>>
func.func @zero_point_range(%x: tensor<4xf32> {qopt.range = [-1.0, 1.0]}) -> tensor<4xf32> {
  %a = "float.add"(%x, %x) {qopt.precision = "i16", qopt.range = [0.0, 6.0]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}
