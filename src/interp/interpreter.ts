/**
 * The reference interpreter: runs a function op by op with the kernels declared beside each op's
 * definition. Float ops compute in f32; integer ops are bit-exact. Used by calibration, `qopt run`,
 * precision selection and every semantic test.
 */
import type { Module, Operation, Value } from "../ir/operation.js";
import { getAttr } from "../ir/operation.js";
import { getOpDef, type KernelEnv } from "../ir/opdef.js";
import type { Tensor } from "./tensor.js";
import { checkShape, dtypeOf } from "./dense-tensor.js";
import { printType } from "../syntax/printer.js";

export class InterpreterError extends Error {
  override name = "InterpreterError";
}

export interface InterpretOptions {
  /** Function to run; default `main`, else the first public function. */
  function?: string;
  /** Called with every value the run computes (calibration and per-layer comparison read these). */
  onValue?: (value: Value, tensor: Tensor, op: Operation | undefined) => void;
  /** Options kernels may read (e.g. a rounding override). */
  kernelOptions?: Readonly<Record<string, unknown>>;
  /**
   * Runs an op in place of its own kernel: returns its results, or undefined to run the kernel.
   * `valueOf` reads any value computed so far (the integer QDQ interpretation reads the stored
   * integers behind a `quant.dcast` this way).
   */
  override?: (op: Operation, inputs: readonly Tensor[], valueOf: (v: Value) => Tensor | undefined) => Tensor[] | undefined;
}

export interface FunctionSignature {
  readonly func: Operation;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

function symName(op: Operation): string {
  const a = getAttr(op, "sym_name");
  return a && a.kind === "string" ? a.value : "";
}

/** Finds the function to run and the names of its inputs/outputs (`qopt.name` arg/result attributes). */
export function entryFunction(module: Module, name?: string): FunctionSignature {
  const funcs = module.ops.filter((o) => o.name === "func.func" && o.regions.length > 0 && o.regions[0]!.blocks.length > 0);
  const func = name !== undefined ? funcs.find((f) => symName(f) === name) : funcs.find((f) => symName(f) === "main") ?? funcs.find((f) => getAttr(f, "sym_visibility") === undefined) ?? funcs[0];
  if (!func) throw new InterpreterError(name !== undefined ? `no function named @${name} (functions: ${funcs.map((f) => "@" + symName(f)).join(", ") || "none"})` : "the module has no function with a body");
  const names = (key: "arg_attrs" | "res_attrs", count: number, fallback: string): string[] => {
    const list = getAttr(func, key);
    return Array.from({ length: count }, (_, i) => {
      const d = list && list.kind === "array" ? list.elements[i] : undefined;
      const n = d && d.kind === "dict" ? d.entries["qopt.name"] : undefined;
      return n && n.kind === "string" ? n.value : `${fallback}${i}`;
    });
  };
  const body = func.regions[0]!.blocks[0]!;
  const ret = body.ops[body.ops.length - 1];
  return { func, inputNames: names("arg_attrs", body.args.length, "arg"), outputNames: names("res_attrs", ret?.operands.length ?? 0, "output_") };
}

/**
 * Runs the entry function. Inputs by position (array) or by name (object, names from `qopt.name`
 * or `argN`). Returns the results in order.
 */
export function interpret(module: Module, inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>, options: InterpretOptions = {}): Tensor[] {
  const sig = entryFunction(module, options.function);
  const body = sig.func.regions[0]!.blocks[0]!;
  const ordered: Tensor[] = Array.isArray(inputs)
    ? [...(inputs as readonly Tensor[])]
    : sig.inputNames.map((n, i) => {
        const t = (inputs as Record<string, Tensor>)[n] ?? (inputs as Record<string, Tensor>)[`arg${i}`];
        if (!t) throw new InterpreterError(`missing input '${n}' (expected inputs: ${sig.inputNames.join(", ")})`);
        return t;
      });
  if (ordered.length !== body.args.length) throw new InterpreterError(`expected ${body.args.length} inputs (${sig.inputNames.join(", ")}), got ${ordered.length}`);
  const env = new Map<Value, Tensor>();
  body.args.forEach((arg, i) => {
    const t = ordered[i]!;
    const name = sig.inputNames[i]!;
    const want = dtypeOf(arg.type);
    if (t.dtype !== want) throw new InterpreterError(`input '${name}': expected dtype ${want} (${printType(arg.type)}), got ${t.dtype}`);
    const err = checkShape(arg.type, t.shape);
    if (err) throw new InterpreterError(`input '${name}': ${err}`);
    env.set(arg, t);
    options.onValue?.(arg, t, undefined);
  });
  const kernelEnv: KernelEnv = { options: options.kernelOptions ?? {} };
  const valueOf = (v: Value): Tensor | undefined => env.get(v);
  for (const op of body.ops) {
    if (op.name === "func.return") return op.operands.map((v) => lookup(env, v, op));
    const def = getOpDef(op.name);
    const args = op.operands.map((v) => lookup(env, v, op));
    let outputs: Tensor[];
    try {
      const replaced = options.override?.(op, args, valueOf);
      if (replaced) outputs = replaced;
      else if (!def?.kernel) throw new InterpreterError(`${locationText(op)}: no interpreter kernel for '${op.name}'`);
      else outputs = def.kernel(args, op, kernelEnv);
    } catch (e) {
      if (e instanceof InterpreterError) throw e;
      throw new InterpreterError(`${locationText(op)}: '${op.name}' failed: ${(e as Error).message}`);
    }
    if (outputs.length !== op.results.length) throw new InterpreterError(`${locationText(op)}: kernel of '${op.name}' returned ${outputs.length} results, expected ${op.results.length}`);
    op.results.forEach((r, i) => {
      env.set(r, outputs[i]!);
      options.onValue?.(r, outputs[i]!, op);
    });
  }
  throw new InterpreterError("function body has no func.return");
}

function lookup(env: Map<Value, Tensor>, v: Value, op: Operation): Tensor {
  const t = env.get(v);
  if (!t) throw new InterpreterError(`${locationText(op)}: operand of '${op.name}' has no value`);
  return t;
}

function locationText(op: Operation): string {
  if (op.loc.kind === "source") {
    const p = op.loc.source.position(op.loc.offset);
    return `${op.loc.source.name}:${p.line}:${p.col}`;
  }
  if (op.loc.kind === "file") return `${op.loc.file}:${op.loc.line}:${op.loc.col}`;
  return op.name;
}
