// RUN: qopt-opt %s | FileCheck %s
// RUN: qopt-opt %s | qopt-opt | FileCheck %s
// Every hw op in generic form: qopt parses, verifies and prints them back unchanged.

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qo = !quant.uniform<i8:f32, 0.1:5>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.03}>

// CHECK-LABEL: func.func @conv_int8
func.func @conv_int8(%x: tensor<1x4x4x2x!qa>) -> tensor<1x4x4x3x!qo> {
  // CHECK: %[[W:.*]] = "hw.const"() {value = dense<1> : tensor<3x3x3x2xi8>} : () -> tensor<3x3x3x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02,3.000000e-02}>>
  %w = "hw.const"() {value = dense<1> : tensor<3x3x3x2xi8>} : () -> tensor<3x3x3x2x!qw>
  // CHECK-NEXT: %[[B:.*]] = "hw.const"() {value = dense<[10, -20, 30]> : tensor<3xi32>} : () -> tensor<3xi32>
  %b = "hw.const"() {value = dense<[10, -20, 30]> : tensor<3xi32>} : () -> tensor<3xi32>
  // CHECK-NEXT: "hw.conv2d"(%arg0, %[[W]], %[[B]])
  // CHECK-SAME: act_max = 127 : i64, act_min = 5 : i64, dilations = [1, 1], input_zp = -3 : i64
  // CHECK-SAME: multiplier = [1073741824, 1276901417, 1518500250], output_zp = 5 : i64, padding = [1, 1, 1, 1], rounding = "gemmlowp", shift = [-4, -4, -4], strides = [1, 1]
  // CHECK-SAME: -> tensor<1x4x4x3x!quant.uniform<i8:f32, 1.000000e-01:5>>
  %y = "hw.conv2d"(%x, %w, %b) {input_zp = -3, output_zp = 5, multiplier = [1073741824, 1276901417, 1518500250], shift = [-4, -4, -4], act_min = 5, act_max = 127, strides = [1, 1], dilations = [1, 1], padding = [1, 1, 1, 1], rounding = "gemmlowp"} : (tensor<1x4x4x2x!qa>, tensor<3x3x3x2x!qw>, tensor<3xi32>) -> tensor<1x4x4x3x!qo>
  return %y : tensor<1x4x4x3x!qo>
}

// ONNX ConvInteger: u8 activations and weights with zero points, no requantization, i32 result.
// CHECK-LABEL: func.func @conv_integer
func.func @conv_integer(%x: tensor<1x3x3x2xui8>, %w: tensor<4x2x2x1xui8>) -> tensor<1x2x2x4xi32> {
  // CHECK: "hw.conv2d"(%arg0, %arg1) {groups = 2 : i64, input_zp = 128 : i64, weight_zp = 120 : i64} : (tensor<1x3x3x2xui8>, tensor<4x2x2x1xui8>) -> tensor<1x2x2x4xi32>
  %y = "hw.conv2d"(%x, %w) {input_zp = 128, weight_zp = 120, groups = 2} : (tensor<1x3x3x2xui8>, tensor<4x2x2x1xui8>) -> tensor<1x2x2x4xi32>
  return %y : tensor<1x2x2x4xi32>
}

// ONNX QLinearConv and TFLite 16x8 depthwise.
// CHECK-LABEL: func.func @qlinear_and_16x8
func.func @qlinear_and_16x8(%x: tensor<1x5x5x2xui8>, %w: tensor<2x3x3x2xui8>, %b: tensor<2xi32>, %h: tensor<1x5x5x2xi16>, %dw: tensor<1x3x3x4xi8>, %db: tensor<4xi64>) -> (tensor<1x3x3x2xui8>, tensor<1x5x5x4xi16>) {
  // CHECK: "hw.conv2d"(%arg0, %arg1, %arg2) {input_zp = 120 : i64, output_zp = 128 : i64, rounding = "half-even-float", scale = [1.250000e-02, 3.125000e-02], weight_zp = 128 : i64}
  %0 = "hw.conv2d"(%x, %w, %b) {input_zp = 120, weight_zp = 128, output_zp = 128, rounding = "half-even-float", scale = [0.0125, 0.03125]} : (tensor<1x5x5x2xui8>, tensor<2x3x3x2xui8>, tensor<2xi32>) -> tensor<1x3x3x2xui8>
  // CHECK: "hw.depthwise_conv2d"(%arg3, %arg4, %arg5) {depth_multiplier = 2 : i64, input_zp = 0 : i64, multiplier = [1518500250], padding = [1, 1, 1, 1], shift = [-20]}
  // CHECK-SAME: : (tensor<1x5x5x2xi16>, tensor<1x3x3x4xi8>, tensor<4xi64>) -> tensor<1x5x5x4xi16>
  %1 = "hw.depthwise_conv2d"(%h, %dw, %db) {input_zp = 0, multiplier = [1518500250], shift = [-20], padding = [1, 1, 1, 1], depth_multiplier = 2} : (tensor<1x5x5x2xi16>, tensor<1x3x3x4xi8>, tensor<4xi64>) -> tensor<1x5x5x4xi16>
  return %0, %1 : tensor<1x3x3x2xui8>, tensor<1x5x5x4xi16>
}

