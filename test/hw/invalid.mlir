// RUN: qopt-opt %s --split-input-file --verify-diagnostics
// One case per hw verifier error (see dialects/hw).

func.func @case0(%a0: tensor<1x4x4x2xf32>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op operand #0 ('input') must be a tensor of i8, u8 or i16 values}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xf32>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case1(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op attribute 'rounding' must be one of}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], rounding = "nearest"} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case2(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op requires attribute 'input_zp'}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case3(%a0: tensor<4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op input must be a rank-4 NHWC tensor}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case4(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x9x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op filter must be a rank-4 OHWI tensor}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x9x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case5(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'groups' must be an integer ≥ 1, got 0}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], groups = 0} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case6(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x3xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op input depth 2 must equal filter depth 3 × groups 1}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x3xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case7(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x1xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op output channels 3 must be divisible by groups 2}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], groups = 2} : (tensor<1x4x4x2xi8>, tensor<3x3x3x1xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case8(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'strides' values must be integers ≥ 1, got [0, 1]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], strides = [0, 1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case9(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'padding' must have 4 values, got [1, 1]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], padding = [1, 1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case10(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'dilations' must have 2 values, got [1]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], dilations = [1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case11(%a0: tensor<1x2x2x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op window 3x3 (dilations [1, 1]) does not fit the input 2x2 padded by [0, 0, 0, 0]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x2x2x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case12(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op result shape [1, 4, 4, 3] does not match the expected [1, 2, 2, 3]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x4x4x3xi8>
  return
}

// -----

func.func @case13(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<4xi32>) {
  // expected-error@+1 {{'hw.conv2d' op bias shape [4] does not match the expected [3]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<4xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case14(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op rounding = "half-even-float" requires 'scale'}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, rounding = "half-even-float"} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi32>
  return
}

// -----

func.func @case15(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'shift' is given without 'multiplier'}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, shift = [1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi32>
  return
}

// -----

func.func @case16(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op result element type must be i32 without requantization ('multiplier' or 'scale'), got i8}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case17(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'output_zp' must be 0 without requantization, got 3}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, output_zp = 3} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi32>
  return
}

// -----

func.func @case18(%a0: tensor<1x4x4x2xi16>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi64>) {
  // expected-error@+1 {{'hw.conv2d' op 16-bit inputs need requantization}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0} : (tensor<1x4x4x2xi16>, tensor<3x3x3x2xi8>, tensor<3xi64>) -> tensor<1x2x2x3xi32>
  return
}

// -----

func.func @case19(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op result element type must be i8, u8 or i16 when requantizing, got i32}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi32>
  return
}

// -----

func.func @case20(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op rounding = "gemmlowp" requires 'multiplier' and 'shift'}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, scale = [0.5]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case21(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+2 {{'hw.conv2d' op rounding = "gemmlowp" requires 'multiplier' and 'shift'}}
  // expected-error@+1 {{'hw.conv2d' op 'multiplier' is given without 'shift'}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case22(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'multiplier' and 'shift' must have the same length, got 3 and 1}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824, 1073741824, 1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case23(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+2 {{'hw.conv2d' op 'multiplier' must have 1 or 3 values (one per output channel), got 2}}
  // expected-error@+1 {{'hw.conv2d' op 'shift' must have 1 or 3 values (one per output channel), got 2}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824, 1073741824], shift = [-1, -1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case24(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'scale' must have 1 or 3 values (one per output channel), got 2}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, rounding = "half-even-float", scale = [0.5, 0.25]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case25(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'multiplier' values must be int32 values in [0, 2147483647], got -1}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [-1], shift = [0]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case26(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'shift' values must be integers in [-31, 30] for rounding = "gemmlowp", got 31}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [31]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case27(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'shift' values must be integers in [-31, 29] for rounding = "double-round", got 30}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [30], rounding = "double-round"} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case28(%a0: tensor<1x4x4x2xi16>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi64>) {
  // expected-error@+1 {{'hw.conv2d' op 'shift' values must be integers in [-31, 7] for rounding = "gemmlowp" and 16-bit inputs, got 8}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [8]} : (tensor<1x4x4x2xi16>, tensor<3x3x3x2xi8>, tensor<3xi64>) -> tensor<1x2x2x3xi16>
  return
}

