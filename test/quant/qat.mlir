// A program that arrives already quantized in places, as a quantization-aware-training (QAT) export
// does: quant.qcast/quant.dcast pairs with fixed !quant.uniform types on the input (!qx), the conv
// weights (!qw) and some activations (!qc, !qp). The pipeline keeps them: calibrate records no range
// for them, propagate-ranges and nudge-zero-point do not move them, quantize gives new parameters only
// to the tensors the program left float (relu, add, fully connected and its weights), and lowering
// carries every fixed type into the hw program unchanged. Where a fixed type meets a same-scale
// constraint of another fixed type, a requantize (a quant.qcast(quant.dcast) pair, hw.rescale once
// lowered) is inserted and logged, as MLIR's QuantizationDriver does with QAT parameters.
//
// RUN: qopt-opt %s --pass='calibrate{data=%S/qat-data/x.npy},propagate-ranges,nudge-zero-point{target=tflite-int8},quantize{target=tflite-int8}' --decision-log=%t.qdq.jsonl -o %t.qdq.mlir
// RUN: FileCheck %s --check-prefix=QDQ < %t.qdq.mlir
// RUN: FileCheck %s --check-prefix=LOG < %t.qdq.jsonl
// RUN: qopt-opt %t.qdq.mlir --pass='lower-to-hw{target=tflite-int8}' --decision-log=%t.hw.jsonl -o %t.hw.mlir
// RUN: FileCheck %s --check-prefix=HW < %t.hw.mlir
// RUN: FileCheck %s --check-prefix=HWLOG < %t.hw.jsonl
//
// Ops whose activation input is a fixed QAT value but whose weights or result the program left float —
// here the add and the fully connected layer — are quantized too (their result from its calibrated
// range, the fc weights from their values, with s_in the fixed input scale).
// RUN: FileCheck %s --check-prefix=FIXEDIN < %t.qdq.mlir
// RUN: FileCheck %s --check-prefix=FIXEDIN-HW < %t.hw.mlir
//
// Calibration data (qat-data/make-data.py): two samples of x (NHWC, 2x2 pixels, channels [x0, x1]),
// every value a multiple of 1/2, so on the !qx grid (scale 1/16) and passed by the QAT qcast unchanged:
//   sample 1: (1, 0.5)  (2, -1)  (-1, 1)    (0, 0)
//   sample 2: (-4, 2)   (3, 3)   (0.5, -2)  (-0.5, -0.5)
// conv 1x1 with the dequantized !qw weights and bias [0.25, -0.125]:
//   c0 = 0.5·x0 − 0.25·x1 + 0.25,  c1 = 0.25·x0 + 0.75·x1 − 0.125
//   sample 1: c0 = 0.625, 1.5, −0.5, 0.25      c1 = 0.5, −0.375, 0.375, −0.125
//   sample 2: c0 = −2.25, 1, 1, 0.125          c1 = 0.375, 2.875, −1.5, −0.625
// all multiples of 1/8 inside !qc's [−15.875, 16], so the QAT qcast to !qc passes them unchanged.
// The tensors the program left float, with their minmax ranges:
//   relu(c)      [0, 2.875]        (largest: c1 = 2.875 in sample 2)
//   relu(c) + c  [−2.25, 5.75]     (c0 = −2.25 → 0 − 2.25; c1 = 2.875 → 5.75)
//   fc(concat(c, x)) with rows [1,0,0,0], [0,0,0,1], [.5,.5,.5,.5]: f0 = c0, f1 = x1,
//     f2 = (c0 + c1 + x0 + x1)/2 ∈ {1.3125, 1.0625, −0.0625, 0.0625, −1.9375, 4.9375, −1, −0.75}
//                [−2.25, 4.9375]   (f0 = −2.25; f2 = (1 + 2.875 + 3 + 3)/2)
// int8 asymmetric parameters (references.md: scale = (max − min)/255, zp = round(−128 − min/scale)):
//   relu  2.875/255 = 0.011274509803921568…, zp −128
//   add   8/255 = 0.0313725490196078…, zp round(−128 + 2.25·255/8) = round(−56.28) = −56
//   fc    7.1875/255 = 0.0281862745098039…, zp round(−128 + 2.25·255/7.1875) = round(−48.17) = −48
//   fc weights (tflite-int8: per tensor, symmetric narrow): 1/127 = 0.007874015748031496
// (nudge-zero-point writes the represented range [(−128 − zp)·s, (127 − zp)·s] back, and quantize
// chooses the same parameters from it.)

