/**
 * Prints IR as MLIR text that mlir-opt-19 accepts: pretty `module`, `func.func` and `return`, every
 * other op in generic form. `print(parse(print(m))) === print(m)` holds for every module.
 */
import type { Attribute, AttrDict, DenseAttr } from "../ir/attributes.js";
import type { Type, FloatKind } from "../ir/types.js";
import type { Block, Module, Operation, Region, Value } from "../ir/operation.js";
import type { Location } from "../ir/location.js";
import { resolveLocation } from "../ir/location.js";
import { getOpDef } from "../ir/opdef.js";
import { encodeDenseHex } from "./dense.js";
import { formatFloat } from "./float-format.js";
import { setTypePrinter } from "./parser.js";

export interface PrintOptions {
  /** Print every op, module and functions included, in generic form (`--mlir-print-op-generic`). */
  generic?: boolean;
  /** Print locations (`--mlir-print-debuginfo`). */
  debugInfo?: boolean;
  /** Dense attributes with more elements than this print as hex (mlir-opt's default is 100). */
  hexThreshold?: number;
}

// ---------------------------------------------------------------- types

const typeTextCache = new WeakMap<Type, string>();

export function printType(t: Type): string {
  let text = typeTextCache.get(t);
  if (text === undefined) {
    text = computeTypeText(t);
    typeTextCache.set(t, text);
  }
  return text;
}

setTypePrinter(printType);

function storageName(t: { width: number; signedness: string }): string {
  return `${t.signedness === "unsigned" ? "u" : "i"}${t.width}`;
}

function computeTypeText(t: Type): string {
  switch (t.kind) {
    case "float":
      return t.name;
    case "int":
      return `${t.signedness === "signed" ? "si" : t.signedness === "unsigned" ? "ui" : "i"}${t.width}`;
    case "index":
      return "index";
    case "none":
      return "none";
    case "tensor": {
      const dims = t.shape === null ? "*x" : t.shape.map((d) => (d < 0 ? "?x" : `${d}x`)).join("");
      return `tensor<${dims}${printType(t.element)}${t.encoding !== undefined ? `, ${t.encoding}` : ""}>`;
    }
    case "vector":
      return `vector<${t.shape.map((d) => `${d}x`).join("")}${printType(t.element)}>`;
    case "tuple":
      return `tuple<${t.types.map(printType).join(", ")}>`;
    case "function":
      return `(${t.inputs.map(printType).join(", ")}) -> ${printResultTypes(t.results)}`;
    case "quant.uniform": {
      const full = fullStorageRange(t.storage.width, t.storage.signedness === "unsigned");
      const range = t.storageMin !== full.min || t.storageMax !== full.max ? `<${t.storageMin}:${t.storageMax}>` : "";
      const head = `${storageName(t.storage)}${range}:${t.expressed.name}`;
      if (t.axis === undefined) {
        return `!quant.uniform<${head}, ${scaleZp(t.scales[0]!, t.zeroPoints[0]!)}>`;
      }
      const params = t.scales.map((s, i) => scaleZp(s, t.zeroPoints[i]!)).join(",");
      return `!quant.uniform<${head}:${t.axis}, {${params}}>`;
    }
    case "quant.any": {
      const full = fullStorageRange(t.storage.width, t.storage.signedness === "unsigned");
      const range = t.storageMin !== full.min || t.storageMax !== full.max ? `<${t.storageMin}:${t.storageMax}>` : "";
      return `!quant.any<${storageName(t.storage)}${range}${t.expressed ? `:${t.expressed.name}` : ""}>`;
    }
    case "quant.calibrated":
      return `!quant.calibrated<${t.expressed.name}<${formatFloat(t.min, "f64")}:${formatFloat(t.max, "f64")}>>`;
    case "opaque":
      return t.text;
  }
}

function fullStorageRange(width: number, unsigned: boolean): { min: number; max: number } {
  return unsigned ? { min: 0, max: 2 ** width - 1 } : { min: -(2 ** (width - 1)), max: 2 ** (width - 1) - 1 };
}