// -----

func.func @case29(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'scale' values must be finite and ≥ 0, got -0.5}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, rounding = "half-even-float", scale = [-0.5]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case30(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'output_zp' = 200 is outside the result storage range [-128, 127]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], output_zp = 200} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case31(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'output_zp' = 0 does not match the zero point 5 of the result type !quant.uniform<i8:f32, 1.000000e-01:5>}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3x!quant.uniform<i8:f32, 0.1:5>>
  return
}

// -----

func.func @case32(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'act_min' = -200 is outside the result storage range [-128, 127]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], act_min = -200} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case33(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'act_max' = 128 is outside the result storage range [-127, 127]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], act_max = 128} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3x!quant.uniform<i8<-127:127>:f32, 0.1>>
  return
}

// -----

func.func @case34(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'act_min' (10) must not exceed 'act_max' (5)}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], act_min = 10, act_max = 5} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case35(%a0: tensor<1x4x4x2xui8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'input_zp' = -1 is outside the input storage range [0, 255]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = -1, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xui8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case36(%a0: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1:3>>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'input_zp' = 0 does not match the zero point 3 of the input type}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1:3>>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case37(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'weight_zp' = 200 is outside the filter storage range [-128, 127]}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, weight_zp = 200, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case38(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2x!quant.uniform<i8:f32:0, {0.1:1, 0.2, 0.3}>>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op 'weight_zp' = 0 does not match the zero point 1 of the filter type}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2x!quant.uniform<i8:f32:0, {0.1:1, 0.2, 0.3}>>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case39(%a0: tensor<1x4x4x2xi16>, %a1: tensor<3x3x3x2xui8>, %a2: tensor<3xi64>) {
  // expected-error@+1 {{'hw.conv2d' op 16-bit inputs need i8 weights (TFLite 16x8), got u8}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi16>, tensor<3x3x3x2xui8>, tensor<3xi64>) -> tensor<1x2x2x3xi16>
  return
}

// -----

func.func @case40(%a0: tensor<1x4x4x2xi16>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.conv2d' op bias must be i64 for 16-bit inputs (16x8 accumulates in int64), got i32}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi16>, tensor<3x3x3x2xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi16>
  return
}

// -----

func.func @case41(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x3x2xi8>, %a2: tensor<3xi64>) {
  // expected-error@+1 {{'hw.conv2d' op bias must be i32 for 8-bit inputs, got i64}}
  %0 = "hw.conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi64>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case42(%a0: tensor<1x4x4x2xi8>, %a1: tensor<3x3x4xi8>, %a2: tensor<4xi32>) {
  // expected-error@+1 {{'hw.depthwise_conv2d' op filter must be a rank-4 [1, KH, KW, C·M] tensor}}
  %0 = "hw.depthwise_conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return
}

// -----

func.func @case43(%a0: tensor<1x4x4x2xi8>, %a1: tensor<2x3x3x4xi8>, %a2: tensor<4xi32>) {
  // expected-error@+1 {{'hw.depthwise_conv2d' op filter must have shape [1, KH, KW, C·M], got [2, 3, 3, 4]}}
  %0 = "hw.depthwise_conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<2x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return
}

// -----

func.func @case44(%a0: tensor<1x4x4x2xi8>, %a1: tensor<1x3x3x4xi8>, %a2: tensor<4xi32>) {
  // expected-error@+1 {{'hw.depthwise_conv2d' op 'depth_multiplier' must be an integer ≥ 1, got 0}}
  %0 = "hw.depthwise_conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], depth_multiplier = 0} : (tensor<1x4x4x2xi8>, tensor<1x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return
}

// -----

func.func @case45(%a0: tensor<1x4x4x2xi8>, %a1: tensor<1x3x3x4xi8>, %a2: tensor<4xi32>) {
  // expected-error@+1 {{'hw.depthwise_conv2d' op filter channels 4 must equal input channels 2 × depth_multiplier 3}}
  %0 = "hw.depthwise_conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1], depth_multiplier = 3} : (tensor<1x4x4x2xi8>, tensor<1x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return
}

// -----

func.func @case46(%a0: tensor<1x4x4x2xi8>, %a1: tensor<1x3x3x3xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.depthwise_conv2d' op filter channels 3 must be a multiple of input channels 2}}
  %0 = "hw.depthwise_conv2d"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<1x4x4x2xi8>, tensor<1x3x3x3xi8>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return
}

// -----

func.func @case47(%a0: tensor<i8>, %a1: tensor<3x4xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.fully_connected' op input must have rank ≥ 1 ([..., IN]), got tensor<i8>}}
  %0 = "hw.fully_connected"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<i8>, tensor<3x4xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return
}

// -----

func.func @case48(%a0: tensor<2x4xi8>, %a1: tensor<3x4x1xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.fully_connected' op filter must be a rank-2 [OUT, IN] tensor}}
  %0 = "hw.fully_connected"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<2x4xi8>, tensor<3x4x1xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return
}

// -----

func.func @case49(%a0: tensor<2x5xi8>, %a1: tensor<3x4xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.fully_connected' op input depth 5 does not match the filter's IN = 4}}
  %0 = "hw.fully_connected"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<2x5xi8>, tensor<3x4xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return
}

