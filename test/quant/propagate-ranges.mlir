// RUN: qopt-opt %s --split-input-file --pass=propagate-ranges | FileCheck %s
// RUN: qopt-opt %s --split-input-file --pass='propagate-ranges,nudge-zero-point{target=tflite-int8},quantize{target=tflite-int8},lower-to-hw{target=tflite-int8}' | FileCheck %s --check-prefix=LOWER
// propagate-ranges on hand-written `qopt.range = [min, max]` facts (no calibration data needed): what
// each kind of op (by trait) makes of its neighbours' ranges, and how ranges fixed by quantization-aware
// training (QAT quant.qcast/quant.dcast pairs) are kept and requantized to where they conflict.

// Same-scale ops (transpose, max_pool2d, pad, reshape) pass one range through: every result gets the
// input's [-2, 3], and the transpose's own (calibrated) [-0.5, 0.5] is replaced, because its quantized
// result must have the input's scale.
// CHECK-LABEL: func.func @same_scale_share
// CHECK-SAME: (%arg0: tensor<1x4x4x2xf32> {qopt.range = [-2.000000e+00, 3.000000e+00]})
// CHECK-NEXT: "float.transpose"(%arg0) {perm = [0, 2, 1, 3], qopt.range = [-2.000000e+00, 3.000000e+00]}
// CHECK-NEXT: "float.max_pool2d"({{.*}}) {kernel = [2, 2], qopt.range = [-2.000000e+00, 3.000000e+00], strides = [2, 2]}
// CHECK-NEXT: "float.pad"({{.*}}) {pads = [0, 1, 1, 0, 0, 1, 1, 0], qopt.range = [-2.000000e+00, 3.000000e+00]}
// CHECK-NEXT: "float.reshape"({{.*}}) {qopt.range = [-2.000000e+00, 3.000000e+00], shape = [1, 32]}
func.func @same_scale_share(%x: tensor<1x4x4x2xf32> {qopt.range = [-2.0, 3.0]}) -> tensor<1x32xf32> {
  %t = "float.transpose"(%x) {perm = [0, 2, 1, 3], qopt.range = [-0.5, 0.5]} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %m = "float.max_pool2d"(%t) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %p = "float.pad"(%m) {pads = [0, 1, 1, 0, 0, 1, 1, 0]} : (tensor<1x2x2x2xf32>) -> tensor<1x4x4x2xf32>
  %r = "float.reshape"(%p) {shape = [1, 32]} : (tensor<1x4x4x2xf32>) -> tensor<1x32xf32>
  return %r : tensor<1x32xf32>
}

// -----

// Backward through a same-scale op: the reshape's input has no range (neg has no interval rule and its
// operand no range), so it takes the reshape's [-1.5, 2.5]; the argument stays without one.
// CHECK-LABEL: func.func @same_scale_backward(%arg0: tensor<2x3xf32>) -> tensor<6xf32> {
// CHECK-NEXT: "float.neg"(%arg0) {qopt.range = [-1.500000e+00, 2.500000e+00]}
// CHECK-NEXT: "float.reshape"({{.*}}) {qopt.range = [-1.500000e+00, 2.500000e+00], shape = [6]}
func.func @same_scale_backward(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %n = "float.neg"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = "float.reshape"(%n) {shape = [6], qopt.range = [-1.5, 2.5]} : (tensor<2x3xf32>) -> tensor<6xf32>
  return %r : tensor<6xf32>
}

// -----