// CHECK-LABEL: func.func @matrix_products
func.func @matrix_products(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>, %a: tensor<2x3x4xui8>, %bm: tensor<4x5xui8>) -> (tensor<2x4xi8>, tensor<2x3x5xi32>, tensor<2x3x5xui8>) {
  // CHECK: "hw.fully_connected"(%arg0, %arg1) {input_zp = -128 : i64, multiplier = [1342580370], output_zp = -102 : i64, rounding = "double-round", shift = [-9]} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi8>
  %0 = "hw.fully_connected"(%x, %w) {input_zp = -128, output_zp = -102, multiplier = [1342580370], shift = [-9], rounding = "double-round"} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi8>
  // MatMulInteger: per-row a_zp, per-column b_zp, i32 result.
  // CHECK: "hw.matmul"(%arg2, %arg3) {a_zp = [12, 13, 14], b_zp = [0, 1, 2, 3, 4]} : (tensor<2x3x4xui8>, tensor<4x5xui8>) -> tensor<2x3x5xi32>
  %1 = "hw.matmul"(%a, %bm) {a_zp = [12, 13, 14], b_zp = [0, 1, 2, 3, 4]} : (tensor<2x3x4xui8>, tensor<4x5xui8>) -> tensor<2x3x5xi32>
  // QLinearMatMul.
  // CHECK: "hw.matmul"(%arg2, %arg3) {a_zp = [113], b_zp = [114], output_zp = 118 : i64, rounding = "half-even-float", scale = [4.348504e-03]}
  %2 = "hw.matmul"(%a, %bm) {a_zp = [113], b_zp = [114], output_zp = 118, rounding = "half-even-float", scale = [0.004348504]} : (tensor<2x3x4xui8>, tensor<4x5xui8>) -> tensor<2x3x5xui8>
  return %0, %1, %2 : tensor<2x4xi8>, tensor<2x3x5xi32>, tensor<2x3x5xui8>
}

// Block CSR weights: [OUT, IN] = [4, 8] in 2x4 blocks, row block 0 stores column block 1, row block 1 stores both.
// CHECK-LABEL: func.func @sparse
func.func @sparse(%x: tensor<3x8xi8>, %img: tensor<1x4x4x8xi8>, %b: tensor<4xi32>) -> (tensor<3x4xi8>, tensor<1x2x2x4xi32>) {
  // CHECK: "hw.sparse_fully_connected"(%arg0, %arg2)
  // CHECK-SAME: block_shape = [2, 4], col_idx = dense<[1, 0, 1]> : tensor<3xi32>
  // CHECK-SAME: row_ptr = dense<[0, 1, 3]> : tensor<3xi32>
  // CHECK-SAME: values = dense<2> : tensor<3x2x4xi8>
  %0 = "hw.sparse_fully_connected"(%x, %b) {input_zp = -1, block_shape = [2, 4], row_ptr = dense<[0, 1, 3]> : tensor<3xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<2> : tensor<3x2x4xi8>, multiplier = [1073741824], shift = [-3]} : (tensor<3x8xi8>, tensor<4xi32>) -> tensor<3x4xi8>
  // CHECK: "hw.sparse_conv2d"(%arg1)
  // CHECK-SAME: strides = [2, 2]
  %1 = "hw.sparse_conv2d"(%img) {input_zp = 0, block_shape = [2, 4], row_ptr = dense<[0, 1, 3]> : tensor<3xi32>, col_idx = dense<[1, 0, 1]> : tensor<3xi32>, values = dense<2> : tensor<3x2x4xi8>, strides = [2, 2]} : (tensor<1x4x4x8xi8>) -> tensor<1x2x2x4xi32>
  return %0, %1 : tensor<3x4xi8>, tensor<1x2x2x4xi32>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x4xi8>, %b: tensor<4xi8>, %acc: tensor<2x4xi32>) -> (tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi8>) {
  // CHECK: "hw.add"(%arg0, %arg1) {act_max = 127 : i64, act_min = -128 : i64, input1_multiplier = 1073741824 : i64
  // CHECK-SAME: left_shift = 20 : i64
  %0 = "hw.add"(%a, %b) {input1_zp = -3, input2_zp = 4, output_zp = -7, left_shift = 20, input1_multiplier = 1073741824, input1_shift = 0, input2_multiplier = 1518500250, input2_shift = 0, output_multiplier = 1686629713, output_shift = -19, act_min = -128, act_max = 127} : (tensor<2x4xi8>, tensor<4xi8>) -> tensor<2x4xi8>
  // CHECK: "hw.mul"(%arg0, %arg1) {input1_zp = -3 : i64, input2_zp = 4 : i64, output_multiplier = 1543451342 : i64, output_shift = -5 : i64, output_zp = -7 : i64, rounding = "single-round"}
  %1 = "hw.mul"(%a, %b) {input1_zp = -3, input2_zp = 4, output_zp = -7, output_multiplier = 1543451342, output_shift = -5, rounding = "single-round"} : (tensor<2x4xi8>, tensor<4xi8>) -> tensor<2x4xi8>
  // TOSA RESCALE: shift is TOSA's right shift (31 - TFLite shift).
  // CHECK: "hw.rescale"(%arg2) {double_round = true, input_zp = 0 : i64, multiplier = [1073741824, 1073741824, 1073741824, 1073741824], output_zp = -1 : i64, per_channel = true, scale32 = true, shift = [36, 37, 38, 39]} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  %2 = "hw.rescale"(%acc) {input_zp = 0, output_zp = -1, multiplier = [1073741824, 1073741824, 1073741824, 1073741824], shift = [36, 37, 38, 39], scale32 = true, double_round = true, per_channel = true} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // CHECK: "hw.lut"(%arg0) {table = dense<"0x{{[0-9A-F]+}}"> : tensor<256xi8>} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  %3 = "hw.lut"(%a) {table = dense<"0x808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F"> : tensor<256xi8>} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return %0, %1, %2, %3 : tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi8>
}