// -----

func.func @case50(%a0: tensor<2x3x4xi8>, %a1: tensor<3x4xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.fully_connected' op result shape [2, 5] must be [6, 3] or [2, 3, 3]}}
  %0 = "hw.fully_connected"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<2x3x4xi8>, tensor<3x4xi8>, tensor<3xi32>) -> tensor<2x5xi8>
  return
}

// -----

func.func @case51(%a0: tensor<2x4xi8>, %a1: tensor<3x4xi8>, %a2: tensor<3xi32>) {
  // expected-error@+1 {{'hw.fully_connected' op result shape [2, 4] does not match the expected [2, 3]}}
  %0 = "hw.fully_connected"(%a0, %a1, %a2) {input_zp = 0, multiplier = [1073741824], shift = [-1]} : (tensor<2x4xi8>, tensor<3x4xi8>, tensor<3xi32>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case52(%a0: tensor<4xi8>, %a1: tensor<4x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op operand 'a' must have rank ≥ 2 ([..., M, K]), got tensor<4xi8>}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<4xi8>, tensor<4x2xi8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case53(%a0: tensor<3x4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.matmul' op operand 'b' must have rank ≥ 2 ([..., K, N]), got tensor<4xi8>}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<3x4xi8>, tensor<4xi8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case54(%a0: tensor<3x4xi8>, %a1: tensor<5x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op inner dimensions differ: 'a' has K = 4, 'b' has K = 5}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<3x4xi8>, tensor<5x2xi8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case55(%a0: tensor<2x3x4xi8>, %a1: tensor<3x4x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op batch dimensions [2] and [3] do not broadcast}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<2x3x4xi8>, tensor<3x4x2xi8>) -> tensor<2x3x2xi32>
  return
}

// -----

func.func @case56(%a0: tensor<3x4xi8>, %a1: tensor<4x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op result shape [2, 3, 2] does not match the expected [3, 2]}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<3x4xi8>, tensor<4x2xi8>) -> tensor<2x3x2xi32>
  return
}

// -----