!qx = !quant.uniform<i8:f32, 6.250000e-02:-8>
!qw = !quant.uniform<i8<-127:127>:f32:0, {7.812500e-03, 1.562500e-02}>
!qc = !quant.uniform<i8:f32, 1.250000e-01:-1>
!qp = !quant.uniform<i8:f32, 2.500000e-01:-1>

// The QDQ program: every QAT pair as written, new pairs only on the float tensors, and the requantizes.
// Ops whose result QAT fixed carry no qopt.range (nothing was calibrated or moved there).
// QDQ-LABEL: func.func @qat
// QDQ-NEXT: %[[XQ:.*]] = "quant.qcast"(%arg0) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 6.250000e-02:-8>>
// QDQ-NEXT: %[[XD:.*]] = "quant.dcast"(%[[XQ]])
// QDQ-NEXT: %[[W:.*]] = "float.const"
// QDQ-NEXT: %[[WQ:.*]] = "quant.qcast"(%[[W]]) : {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,1.562500e-02}>>
// QDQ-NEXT: %[[WD:.*]] = "quant.dcast"(%[[WQ]])
// The conv bias stays as given (float): lowering quantizes it in units of s_x·s_w[c].
// QDQ-NEXT: %[[B:.*]] = "float.const"() {value = dense<[2.500000e-01, -1.250000e-01]> : tensor<2xf32>}
// QDQ-NEXT: %[[C:.*]] = "float.conv2d"(%[[XD]], %[[WD]], %[[B]]) : (
// QDQ-NEXT: %[[CQ:.*]] = "quant.qcast"(%[[C]]) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// QDQ-NEXT: %[[CD:.*]] = "quant.dcast"(%[[CQ]])
// Calibrated, not fixed: new parameters (derived above).
// QDQ-NEXT: %[[R:.*]] = "float.relu"(%[[CD]])
// QDQ-NEXT: %[[RQ:.*]] = "quant.qcast"(%[[R]]) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0112745098039215{{[0-9]*}}:-128>>
// QDQ-NEXT: %[[RD:.*]] = "quant.dcast"(%[[RQ]])
// The add reads the relu's pair and the fixed !qc value (its own result: below).
// FIXEDIN-LABEL: func.func @qat
// FIXEDIN: %[[S:.*]] = "float.add"
// FIXEDIN-NEXT: %[[SQ:.*]] = "quant.qcast"(%[[S]]) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0313725490196078{{[0-9]*}}:-56>>
// max_pool2d is same-scale, but its input is fixed at !qc and its result at !qp: the input is
// requantized to !qp first.
// QDQ: %[[PIN:.*]] = "quant.qcast"(%[[CD]]) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:-1>>
// QDQ-NEXT: %[[PIND:.*]] = "quant.dcast"(%[[PIN]])
// QDQ-NEXT: %[[P:.*]] = "float.max_pool2d"(%[[PIND]]) {kernel = [2, 2]} : (
// QDQ-NEXT: %[[PQ:.*]] = "quant.qcast"(%[[P]]) : {{.*}} -> tensor<1x1x1x2x!quant.uniform<i8:f32, 2.500000e-01:-1>>
// QDQ-NEXT: %[[PD:.*]] = "quant.dcast"(%[[PQ]])
// concat of !qc and !qx into a result fixed at !qc: the !qx input is requantized to !qc.
// QDQ-NEXT: %[[KIN:.*]] = "quant.qcast"(%[[XD]]) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// QDQ-NEXT: %[[KIND:.*]] = "quant.dcast"(%[[KIN]])
// QDQ-NEXT: %[[K:.*]] = "float.concat"(%[[CD]], %[[KIND]]) {axis = 3 : i64} : (
// QDQ-NEXT: %[[KQ:.*]] = "quant.qcast"(%[[K]]) : {{.*}} -> tensor<1x2x2x4x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// QDQ-NEXT: %[[KD:.*]] = "quant.dcast"(%[[KQ]])
// The fully connected layer reads the fixed !qc concat; its float weights and its result get new
// parameters.
// QDQ: %[[FIN:.*]] = "float.fully_connected"(%[[KD]],
// FIXEDIN: %[[VQ:.*]] = "quant.qcast"(%{{.*}}) : {{.*}} -> tensor<3x4x!quant.uniform<i8<-127:127>:f32, 0.007874015748031496>>
// FIXEDIN-NEXT: %[[VD:.*]] = "quant.dcast"(%[[VQ]])
// FIXEDIN-NEXT: %[[F:.*]] = "float.fully_connected"(%{{.*}}, %[[VD]])
// FIXEDIN-NEXT: %[[FQ:.*]] = "quant.qcast"(%[[F]]) : {{.*}} -> tensor<1x2x2x3x!quant.uniform<i8:f32, 0.0281862745098039{{[0-9]*}}:-48>>

