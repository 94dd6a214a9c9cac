// Hand-written QDQ input (no RUN line): test/lower/integer-qdq.test.ts lowers it and runs both forms.
func.func @main(%x: tensor<1x2x4xf32>) -> tensor<1x2x4xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x2x4xf32>) -> tensor<1x2x4x!quant.uniform<i8:f32:1, {1.000000e-02:3, 2.000000e-02:-2}>>
  %d = "quant.dcast"(%q) : (tensor<1x2x4x!quant.uniform<i8:f32:1, {1.000000e-02:3, 2.000000e-02:-2}>>) -> tensor<1x2x4xf32>
  %y = "float.relu"(%d) : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  %a = "quant.qcast"(%y) : (tensor<1x2x4xf32>) -> tensor<1x2x4x!quant.uniform<i8:f32, 3.000000e-02:-1>>
  %ad = "quant.dcast"(%a) : (tensor<1x2x4x!quant.uniform<i8:f32, 3.000000e-02:-1>>) -> tensor<1x2x4xf32>
  %t = "float.transpose"(%ad) {perm = [0, 2, 1]} : (tensor<1x2x4xf32>) -> tensor<1x4x2xf32>
  %tq = "quant.qcast"(%t) : (tensor<1x4x2xf32>) -> tensor<1x4x2x!quant.uniform<i8:f32:2, {1.000000e-02:3, 2.000000e-02:-2}>>
  %td = "quant.dcast"(%tq) : (tensor<1x4x2x!quant.uniform<i8:f32:2, {1.000000e-02:3, 2.000000e-02:-2}>>) -> tensor<1x4x2xf32>
  %r = "float.reshape"(%td) {shape = [1, 2, 4]} : (tensor<1x4x2xf32>) -> tensor<1x2x4xf32>
  return %r : tensor<1x2x4xf32>
}
