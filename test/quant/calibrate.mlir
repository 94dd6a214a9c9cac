// calibrate{data, observer, samples}: runs the interpreter on hand-made calibration data (written by
// calibrate-data/make-data.py) and records qopt.range on every float value that is not a constant and
// whose quantization the program does not already fix. Each chunk below is one program; `awk` picks
// chunk N (chunks are separated by `// -----`).
//
// The data, x : tensor<1x4xf32>, three samples (calib.npy is the [3, 4] batch of them):
//   r0 = [ 1, -2, 0.5, -1]   2x = [ 2, -4, 1, -2]   relu(2x) = [2, 0, 1, 0]
//   r1 = [-3,  2, 0,    3]   2x = [-6,  4, 0,  6]   relu(2x) = [0, 4, 0, 6]
//   r2 = [ 4, -4, 1,    2]   2x = [ 8, -8, 2,  4]   relu(2x) = [8, 0, 2, 4]
//
// minmax: the smallest and largest value seen: x [-4, 4], 2x [-8, 8], relu [0, 8].
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=minmax}' | FileCheck %s --check-prefix=MINMAX
// The same three samples as a stack [3, 1, 4], per-sample files, or ONNX TensorProto files:
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib-stacked.npy}' | FileCheck %s --check-prefix=MINMAX
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/samples-npy}' | FileCheck %s --check-prefix=MINMAX
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/samples-pb}' | FileCheck %s --check-prefix=MINMAX
// The input by name (qopt.name = "x") is the same as the plain path:
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=x=%S/calibrate-data/calib.npy}' | FileCheck %s --check-prefix=MINMAX
// MINMAX: func.func @main(%arg0: tensor<1x4xf32> {qopt.name = "x", qopt.range = [-4.000000e+00, 4.000000e+00]})
// Constants are not observed: their (per-channel) ranges come from their values when quantizing.
// MINMAX-NEXT: %0 = "float.const"() {value = dense<2.000000e+00> : tensor<4xf32>} : () -> tensor<4xf32>
// MINMAX-NEXT: %1 = "float.mul"(%arg0, %0) {qopt.range = [-8.000000e+00, 8.000000e+00]}
// MINMAX-NEXT: %2 = "float.relu"(%1) {qopt.range = [0.000000e+00, 8.000000e+00]}
//
// samples=N keeps the first N samples: r0 alone gives x [-2, 1], 2x [-4, 2], relu [0, 2]; r0 and r1
// give x [-3, 3], 2x [-6, 6], relu [0, 6].
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy samples=1}' | FileCheck %s --check-prefix=FIRST1
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy samples=2}' | FileCheck %s --check-prefix=FIRST2
// A directory is read in natural name order (x-1, x-2, x-10), so its first two samples are r0 and r1
// too (in plain string order x-10 would come second and bring r2's [-4, 4]).
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/samples-npy samples=2}' | FileCheck %s --check-prefix=FIRST2
// FIRST1: qopt.range = [-2.000000e+00, 1.000000e+00]
// FIRST1: "float.mul"(%arg0, %0) {qopt.range = [-4.000000e+00, 2.000000e+00]}
// FIRST1: "float.relu"(%1) {qopt.range = [0.000000e+00, 2.000000e+00]}
// FIRST2: qopt.range = [-3.000000e+00, 3.000000e+00]
// FIRST2: "float.mul"(%arg0, %0) {qopt.range = [-6.000000e+00, 6.000000e+00]}
// FIRST2: "float.relu"(%1) {qopt.range = [0.000000e+00, 6.000000e+00]}
//
// moving-average (PyTorch's MovingAverageMinMaxObserver): the first sample sets [min, max], each later
// one moves them by c·(its min/max − current). With c = 0.5:
//   x:    [-2, 1] → r1 [-3, 3]: [-2 + 0.5·(-1), 1 + 0.5·2] = [-2.5, 2] → r2 [-4, 4]: [-2.5 + 0.5·(-1.5), 2 + 0.5·2] = [-3.25, 3]
//   2x:   twice that, [-6.5, 6];  relu: max 2 → 2 + 0.5·4 = 4 → 4 + 0.5·4 = 6, min stays 0: [0, 6]
// The per-sample directories give the same samples in the same order (x-1, x-2, x-10; sample-0..2).
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=moving-average{c=0.5}}' | FileCheck %s --check-prefix=MOVING
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/samples-npy observer=moving-average{c=0.5}}' | FileCheck %s --check-prefix=MOVING
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/samples-pb observer=moving-average{c=0.5}}' | FileCheck %s --check-prefix=MOVING
// MOVING: qopt.range = [-3.250000e+00, 3.000000e+00]
// MOVING: "float.mul"(%arg0, %0) {qopt.range = [-6.500000e+00, 6.000000e+00]}
// MOVING: "float.relu"(%1) {qopt.range = [0.000000e+00, 6.000000e+00]}
// PyTorch's default c = 0.01: x min -2 → -2 + 0.01·(-1) = -2.01 → -2.01 + 0.01·(-4 + 2.01) = -2.0299,
// max 1 → 1 + 0.01·2 = 1.02 → 1.02 + 0.01·(4 − 1.02) = 1.0498 (up to double rounding).
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=moving-average}' | FileCheck %s --check-prefix=MOVING-DEFAULT
// MOVING-DEFAULT: qopt.range = [{{-2\.029(9|8999)[0-9e+]*}}, {{1\.049(8|7999)[0-9e+]*}}]
//
// percentile{p}: a 2048-bin histogram over [min, max] of each value; (100 − p)% of the values is dropped
// on each side, and the range runs from the lower edge of the bin holding the first value kept to the
// upper edge of the bin holding the last. p = 90 of 12 values drops 1.2 on each side, so the bins of
// the 2nd smallest and 2nd largest values bound the range:
//   x in [-4, 4], bins 8/2048 = 1/256 wide: -3 starts bin 256 (edge -3); 3 is in bin 1792, whose upper
//     edge is -4 + 1793/256 = 3.00390625.
//   2x in [-8, 8], bins 1/128: -6 starts bin 256 (edge -6); 6 is in bin 1792, upper edge -8 + 1793/128 = 6.0078125.
//   relu in [0, 8], bins 1/256: the 2nd smallest is 0 (bin 0, edge 0); 6 is in bin 1536, upper edge 1537/256 = 6.00390625.
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=percentile{p=90}}' | FileCheck %s --check-prefix=P90
// P90: qopt.range = [-3.000000e+00, 3.00390625]
// P90: "float.mul"(%arg0, %0) {qopt.range = [-6.000000e+00, 6.0078125]}
// P90: "float.relu"(%1) {qopt.range = [0.000000e+00, 6.00390625]}
// The default p = 99.99 drops 0.0012 of a value on each side of 12: nothing, so the range is the first
// bin's lower edge to the last bin's upper edge, min and max.
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=percentile}' | FileCheck %s --check-prefix=MINMAX
//
// mse: over clipping ranges [min, max]·(1 − s/100), s = 0..99, the one with the least estimated error of
// 255-step quantization: clipping error (x − bound)² outside, step²/12 per value inside. With 12 values,
// all of the rounding noise is 12 · (8/255)²/12 ≈ 0.00098 for x, while clipping the extremes by 1%
// (s = 1) already costs 2 · (4 − 1/512 − 3.96)² ≈ 0.0029 (bin centres 1/512 inside ±4): nothing beats
// the full range, as for minmax. (calibrate.test.ts checks a case where clipping wins.)
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=mse}' | FileCheck %s --check-prefix=MINMAX
//
// Bad data is an error located at the function being calibrated, naming the file, and the run fails.
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=%S/calibrate-data/missing.npy}' 2>&1 | FileCheck %s --check-prefix=ERR-MISSING
// ERR-MISSING: <stdin>:{{[0-9]+}}:1: error: pass 'calibrate' failed: calibration data '{{.*}}calibrate-data/missing.npy' does not exist
// ERR-MISSING-NEXT: func.func @main(%x: tensor<1x4xf32> {qopt.name = "x"}) -> tensor<1x4xf32> {
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=%S/calibrate-data/wrong-shape.npy}' 2>&1 | FileCheck %s --check-prefix=ERR-SHAPE
// ERR-SHAPE: error: pass 'calibrate' failed: calibration data '{{.*}}wrong-shape.npy' for input 'x' has shape [2, 3], but a sample of the input is [1, 4]
// ERR-SHAPE-NEXT: func.func @main(%x: tensor<1x4xf32>
// numpy's default float64 is not the input's f32: the error says which run.
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=%S/calibrate-data/calib-f64.npy}' 2>&1 | FileCheck %s --check-prefix=ERR-DTYPE
// ERR-DTYPE: error: pass 'calibrate' failed: calibration run 1 of 3: input 'x': expected dtype f32 (tensor<1x4xf32>), got f64
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=y=%S/calibrate-data/calib.npy}' 2>&1 | FileCheck %s --check-prefix=ERR-NAME
// ERR-NAME: error: pass 'calibrate' failed: calibration data names input 'y', but the model's inputs are x
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy samples=0}' 2>&1 | FileCheck %s --check-prefix=ERR-SAMPLES
// ERR-SAMPLES: error: pass 'calibrate' failed: samples must be a positive integer, got 0
// RUN: awk '/^\/\/ -----/{c++} c==0' %s | not qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=percentile{p=40}}' 2>&1 | FileCheck %s --check-prefix=ERR-P
// ERR-P: error: pass 'calibrate' failed: percentile p must be in (50, 100], got 40
func.func @main(%x: tensor<1x4xf32> {qopt.name = "x"}) -> tensor<1x4xf32> {
  %c = "float.const"() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%x, %c) : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %r = "float.relu"(%m) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----