func.func @case57(%a0: tensor<3x4xi16>, %a1: tensor<4x2xui8>) {
  // expected-error@+1 {{'hw.matmul' op 16-bit 'a' needs an i8 'b', got u8}}
  %0 = "hw.matmul"(%a0, %a1) {multiplier = [1073741824], shift = [-1]} : (tensor<3x4xi16>, tensor<4x2xui8>) -> tensor<3x2xi16>
  return
}

// -----

func.func @case58(%a0: tensor<3x4xi8>, %a1: tensor<4x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op 'a_zp' must have 1 or 3 values, got 2}}
  %0 = "hw.matmul"(%a0, %a1) {a_zp = [1, 2]} : (tensor<3x4xi8>, tensor<4x2xi8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case59(%a0: tensor<3x4xi8>, %a1: tensor<4x2xui8>) {
  // expected-error@+1 {{'hw.matmul' op 'b_zp' = -1 is outside the 'b' storage range [0, 255]}}
  %0 = "hw.matmul"(%a0, %a1) {b_zp = [-1]} : (tensor<3x4xi8>, tensor<4x2xui8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case60(%a0: tensor<3x4x!quant.uniform<i8:f32, 0.5:7>>, %a1: tensor<4x2xi8>) {
  // expected-error@+1 {{'hw.matmul' op 'a_zp' = 0 does not match the zero point 7 of the 'a' type}}
  %0 = "hw.matmul"(%a0, %a1) : (tensor<3x4x!quant.uniform<i8:f32, 0.5:7>>, tensor<4x2xi8>) -> tensor<3x2xi32>
  return
}

// -----

func.func @case61(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'block_shape' values must be integers ≥ 1, got [0, 2]}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [0, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case62(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'row_ptr' must be a non-empty 1-D i32 dense tensor, got tensor<4xi64>}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi64>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case63(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'col_idx' must be a 1-D i32 dense tensor, got tensor<3x1xi32>}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[[1], [0], [1]]> : tensor<3x1xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case64(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'values' must be a rank-3 [nnzb, bh, bw] dense tensor of i8 or u8, got tensor<3x1x2xi16>}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi16>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case65(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'row_ptr' must start at 0, got 1}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[1, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case66(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'row_ptr' must be non-decreasing, but row_ptr[2] = 1 < row_ptr[1] = 2}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 2, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case67(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'col_idx' must have row_ptr[3] = 3 entries, got 2}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0]> : tensor<2xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case68(%a0: tensor<2x5xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op input depth 5 must be a multiple of the block width 2}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x5xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case69(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'col_idx'[2] = 2 is outside the 2 column blocks [0, 2)}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 2]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case70(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'col_idx' must increase strictly within a row block (row block 2, entry 2)}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 1, 0]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case71(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'values' shape [3, 2, 1] does not match the expected [3, 1, 2]}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x2x1xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case72(%a0: tensor<i8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op input must have rank ≥ 1 ([..., IN]), got tensor<i8>}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<i8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case73(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op result shape [2, 4] does not match the expected [2, 3]}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x4xi32>
  return
}

// -----

func.func @case74(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 'weight_zp' = 200 is outside the 'values' storage range [-128, 127]}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>, weight_zp = 200} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case75(%a0: tensor<2x4xi16>) {
  // expected-error@+1 {{'hw.sparse_fully_connected' op 16-bit inputs need i8 weights (TFLite 16x8), got u8}}
  %0 = "hw.sparse_fully_connected"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xui8>, multiplier = [1073741824], shift = [-1]} : (tensor<2x4xi16>) -> tensor<2x3xi16>
  return
}

// -----

func.func @case76(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.sparse_conv2d' op input must be a rank-4 NHWC tensor, got tensor<2x4xi8>}}
  %0 = "hw.sparse_conv2d"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>} : (tensor<2x4xi8>) -> tensor<2x3xi32>
  return
}

// -----

