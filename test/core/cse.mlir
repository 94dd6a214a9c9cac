// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(cse))' | FileCheck %s

// CHECK-LABEL: func.func @dedupe
func.func @dedupe(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[A:.*]] = "float.add"(%arg0, %arg0)
  // CHECK-NOT: "float.add"(%arg0, %arg0)
  // CHECK: "float.mul"(%[[A]], %[[A]])
  %0 = "float.add"(%arg0, %arg0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "float.add"(%arg0, %arg0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = "float.mul"(%0, %1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// Different attributes are different computations.
// CHECK-LABEL: func.func @attributes_matter
// CHECK-COUNT-2: "float.add"
func.func @attributes_matter(%arg0: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = "float.add"(%arg0, %arg0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "float.add"(%arg0, %arg0) {act = "relu"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