function scaleZp(scale: number, zp: number): string {
  return zp === 0 ? formatFloat(scale, "f64") : `${formatFloat(scale, "f64")}:${zp}`;
}

/** `T`, `(T, U)`, `()`; a single function-typed result is parenthesised so it reads back. */
function printResultTypes(results: readonly Type[]): string {
  if (results.length === 1 && results[0]!.kind !== "function") return printType(results[0]!);
  return `(${results.map(printType).join(", ")})`;
}

// ---------------------------------------------------------------- attributes

/** Attribute floats repeat a lot (ranges, scales); formatting is the printer's costliest step for them. */
const floatTextCache = new Map<string, string>();

function formatFloatCached(value: number, kind: FloatKind): string {
  const key = kind + (Object.is(value, -0) ? "-0" : String(value));
  let text = floatTextCache.get(key);
  if (text === undefined) {
    if (floatTextCache.size > 65536) floatTextCache.clear();
    text = formatFloat(value, kind);
    floatTextCache.set(key, text);
  }
  return text;
}

const bareIdentifier = /^[A-Za-z_][A-Za-z0-9_$.]*$/;

export function quoteString(s: string): string {
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      simple = false;
      break;
    }
  }
  if (simple) return `"${s}"`;
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte >= 0x20 && byte <= 0x7e && byte !== 0x22) out += String.fromCharCode(byte);
    else out += "\\" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out + '"';
}

function printSymbol(name: string): string {
  return "@" + (bareIdentifier.test(name) ? name : quoteString(name));
}

function printAttrName(name: string): string {
  return bareIdentifier.test(name) ? name : quoteString(name);
}

/** `elideType`: inside arrays MLIR drops `: i64` and `: f64`, their default types. */
export function printAttribute(a: Attribute, options: PrintOptions = {}, elideType = false): string {
  switch (a.kind) {
    case "int":
      if (elideType && a.type.kind === "int" && a.type.width === 64 && a.type.signedness === "signless") return String(a.value);
      return `${a.value} : ${printType(a.type)}`;
    case "float": {
      const kind: FloatKind = a.type.kind === "float" ? a.type.name : "f64";
      const text = formatFloatCached(a.value, kind);
      if (elideType && kind === "f64" && !text.startsWith("0x")) return text;
      return `${text} : ${printType(a.type)}`;
    }
    case "bool":
      return a.value ? "true" : "false";
    case "string":
      return a.type ? `${quoteString(a.value)} : ${printType(a.type)}` : quoteString(a.value);
    case "unit":
      return "unit";
    case "array":
      return `[${a.elements.map((e) => printAttribute(e, options, true)).join(", ")}]`;
    case "dict":
      return printAttrDict(a.entries, options);
    case "dense":
      return printDense(a, options);
    case "dense_array": {
      if (a.values.length === 0) return `array<${printType(a.element)}>`;
      const kind = a.element.kind === "float" ? a.element.name : undefined;
      const isBool = a.element.kind === "int" && a.element.width === 1;
      const vals = a.values.map((v) => (kind ? formatFloat(v, kind) : isBool ? (v ? "true" : "false") : String(v)));
      return `array<${printType(a.element)}: ${vals.join(", ")}>`;
    }
    case "type":
      return printType(a.type);
    case "symbol":
      return a.path.map(printSymbol).join("::");
    case "opaque":
      return a.text;
  }
}

/** `{a = 1 : i64, b}` with names sorted as MLIR sorts its dictionaries. */
export function printAttrDict(dict: AttrDict, options: PrintOptions = {}): string {
  const names = Object.keys(dict);
  if (names.length === 0) return "{}";
  names.sort(compareNames);
  const parts = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = dict[name]!;
    parts[i] = value.kind === "unit" ? printAttrName(name) : `${printAttrName(name)} = ${printAttribute(value, options)}`;
  }
  return `{${parts.join(", ")}}`;
}