func.func @case77(%a0: tensor<1x3x3x4xi8>) {
  // expected-error@+1 {{'hw.sparse_conv2d' op 'strides' values must be integers ≥ 1, got [0, 1]}}
  %0 = "hw.sparse_conv2d"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>, strides = [0, 1]} : (tensor<1x3x3x4xi8>) -> tensor<1x3x3x3xi32>
  return
}

// -----

func.func @case78(%a0: tensor<1x3x3x4xi8>) {
  // expected-error@+1 {{'hw.sparse_conv2d' op result shape [1, 3, 3, 3] does not match the expected [1, 2, 3, 3]}}
  %0 = "hw.sparse_conv2d"(%a0) {input_zp = 0, block_shape = [1, 2], row_ptr = dense<[0, 1, 1, 3]> : tensor<4xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<1> : tensor<3x1x2xi8>, strides = [2, 1]} : (tensor<1x3x3x4xi8>) -> tensor<1x3x3x3xi32>
  return
}

// -----

func.func @case79(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'double_round' requires 'scale32'}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [16384], shift = [15], scale32 = false, double_round = true} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case80(%a0: tensor<4xi64>) {
  // expected-error@+1 {{'hw.rescale' op an i64 (int48) input requires 'scale32' = false}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31]} : (tensor<4xi64>) -> tensor<4xi8>
  return
}

// -----

func.func @case81(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'multiplier' and 'shift' must have the same length, got 1 and 2}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31, 31]} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case82(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'multiplier' must have one value per channel of the last dimension (4), got 1}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31], per_channel = true} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case83(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'multiplier' must have 1 value without 'per_channel', got 2}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1, 2], shift = [31, 31]} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case84(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'multiplier' values must be integers in [0, 32767] (16-bit multipliers), got 40000}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [40000], shift = [31], scale32 = false} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case85(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'shift' values must be TOSA right shifts in [2, 62], got 1}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [1]} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case86(%a0: tensor<4xui8>) {
  // expected-error@+1 {{'hw.rescale' op 'input_zp' = 300 is outside the input storage range [0, 255]}}
  %0 = "hw.rescale"(%a0) {input_zp = 300, output_zp = 0, multiplier = [1073741824], shift = [31]} : (tensor<4xui8>) -> tensor<4xi8>
  return
}

// -----

func.func @case87(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op 'output_zp' = 0 does not match the zero point 7 of the result type}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31]} : (tensor<4xi32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:7>>
  return
}

// -----

func.func @case88(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op result shape [3] does not match the expected [4]}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, multiplier = [1073741824], shift = [31]} : (tensor<4xi32>) -> tensor<3xi8>
  return
}

// -----

func.func @case89(%a0: tensor<4xi32>) {
  // expected-error@+1 {{'hw.rescale' op requires attribute 'multiplier'}}
  %0 = "hw.rescale"(%a0) {input_zp = 0, output_zp = 0, shift = [31]} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @case90(%a0: tensor<4xi8>, %a1: tensor<4xi16>) {
  // expected-error@+1 {{'hw.add' op operands must have the same storage type, got i8 and i16}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4xi16>) -> tensor<4xi8>
  return
}

// -----

func.func @case91(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op result storage type must be i8 like the operands, got i16}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi16>
  return
}

// -----

func.func @case92(%a0: tensor<3xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op operands of shapes [3] and [4] do not broadcast}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<3xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case93(%a0: tensor<2x4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op result shape [4] does not match the expected [2, 4]}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<2x4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case94(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op 'input1_multiplier' must be an int32 value in [0, 2147483647], got 2147483648}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 2147483648, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case95(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op 'output_shift' must be an integer in [-31, 30], got -40}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -40} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case96(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op 'left_shift' must be an integer in [0, 30], got 31}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 31, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case97(%a0: tensor<4xi8>, %a1: tensor<4x!quant.uniform<i8:f32, 0.5:4>>) {
  // expected-error@+1 {{'hw.add' op 'input2_zp' = 0 does not match the zero point 4 of the rhs type}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4x!quant.uniform<i8:f32, 0.5:4>>) -> tensor<4xi8>
  return
}