// concat takes the union of its inputs: [-4, 3.96875] ∪ [-1, 0.5] ∪ [-0.5, 2] = [-4, 3.96875]. The
// inputs keep their own ranges (widening them would cost their other users precision); the narrower two
// are requantized to the union when lowered.
// CHECK-LABEL: func.func @concat_union
// CHECK-SAME: (%arg0: tensor<1x4xf32> {qopt.range = [-4.000000e+00, 3.968750e+00]}, %arg1: tensor<1x4xf32> {qopt.range = [-1.000000e+00, 5.000000e-01]}, %arg2: tensor<1x4xf32> {qopt.range = [-5.000000e-01, 2.000000e+00]})
// CHECK-NEXT: "float.concat"(%arg0, %arg1, %arg2) {axis = 1 : i64, qopt.range = [-4.000000e+00, 3.968750e+00]}
//
// Lowered for tflite-int8, int8 asymmetric (nudging changes none of these ranges: each zero point below
// is already an integer):
//   union [-4, 3.96875]: scale = 7.96875/255 = 1/32, zp = -128 - (-4)·32 = 0 → !quant.uniform<i8:f32, 0.03125>
//   %arg0 [-4, 3.96875]: the same type, so it enters the concat as it is;
//   %arg1 [-1, 0.5]:     scale 1.5/255, zp = -128 + 1/(1.5/255) = -128 + 170 = 42 → hw.rescale to the union;
//   %arg2 [-0.5, 2]:     scale 2.5/255, zp = -128 + 0.5/(2.5/255) = -128 + 51 = -77 → hw.rescale to the union.
// LOWER-LABEL: func.func @concat_union
// LOWER:      %[[A:[0-9]+]] = "quant.qcast"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02>>
// LOWER-NEXT: %[[B:[0-9]+]] = "quant.qcast"(%arg1) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, {{[0-9.e-]+}}:42>>
// LOWER-NEXT: %[[C:[0-9]+]] = "quant.qcast"(%arg2) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, {{[0-9.e-]+}}:-77>>
// LOWER-NEXT: %[[RB:[0-9]+]] = "hw.rescale"(%[[B]]) {{{.*}}input_zp = 42 : i64{{.*}}output_zp = 0 : i64{{.*}}} : ({{.*}}) -> tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02>>
// LOWER-NEXT: %[[RC:[0-9]+]] = "hw.rescale"(%[[C]]) {{{.*}}input_zp = -77 : i64{{.*}}output_zp = 0 : i64{{.*}}} : ({{.*}}) -> tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02>>
// LOWER-NEXT: "hw.concat"(%[[A]], %[[RB]], %[[RC]]) {axis = 1 : i64} : {{.*}} -> tensor<1x12x!quant.uniform<i8:f32, 3.125000e-02>>
func.func @concat_union(%a: tensor<1x4xf32> {qopt.range = [-4.0, 3.96875]}, %b: tensor<1x4xf32> {qopt.range = [-1.0, 0.5]}, %c: tensor<1x4xf32> {qopt.range = [-0.5, 2.0]}) -> tensor<1x12xf32> {
  %cat = "float.concat"(%a, %b, %c) {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x12xf32>
  return %cat : tensor<1x12xf32>
}

// -----

// Clamps tighten, never widen. From an input in [-3, 8]: relu → [0, 8], relu6 → [0, 6],
// clamp{min=-1, max=2} → [-1, 2]. A relu whose own range is [-0.5, 5] keeps what the data says inside
// the clamp: [-0.5, 5] ∩ [0, 8] = [0, 5] (not the input's [0, 8]).
// CHECK-LABEL: func.func @clamps_tighten
// CHECK-NEXT: "float.relu"(%arg0) {qopt.range = [0.000000e+00, 8.000000e+00]}
// CHECK-NEXT: "float.relu6"(%arg0) {qopt.range = [0.000000e+00, 6.000000e+00]}
// CHECK-NEXT: "float.clamp"(%arg0) {max = 2.000000e+00 : f64, min = -1.000000e+00 : f64, qopt.range = [-1.000000e+00, 2.000000e+00]}
// CHECK-NEXT: "float.relu"(%arg0) {qopt.range = [0.000000e+00, 5.000000e+00]}
func.func @clamps_tighten(%x: tensor<4xf32> {qopt.range = [-3.0, 8.0]}) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %relu = "float.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %relu6 = "float.relu6"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %clamp = "float.clamp"(%x) {max = 2.0, min = -1.0} : (tensor<4xf32>) -> tensor<4xf32>
  %data = "float.relu"(%x) {qopt.range = [-0.5, 5.0]} : (tensor<4xf32>) -> tensor<4xf32>
  return %relu, %relu6, %clamp, %data : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Fixed-range ops get the range of the spec's fixed int8 parameters (references.md, TFLite spec):
//   logistic, softmax: scale 1/256, zp -128 → [(-128 + 128)/256, (127 + 128)/256] = [0, 0.99609375]
//   tanh:              scale 1/128, zp 0    → [-128/128, 127/128]                 = [-1, 0.9921875]
// whatever was recorded for them (the sigmoid's calibrated [0.1, 0.9] is replaced).
// CHECK-LABEL: func.func @fixed_ranges
// CHECK-NEXT: "float.sigmoid"(%arg0) {qopt.range = [0.000000e+00, 0.99609375]}
// CHECK-NEXT: "float.tanh"(%arg0) {qopt.range = [-1.000000e+00, 9.921875e-01]}
// CHECK-NEXT: "float.softmax"(%arg0) {axis = -1 : i64, qopt.range = [0.000000e+00, 0.99609375]}
func.func @fixed_ranges(%x: tensor<1x4xf32> {qopt.range = [-8.0, 8.0]}) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %s = "float.sigmoid"(%x) {qopt.range = [0.1, 0.9]} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %t = "float.tanh"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %m = "float.softmax"(%x) {axis = -1 : i64} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %s, %t, %m : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// Interval arithmetic where a tensor has no range, x ∈ [-1, 2], y ∈ [0.5, 3]:
//   x + y = [-0.5, 5];  x - y = [-1 - 3, 2 - 0.5] = [-4, 1.5]
//   x · y: corners -0.5, -3, 1, 6 → [-3, 6];  x / y (y excludes 0): corners -2, -1/3, 4, 2/3 → [-2, 4]
//   x + y with act = relu: [-0.5, 5] ∩ [0, ∞) = [0, 5]
//   (x + y)·(x - y): corners (-0.5)(-4) = 2, (-0.5)(1.5) = -0.75, 5·(-4) = -20, 5·1.5 = 7.5 → [-20, 7.5]
// A tensor with data keeps it ([0, 1], not [-0.5, 5]); neg has no interval rule, so neither it nor
// the add that reads it gets a range.
// CHECK-LABEL: func.func @interval
// CHECK-NEXT: %[[ADD:[0-9]+]] = "float.add"(%arg0, %arg1) {qopt.range = [-5.000000e-01, 5.000000e+00]}
// CHECK-NEXT: %[[SUB:[0-9]+]] = "float.sub"(%arg0, %arg1) {qopt.range = [-4.000000e+00, 1.500000e+00]}
// CHECK-NEXT: "float.mul"(%arg0, %arg1) {qopt.range = [-3.000000e+00, 6.000000e+00]}
// CHECK-NEXT: "float.div"(%arg0, %arg1) {qopt.range = [-2.000000e+00, 4.000000e+00]}
// CHECK-NEXT: "float.add"(%arg0, %arg1) {act = "relu", qopt.range = [0.000000e+00, 5.000000e+00]}
// CHECK-NEXT: "float.mul"(%[[ADD]], %[[SUB]]) {qopt.range = [-2.000000e+01, 7.500000e+00]}
// CHECK-NEXT: "float.add"(%arg0, %arg1) {qopt.range = [0.000000e+00, 1.000000e+00]}
// CHECK-NEXT: %[[NEG:[0-9]+]] = "float.neg"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: "float.add"(%[[NEG]], %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @interval(%x: tensor<4xf32> {qopt.range = [-1.0, 2.0]}, %y: tensor<4xf32> {qopt.range = [0.5, 3.0]}) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %add = "float.add"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %sub = "float.sub"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %mul = "float.mul"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %div = "float.div"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %add_relu = "float.add"(%x, %y) {act = "relu"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %chain = "float.mul"(%add, %sub) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %data = "float.add"(%x, %y) {qopt.range = [0.0, 1.0]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %neg = "float.neg"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %unknown = "float.add"(%neg, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %div, %add_relu, %chain, %data, %unknown, %mul, %sub : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A conflict: QAT fixed the reshape's input at 1/16, zp -111 and its result at 1/32, zp 0, but a
// reshape's input and result share one scale. The input gets a requantize to the result's type
// (inserted quant.qcast + quant.dcast, as MLIR's QuantizationDriver inserts one); the QAT casts stay
// as they were and no range is written on any of these fixed values. The lowering turns the inserted
// pair into one hw.rescale (multiplier 2^30 with TOSA shift 29: (1/16)/(1/32) = 2 = 2^30·2^-29).
// CHECK-LABEL: func.func @qat_conflict
// CHECK-NEXT: %[[Q:[0-9]+]] = "quant.qcast"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
// CHECK-NEXT: %[[D:[0-9]+]] = "quant.dcast"(%[[Q]]) : (tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<2x2xf32>
// CHECK-NEXT: %[[RQ:[0-9]+]] = "quant.qcast"(%[[D]]) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>
// CHECK-NEXT: %[[RD:[0-9]+]] = "quant.dcast"(%[[RQ]]) : (tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<2x2xf32>
// CHECK-NEXT: %[[R:[0-9]+]] = "float.reshape"(%[[RD]]) {shape = [4]} : (tensor<2x2xf32>) -> tensor<4xf32>
// CHECK-NEXT: %[[O:[0-9]+]] = "quant.qcast"(%[[R]]) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 3.125000e-02>>
// CHECK-NEXT: "quant.dcast"(%[[O]]) : (tensor<4x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<4xf32>
// CHECK-NOT: qopt.range
// LOWER-LABEL: func.func @qat_conflict
// LOWER-NEXT: %[[Q:[0-9]+]] = "quant.qcast"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
// LOWER-NEXT: %[[RS:[0-9]+]] = "hw.rescale"(%[[Q]]) {double_round = true, input_zp = -111 : i64, multiplier = [1073741824], output_zp = 0 : i64, scale32 = true, shift = [29]} : (tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>
// LOWER-NEXT: "hw.reshape"(%[[RS]])
func.func @qat_conflict(%x: tensor<2x2xf32>) -> tensor<4xf32> {
  %0 = "quant.qcast"(%x) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
  %1 = "quant.dcast"(%0) : (tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<2x2xf32>
  %2 = "float.reshape"(%1) {shape = [4]} : (tensor<2x2xf32>) -> tensor<4xf32>
  %3 = "quant.qcast"(%2) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 3.125000e-02>>
  %4 = "quant.dcast"(%3) : (tensor<4x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// A concat whose inputs and result QAT fixed: only the input fixed otherwise than the result (1/16,
// zp -111) is requantized; the one already at the result's 1/32, zp 0 enters as it is.
// CHECK-LABEL: func.func @qat_concat_conflict
// CHECK:      %[[A:[0-9]+]] = "quant.dcast"(%{{[0-9]+}}) : (tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<1x2xf32>
// CHECK:      %[[B:[0-9]+]] = "quant.dcast"(%{{[0-9]+}}) : (tensor<1x2x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x2xf32>
// CHECK-NEXT: %[[RQ:[0-9]+]] = "quant.qcast"(%[[A]]) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.125000e-02>>
// CHECK-NEXT: %[[RD:[0-9]+]] = "quant.dcast"(%[[RQ]])
// CHECK-NEXT: "float.concat"(%[[RD]], %[[B]]) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
// CHECK-NOT: qopt.range
func.func @qat_concat_conflict(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %0 = "quant.qcast"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
  %1 = "quant.dcast"(%0) : (tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<1x2xf32>
  %2 = "quant.qcast"(%y) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.125000e-02>>
  %3 = "quant.dcast"(%2) : (tensor<1x2x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x2xf32>
  %4 = "float.concat"(%1, %3) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %5 = "quant.qcast"(%4) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02>>
  %6 = "quant.dcast"(%5) : (tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<1x4xf32>
  return %6 : tensor<1x4xf32>
}

// -----

// QAT-fixed values stay fixed and lend their range to their neighbours:
// - the sigmoid's output is cast by QAT to 1/64, zp -128, so it does not get the spec's fixed range
//   (no qopt.range is written on it, nor on the casts);
// - a reshape of the QAT dcast shares that type's range: [(-128 + 128)/64, (127 + 128)/64] = [0, 3.984375];
// - a reshape whose result QAT casts to 1/16, zp -111 gives its unranged input that type's range:
//   [(-128 + 111)/16, (127 + 111)/16] = [-1.0625, 14.875];
// - a reshape whose result QAT casts to 1/32, zp 0 but whose input has a range of its own ([-1, 1],
//   not fixed by QAT) leaves that range alone: the result's quant.qcast requantizes, nothing is inserted.
// CHECK-LABEL: func.func @qat_fixed
// CHECK-NEXT: %[[S:[0-9]+]] = "float.sigmoid"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: %[[Q:[0-9]+]] = "quant.qcast"(%[[S]]) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.562500e-02:-128>>
// CHECK-NEXT: %[[D:[0-9]+]] = "quant.dcast"(%[[Q]]) : (tensor<4x!quant.uniform<i8:f32, 1.562500e-02:-128>>) -> tensor<4xf32>
// CHECK-NEXT: "float.reshape"(%[[D]]) {qopt.range = [0.000000e+00, 3.984375e+00], shape = [2, 2]}
// CHECK-NEXT: %[[N:[0-9]+]] = "float.neg"(%arg0) {qopt.range = [-1.062500e+00, 1.487500e+01]}
// CHECK-NEXT: %[[T:[0-9]+]] = "float.reshape"(%[[N]]) {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: "quant.qcast"(%[[T]]) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
// CHECK-NEXT: "quant.dcast"
// CHECK-NEXT: %[[K:[0-9]+]] = "float.neg"(%arg0) {qopt.range = [-1.000000e+00, 1.000000e+00]}
// CHECK-NEXT: %[[U:[0-9]+]] = "float.reshape"(%[[K]]) {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: "quant.qcast"(%[[U]]) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>
// CHECK-NEXT: "quant.dcast"
// CHECK-NEXT: return
func.func @qat_fixed(%x: tensor<4xf32> {qopt.range = [-1.0, 2.0]}) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %s = "float.sigmoid"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %0 = "quant.qcast"(%s) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.562500e-02:-128>>
  %1 = "quant.dcast"(%0) : (tensor<4x!quant.uniform<i8:f32, 1.562500e-02:-128>>) -> tensor<4xf32>
  %r = "float.reshape"(%1) {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
  %n = "float.neg"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %t = "float.reshape"(%n) {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
  %2 = "quant.qcast"(%t) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>
  %3 = "quant.dcast"(%2) : (tensor<2x2x!quant.uniform<i8:f32, 6.250000e-02:-111>>) -> tensor<2x2xf32>
  %k = "float.neg"(%x) {qopt.range = [-1.0, 1.0]} : (tensor<4xf32>) -> tensor<4xf32>
  %u = "float.reshape"(%k) {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
  %4 = "quant.qcast"(%u) : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>
  %5 = "quant.dcast"(%4) : (tensor<2x2x!quant.uniform<i8:f32, 3.125000e-02>>) -> tensor<2x2xf32>
  return %r, %3, %5 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A constant's values are its range for interval arithmetic (x·2 with x in [-1, 1] is [-2, 2], the relu
// after it [0, 2]); the constant itself gets no recorded range.
// CHECK-LABEL: func.func @mul_by_constant
// CHECK-NEXT: %[[C:.*]] = "float.const"() {value = dense<2.000000e+00> : tensor<4xf32>} : () -> tensor<4xf32>
// CHECK-NEXT: "float.mul"(%arg0, %[[C]]) {qopt.range = [-2.000000e+00, 2.000000e+00]}
// CHECK-NEXT: "float.relu"(%{{.*}}) {qopt.range = [0.000000e+00, 2.000000e+00]}
func.func @mul_by_constant(%x: tensor<4xf32> {qopt.range = [-1.0, 1.0]}) -> tensor<4xf32> {
  %c = "float.const"() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%x, %c) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = "float.relu"(%m) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
