"""Writes the calibration data of test/quant/qat.mlir (run once; the file is committed).

x : tensor<1x2x2x2xf32> (NHWC: 2x2 pixels, 2 channels), two samples stacked as x.npy [2, 2, 2, 2]. Every
value is a multiple of 1/2, on the grid of the program's fixed input type (scale 1/16), so that the
QAT qcast passes it unchanged and each calibrated range can be worked out by hand (qat.mlir shows how).
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# Pixel (h, w) → [x0, x1], in row-major pixel order.
SAMPLES = [
    [[1.0, 0.5], [2.0, -1.0], [-1.0, 1.0], [0.0, 0.0]],
    [[-4.0, 2.0], [3.0, 3.0], [0.5, -2.0], [-0.5, -0.5]],
]

if __name__ == "__main__":
    x = np.array(SAMPLES, dtype="<f4").reshape(2, 2, 2, 2)
    np.save(os.path.join(HERE, "x.npy"), x)