/** Byte-wise order, as MLIR's StringRef comparison. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isAllEqual(data: DenseAttr["data"]): boolean {
  if (data.length <= 1) return true;
  const first = data[0]!;
  for (let i = 1; i < data.length; i++) if (!Object.is(data[i], first)) return false;
  return true;
}

function printDense(a: DenseAttr, options: PrintOptions): string {
  const shape = a.type.shape ?? [];
  const count = shape.reduce((x, y) => x * y, 1);
  const element = a.type.element;
  const typeText = printType(a.type);
  if (count === 0) return `dense<> : ${typeText}`;
  // MLIR stores any all-equal data as a splat; printing it so keeps both tools' output identical.
  if (a.splat || isAllEqual(a.data)) return `dense<${printElement(a.data[0]!, element)}> : ${typeText}`;
  const threshold = options.hexThreshold ?? 100;
  if (count > threshold) return `dense<"${encodeDenseHex(a.data, element)}"> : ${typeText}`;
  const parts: string[] = [];
  let index = 0;
  const emit = (dim: number): void => {
    if (dim === shape.length) {
      parts.push(printElement(a.data[index++]!, element));
      return;
    }
    parts.push("[");
    for (let i = 0; i < shape[dim]!; i++) {
      if (i > 0) parts.push(", ");
      emit(dim + 1);
    }
    parts.push("]");
  };
  emit(0);
  return `dense<${parts.join("")}> : ${typeText}`;
}

function printElement(v: number | bigint, element: Type): string {
  if (element.kind === "float") return formatFloat(v as number, element.name);
  if (element.kind === "int" && element.width === 1) return v ? "true" : "false";
  return String(v);
}

// ---------------------------------------------------------------- operations

const quotedNames = new Map<string, string>();

function quotedOpName(name: string): string {
  let q = quotedNames.get(name);
  if (q === undefined) {
    q = quoteString(name);
    quotedNames.set(name, q);
  }
  return q;
}

class Namer {
  private readonly names = new Map<Value, string>();
  private nextValue = 0;
  private nextArg = 0;

  name(v: Value): string {
    const n = this.names.get(v);
    if (n !== undefined) return n;
    // A value used but never defined in view (invalid IR printed for a diagnostic).
    return "%<<UNKNOWN SSA VALUE>>";
  }

  defineResults(op: Operation): string {
    const results = op.results;
    if (results.length === 0) return "";
    const base = `%${this.nextValue++}`;
    if (results.length === 1) {
      this.names.set(results[0]!, base);
      return `${base} = `;
    }
    for (let i = 0; i < results.length; i++) this.names.set(results[i]!, `${base}#${i}`);
    return `${base}:${results.length} = `;
  }

  defineArg(v: Value, entry: boolean): string {
    const name = entry ? `%arg${this.nextArg++}` : `%${this.nextValue++}`;
    this.names.set(v, name);
    return name;
  }

  /** Isolated regions number from zero again, as mlir-opt does per function. */
  isolated(): Namer {
    return new Namer();
  }
}

class Printer {
  readonly out: string[] = [];
  constructor(readonly options: PrintOptions) {}

  line(indent: number, text: string): void {
    this.out.push("  ".repeat(indent) + text);
  }

  loc(loc: Location): string {
    if (!this.options.debugInfo) return "";
    if (loc.kind === "unknown") return " loc(unknown)";
    if (loc.kind === "opaque") return ` ${loc.text}`;
    const r = resolveLocation(loc)!;
    return ` loc(${quoteString(r.file)}:${r.line}:${r.col})`;
  }

