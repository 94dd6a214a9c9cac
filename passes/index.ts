/** Registers every pass (import for the side effect) and exposes the code API's pass constructors. */
export { canonicalize, canonicalizePass } from "./canonicalize.js";
export { cse, csePass } from "./cse.js";
export { calibrate, calibratePass } from "./calibrate.js";
export { propagateRanges, propagateRangesPass } from "./propagate-ranges.js";
export { nudgeZeroPoint, nudgeZeroPointPass } from "./nudge-zero-point.js";
export { quantize, quantizePass } from "./quantize.js";
export { foldBatchNorm, foldBatchNormPass } from "./fold-batch-norm.js";
export { fuse, fusePass } from "./fuse.js";
export { integerIo, integerIoPass } from "./integer-io.js";
export { prune, prunePass } from "./prune.js";
export { lowerToHw, lowerToHwPass } from "./lower-to-hw.js";
export { analyzeSensitivity, analyzeSensitivityPass } from "./analyze-sensitivity.js";
export { selectPrecision, selectPrecisionPass } from "./select-precision.js";
