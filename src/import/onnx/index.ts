/** ONNX import: `.onnx` models to qopt IR (float, quant and hw dialects). */
export { importOnnx, importOnnxFile, type OnnxImportOptions } from "./importer.js";
export { OnnxImportError } from "./errors.js";
export { converters as onnxConverters, CONSTANT_ONLY_OPS } from "./ops/index.js";

/** ONNX op types (default domain) the importer converts, sorted. */
import { converters } from "./ops/index.js";
export const SUPPORTED_ONNX_OPS: readonly string[] = [...converters.keys()].sort();