  module(m: Module): void {
    if (this.options.generic) {
      const props: Record<string, Attribute> = Object.create(null) as Record<string, Attribute>;
      if (m.symName !== undefined) props["sym_name"] = { kind: "string", value: m.symName };
      const head = `"builtin.module"()${Object.keys(props).length ? ` <${printAttrDict(props, this.options)}>` : ""} ({`;
      this.line(0, head);
      const namer = new Namer();
      for (const op of m.ops) this.op(op, 1, namer);
      this.line(0, `})${Object.keys(m.attributes).length ? ` ${printAttrDict(m.attributes, this.options)}` : ""} : () -> ()${this.loc(m.loc)}`);
      return;
    }
    let head = "module";
    if (m.symName !== undefined) head += ` ${printSymbol(m.symName)}`;
    if (Object.keys(m.attributes).length > 0) head += ` attributes ${printAttrDict(m.attributes, this.options)}`;
    this.line(0, `${head} {`);
    const namer = new Namer();
    for (const op of m.ops) this.op(op, 1, namer);
    this.line(0, `}${this.loc(m.loc)}`);
  }

  op(op: Operation, indent: number, namer: Namer): void {
    if (!this.options.generic) {
      if (op.name === "func.func" && this.funcPretty(op, indent, namer)) return;
      if (op.name === "func.return" && op.attributes && Object.keys(op.attributes).length === 0) {
        const operands = op.operands.map((v) => namer.name(v)).join(", ");
        const types = op.operands.map((v) => printType(v.type)).join(", ");
        this.line(indent, op.operands.length === 0 ? `return${this.loc(op.loc)}` : `return ${operands} : ${types}${this.loc(op.loc)}`);
        return;
      }
      if (op.name === "builtin.module" && op.results.length === 0 && op.operands.length === 0 && op.regions.length === 1 && op.regions[0]!.blocks.length === 1) {
        const sym = op.properties?.["sym_name"];
        let head = "module";
        if (sym && sym.kind === "string") head += ` ${printSymbol(sym.value)}`;
        if (Object.keys(op.attributes).length > 0) head += ` attributes ${printAttrDict(op.attributes, this.options)}`;
        this.line(indent, `${head} {`);
        const inner = namer.isolated();
        for (const o of op.regions[0]!.blocks[0]!.ops) this.op(o, indent + 1, inner);
        this.line(indent, `}${this.loc(op.loc)}`);
        return;
      }
    }
    this.generic(op, indent, namer);
  }

  generic(op: Operation, indent: number, namer: Namer): void {
    // Operands are named before the results are defined, so an op can never seem to use its own results.
    const operandText = op.operands.map((v) => namer.name(v)).join(", ");
    const prefix = namer.defineResults(op);
    let text = `${prefix}${quotedOpName(op.name)}(${operandText})`;
    if (op.successors.length > 0) text += ` [${op.successors.map((s) => `^bb${s}`).join(", ")}]`;
    if (op.properties && Object.keys(op.properties).length > 0) text += ` <${printAttrDict(op.properties, this.options)}>`;
    const signature = `(${op.operands.map((v) => printType(v.type)).join(", ")}) -> ${printResultTypes(op.results.map((r) => r.type))}`;
    const attrs = Object.keys(op.attributes).length > 0 ? ` ${printAttrDict(op.attributes, this.options)}` : "";
    if (op.regions.length === 0) {
      this.line(indent, `${text}${attrs} : ${signature}${this.loc(op.loc)}`);
      return;
    }
    const isolated = getOpDef(op.name)?.traits?.includes("IsolatedFromAbove") ?? false;
    const inner = isolated ? namer.isolated() : namer;
    this.line(indent, `${text} (`);
    op.regions.forEach((region, i) => {
      this.region(region, indent, inner, true);
      const last = this.out.length - 1;
      if (i < op.regions.length - 1) this.out[last] += ", ";
    });
    const last = this.out.length - 1;
    this.out[last] += `)${attrs} : ${signature}${this.loc(op.loc)}`;
    void last;
  }

  /** Prints `{`, the blocks, `}`; the caller's line ends before and continues after. */
  region(region: Region, indent: number, namer: Namer, labelEntry: boolean): void {
    const last = this.out.length - 1;
    this.out[last] += "{";
    region.blocks.forEach((block, i) => this.block(block, i, indent, namer, labelEntry || i > 0));
    this.line(indent, "}");
  }

