// The quantize pass: QDQ form (quant.dcast → float op → quant.qcast) with !quant.uniform types derived
// from hand-written qopt.range facts, in every mode. Ranges and weights are chosen so that every scale is
// a power of two: the printed scales are then exact and each one below is derived from the formulas in
// /work/shared/references.md, not copied from the output.
//   activations, asymmetric: s = (max − min) / (qmax − qmin), zp = round(qmin − min / s)
//   activations, symmetric (int16, power-of-two targets): s = max(|min|, |max|) / qmax, zp 0
//   weights: int8 symmetric narrow range [-127, 127], s = max|w| / 127 per output channel (axis 0 OHWI)
//   bias: int32, zp 0, s = s_in · s_w[c]; a bias with |b| / (s_in · s_w) > 2^31 − 1 widens s_w (TFLite)
//   fixed-range ops (softmax): 1/256 zp −128 (i8), 1/256 zp 0 (u8), 1/32768 zp 0 (i16)
// Every program keeps its float inputs and outputs: quantize at entry, dequantize at exit.
//
// Decisions (bias widened, op left float, ops quantized) go to the decision log, one JSON object a line.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-opt %s --split-input-file --pass=quantize --decision-log %t/channel.jsonl | FileCheck %s
// RUN: FileCheck %s --check-prefix=LOG < %t/channel.jsonl
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=int8 per-channel=false}' --decision-log %t/tensor.jsonl | FileCheck %s --check-prefix=TENSOR
// RUN: FileCheck %s --check-prefix=TENSOR-LOG < %t/tensor.jsonl
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=int8 target=tflite-int8}' | FileCheck %s --check-prefix=TFLITE
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=int8 target=npu-pow2-int8}' | FileCheck %s --check-prefix=POW2
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=int8 target=onnx-qdq}' | FileCheck %s --check-prefix=U8
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=int16x8 target=tflite-int16x8}' | FileCheck %s --check-prefix=I16
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=dynamic-range target=tflite-int8}' --decision-log %t/dynamic.jsonl | FileCheck %s --check-prefix=DYN
// RUN: FileCheck %s --check-prefix=DYN-LOG < %t/dynamic.jsonl
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=weight-only target=tflite-int8}' | FileCheck %s --check-prefix=WONLY
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=float16 target=tflite-int8}' | FileCheck %s --check-prefix=F16
// RUN: qopt-opt %s --split-input-file --pass='quantize{mode=float16}' | FileCheck %s --check-prefix=F16C

// Input [-0.5, 1.4921875]: s = 1.9921875 / 255 = 2^-7, zp = round(-128 + 0.5 · 2^7) = -64.
// Weights: channel 0 max|w| = 0.9921875 = 127 · 2^-7 → 2^-7; channel 1 max|w| = 0.49609375 = 127 · 2^-8 → 2^-8.
// Bias: s_in · s_w = 2^-7 · 2^-7 = 2^-14 = 0.00006103515625 and 2^-7 · 2^-8 = 2^-15 = 0.000030517578125.
// Output [0, 1.9921875]: s = 1.9921875 / 255 = 2^-7, zp = -128.
// CHECK-LABEL: func.func @conv_bias_relu(%arg0: tensor<1x2x2x2xf32> {{.*}}) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[QX:[0-9]+]] = "quant.qcast"(%arg0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 7.812500e-03:-64>>
// CHECK-NEXT: %[[X:[0-9]+]] = "quant.dcast"(%[[QX]]) : (tensor<1x2x2x2x!quant.uniform<i8:f32, 7.812500e-03:-64>>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[WF:[0-9]+]] = "float.const"()
// CHECK-NEXT: %[[BF:[0-9]+]] = "float.const"()
// CHECK-NEXT: %[[QW:[0-9]+]] = "quant.qcast"(%[[WF]]) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// CHECK-NEXT: %[[W:[0-9]+]] = "quant.dcast"(%[[QW]])
// CHECK-NEXT: %[[QB:[0-9]+]] = "quant.qcast"(%[[BF]]) : (tensor<2xf32>) -> tensor<2x!quant.uniform<i32:f32:0, {0.00006103515625,0.000030517578125}>>
// CHECK-NEXT: %[[B:[0-9]+]] = "quant.dcast"(%[[QB]])
// CHECK-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%[[X]], %[[W]], %[[B]]) {act = "relu"
// CHECK-NEXT: %[[QY:[0-9]+]] = "quant.qcast"(%[[C]]) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 7.812500e-03:-128>>
// CHECK-NEXT: %[[Y:[0-9]+]] = "quant.dcast"(%[[QY]]) : (tensor<1x2x2x2x!quant.uniform<i8:f32, 7.812500e-03:-128>>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: return %[[Y]] : tensor<1x2x2x2xf32>

