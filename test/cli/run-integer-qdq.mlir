// qopt run --target: the QDQ form run in the target's integer arithmetic computes exactly what the
// program lowered for that target computes (the .npy outputs are byte-identical). Bad targets get a
// clear error.
// RUN: rm -rf %t && mkdir -p %t/hw %t/qdq
// RUN: qopt-opt %S/../../examples/tiny-cnn.mlir --pass='fold-batch-norm,fuse{target=tflite-int8},calibrate{data=%S/../../examples/tiny-calib.npy},propagate-ranges,nudge-zero-point{target=tflite-int8},quantize{target=tflite-int8}' -o %t/qdq.mlir
// RUN: qopt-opt %t/qdq.mlir --pass='lower-to-hw{target=tflite-int8}' -o %t/hw.mlir
// RUN: qopt run %t/hw.mlir --input %S/../../examples/tiny-input.npy --output-dir %t/hw | FileCheck %s
// RUN: qopt run %t/qdq.mlir --target tflite-int8 --input %S/../../examples/tiny-input.npy --output-dir %t/qdq | FileCheck %s
// RUN: cmp %t/hw/output_0.npy %t/qdq/output_0.npy
// RUN: not qopt run %t/qdq.mlir --target no-such-chip --input %S/../../examples/tiny-input.npy 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: probs: f32[1, 3] min 0.269531 max 0.375
// BAD: qopt run: {{.*}}no-such-chip{{.*}}
