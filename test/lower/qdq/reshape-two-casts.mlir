// Hand-written QDQ input (no RUN line): test/lower/integer-qdq.test.ts lowers it and runs both forms.
func.func @main(%x: tensor<1x16xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %q = "quant.qcast"(%x) : (tensor<1x16xf32>) -> tensor<1x16x!quant.uniform<i8:f32, 1.000000e-02:3>>
  %d = "quant.dcast"(%q) : (tensor<1x16x!quant.uniform<i8:f32, 1.000000e-02:3>>) -> tensor<1x16xf32>
  %y = "float.reshape"(%d) {shape = [4, 4]} : (tensor<1x16xf32>) -> tensor<4x4xf32>
  %a = "quant.qcast"(%y) : (tensor<4x4xf32>) -> tensor<4x4x!quant.uniform<i8:f32, 3.000000e-02:-1>>
  %ad = "quant.dcast"(%a) : (tensor<4x4x!quant.uniform<i8:f32, 3.000000e-02:-1>>) -> tensor<4x4xf32>
  %b = "quant.qcast"(%y) : (tensor<4x4xf32>) -> tensor<4x4x!quant.uniform<i8:f32, 1.000000e-02:3>>
  %bd = "quant.dcast"(%b) : (tensor<4x4x!quant.uniform<i8:f32, 1.000000e-02:3>>) -> tensor<4x4xf32>
  return %ad, %bd : tensor<4x4xf32>, tensor<4x4xf32>
}
