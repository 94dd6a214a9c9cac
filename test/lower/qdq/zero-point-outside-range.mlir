// Hand-written QDQ input (no RUN line): test/lower/integer-qdq.test.ts lowers it and runs both forms.
func.func @main(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x64xf32>) -> tensor<1x64x!quant.uniform<i16:f32, 1.000000e-04:7>>
  %d = "quant.dcast"(%q) : (tensor<1x64x!quant.uniform<i16:f32, 1.000000e-04:7>>) -> tensor<1x64xf32>
  %y = "float.sigmoid"(%d) : (tensor<1x64xf32>) -> tensor<1x64xf32>
  %yq = "quant.qcast"(%y) : (tensor<1x64xf32>) -> tensor<1x64x!quant.uniform<i16:f32, 3.0517578125E-5>>
  %yd = "quant.dcast"(%yq) : (tensor<1x64x!quant.uniform<i16:f32, 3.0517578125E-5>>) -> tensor<1x64xf32>
  return %yd : tensor<1x64xf32>
}