// per-channel=false: one weight scale, max|w| over the tensor = 0.9921875 → 2^-7; bias 2^-7 · 2^-7 = 2^-14.
// TENSOR-LABEL: func.func @conv_bias_relu
// TENSOR: "quant.qcast"(%arg0) {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 7.812500e-03:-64>>
// TENSOR: "quant.qcast"({{.*}}) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// TENSOR: "quant.qcast"({{.*}}) : (tensor<2xf32>) -> tensor<2x!quant.uniform<i32:f32, 0.00006103515625>>

// tflite-int8 quantizes conv2d weights per channel, as without a target.
// TFLITE-LABEL: func.func @conv_bias_relu
// TFLITE: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// TFLITE: -> tensor<2x!quant.uniform<i32:f32:0, {0.00006103515625,0.000030517578125}>>

// npu-pow2-int8: per-tensor weights, symmetric activations, every scale rounded up to 2^k.
// Input: 1.4921875 / 127 = 0.01175 → 2^-6. Weights: 0.9921875 / 127 = 2^-7 already.
// Bias: 2^-6 · 2^-7 = 2^-13 = 0.0001220703125. Output: 1.9921875 / 127 = 0.01569 > 2^-6 → 2^-5.
// POW2-LABEL: func.func @conv_bias_relu
// POW2: "quant.qcast"(%arg0) {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.562500e-02>>
// POW2: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// POW2: -> tensor<2x!quant.uniform<i32:f32, 0.0001220703125>>
// POW2: "float.conv2d"
// POW2-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 3.125000e-02>>

// onnx-qdq stores activations as u8: input zp = round(0 + 0.5 · 2^7) = 64, output zp = 0.
// U8-LABEL: func.func @conv_bias_relu
// U8: "quant.qcast"(%arg0) {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 7.812500e-03:64>>
// U8: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// U8: -> tensor<2x!quant.uniform<i32:f32:0, {0.00006103515625,0.000030517578125}>>
// U8: "float.conv2d"
// U8-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 7.812500e-03>>

// dynamic-range: int8 weights only; activations stay float (a runtime quantizes them per batch), the op
// is marked qopt.dynamic_range, the bias stays float and the compute is float on dequantized weights.
// DYN-LABEL: func.func @conv_bias_relu(%arg0: tensor<1x2x2x2xf32> {{.*}}) -> tensor<1x2x2x2xf32>
// DYN-NOT: "quant.qcast"(%arg0)
// DYN: %[[BF:[0-9]+]] = "float.const"() {value = dense<[5.000000e-01, -2.500000e-01]>
// DYN-NEXT: %[[QW:[0-9]+]] = "quant.qcast"(%{{[0-9]+}}) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// DYN-NEXT: %[[W:[0-9]+]] = "quant.dcast"(%[[QW]])
// DYN-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%arg0, %[[W]], %[[BF]]) {act = "relu", qopt.dynamic_range
// DYN-NEXT: return %[[C]] : tensor<1x2x2x2xf32>

// weight-only: the same int8 weights, no marker: a float program that stores int8 weights.
// WONLY-LABEL: func.func @conv_bias_relu
// WONLY-NOT: "quant.qcast"(%arg0)
// WONLY: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// WONLY-NEXT: %[[W:[0-9]+]] = "quant.dcast"
// WONLY-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%arg0, %[[W]], %{{[0-9]+}}) {act = "relu", qopt.range
// WONLY-NEXT: return %[[C]]

