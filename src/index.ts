/**
 * qopt's TypeScript API: parse or build IR, compose passes, run them, interpret the result.
 *
 *   import { parseModule, printModule, PassManager, passes, interpret } from "qopt";
 */
import "./registry.js";

export { parseModule, type ParseOptions } from "./syntax/parser.js";
export { printModule, printOperation, printType, printAttribute, type PrintOptions } from "./syntax/printer.js";
export { verifyModule, type VerifyOptions } from "./ir/verifier.js";
export { DiagnosticError, formatDiagnostic, type Diagnostic } from "./ir/diagnostic.js";
export * from "./ir/types.js";
export * from "./ir/attributes.js";
export { attr, attrsOf, intAttr, floatAttr, numbersAttr, stringAttr, boolAttr, denseAttr } from "./ir/attr-access.js";
export { makeModule, makeOperation, makeValue, walk, walkModule, getAttr, type Module, type Operation, type Value, type Block, type Region } from "./ir/operation.js";
export { Builder, buildFunction } from "./ir/builder.js";
export { BlockRewriter, mapFunctionBodies, countUses } from "./ir/rewriter.js";
export { defineOp, getOpDef, allOpDefs, hasTrait, type OpDef, type Trait } from "./ir/opdef.js";
export { PassManager, formatTimingReport, type PassManagerOptions } from "./pass/manager.js";
export { registerPass, getPassDefinition, allPassDefinitions, instantiatePass, type Pass, type PassDefinition, type PassContext, type Decision } from "./pass/pass.js";
export { parsePassPipeline, parsePassList, printPipeline } from "./pass/pipeline.js";
export { interpret, entryFunction, InterpreterError, type InterpretOptions } from "./interp/interpreter.js";
export { interpretIntegerQdq, type IntegerQdqOptions } from "./quant/integer-qdq/interpret.js";
export { makeTensor, type Tensor, type DType } from "./interp/tensor.js";
export { readNpy, writeNpy, readNpyFile, writeNpyFile } from "./io/npy.js";
export * as passes from "./passes.js";
export { loadTarget, tryLoadTarget, listBuiltinTargets, validateTarget, TargetLoadError, type Target, type TargetError } from "./target/index.js";
export * as targetQueries from "./target/queries.js";
export { compareModules } from "./interp/compare.js";
