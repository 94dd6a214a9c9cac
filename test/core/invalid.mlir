// RUN: qopt-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect

func.func @f(%arg0: tensor<4xf32>) {
  // expected-error@+1 {{use of undeclared SSA value name '%nope'}}
  "t.x"(%nope) : (tensor<4xf32>) -> ()
  return
}

// -----

// expected-error@+1 {{illegal zero point: 300 is outside the storage range [-128, 127]}}
"t.x"() : () -> tensor<4x!quant.uniform<i8:f32, 0.1:300>>

// -----

// expected-error@+2 {{'quant.qcast' op operand #0 does not dominate this use}}
// expected-error@+1 {{'quant.qcast' op expressed type f32 of !quant.uniform<i8:f32, 1.000000e-01> does not match the float type f16}}
%0 = "quant.qcast"(%x) : (tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.1>>
%x = "t.src"() : () -> tensor<4xf16>

// -----

func.func @g() -> i32 {
  // expected-error@+1 {{'func.return' op has 0 operands, but enclosing function (@g) returns 1}}
  return
}

// -----

func.func @h(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error@below {{'float.add' op operands of shapes [3] and [4] do not broadcast}}
  %0 = "float.add"(%a, %b) : (tensor<3xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}
