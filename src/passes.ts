/** Pass constructors for pipelines written in code: `passes.canonicalize()`, `passes.cse()`, … */
export { canonicalize, cse, calibrate } from "../passes/index.js";