// -----

func.func @case98(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op 'output_zp' = 128 is outside the result storage range [-128, 127]}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 128, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case99(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.add' op attribute 'rounding' must be one of "gemmlowp", "single-round", "double-round", found "half-even-float"}}
  %0 = "hw.add"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1073741824, input2_shift = 0, output_multiplier = 1073741824, output_shift = -19, rounding = "half-even-float"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case100(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.mul' op 'act_min' (3) must not exceed 'act_max' (2)}}
  %0 = "hw.mul"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, output_multiplier = 1073741824, output_shift = -7, act_min = 3, act_max = 2} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case101(%a0: tensor<4xi8>, %a1: tensor<4xi8>) {
  // expected-error@+1 {{'hw.mul' op requires attribute 'output_multiplier'}}
  %0 = "hw.mul"(%a0, %a1) {input1_zp = 0, input2_zp = 0, output_zp = 0, output_shift = -7} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case102(%a0: tensor<4xi8>) {
  // expected-error@+1 {{'hw.lut' op 'table' must be a 1-D dense tensor of 256 i8 or u8 entries for a i8 input, got tensor<255xi8>}}
  %0 = "hw.lut"(%a0) {table = dense<0> : tensor<255xi8>} : (tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case103(%a0: tensor<4xi16>) {
  // expected-error@+1 {{'hw.lut' op 'table' must be a 1-D dense tensor of 513 i16 or i8 entries for a i16 input, got tensor<256xi8>}}
  %0 = "hw.lut"(%a0) {table = dense<0> : tensor<256xi8>} : (tensor<4xi16>) -> tensor<4xi16>
  return
}

// -----

func.func @case104(%a0: tensor<4xi8>) {
  // expected-error@+1 {{'hw.lut' op result storage type must be the table's u8, got i8}}
  %0 = "hw.lut"(%a0) {table = dense<0> : tensor<256xui8>} : (tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @case105(%a0: tensor<4xi8>) {
  // expected-error@+1 {{'hw.lut' op result shape [5] does not match the expected [4]}}
  %0 = "hw.lut"(%a0) {table = dense<0> : tensor<256xi8>} : (tensor<4xi8>) -> tensor<5xi8>
  return
}

// -----

func.func @case106(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op requires attribute 'kernel'}}
  %0 = "hw.max_pool2d"(%a0) {strides = [2, 2]} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case107(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op 'kernel' values must be integers ≥ 1, got [0, 2]}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [0, 2]} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case108(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op each padding [2, 0, 0, 0] must be smaller than the kernel [2, 2] on its axis}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2], padding = [2, 0, 0, 0]} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case109(%a0: tensor<4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op input must be a rank-4 NHWC tensor, got tensor<4x4x2xi8>}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2]} : (tensor<4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case110(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op window 5x5 (dilations [1, 1]) does not fit the input 4x4 padded by [0, 0, 0, 0]}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [5, 5]} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case111(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op result #0 has type tensor<1x3x3x2xi8> but the op infers tensor<1x2x2x2xi8>}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2xi8>) -> tensor<1x3x3x2xi8>
  return
}

// -----

func.func @case112(%a0: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error@+1 {{'hw.avg_pool2d' op result #0 has type tensor<1x2x2x2x!quant.uniform<i8:f32, 2.000000e-01>> but the op infers tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e-01>>}}
  %0 = "hw.avg_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @case113(%a0: tensor<1x4x4x2xi8>) {
  // expected-error@+1 {{'hw.max_pool2d' op 'act_max' = 300 is outside the result storage range [-128, 127]}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2], act_max = 300} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case114(%a0: tensor<1x4x4x2xi32>) {
  // expected-error@+1 {{'hw.max_pool2d' op operand #0 ('input') must be a tensor of i8, u8 or i16 values}}
  %0 = "hw.max_pool2d"(%a0) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2xi32>) -> tensor<1x2x2x2xi8>
  return
}

// -----

func.func @case115(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.reshape' op result element type i16 must equal the input's i8}}
  %0 = "hw.reshape"(%a0) : (tensor<2x3xi8>) -> tensor<6xi16>
  return
}

