// A failed run never leaves a (half-written) output file and never touches its input.
// INTEROP: skip (holds invalid IR on purpose)
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/in.mlir
// RUN: not qopt-opt %t/in.mlir -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: test ! -e %t/out.mlir
// RUN: ls -A %t | FileCheck %s --check-prefix=FILES
// RUN: cmp %s %t/in.mlir
// A failing pass after a good parse also writes nothing.
// RUN: echo 'func.func @f(%%x: tensor<2xf32>) -> tensor<2xf32> { return %%x : tensor<2xf32> }' > %t/good.mlir
// RUN: not qopt-opt %t/good.mlir --pass='calibrate{data=%t/missing.npy}' -o %t/out2.mlir 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: test ! -e %t/out2.mlir

// CHECK: in.mlir:[[@LINE+3]]:9: error: use of undeclared SSA value name '%nope'
// FILES-NOT: .tmp
func.func @f() {
  "t.x"(%nope) : (i32) -> ()
  return
}
// PASS: error: pass 'calibrate' failed: calibration data '{{.*}}missing.npy' does not exist
