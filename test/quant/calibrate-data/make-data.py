"""Writes the calibration data of test/quant/calibrate.mlir (run once; the files are committed).

numpy writes the .npy files and the .pb files are ONNX TensorProto messages encoded by hand below, so
the data does not come from qopt's own writers. Every value is a small binary fraction, so that each
recorded range can be worked out by hand (the derivations are in calibrate.mlir).
"""
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# Three samples of x : tensor<1x4xf32>; each row widens the range, so that truncation shows.
ROWS = [
    [1.0, -2.0, 0.5, -1.0],
    [-3.0, 2.0, 0.0, 3.0],
    [4.0, -4.0, 1.0, 2.0],
]


def path(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire, payload):
    return varint((number << 3) | wire) + payload


def tensor_proto(name, values, dims, raw):
    """onnx.proto TensorProto: dims = 1 (int64), data_type = 2 (FLOAT = 1), float_data = 4, name = 8, raw_data = 9."""
    msg = b"".join(field(1, 0, varint(d)) for d in dims)
    msg += field(2, 0, varint(1))
    data = struct.pack("<%df" % len(values), *values)
    if raw:
        msg += field(9, 2, varint(len(data)) + data)
    else:
        msg += field(4, 2, varint(len(data)) + data)  # packed repeated float
    msg += field(8, 2, varint(len(name)) + name.encode())
    return msg


def main():
    batch = np.array(ROWS, dtype=np.float32)
    np.save(path("calib.npy"), batch)  # [3, 4]: a batch along the first dimension
    np.save(path("calib-stacked.npy"), batch.reshape(3, 1, 4))  # [3, 1, 4]: a stack of [1, 4] samples
    np.save(path("calib-f64.npy"), batch.astype(np.float64))  # numpy's default dtype: an error for f32 inputs
    np.save(path("wrong-shape.npy"), np.zeros((2, 3), dtype=np.float32))
    # One sample per file, numbered as people number them: x-2 comes before x-10.
    for name, row in zip(["x-1", "x-2", "x-10"], ROWS):
        np.save(path("samples-npy", name + ".npy"), np.array([row], dtype=np.float32))
    # ONNX TensorProto samples: the first with float_data, the others with raw_data.
    for i, row in enumerate(ROWS):
        with open(path("samples-pb", "sample-%d.pb" % i), "wb") as f:
            f.write(tensor_proto("x", row, [1, 4], raw=i > 0))
    # Two inputs, two samples each.
    np.save(path("a.npy"), np.array([[1.0, -1.0], [2.0, 0.5]], dtype=np.float32))
    np.save(path("b.npy"), np.array([[0.5, 3.0], [-4.0, 1.0]], dtype=np.float32))


if __name__ == "__main__":
    main()
