// RUN: qopt-opt %s --pass=canonicalize,cse --print-ir-after=cse 2>&1 >/dev/null | FileCheck %s --check-prefix=DUMP
// RUN: not qopt-opt %s --pass=frobnicate 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not qopt-opt %s --pass='canonicalize{bogus=1}' 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not qopt-opt %s --pass='canonicalize{max-iterations=x}' 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: qopt-opt %s --pass='canonicalize{max-iterations=2}' --timing 2>&1 >/dev/null | FileCheck %s --check-prefix=TIMING
// RUN: qopt-opt --list-passes | FileCheck %s --check-prefix=LIST

// DUMP: // -----// IR Dump After CSE (cse) //----- //
// DUMP-NEXT: module {
// UNKNOWN: qopt-opt: unknown pass 'frobnicate'; available passes: {{.*}}canonicalize{{.*}}cse
// OPTION: qopt-opt: pass 'canonicalize' has no option 'bogus' (options: max-iterations)
// VALUE: qopt-opt: pass 'canonicalize': option 'max-iterations' expects an integer, got 'x'
// TIMING: Execution time report
// TIMING: Parser
// TIMING: Canonicalizer (canonicalize)
// TIMING: Total
// LIST: canonicalize
// LIST-NEXT: max-iterations=<int>

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "float.add"(%arg0, %arg0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
