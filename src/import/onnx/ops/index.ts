/** Every ONNX op type the importer converts (default domain), by op type. */
import type { Converter } from "../converter.js";
import { constantConverters } from "./constants.js";
import { convConverters } from "./conv.js";
import { elementwiseConverters } from "./elementwise.js";
import { gemmConverters } from "./gemm.js";
import { integerConverters } from "./integer.js";
import { normalizationConverters } from "./normalization.js";
import { poolConverters } from "./pool.js";
import { quantizeConverters } from "./quantize.js";
import { shapeConverters } from "./shape.js";

export const converters: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ...convConverters,
  ...gemmConverters,
  ...elementwiseConverters,
  ...poolConverters,
  ...normalizationConverters,
  ...shapeConverters,
  ...constantConverters,
  ...quantizeConverters,
  ...integerConverters,
]);

export { CONSTANT_ONLY_OPS } from "./constants.js";