// -----

func.func @case116(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.reshape' op input [2, 3] has 6 elements but the result [4, 2] has 8}}
  %0 = "hw.reshape"(%a0) : (tensor<2x3xi8>) -> tensor<4x2xi8>
  return
}

// -----

func.func @case117(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.transpose' op 'perm' [0, 0] must be a permutation of 0 … 1}}
  %0 = "hw.transpose"(%a0) {perm = [0, 0]} : (tensor<2x3xi8>) -> tensor<3x2xi8>
  return
}

// -----

func.func @case118(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.transpose' op 'perm' must have 2 values, got [1, 0, 2]}}
  %0 = "hw.transpose"(%a0) {perm = [1, 0, 2]} : (tensor<2x3xi8>) -> tensor<3x2xi8>
  return
}

// -----

func.func @case119(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.transpose' op result #0 has type tensor<2x3xi8> but the op infers tensor<3x2xi8>}}
  %0 = "hw.transpose"(%a0) {perm = [1, 0]} : (tensor<2x3xi8>) -> tensor<2x3xi8>
  return
}

// -----

func.func @case120(%a0: tensor<2x3x!quant.uniform<i8:f32, 0.1:1>>, %a1: tensor<2x1x!quant.uniform<i8:f32, 0.2:1>>) {
  // expected-error@+1 {{'hw.concat' op operands must share one scale and zero point: operand #1 is !quant.uniform<i8:f32, 2.000000e-01:1>, operand #0 is !quant.uniform<i8:f32, 1.000000e-01:1>}}
  %0 = "hw.concat"(%a0, %a1) {axis = 1} : (tensor<2x3x!quant.uniform<i8:f32, 0.1:1>>, tensor<2x1x!quant.uniform<i8:f32, 0.2:1>>) -> tensor<2x4x!quant.uniform<i8:f32, 0.1:1>>
  return
}

// -----

