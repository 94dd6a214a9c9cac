// RUN: qopt-opt %s --split-input-file | FileCheck %s

// CHECK: func.func @first
// CHECK: // -----
// CHECK: func.func @second
func.func @first() {
  return
}

// -----

func.func @second() {
  return
}