// CHECK-LABEL: func.func @pools_and_data_movement
func.func @pools_and_data_movement(%x: tensor<1x4x4x3x!qa>, %y: tensor<1x4x4x1x!qa>) -> (tensor<1x2x2x3x!qa>, tensor<1x4x4x3x!qa>, tensor<4x4x3x!qa>, tensor<1x3x4x4x!qa>, tensor<1x4x4x4x!qa>, tensor<1x6x6x3x!qa>) {
  // CHECK: "hw.max_pool2d"(%arg0) {kernel = [2, 2], strides = [2, 2]}
  %0 = "hw.max_pool2d"(%x) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x3x!qa>) -> tensor<1x2x2x3x!qa>
  // CHECK: "hw.avg_pool2d"(%arg0) {act_max = 100 : i64, act_min = -3 : i64, kernel = [3, 3], padding = [1, 1, 1, 1]}
  %1 = "hw.avg_pool2d"(%x) {kernel = [3, 3], padding = [1, 1, 1, 1], act_min = -3, act_max = 100} : (tensor<1x4x4x3x!qa>) -> tensor<1x4x4x3x!qa>
  // CHECK: "hw.reshape"(%arg0) : (tensor<1x4x4x3x!quant.uniform<i8:f32, 5.000000e-02:-3>>) -> tensor<4x4x3x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %2 = "hw.reshape"(%x) : (tensor<1x4x4x3x!qa>) -> tensor<4x4x3x!qa>
  // CHECK: "hw.transpose"(%arg0) {perm = [0, 3, 1, 2]}
  %3 = "hw.transpose"(%x) {perm = [0, 3, 1, 2]} : (tensor<1x4x4x3x!qa>) -> tensor<1x3x4x4x!qa>
  // CHECK: "hw.concat"(%arg0, %arg1) {axis = 3 : i64}
  %4 = "hw.concat"(%x, %y) {axis = 3} : (tensor<1x4x4x3x!qa>, tensor<1x4x4x1x!qa>) -> tensor<1x4x4x4x!qa>
  // CHECK: "hw.pad"(%arg0) {pad_value = -3 : i64, pads = [0, 1, 1, 0, 0, 1, 1, 0]}
  %5 = "hw.pad"(%x) {pads = [0, 1, 1, 0, 0, 1, 1, 0], pad_value = -3} : (tensor<1x4x4x3x!qa>) -> tensor<1x6x6x3x!qa>
  return %0, %1, %2, %3, %4, %5 : tensor<1x2x2x3x!qa>, tensor<1x4x4x3x!qa>, tensor<4x4x3x!qa>, tensor<1x3x4x4x!qa>, tensor<1x4x4x4x!qa>, tensor<1x6x6x3x!qa>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x10xi8>) -> tensor<2x10x!quant.uniform<i8:f32, 0.00390625:-128>> {
  // CHECK: "hw.softmax"(%arg0) {diff_min = -3968 : i64, input_left_shift = 19 : i64, input_multiplier = 1077952640 : i64}
  // CHECK-SAME: -> tensor<2x10x!quant.uniform<i8:f32, 3.906250e-03:-128>>
  %0 = "hw.softmax"(%x) {input_multiplier = 1077952640, input_left_shift = 19, diff_min = -3968} : (tensor<2x10xi8>) -> tensor<2x10x!quant.uniform<i8:f32, 0.00390625:-128>>
  return %0 : tensor<2x10x!quant.uniform<i8:f32, 0.00390625:-128>>
}
