// qopt quantize: the one-command path on examples/tiny-cnn.mlir with examples/tiny-calib.npy — the summary
// table on stderr (ops per precision, float islands and why, constant bytes float → quantized), the
// decision log (one JSON object per line), --io=int, a target with float islands, a legality failure,
// bad calibration data. The program in this file (a conv whose bias is too large for int32) is for the
// bias-widened decision.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy -o %t/out.mlir --decision-log %t/d.jsonl 2>&1 | FileCheck %s --check-prefix=SUMMARY
// RUN: FileCheck %s --check-prefix=OUT < %t/out.mlir
// RUN: FileCheck %s --check-prefix=LOG < %t/d.jsonl
// RUN: node -e 'const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n"); if (lines.pop() !== "") throw new Error("the log does not end in a newline"); for (const line of lines) { const d = JSON.parse(line); if (typeof d.pass !== "string" || typeof d.kind !== "string" || typeof d.message !== "string") throw new Error("not a decision: " + line); } console.log(lines.length + " decisions, one JSON object per line")' %t/d.jsonl | FileCheck %s --check-prefix=JSONL
// RUN: qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy --io=int -o %t/int.mlir 2>&1 | FileCheck %s --check-prefix=INT
// RUN: FileCheck %s --check-prefix=INT-OUT < %t/int.mlir
// RUN: qopt quantize %S/../../examples/tiny-cnn.mlir --target=onnx-qdq --calib %S/../../examples/tiny-calib.npy -o %t/onnx.mlir 2>&1 | FileCheck %s --check-prefix=ISLAND
// RUN: not qopt quantize %S/../../examples/tiny-cnn.mlir --target=npu-pow2-int8 --calib %S/../../examples/tiny-calib.npy -o %t/pow2.mlir --decision-log %t/pow2.jsonl 2>&1 | FileCheck %s --check-prefix=ILLEGAL
// RUN: test ! -e %t/pow2.mlir
// RUN: FileCheck %s --check-prefix=ILLEGAL-LOG < %t/pow2.jsonl
// RUN: not qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %t/nope.npy -o %t/nocalib.mlir 2>&1 | FileCheck %s --check-prefix=NOCALIB
// RUN: test ! -e %t/nocalib.mlir
// RUN: not qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy -o %t/no-such-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=NOWRITE
// RUN: qopt quantize %s --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy -o %t/widened.mlir --decision-log %t/widened.jsonl
// RUN: FileCheck %s --check-prefix=WIDENED < %t/widened.jsonl
// RUN: FileCheck %s --check-prefix=WIDENED-OUT < %t/widened.mlir
// Without --mode, a target whose activations are 16-bit only gets TFLite's 16x8; bad option values are one-line errors.
// RUN: qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int16x8 --calib %S/../../examples/tiny-calib.npy -o %t/16x8.mlir 2>&1 | FileCheck %s --check-prefix=MODE16
// RUN: not qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy --observer=foo -o %t/obs.mlir 2>&1 | FileCheck %s --check-prefix=BADOBS
// RUN: not qopt quantize %S/../../examples/tiny-cnn.mlir --target=tflite-int8 --calib %S/../../examples/tiny-calib.npy --samples abc -o %t/samples.mlir 2>&1 | FileCheck %s --check-prefix=BADSAMPLES
// RUN: test ! -e %t/obs.mlir
// MODE16: quantized for tflite-int16x8 (int16x8)
// MODE16-NEXT: ops by precision:
// MODE16-NEXT: i16 7
// BADOBS: qopt quantize: --observer: unknown observer 'foo' (observers: minmax, moving-average, percentile{p=99.99}, mse)
// BADSAMPLES: qopt quantize: --samples expects a positive integer, got 'abc'

// tflite-int8 runs every op in int8. The lowered program is conv2d, depthwise_conv2d, the mean as
// avg_pool2d + reshape, a rescale to the mean's output scale, fully_connected and softmax: 7 ops on i8.
// Constants: float 8·3·3·4 + 8 + 1·3·3·8 + 3·8 + 3 = 395 f32 = 1580 B = 1.5 KiB; quantized 288 + 72 + 24
// int8 weights and 8 + 3 int32 biases = 428 B = 0.4 KiB. Decisions: three fusions (conv2d+bias, then
// +relu; depthwise_conv2d+bias+relu6), calibrated, quantized, lowered.
// SUMMARY: quantized for tflite-int8 (int8)
// SUMMARY-NEXT: ops by precision:
// SUMMARY-NEXT: i8 7
// SUMMARY-NEXT: constants: 1.5 KiB float → 0.4 KiB
// SUMMARY-NEXT: decisions: 6 (write them with --decision-log FILE.jsonl)

// The interface stays float: quantize at entry, dequantize at exit. The input's scale is the calibration
// range over 255: (0.9999914 + 0.9999729) / 255 = 0.007842997…, zp = round(-128 + 0.9999729 / s) =
// round(-0.501) = -1; softmax's output is the fixed 1/256, zp -128.
// OUT-LABEL: func.func @main(%arg0: tensor<1x8x8x4xf32> {{.*}}) -> (tensor<1x3xf32> {qopt.name = "probs"})
// OUT-NEXT: "quant.qcast"(%arg0) : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4x!quant.uniform<i8:f32, 0.00784299{{[0-9]*}}:-1>>
// OUT: "hw.conv2d"
// OUT: %[[P:[0-9]+]] = "hw.softmax"
// OUT-NEXT: %[[Y:[0-9]+]] = "quant.dcast"(%[[P]]) : (tensor<1x3x!quant.uniform<i8:f32, 3.906250e-03:-128>>) -> tensor<1x3xf32>
// OUT-NEXT: return %[[Y]] : tensor<1x3xf32>