// Both requantizes are logged by the pass that inserts them.
// LOG: {"pass":"propagate-ranges","kind":"requantize","op":"float.max_pool2d",
// LOG: {"pass":"propagate-ranges","kind":"requantize","op":"float.concat",

// Lowered for tflite-int8: every fixed type reaches the hw program unchanged.
// conv: M[c] = s_x·s_w[c]/s_c = 2^−4·2^−7/2^−3 = 2^−8 and 2^−4·2^−6/2^−3 = 2^−7, i.e. 0.5·2^31 = 2^30
// with shifts −7, −6; weights 0.5/2^−7 = 64, −0.25/2^−7 = −32, 0.25/2^−6 = 16, 0.75/2^−6 = 48; bias
// 0.25/2^−11 = 512, −0.125/2^−10 = −128.
// HW-LABEL: func.func @qat
// HW: %[[X:.*]] = "quant.qcast"(%arg0) : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 6.250000e-02:-8>>
// HW: %[[W:.*]] = "hw.const"() {value = dense<{{\[\[\[\[}}64, -32]]], {{\[\[\[}}16, 48]]]]> : tensor<2x1x1x2xi8>} : () -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,1.562500e-02}>>
// HW-NEXT: %[[B:.*]] = "hw.const"() {value = dense<[512, -128]> : tensor<2xi32>}
// HW-NEXT: %[[C:.*]] = "hw.conv2d"(%[[X]], %[[W]], %[[B]]) {{{.*}}input_zp = -8 : i64, multiplier = [1073741824, 1073741824], output_zp = -1 : i64, {{.*}}shift = [-7, -6]
// HW-SAME: -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// HW: %[[R:.*]] = "hw.lut"(%[[C]]) {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0112745098039215{{[0-9]*}}:-128>>
// The requantizes: s_c/s_p = s_x/s_c = 0.5, a multiplier of 2^30 with TOSA shift 31 (2^30·2^−31).
// HW: %[[PIN:.*]] = "hw.rescale"(%[[C]]) {double_round = true, input_zp = -1 : i64, multiplier = [1073741824], output_zp = -1 : i64, scale32 = true, shift = [31]}
// HW-SAME: -> tensor<1x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:-1>>
// HW-NEXT: %[[P:.*]] = "hw.max_pool2d"(%[[PIN]]) {{.*}} -> tensor<1x1x1x2x!quant.uniform<i8:f32, 2.500000e-01:-1>>
// HW: %[[KIN:.*]] = "hw.rescale"(%[[X]]) {double_round = true, input_zp = -8 : i64, multiplier = [1073741824], output_zp = -1 : i64, scale32 = true, shift = [31]}
// HW-SAME: -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// HW-NEXT: %[[K:.*]] = "hw.concat"(%[[C]], %[[KIN]]) {axis = 3 : i64} {{.*}} -> tensor<1x2x2x4x!quant.uniform<i8:f32, 1.250000e-01:-1>>
// HW: return
//
// Once the add and the fc are quantized, nothing stays float:
// FIXEDIN-HW-LABEL: func.func @qat
// FIXEDIN-HW-NOT: "float.
// FIXEDIN-HW: %[[C:.*]] = "hw.conv2d"
// FIXEDIN-HW: %[[R:.*]] = "hw.lut"(%[[C]])
// FIXEDIN-HW: "hw.add"(%[[R]], %[[C]]) {{{.*}}input1_zp = -128 : i64, {{.*}}input2_zp = -1 : i64, {{.*}}output_zp = -56 : i64
// FIXEDIN-HW-SAME: -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0313725490196078{{[0-9]*}}:-56>>
// FIXEDIN-HW: %[[K:.*]] = "hw.concat"
// fc: weights 1/(1/127) = 127 and 0.5·127 = 63.5 → 64 (TFLite rounds half away from zero); with float32
// scales M = 0.125·(1/127)/(7.1875/255) = 0.0349195… = 0.55871·2^−4 → round(0.55871…·2^31) = 1199826524, shift −4.
// FIXEDIN-HW-NEXT: %[[V:.*]] = "hw.const"() {value = dense<{{\[\[}}127, 0, 0, 0], [0, 0, 0, 127], [64, 64, 64, 64]]> : tensor<3x4xi8>}
// FIXEDIN-HW-NEXT: "hw.fully_connected"(%[[K]], %[[V]]) {{{.*}}input_zp = -1 : i64, multiplier = [1199826524], output_zp = -48 : i64, {{.*}}shift = [-4]}
// FIXEDIN-HW-SAME: -> tensor<1x2x2x3x!quant.uniform<i8:f32, 0.0281862745098039{{[0-9]*}}:-48>>
// FIXEDIN-HW-NOT: "float.
// FIXEDIN-HW: return