// A symbolic batch dimension: the [3, 4] batch runs as one batch of 3 rows (up to 32 at a time), so a
// moving average sees one batch, whose min and max are the range.
// RUN: awk '/^\/\/ -----/{c++} c==1' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy observer=moving-average{c=0.5}}' | FileCheck %s --check-prefix=BATCH
// BATCH: func.func @main(%arg0: tensor<?x4xf32> {qopt.name = "x", qopt.range = [-4.000000e+00, 4.000000e+00]})
// BATCH: "float.mul"(%arg0, %0) {qopt.range = [-8.000000e+00, 8.000000e+00]}
// BATCH: "float.relu"(%1) {qopt.range = [0.000000e+00, 8.000000e+00]}
// samples counts rows, not batches: samples=1 is r0 alone.
// RUN: awk '/^\/\/ -----/{c++} c==1' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy samples=1}' | FileCheck %s --check-prefix=BATCH-FIRST1
// BATCH-FIRST1: qopt.range = [-2.000000e+00, 1.000000e+00]
// BATCH-FIRST1: "float.mul"(%arg0, %0) {qopt.range = [-4.000000e+00, 2.000000e+00]}
// BATCH-FIRST1: "float.relu"(%1) {qopt.range = [0.000000e+00, 2.000000e+00]}
func.func @main(%x: tensor<?x4xf32> {qopt.name = "x"}) -> tensor<?x4xf32> {
  %c = "float.const"() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%x, %c) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %r = "float.relu"(%m) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----