func.func @case121(%a0: tensor<2x3xi8>, %a1: tensor<2x1xi16>) {
  // expected-error@+1 {{'hw.concat' op operand #1 has element type i16, but operand #0 has i8}}
  %0 = "hw.concat"(%a0, %a1) {axis = 1} : (tensor<2x3xi8>, tensor<2x1xi16>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case122(%a0: tensor<2x3xi8>, %a1: tensor<2x1xi8>) {
  // expected-error@+1 {{'hw.concat' op 'axis' 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = "hw.concat"(%a0, %a1) {axis = 2} : (tensor<2x3xi8>, tensor<2x1xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case123(%a0: tensor<2x3xi8>, %a1: tensor<2xi8>) {
  // expected-error@+1 {{'hw.concat' op operand #1 has rank 1, but operand #0 has rank 2}}
  %0 = "hw.concat"(%a0, %a1) {axis = 1} : (tensor<2x3xi8>, tensor<2xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case124(%a0: tensor<2x3xi8>, %a1: tensor<3x1xi8>) {
  // expected-error@+1 {{'hw.concat' op operand #1 has shape [3, 1], which differs from [2, 3] outside axis 1}}
  %0 = "hw.concat"(%a0, %a1) {axis = 1} : (tensor<2x3xi8>, tensor<3x1xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case125() {
  // expected-error@+1 {{'hw.concat' op requires at least one operand}}
  %0 = "hw.concat"() {axis = 0} : () -> tensor<0xi8>
  return
}

// -----

func.func @case126(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.pad' op 'pads' must have 4 values, got [1, 1]}}
  %0 = "hw.pad"(%a0) {pads = [1, 1]} : (tensor<2x3xi8>) -> tensor<3x4xi8>
  return
}

// -----

func.func @case127(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.pad' op 'pads' values must be integers ≥ 0, got [1, 1, 0, -1]}}
  %0 = "hw.pad"(%a0) {pads = [1, 1, 0, -1]} : (tensor<2x3xi8>) -> tensor<3x4xi8>
  return
}

// -----

func.func @case128(%a0: tensor<2x3xi8>) {
  // expected-error@+1 {{'hw.pad' op 'pad_value' = 200 is outside the input storage range [-128, 127]}}
  %0 = "hw.pad"(%a0) {pads = [1, 1, 0, 0], pad_value = 200} : (tensor<2x3xi8>) -> tensor<3x4xi8>
  return
}

// -----

func.func @case129(%a0: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // expected-error@+1 {{'hw.pad' op a per-axis quantized input}}
  %0 = "hw.pad"(%a0) {pads = [1, 0, 0, 0]} : (tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) -> tensor<3x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return
}

// -----

func.func @case130(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.softmax' op 'input_multiplier' must be an int32 value in [0, 2147483647], got -1}}
  %0 = "hw.softmax"(%a0) {input_multiplier = -1, input_left_shift = 19, diff_min = -3968} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case131(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.softmax' op 'input_left_shift' must be an integer in [0, 31], got 32}}
  %0 = "hw.softmax"(%a0) {input_multiplier = 1077952640, input_left_shift = 32, diff_min = -3968} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case132(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.softmax' op 'diff_min' must be an integer ≤ 0, got 5}}
  %0 = "hw.softmax"(%a0) {input_multiplier = 1077952640, input_left_shift = 19, diff_min = 5} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case133(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.softmax' op a quantized result must have scale 1/256 and zero point -128 (TFLite softmax)}}
  %0 = "hw.softmax"(%a0) {input_multiplier = 1077952640, input_left_shift = 19, diff_min = -3968} : (tensor<2x4xi8>) -> tensor<2x4x!quant.uniform<i8:f32, 0.1:-128>>
  return
}

// -----

func.func @case134(%a0: tensor<2x4xi8>) {
  // expected-error@+1 {{'hw.softmax' op result shape [2, 5] does not match the expected [2, 4]}}
  %0 = "hw.softmax"(%a0) {input_multiplier = 1077952640, input_left_shift = 19, diff_min = -3968} : (tensor<2x4xi8>) -> tensor<2x5xi8>
  return
}

// -----

func.func @case135(%a0: tensor<2x4xui8>) {
  // expected-error@+1 {{'hw.softmax' op operand #0 ('input') must be a tensor of i8 values}}
  %0 = "hw.softmax"(%a0) {input_multiplier = 1077952640, input_left_shift = 19, diff_min = -3968} : (tensor<2x4xui8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @case136() {
  // expected-error@+1 {{'hw.const' op 'value' must be an integer dense attribute, got tensor<2xf32>}}
  %0 = "hw.const"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xi8>
  return
}

// -----

func.func @case137() {
  // expected-error@+1 {{'hw.const' op value shape [2] does not match the expected [3] of the result type tensor<3xi8>}}
  %0 = "hw.const"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<3xi8>
  return
}

// -----

func.func @case138() {
  // expected-error@+1 {{'hw.const' op value storage i8 does not match the result storage u8 of tensor<2xui8>}}
  %0 = "hw.const"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<2xui8>
  return
}

// -----

func.func @case139() {
  // expected-error@+1 {{'hw.const' op value element -128 is outside the storage range [-127, 127]}}
  %0 = "hw.const"() {value = dense<[1, -128]> : tensor<2xi8>} : () -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.1>>
  return
}

// -----

func.func @case140() {
  // expected-error@+1 {{'hw.const' op result #0 ('result') must be a tensor of i8, u8, i16, u16, i32 or i64 values}}
  %0 = "hw.const"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<2xf32>
  return
}
