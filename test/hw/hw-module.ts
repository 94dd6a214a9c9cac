/** Building hw test modules as MLIR text, verifying them and running them through the interpreter. */
import { expect } from "vitest";
import "../../src/registry.js";
import { parseModule } from "../../src/syntax/parser.js";
import { verifyModule } from "../../src/ir/verifier.js";
import { formatDiagnostic } from "../../src/ir/diagnostic.js";
import { interpret } from "../../src/interp/interpreter.js";
import { makeTensor, type DType, type Tensor } from "../../src/interp/tensor.js";

/** MLIR element type text of a storage dtype. */
export function elementOf(dtype: DType): string {
  switch (dtype) {
    case "u8":
      return "ui8";
    case "u16":
      return "ui16";
    default:
      return dtype;
  }
}

export function tensorText(shape: readonly number[], element: string): string {
  return `tensor<${shape.length === 0 ? "" : shape.join("x") + "x"}${element}>`;
}

/** `dense<"0x…"> : tensor<…>` (MLIR's hex form: little-endian bytes), exact for any size. */
export function denseHex(values: ArrayLike<number> | BigInt64Array, shape: readonly number[], dtype: DType): string {
  const n = values.length;
  if (n === 0) return `dense<> : ${tensorText(shape, elementOf(dtype))}`;
  let bytes: Uint8Array;
  switch (dtype) {
    case "i8":
      bytes = new Uint8Array(Int8Array.from(values as ArrayLike<number>).buffer);
      break;
    case "u8":
      bytes = Uint8Array.from(values as ArrayLike<number>);
      break;
    case "i16":
      bytes = new Uint8Array(Int16Array.from(values as ArrayLike<number>).buffer);
      break;
    case "i32":
      bytes = new Uint8Array(Int32Array.from(values as ArrayLike<number>).buffer);
      break;
    case "i64":
      bytes = new Uint8Array(BigInt64Array.from(Array.from({ length: n }, (_, i) => BigInt((values as ArrayLike<number | bigint>)[i]!))).buffer);
      break;
    default:
      throw new Error(`denseHex: unsupported dtype ${dtype}`);
  }
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join("");
  return `dense<"0x${hex}"> : ${tensorText(shape, elementOf(dtype))}`;
}

/** `%name = "hw.const"() {value = …} : () -> type` */
export function constLine(name: string, values: ArrayLike<number>, shape: readonly number[], dtype: DType, resultType?: string): string {
  return `  %${name} = "hw.const"() {value = ${denseHex(values, shape, dtype)}} : () -> ${resultType ?? tensorText(shape, elementOf(dtype))}`;
}

/** Parses, checks that the verifier is silent, and runs `@main`. */
export function runText(text: string, inputs: readonly Tensor[], label = "test.mlir"): Tensor[] {
  const module = parseModule(text, { filename: label });
  const diagnostics = verifyModule(module);
  expect(diagnostics.map(formatDiagnostic), `${label} verifies`).toEqual([]);
  return interpret(module, inputs);
}

/** Verifier messages of a module (parse must succeed). */
export function verifierMessages(text: string): string[] {
  return verifyModule(parseModule(text, { filename: "test.mlir" })).map((d) => d.message);
}

export function int8(shape: readonly number[], values: ArrayLike<number>): Tensor {
  return makeTensor("i8", shape, Int8Array.from(values));
}

export function values(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number>);
}

/** A float literal MLIR parses back to exactly `x` (shortest round-trip digits, always with a `.`). */
export function floatText(x: number): string {
  const s = String(x);
  if (s.includes(".")) return s;
  const e = s.indexOf("e");
  return e < 0 ? `${s}.0` : `${s.slice(0, e)}.0${s.slice(e)}`;
}