  block(block: Block, index: number, indent: number, namer: Namer, printLabel: boolean): void {
    if (printLabel && (index > 0 || block.args.length > 0)) {
      const args = block.args.map((a) => `${namer.defineArg(a, index === 0)}: ${printType(a.type)}${this.loc(a.loc ?? { kind: "unknown" })}`);
      this.line(indent, `^bb${index}${args.length > 0 ? `(${args.join(", ")})` : ""}:`);
    } else if (index === 0) {
      for (const a of block.args) namer.defineArg(a, true);
    }
    for (const op of block.ops) this.op(op, indent + 1, namer);
  }

  /** `func.func [private] @name(%arg0: T {attrs}) -> (T {attrs}) attributes {...} { ... }`, or false if the op is malformed. */
  funcPretty(op: Operation, indent: number, namer: Namer): boolean {
    const props = op.properties;
    const fnType = props?.["function_type"];
    const sym = props?.["sym_name"];
    if (!props || !fnType || fnType.kind !== "type" || fnType.type.kind !== "function" || !sym || sym.kind !== "string") return false;
    if (op.results.length > 0 || op.operands.length > 0 || op.regions.length > 1) return false;
    const known = new Set(["function_type", "sym_name", "sym_visibility", "arg_attrs", "res_attrs"]);
    if (Object.keys(props).some((k) => !known.has(k))) return false;
    const fn = fnType.type;
    const region = op.regions[0];
    const body = region && region.blocks.length > 0 ? region : undefined;
    if (body && body.blocks[0]!.args.length !== fn.inputs.length) return false;
    const argAttrs = props["arg_attrs"];
    const resAttrs = props["res_attrs"];
    const attrAt = (list: Attribute | undefined, i: number): string => {
      if (!list || list.kind !== "array") return "";
      const d = list.elements[i];
      return d && d.kind === "dict" && Object.keys(d.entries).length > 0 ? ` ${printAttrDict(d.entries, this.options)}` : "";
    };
    const inner = namer.isolated();
    const args = fn.inputs.map((t, i) => {
      const arg = body ? `${inner.defineArg(body.blocks[0]!.args[i]!, true)}: ` : "";
      const argLoc = body ? body.blocks[0]!.args[i]!.loc : undefined;
      return `${arg}${printType(t)}${attrAt(argAttrs, i)}${argLoc && body ? this.loc(argLoc) : ""}`;
    });
    let head = "func.func ";
    const vis = props["sym_visibility"];
    if (vis && vis.kind === "string") head += `${vis.value} `;
    head += `${printSymbol(sym.value)}(${args.join(", ")})`;
    if (fn.results.length > 0) {
      const hasResAttrs = fn.results.some((_, i) => attrAt(resAttrs, i) !== "");
      if (fn.results.length === 1 && !hasResAttrs && fn.results[0]!.kind !== "function") head += ` -> ${printType(fn.results[0]!)}`;
      else head += ` -> (${fn.results.map((t, i) => `${printType(t)}${attrAt(resAttrs, i)}`).join(", ")})`;
    }
    if (Object.keys(op.attributes).length > 0) head += ` attributes ${printAttrDict(op.attributes, this.options)}`;
    if (!body) {
      this.line(indent, `${head}${this.loc(op.loc)}`);
      return true;
    }
    this.line(indent, `${head} {`);
    body.blocks.forEach((block, i) => {
      if (i === 0) {
        for (const o of block.ops) this.op(o, indent + 1, inner);
      } else {
        this.block(block, i, indent, inner, true);
      }
    });
    this.line(indent, `}${this.loc(op.loc)}`);
    return true;
  }
}

/** Prints a module as MLIR text, ending with a newline. */
export function printModule(m: Module, options: PrintOptions = {}): string {
  const p = new Printer(options);
  p.module(m);
  return p.out.join("\n") + "\n";
}

/** Prints one op (and its regions) in generic form, for diagnostics and tests. */
export function printOperation(op: Operation, options: PrintOptions = {}): string {
  const p = new Printer(options);
  p.op(op, 0, new Namer());
  return p.out.join("\n");
}