// Two inputs, one file each (name=file;name=file, in any order); rows pair up sample by sample:
//   a = [[1, -1], [2, 0.5]]   b = [[0.5, 3], [-4, 1]]   a + b = [[1.5, 2], [-2, 1.5]]
// so a [-1, 2], b [-4, 3], a + b [-2, 2] (rows paired the other way round would give [-3, 3]).
// RUN: awk '/^\/\/ -----/{c++} c==2' %s | qopt-opt --pass='calibrate{data=a=%S/calibrate-data/a.npy;b=%S/calibrate-data/b.npy}' | FileCheck %s --check-prefix=TWO
// RUN: awk '/^\/\/ -----/{c++} c==2' %s | qopt-opt --pass='calibrate{data=b=%S/calibrate-data/b.npy;a=%S/calibrate-data/a.npy}' | FileCheck %s --check-prefix=TWO
// TWO: func.func @main(%arg0: tensor<1x2xf32> {qopt.name = "a", qopt.range = [-1.000000e+00, 2.000000e+00]}, %arg1: tensor<1x2xf32> {qopt.name = "b", qopt.range = [-4.000000e+00, 3.000000e+00]})
// TWO: "float.add"(%arg0, %arg1) {qopt.range = [-2.000000e+00, 2.000000e+00]}
// Every input needs data:
// RUN: awk '/^\/\/ -----/{c++} c==2' %s | not qopt-opt --pass='calibrate{data=a=%S/calibrate-data/a.npy}' 2>&1 | FileCheck %s --check-prefix=ERR-TWO
// ERR-TWO: error: pass 'calibrate' failed: no calibration data for input 'b'
func.func @main(%a: tensor<1x2xf32> {qopt.name = "a"}, %b: tensor<1x2xf32> {qopt.name = "b"}) -> tensor<1x2xf32> {
  %s = "float.add"(%a, %b) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %s : tensor<1x2xf32>
}

