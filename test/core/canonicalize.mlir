// RUN: qopt-opt %s --allow-unregistered-dialect --pass=canonicalize | FileCheck %s

// Constant subexpressions fold through the ops' own folds; dead pure ops go.
// CHECK-LABEL: func.func @fold_constants
func.func @fold_constants(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK-NEXT: %[[C:.*]] = "float.const"() {value = dense<[2.500000e+00, 3.500000e+00, 4.500000e+00]> : tensor<3xf32>}
  // CHECK-NEXT: %[[R:.*]] = "float.add"(%arg0, %[[C]])
  // CHECK-NEXT: return %[[R]]
  %a = "float.const"() {value = dense<1.5> : tensor<3xf32>} : () -> tensor<3xf32>
  %b = "float.const"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %c = "float.add"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %dead = "float.mul"(%arg0, %arg0) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %r = "float.add"(%arg0, %c) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// Ops with unknown side effects stay even when unused.
// CHECK-LABEL: func.func @keeps_impure
// CHECK: "t.effect"
func.func @keeps_impure() {
  %0 = "t.effect"() : () -> tensor<3xf32>
  return
}