// float16: weights and bias stored as the nearest f16, no quant ops. tflite-int8 runs no f16, so (as
// TFLite's float16 models on CPU) the f16 constants are widened and the conv computes in f32; without a
// target (or on one that runs f16) the conv computes in f16 between float.cast ops.
// 0.1 = 1.6 · 2^-4 → round(1.6 · 2^10) = 1638 → 1638 · 2^-14 = 0.0999755859375 (9.997559e-02);
// 0.9921875, 0.25, −0.49609375, 0.5 and −0.25 fit in f16's 11 significant bits and stay.
// F16-LABEL: func.func @conv_bias_relu(%arg0: tensor<1x2x2x2xf32> {{.*}}) -> tensor<1x2x2x2xf32>
// F16-NOT: quant.
// F16: %[[WH:[0-9]+]] = "float.const"() {value = dense<{{\[\[\[\[}}9.921875e-01, 9.997559e-02]]], {{\[\[\[}}2.500000e-01, -4.960938e-01]]]]> : tensor<2x1x1x2xf16>}
// F16-NEXT: %[[W:[0-9]+]] = "float.cast"(%[[WH]]) : (tensor<2x1x1x2xf16>) -> tensor<2x1x1x2xf32>
// F16-NEXT: %[[BH:[0-9]+]] = "float.const"() {value = dense<[5.000000e-01, -2.500000e-01]> : tensor<2xf16>}
// F16-NEXT: %[[B:[0-9]+]] = "float.cast"(%[[BH]])
// F16-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%arg0, %[[W]], %[[B]]) {{.*}} -> tensor<1x2x2x2xf32>
// F16-NEXT: return %[[C]]
// F16C-LABEL: func.func @conv_bias_relu
// F16C-NEXT: %[[X:[0-9]+]] = "float.cast"(%arg0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf16>
// F16C-NEXT: %[[W:[0-9]+]] = "float.const"() {{.*}} : tensor<2x1x1x2xf16>}
// F16C-NEXT: %[[B:[0-9]+]] = "float.const"() {{.*}} : tensor<2xf16>}
// F16C-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%[[X]], %[[W]], %[[B]]) {{.*}} : (tensor<1x2x2x2xf16>, tensor<2x1x1x2xf16>, tensor<2xf16>) -> tensor<1x2x2x2xf16>
// F16C-NEXT: %[[Y:[0-9]+]] = "float.cast"(%[[C]]) : (tensor<1x2x2x2xf16>) -> tensor<1x2x2x2xf32>
// F16C-NEXT: return %[[Y]]
func.func @conv_bias_relu(%x: tensor<1x2x2x2xf32> {qopt.range = [-0.5, 1.4921875]}) -> tensor<1x2x2x2xf32> {
  %w = "float.const"() {value = dense<[[[[0.9921875, 0.1]]], [[[0.25, -0.49609375]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "float.const"() {value = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) {act = "relu", qopt.range = [0.0, 1.9921875]} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// Input [-1, 0.9921875]: s = 1.9921875 / 255 = 2^-7, zp = round(-128 + 1 · 2^7) = 0 (printed without zp).
// Weights: row 0 max|w| = 0.9921875 → 2^-7; row 1 max|w| = 0.248046875 = 127 · 2^-9 → 2^-9 = 1.953125e-03.
// Bias: 2^-7 · 2^-7 = 2^-14, 2^-7 · 2^-9 = 2^-16 = 0.0000152587890625.
// fully_connected output [-1, 2.984375]: s = 3.984375 / 255 = 2^-6, zp = round(-128 + 1 · 2^6) = -64.
// softmax ignores its recorded range: fixed 1/256, zp −128.
// CHECK-LABEL: func.func @fc_softmax(%arg0: tensor<1x4xf32> {{.*}}) -> tensor<1x2xf32>
// CHECK-NEXT: "quant.qcast"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 7.812500e-03>>
// CHECK: "quant.qcast"(%{{[0-9]+}}) : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,1.953125e-03}>>
// CHECK: "quant.qcast"(%{{[0-9]+}}) : (tensor<2xf32>) -> tensor<2x!quant.uniform<i32:f32:0, {0.00006103515625,0.0000152587890625}>>
// CHECK: %[[F:[0-9]+]] = "float.fully_connected"
// CHECK-NEXT: %[[QF:[0-9]+]] = "quant.qcast"(%[[F]]) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.562500e-02:-64>>
// CHECK-NEXT: %[[DF:[0-9]+]] = "quant.dcast"(%[[QF]])
// CHECK-NEXT: %[[P:[0-9]+]] = "float.softmax"(%[[DF]])
// CHECK-NEXT: %[[QP:[0-9]+]] = "quant.qcast"(%[[P]]) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK-NEXT: %[[Y:[0-9]+]] = "quant.dcast"(%[[QP]]) : (tensor<1x2x!quant.uniform<i8:f32, 3.906250e-03:-128>>) -> tensor<1x2xf32>
// CHECK-NEXT: return %[[Y]] : tensor<1x2xf32>

// tflite-int8 quantizes fully_connected weights per tensor even with per-channel=true: 2^-7; bias 2^-14.
// TFLITE-LABEL: func.func @fc_softmax
// TFLITE: -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// TFLITE: -> tensor<2x!quant.uniform<i32:f32, 0.00006103515625>>

// npu-pow2-int8 has no softmax: it stays float, reading the dequantized fully_connected result, and its
// own result is not quantized. Input [-1, 0.9921875] is exactly i8's full range at 2^-7 ([-128, 127]·2^-7),
// so its symmetric scale is 2^-7 (max(|min|, |max|)/127 = 1/127 would round up to 2^-6 and waste a bit);
// bias 2^-7 · 2^-7 = 2^-14; output: 2.984375 / 127 = 0.0235 → 2^-5.
// POW2-LABEL: func.func @fc_softmax
// POW2-NEXT: "quant.qcast"(%arg0) {{.*}} -> tensor<1x4x!quant.uniform<i8:f32, 7.812500e-03>>
// POW2: -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// POW2: -> tensor<2x!quant.uniform<i32:f32, 0.00006103515625>>
// POW2: "quant.qcast"({{.*}}) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 3.125000e-02>>
// POW2-NEXT: %[[DF:[0-9]+]] = "quant.dcast"
// POW2-NEXT: %[[P:[0-9]+]] = "float.softmax"(%[[DF]])
// POW2-NEXT: return %[[P]] : tensor<1x2xf32>

// u8: input zp = round(0 + 1 · 2^7) = 128, fully_connected output zp = round(0 + 1 · 2^6) = 64; softmax
// on u8 is 1/256 with zp 0. onnx-qdq quantizes fully_connected weights per channel.
// U8-LABEL: func.func @fc_softmax
// U8-NEXT: "quant.qcast"(%arg0) {{.*}} -> tensor<1x4x!quant.uniform<u8:f32, 7.812500e-03:128>>
// U8: -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,1.953125e-03}>>
// U8: "float.fully_connected"
// U8-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x!quant.uniform<u8:f32, 1.562500e-02:64>>
// U8: "float.softmax"
// U8-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x!quant.uniform<u8:f32, 3.906250e-03>>

// int16x8: softmax's fixed output is 1/32768 = 2^-15 = 0.000030517578125, zp 0; the bias stays float
// (the 16x8 bias is int64, which MLIR's quant types cannot store; lowering quantizes it); tflite-int16x8
// quantizes fully_connected weights per tensor.
// I16-LABEL: func.func @fc_softmax
// I16: %[[BF:[0-9]+]] = "float.const"() {value = dense<[2.500000e-01, -1.250000e-01]>
// I16-NEXT: "quant.qcast"(%{{[0-9]+}}) : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// I16-NEXT: %[[W:[0-9]+]] = "quant.dcast"
// I16-NEXT: "float.fully_connected"(%{{[0-9]+}}, %[[W]], %[[BF]])
// I16: "float.softmax"
// I16-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x!quant.uniform<i16:f32, 0.000030517578125>>

// dynamic-range marks the weighted op only; softmax is left as it was (and not counted as quantized).
// DYN-LOG: {"pass":"quantize","kind":"quantized","message":"dynamic-range: quantized 1 ops"}
// DYN-LOG-NEXT: {"pass":"quantize","kind":"quantized","message":"dynamic-range: quantized 1 ops"}
// DYN-LABEL: func.func @fc_softmax
// DYN: -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 7.812500e-03>>
// DYN: %[[F:[0-9]+]] = "float.fully_connected"(%arg0, {{.*}}qopt.dynamic_range
// DYN-NEXT: %[[P:[0-9]+]] = "float.softmax"(%[[F]]) {qopt.range
// DYN-NEXT: return %[[P]]
func.func @fc_softmax(%x: tensor<1x4xf32> {qopt.range = [-1.0, 0.9921875]}) -> tensor<1x2xf32> {
  %w = "float.const"() {value = dense<[[0.9921875, 0.5, -0.25, 0.0], [0.125, -0.248046875, 0.0, 0.0625]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "float.const"() {value = dense<[0.25, -0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %f = "float.fully_connected"(%x, %w, %b) {qopt.range = [-1.0, 2.984375]} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %p = "float.softmax"(%f) {qopt.range = [0.0, 1.0]} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %p : tensor<1x2xf32>
}

// -----

// A bias too large for int32 at s_in · s_w widens that channel's weight scale (TFLite does the same).
// s_in = 2^-7 as above. Channel 0: 0.5 / (2^-7 · 2^-7) = 8192 fits. Channel 1: 2^19 / (2^-7 · 2^-8) = 2^34
// does not; its weight scale becomes |b| / (s_in · (2^31 − 1)) = 2^26 / (2^31 − 1)
//   = 2^-5 · (1 + 1/(2^31 − 1)) = 0.03125 + 1.4551915e-11 = 0.031250000014551915,
// and its bias scale s_in · s_w = 2^19 / (2^31 − 1) = 0.00024414062511368684, so the bias is 2^31 − 1 exactly.
// Output [-2, 1.984375]: s = 3.984375 / 255 = 2^-6, zp = round(-128 + 2 · 2^6) = 0.
// CHECK-LABEL: func.func @bias_overflow
// CHECK: "quant.qcast"(%{{[0-9]+}}) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,0.031250000014551915}>>
// CHECK: "quant.qcast"(%{{[0-9]+}}) : (tensor<2xf32>) -> tensor<2x!quant.uniform<i32:f32:0, {0.00006103515625,0.00024414062511368684}>>
// CHECK: "float.conv2d"
// CHECK-NEXT: "quant.qcast"({{.*}}) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.562500e-02>>

// Per tensor, the largest |bias| (2^19) decides the one weight scale: the same widened 2^26 / (2^31 − 1).
// TENSOR-LABEL: func.func @bias_overflow
// TENSOR: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 0.031250000014551915>>
// TENSOR: -> tensor<2x!quant.uniform<i32:f32, 0.00024414062511368684>>

// Power-of-two target (per tensor, s_in = 2^-6): 2^19 / (2^-6 · (2^31 − 1)) = 2^25 / (2^31 − 1), just
// above 2^-6, is rounded up to 2^-5; the bias scale is 2^-6 · 2^-5 = 2^-11 = 0.00048828125.
// POW2-LABEL: func.func @bias_overflow
// POW2: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 3.125000e-02>>
// POW2: -> tensor<2x!quant.uniform<i32:f32, 0.00048828125>>

// The 16x8 bias is int64 and fits: nothing is widened, and the bias stays float.
// I16-LABEL: func.func @bias_overflow
// I16: -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// I16-NOT: i32
// I16: return
// LOG: {"pass":"quantize","kind":"quantized","message":"int8: quantized 1 ops"}
// LOG-NEXT: {"pass":"quantize","kind":"quantized","message":"int8: quantized 2 ops"}
// LOG-NEXT: {"pass":"quantize","kind":"bias-widened","op":"float.conv2d","message":"float.conv2d: widened the weight scales of 1 of 2 channels so the int32 bias fits {{.*}}","details":{"inputScale":0.0078125,"channels":[{"channel":1,"from":0.00390625,"to":0.031250000014551915}]}}
// LOG-NEXT: {"pass":"quantize","kind":"quantized","message":"int8: quantized 1 ops"}
// TENSOR-LOG: {"pass":"quantize","kind":"bias-widened","op":"float.conv2d","message":"float.conv2d: widened the per-tensor weight scale so the int32 bias fits {{.*}}","details":{"inputScale":0.0078125,"channels":[{"channel":0,"from":0.0078125,"to":0.031250000014551915}]}}
func.func @bias_overflow(%x: tensor<1x2x2x2xf32> {qopt.range = [-0.5, 1.4921875]}) -> tensor<1x2x2x2xf32> {
  %w = "float.const"() {value = dense<[[[[0.9921875, 0.5]]], [[[0.25, -0.49609375]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "float.const"() {value = dense<[0.5, 524288.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) {qopt.range = [-2.0, 1.984375]} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// int16x8: activations int16 symmetric, zp 0. Input max|x| = 0.999969482421875 = 32767 · 2^-15 → 2^-15;
// output max = 1.99993896484375 = 32767 · 2^-14 → 2^-14. Weights int8 per channel as in int8 mode
// (2^-7, 2^-8); the bias is the float constant itself.
// I16-LABEL: func.func @int16x8_conv(%arg0: tensor<1x2x2x2xf32> {{.*}}) -> tensor<1x2x2x2xf32>
// I16-NEXT: %[[QX:[0-9]+]] = "quant.qcast"(%arg0) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!quant.uniform<i16:f32, 0.000030517578125>>
// I16-NEXT: %[[X:[0-9]+]] = "quant.dcast"(%[[QX]])
// I16-NEXT: "float.const"
// I16-NEXT: %[[BF:[0-9]+]] = "float.const"
// I16-NEXT: "quant.qcast"(%{{[0-9]+}}) : (tensor<2x1x1x2xf32>) -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// I16-NEXT: %[[W:[0-9]+]] = "quant.dcast"
// I16-NEXT: %[[C:[0-9]+]] = "float.conv2d"(%[[X]], %[[W]], %[[BF]])
// I16-NEXT: %[[QY:[0-9]+]] = "quant.qcast"(%[[C]]) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!quant.uniform<i16:f32, 0.00006103515625>>
// I16-NEXT: %[[Y:[0-9]+]] = "quant.dcast"(%[[QY]]) : {{.*}} -> tensor<1x2x2x2xf32>
// I16-NEXT: return %[[Y]] : tensor<1x2x2x2xf32>
func.func @int16x8_conv(%x: tensor<1x2x2x2xf32> {qopt.range = [-0.999969482421875, 0.5]}) -> tensor<1x2x2x2xf32> {
  %w = "float.const"() {value = dense<[[[[0.9921875, 0.5]]], [[[0.25, -0.49609375]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "float.const"() {value = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) {act = "relu", qopt.range = [0.0, 1.99993896484375]} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// An op with an operand that has no recorded range stays float, and its result is not quantized.
// LOG: {"pass":"quantize","kind":"left-float","message":"left 1 ops in float for lack of ranges: float.add"}
// LOG-NEXT: {"pass":"quantize","kind":"quantized","message":"int8: quantized 0 ops"}
// CHECK-LABEL: func.func @add_without_range
// CHECK: %[[S:[0-9]+]] = "float.add"(%{{[0-9]+}}, %arg1)
// CHECK-NEXT: return %[[S]] : tensor<1x4xf32>
func.func @add_without_range(%x: tensor<1x4xf32> {qopt.range = [-1.0, 0.9921875]}, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "float.add"(%x, %y) : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}
