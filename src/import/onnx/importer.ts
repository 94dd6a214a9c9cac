/**
 * ONNX → qopt IR: one `func.func @main` whose arguments and results are the graph's inputs and
 * outputs, with their ONNX names (`qopt.name`), element types and shapes (symbolic dims as `?`).
 *
 * Inputs and outputs keep ONNX's NCHW layout, so the same .npy / .pb files feed ONNX Runtime and
 * qopt; inside, convolutions and pools run NHWC with OHWI weights, and transposes appear only where
 * a value is needed in the other layout (see import-context.ts).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Attribute } from "../../ir/attributes.js";
import { attr } from "../../ir/attr-access.js";
import type { Module, Value } from "../../ir/operation.js";
import { makeModule, makeOperation, makeValue } from "../../ir/operation.js";
import { functionType, tensorType } from "../../ir/types.js";
import type { Tensor } from "../../interp/tensor.js";
import type { NodeContext } from "./converter.js";
import { OnnxImportError } from "./errors.js";
import { ImportContext, nameLoc } from "./import-context.js";
import { identity } from "./layout.js";
import { converters } from "./ops/index.js";
import type { GraphProto, NodeProto } from "./proto.js";
import { decodeModel, defaultOpset, elementTypeOf, NodeAttributes, ONNX_TYPE_NAMES, readTensor, readValueInfo } from "./proto.js";

export interface OnnxImportOptions {
  /** The model's file name in messages (default "model.onnx"). */
  readonly filename?: string;
  /**
   * Graph inputs to import as constants with these values instead of function arguments (the
   * scale and zero-point inputs of ONNX node tests, or any input that is fixed in deployment).
   */
  readonly constantInputs?: Readonly<Record<string, Tensor>>;
  /** Name of the function (default "main"). */
  readonly functionName?: string;
}

/** Imports a serialized ONNX ModelProto. Throws OnnxImportError with one clear message on failure. */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): Module {
  const source = options.filename ?? "model.onnx";
  const model = decodeModel(bytes, source);
  const graph = model.graph!;
  checkSupported(graph, source);
  return importGraph(graph, new ImportContext(source, defaultOpset(model)), options);
}

/** Reads and imports a `.onnx` file; messages name the file as given. */
export function importOnnxFile(path: string, options: Omit<OnnxImportOptions, "filename"> = {}): Module {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === "ENOENT" ? "no such file or directory" : err.code === "EISDIR" ? "is a directory" : err.code === "EACCES" ? "permission denied" : err.message;
    throw new OnnxImportError(`cannot read '${path}': ${reason}`);
  }
  return importOnnx(bytes, { ...options, filename: path });
}

function isDefaultDomain(domain: string | null | undefined): boolean {
  return !domain || domain === "ai.onnx";
}

function nodeLabel(node: NodeProto, index: number): string {
  return node.name || `#${index}:${node.output?.[0] ?? ""}`;
}

/**
 * One error listing every op type the importer cannot convert, with the nodes that use it:
 * `model.onnx: unsupported ONNX ops: Foo (nodes: a, b), Bar (node: c)`.
 */
function checkSupported(graph: GraphProto, source: string): void {
  const unsupported = new Map<string, string[]>();
  (graph.node ?? []).forEach((node, i) => {
    const opType = node.opType ?? "";
    const known = isDefaultDomain(node.domain) && converters.has(opType);
    if (known) return;
    const key = isDefaultDomain(node.domain) ? opType : `${node.domain}.${opType}`;
    const list = unsupported.get(key) ?? [];
    list.push(nodeLabel(node, i));
    unsupported.set(key, list);
  });
  if (unsupported.size === 0) return;
  const parts = [...unsupported].map(([op, nodes]) => `${op} (${nodes.length === 1 ? "node" : "nodes"}: ${nodes.join(", ")})`);
  throw new OnnxImportError(`${source}: unsupported ONNX ops: ${parts.join(", ")}`);
}