// The two requantizes are the only rescales.
// HWLOG: "target tflite-int8: lowered {{.*}} quant.qcast(quant.dcast) pairs cancelled; 2 hw.rescale inserted"
func.func @qat(%x: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) {
  %xq = "quant.qcast"(%x) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qx>
  %xd = "quant.dcast"(%xq) : (tensor<1x2x2x2x!qx>) -> tensor<1x2x2x2xf32>
  %w = "float.const"() {value = dense<[[[[5.000000e-01, -2.500000e-01]]], [[[2.500000e-01, 7.500000e-01]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %wq = "quant.qcast"(%w) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!qw>
  %wd = "quant.dcast"(%wq) : (tensor<2x1x1x2x!qw>) -> tensor<2x1x1x2xf32>
  %b = "float.const"() {value = dense<[2.500000e-01, -1.250000e-01]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%xd, %wd, %b) : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %cq = "quant.qcast"(%c) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!qc>
  %cd = "quant.dcast"(%cq) : (tensor<1x2x2x2x!qc>) -> tensor<1x2x2x2xf32>
  %r = "float.relu"(%cd) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %s = "float.add"(%r, %cd) : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %p = "float.max_pool2d"(%cd) {kernel = [2, 2]} : (tensor<1x2x2x2xf32>) -> tensor<1x1x1x2xf32>
  %pq = "quant.qcast"(%p) : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2x!qp>
  %pd = "quant.dcast"(%pq) : (tensor<1x1x1x2x!qp>) -> tensor<1x1x1x2xf32>
  %k = "float.concat"(%cd, %xd) {axis = 3} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %kq = "quant.qcast"(%k) : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4x!qc>
  %kd = "quant.dcast"(%kq) : (tensor<1x2x2x4x!qc>) -> tensor<1x2x2x4xf32>
  %v = "float.const"() {value = dense<[[1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00], [5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]> : tensor<3x4xf32>} : () -> tensor<3x4xf32>
  %f = "float.fully_connected"(%kd, %v) : (tensor<1x2x2x4xf32>, tensor<3x4xf32>) -> tensor<1x2x2x3xf32>
  return %f, %s, %pd : tensor<1x2x2x3xf32>, tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>
}
