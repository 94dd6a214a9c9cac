// Hand-written QDQ input (no RUN line): test/lower/integer-qdq.test.ts lowers it and runs both forms.
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 1.562500e-02>>
  %d = "quant.dcast"(%q) : (tensor<1x4x!quant.uniform<i8:f32, 1.562500e-02>>) -> tensor<1x4xf32>
  %w = "float.const"() {value = dense<[[0.5, -0.25, 0.125, 0.75], [0.1, 0.2, -0.3, 0.05]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wq = "quant.qcast"(%w) : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {6.000000e-03, 2.400000e-03}>>
  %wd = "quant.dcast"(%wq) : (tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {6.000000e-03, 2.400000e-03}>>) -> tensor<2x4xf32>
  %b = "float.const"() {value = dense<[0.01, -0.02]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bq = "quant.qcast"(%b) : (tensor<2xf32>) -> tensor<2x!quant.uniform<i32:f32, 9.375000e-05>>
  %bd = "quant.dcast"(%bq) : (tensor<2x!quant.uniform<i32:f32, 9.375000e-05>>) -> tensor<2xf32>
  %f = "float.fully_connected"(%d, %wd, %bd) : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %fq = "quant.qcast"(%f) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 4.000000e-03:-3>>
  %fd = "quant.dcast"(%fq) : (tensor<1x2x!quant.uniform<i8:f32, 4.000000e-03:-3>>) -> tensor<1x2xf32>
  return %fd : tensor<1x2xf32>
}
