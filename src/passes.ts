/** Pass constructors for pipelines written in code: `passes.canonicalize()`, `passes.quantize({ mode: "int8" })`, … */
export { canonicalize, cse, calibrate, propagateRanges, nudgeZeroPoint, quantize, foldBatchNorm, fuse, prune, integerIo, lowerToHw, analyzeSensitivity, selectPrecision } from "../passes/index.js";
