// qopt run: inputs by name or position, .npy outputs, a summary, and clear errors naming the input.
// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt run %s --input x=%S/../../examples/residual-x.npy --output-dir %t --repeat 3 | FileCheck %s
// RUN: test -s %t/output_0.npy
// RUN: qopt run %s --input %S/../../examples/residual-x.npy | FileCheck %s --check-prefix=POSITIONAL
// RUN: not qopt run %s 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qopt run %s --input y=%S/../../examples/residual-x.npy 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not qopt run %s --input x=%S/../../examples/tiny-input.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not qopt run %s --input x=%t/nope.npy 2>&1 | FileCheck %s --check-prefix=NOFILE

// CHECK: y: f32[2, 4] min -6 max 13  -> {{.*}}output_0.npy
// CHECK-NEXT: median {{[0-9.]+}} ms over 3 runs
// POSITIONAL: y: f32[2, 4] min -6 max 13
// MISSING: qopt run: missing input 'x' (pass --input NAME=file.npy)
// NAME: qopt run: no input named 'y' (inputs: x)
// SHAPE: qopt run: input 'x': expected rank 2 ([?, 4]), got [1, 8, 8, 4]
// NOFILE: qopt run: cannot read '{{.*}}nope.npy': no such file or directory

func.func @main(%x: tensor<?x4xf32> {qopt.name = "x"}) -> (tensor<?x4xf32> {qopt.name = "y"}) {
  %w = "float.const"() {value = dense<[0.5, -1.0, 2.0, 0.25]> : tensor<4xf32>} : () -> tensor<4xf32>
  %b = "float.const"() {value = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %xw = "float.mul"(%x, %w) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h = "float.add"(%xw, %b) {act = "relu"} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %y = "float.add"(%h, %xw) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