// LOG: {"pass":"fuse","kind":"fused","op":"float.conv2d","message":"conv2d+bias"}
// LOG: {"pass":"calibrate","kind":"calibrated",
// LOG-NEXT: {"pass":"quantize","kind":"quantized","message":"int8: quantized 5 ops"}
// LOG-NEXT: {"pass":"lower-to-hw","kind":"lowered","message":"target tflite-int8: lowered 5 ops to hw
// JSONL: 6 decisions, one JSON object per line

// --io=int: the program takes and returns int8; the summary says each boundary's scale and zero point.
// INT: ops by precision:
// INT-NEXT: i8 7
// INT-NEXT: input 'x' is tensor<1x8x8x4x!quant.uniform<i8:f32, [[S:0\.00784299[0-9]*]]:-1>> (scale [[S]], zero point -1)
// INT-NEXT: output 'probs' is tensor<1x3x!quant.uniform<i8:f32, 3.906250e-03:-128>> (scale 0.00390625, zero point -128)
// INT-OUT-LABEL: func.func @main(%arg0: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.00784299{{[0-9]*}}:-1>> {{.*}}) -> (tensor<1x3x!quant.uniform<i8:f32, 3.906250e-03:-128>> {qopt.name = "probs"})
// INT-OUT-NOT: quant.qcast
// INT-OUT-NOT: quant.dcast
// INT-OUT: return

// onnx-qdq stores activations as u8 and runs no relu6 (nor fuses it into depthwise_conv2d): relu6 is a
// float island, and the summary says why. u8: conv2d, depthwise_conv2d, avg_pool2d, reshape, the mean's
// rescale, fully_connected and the rescale back to u8 after softmax (7); i8: the rescale into softmax
// (hw.softmax takes i8) and softmax (2); f32: relu6 (1).
// ISLAND: quantized for onnx-qdq (int8)
// ISLAND-NEXT: ops by precision:
// ISLAND-NEXT: u8 7
// ISLAND-NEXT: f32 1
// ISLAND-NEXT: i8 2
// ISLAND-NEXT: float islands:
// ISLAND-NEXT: float.relu6 at {{.*}}tiny-cnn.mlir:12:3 stays a float island{{.*}}: it needs relu6 on u8; the target does not run relu6 (it runs conv2d,
// ISLAND-NEXT: constants: 1.5 KiB float → 0.4 KiB

// npu-pow2-int8 has no float fallback: each op it cannot run is an error at its location, nothing is
// written, and the decision log (written anyway) says what happened, power-of-two weight scales included.
// ILLEGAL: tiny-cnn.mlir:12:3: error: 'float.relu6' op cannot run on target "npu-pow2-int8": it needs relu6 on i8; the target does not run relu6
// ILLEGAL: tiny-cnn.mlir:17:3: error: 'float.softmax' op cannot run on target "npu-pow2-int8"
// ILLEGAL-NOT: quantized for
// ILLEGAL-LOG: {"pass":"quantize","kind":"scale-rounded","op":"float.conv2d","message":"float.conv2d: rounded 1 of 1 weight scales up to powers of two (target npu-pow2-int8)"}
// ILLEGAL-LOG: {"pass":"lower-to-hw","kind":"illegal","op":"float.relu6",

// NOCALIB: pass 'calibrate' failed: calibration data '{{.*}}nope.npy' does not exist
// NOWRITE: qopt quantize: cannot write '{{.*}}no-such-dir/out.mlir': no such file or directory

// Channel 1's bias 1e6 cannot be int32 at s_in · s_w = 0.00784 · (0.5 / 127): 1e6 / 3.09e-5 = 3.2e10 >
// 2^31 − 1. Its weight scale widens to 1e6 / (0.00784 · (2^31 − 1)) = 0.0594, which makes that bias
// exactly 2^31 − 1; channel 0 keeps 0.5 / 127 and its bias is round(0.5 / (s_in · 0.5 / 127)) =
// round(127 / 0.007842997) = round(16192.8) = 16193.
// WIDENED: {"pass":"quantize","kind":"bias-widened","op":"float.conv2d","message":"float.conv2d: widened the weight scales of 1 of 2 channels so the int32 bias fits
// WIDENED-SAME: "channels":[{"channel":1,"from":0.003937007874015748,"to":0.0593728{{[0-9]*}}}]
// WIDENED-OUT: "hw.const"() {value = dense<[16193, 2147483647]> : tensor<2xi32>}
func.func @main(%x: tensor<1x8x8x4xf32> {qopt.name = "x"}) -> (tensor<1x8x8x2xf32> {qopt.name = "y"}) {
  %w = "float.const"() {value = dense<0.5> : tensor<2x1x1x4xf32>} : () -> tensor<2x1x1x4xf32>
  %b = "float.const"() {value = dense<[0.5, 1.0e6]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "float.conv2d"(%x, %w, %b) : (tensor<1x8x8x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>) -> tensor<1x8x8x2xf32>
  return %c : tensor<1x8x8x2xf32>
}
