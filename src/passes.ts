/** Pass constructors for pipelines written in code: `passes.canonicalize()`, `passes.cse()`, … */
export { canonicalize, cse } from "../passes/index.js";