// -----
// Quantization-aware training left qcast/dcast pairs: the values they fix (x and relu feed a qcast, the
// dcasts' results come from one) get no new range, and relu keeps the [0, 16] it came with although the
// data would give [0, 8]. Only 2x is recorded: the dcast gives back x exactly (every value is a multiple
// of the scale 1/16, within [-128, 127]/16), so 2x is [-8, 8] as without the pair.
// RUN: awk '/^\/\/ -----/{c++} c==3' %s | qopt-opt --pass='calibrate{data=%S/calibrate-data/calib.npy}' | FileCheck %s --check-prefix=QAT
// QAT: func.func @main(%arg0: tensor<1x4xf32> {qopt.name = "x"})
// QAT-NEXT: %0 = "quant.qcast"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 6.250000e-02>>
// QAT-NEXT: %1 = "quant.dcast"(%0) : (tensor<1x4x!quant.uniform<i8:f32, 6.250000e-02>>) -> tensor<1x4xf32>
// QAT-NEXT: %2 = "float.const"() {value = dense<2.000000e+00> : tensor<4xf32>} : () -> tensor<4xf32>
// QAT-NEXT: %3 = "float.mul"(%1, %2) {qopt.range = [-8.000000e+00, 8.000000e+00]}
// QAT-NEXT: %4 = "float.relu"(%3) {qopt.range = [0.000000e+00, 1.600000e+01]}
// QAT-NEXT: %5 = "quant.qcast"(%4) : (tensor<1x4xf32>)
// QAT-NEXT: %6 = "quant.dcast"(%5) : (tensor<1x4x!quant.uniform<i8:f32, 1.250000e-01:-128>>) -> tensor<1x4xf32>
// QAT-NEXT: return %6
func.func @main(%x: tensor<1x4xf32> {qopt.name = "x"}) -> tensor<1x4xf32> {
  %q = "quant.qcast"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 0.0625>>
  %d = "quant.dcast"(%q) : (tensor<1x4x!quant.uniform<i8:f32, 0.0625>>) -> tensor<1x4xf32>
  %c = "float.const"() {value = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "float.mul"(%d, %c) : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %r = "float.relu"(%m) {qopt.range = [0.0, 16.0]} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %q2 = "quant.qcast"(%r) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 0.125:-128>>
  %d2 = "quant.dcast"(%q2) : (tensor<1x4x!quant.uniform<i8:f32, 0.125:-128>>) -> tensor<1x4xf32>
  return %d2 : tensor<1x4xf32>
}