function importGraph(graph: GraphProto, ctx: ImportContext, options: OnnxImportOptions): Module {
  const source = ctx.source;
  if ((graph.sparseInitializer ?? []).length > 0) throw new OnnxImportError(`${source}: sparse initializers are not supported`);
  for (const init of graph.initializer ?? []) {
    const name = init.name ?? "";
    const code = init.dataType ?? 0;
    const element = elementTypeOf(code);
    if (!element) throw new OnnxImportError(`${source}: initializer '${name}' has unsupported type ${ONNX_TYPE_NAMES[code] ?? code}`);
    ctx.defineConstant(name, readTensor(init, source, `initializer '${name}'`), element);
  }

  // Graph inputs that are also initializers (IR < 4 listed them) are constants, not arguments.
  const args: Value[] = [];
  const argAttrs: Attribute[] = [];
  for (const input of graph.input ?? []) {
    const info = readValueInfo(input, source);
    if (ctx.has(info.name)) continue;
    const bound = options.constantInputs?.[info.name];
    const element = elementTypeOf(info.elemType);
    if (!element) throw new OnnxImportError(`${source}: input '${info.name}' has unsupported type ${ONNX_TYPE_NAMES[info.elemType] ?? info.elemType}`);
    if (bound) {
      ctx.defineConstant(info.name, bound, element);
      continue;
    }
    if (info.shape === null) throw new OnnxImportError(`${source}: input '${info.name}' has no shape; qopt needs at least its rank`);
    const arg = makeValue(tensorType(info.shape, element), nameLoc(info.name));
    args.push(arg);
    argAttrs.push(nameDict(info.name));
    ctx.defineResult(info.name, arg, identity(info.shape.length));
  }
  for (const name of Object.keys(options.constantInputs ?? {})) {
    if (!(graph.input ?? []).some((i) => i.name === name)) throw new OnnxImportError(`${source}: there is no graph input '${name}' to bind to a constant`);
  }

  const opset = ctx.opset;
  const used = new Set<string>([...(graph.node ?? []).flatMap((node) => node.input ?? []), ...(graph.output ?? []).map((o) => o.name ?? "")]);
  const isUsed = (name: string): boolean => used.has(name);
  (graph.node ?? []).forEach((node, index) => {
    const label = nodeLabel(node, index);
    const opType = node.opType ?? "";
    ctx.enterNode(label, opType, node.name || node.output?.[0] || `${opType}_${index}`);
    const inputs = (node.input ?? []).map((name) => (name === "" ? undefined : ctx.lookup(name)));
    const n: NodeContext = { node, attrs: new NodeAttributes(node, `${source}: node '${label}' (${opType})`), inputs, outputs: node.output ?? [], opset, isUsed };
    converters.get(opType)!(ctx, n);
    // An output nothing reads may stay undefined (onlyOutputs lets unread extra outputs through).
    for (const out of n.outputs) if (out !== "" && isUsed(out) && !ctx.has(out)) ctx.fail(`internal error: output '${out}' was not defined`);
    ctx.leaveNode();
  });

  const results: Value[] = [];
  const resAttrs: Attribute[] = [];
  for (const output of graph.output ?? []) {
    const name = output.name ?? "";
    if (!ctx.has(name)) throw new OnnxImportError(`${source}: graph output '${name}' is not produced by any node`);
    const v = ctx.lookup(name);
    ctx.builder.loc = nameLoc(name);
    results.push(ctx.value(v, identity(ctx.rank(v))));
    resAttrs.push(nameDict(name));
  }
  ctx.builder.loc = nameLoc(graph.name || basename(source));
  ctx.builder.create("func.return", results, {}, []);

  const functionName = options.functionName ?? "main";
  const properties: Record<string, Attribute> = {
    sym_name: attr.str(functionName),
    function_type: { kind: "type", type: functionType(args.map((a) => a.type), results.map((r) => r.type)) },
    arg_attrs: { kind: "array", elements: argAttrs },
    res_attrs: { kind: "array", elements: resAttrs },
  };
  const func = makeOperation({
    name: "func.func",
    properties,
    regions: [{ blocks: [{ args, ops: [...ctx.builder.ops] }] }],
    loc: nameLoc(graph.name || basename(source)),
  });
  return makeModule([func]);
}

function nameDict(name: string): Attribute {
  return { kind: "dict", entries: { "qopt.name": attr.str(name) } };
}
