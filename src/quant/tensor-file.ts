/** Reads a tensor from a `.npy` or ONNX TensorProto `.pb` file. */
import { readFileSync } from "node:fs";
import type { Tensor } from "../interp/tensor.js";
import { readNpy } from "../io/npy.js";
import { readTensorProto } from "../io/onnx-tensor.js";

export function readTensorFileAny(path: string): Tensor {
  const bytes = new Uint8Array(readFileSync(path));
  return path.endsWith(".pb") ? readTensorProto(bytes, path).tensor : readNpy(bytes, path);
}
