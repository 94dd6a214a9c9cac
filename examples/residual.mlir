// A small float program in qopt's dialects: y = relu(x * w + b) + x, with a constant subexpression
// that canonicalize folds and a duplicate that cse removes.
func.func @main(%x: tensor<?x4xf32> {qopt.name = "x"}) -> (tensor<?x4xf32> {qopt.name = "y"}) {
  %w = "float.const"() {value = dense<[0.5, -1.0, 2.0, 0.25]> : tensor<4xf32>} : () -> tensor<4xf32>
  %half = "float.const"() {value = dense<0.5> : tensor<4xf32>} : () -> tensor<4xf32>
  %b = "float.add"(%half, %half) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %xw = "float.mul"(%x, %w) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %xw2 = "float.mul"(%x, %w) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h = "float.add"(%xw, %b) {act = "relu"} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %y = "float.add"(%h, %xw2) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
