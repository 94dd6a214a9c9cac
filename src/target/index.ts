/** Hardware target descriptors: the `Target` type, loading and validation, and the queries passes ask. */
export * from "./types.js";
export {
  loadTarget,
  tryLoadTarget,
  readTargetFile,
  listBuiltinTargets,
  builtinTargetPath,
  isTargetPath,
  TargetLoadError,
  type LoadTargetOptions,
  type TargetSpecifier,
} from "./load.js";
export { validateTarget, OBJECT_SOURCE, type TargetError, type TargetValidation } from "./validate.js";
export { readJson, type JsonReadResult, type JsonSyntaxError, type SourcePosition } from "./json-source.js";
export { schemaPath, targetsDirectory } from "./package-files.js";
export * from "./queries.js";
export { describeTarget, formatTargetJson, INSTALLED_SCHEMA_REF } from "./describe.js";
