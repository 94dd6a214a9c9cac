/**
 * A minimal WebAssembly binary encoder, enough to emit the SIMD compute kernels of the interpreter
 * (f32 gemm, int8 conv) from TypeScript at start-up: no toolchain, no prebuilt binary, nothing
 * downloaded. It writes one module with an exported linear memory and exported functions; the
 * function bodies are built instruction by instruction with `FunctionBuilder`.
 *
 * Encoding: WebAssembly core spec §5 (binary format) and the fixed-width SIMD proposal
 * (proposals/simd/BinarySIMD.md, final opcode numbering; every SIMD op is 0xfd + LEB128 opcode).
 */

export const i32 = 0x7f;
export const f32 = 0x7d;
export const f64 = 0x7c;
export const v128 = 0x7b;
export type ValueType = typeof i32 | typeof f32 | typeof f64 | typeof v128;

/** SIMD opcodes (after the 0xfd prefix) used by the kernels. */
export const Simd = {
  load: 0x00,
  load8x8S: 0x01,
  load32Splat: 0x09,
  load64Splat: 0x0a,
  store: 0x0b,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
} as const;

function unsignedLeb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function signedLeb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/**
 * One function: parameters, named locals and the body. Instruction methods append to the body and
 * return `this`, so code reads like the text format: `f.get(p).i32(4).op(I32_ADD).set(p)`.
 */
export class FunctionBuilder {
  readonly body: number[] = [];
  private readonly localTypes: ValueType[] = [];
  private readonly names = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly params: ReadonlyArray<readonly [string, ValueType]>,
    readonly results: readonly ValueType[] = [],
  ) {
    params.forEach(([n], i) => this.names.set(n, i));
  }

  /** Declares a local (or returns the existing one of that name). */
  local(name: string, type: ValueType): number {
    const existing = this.names.get(name);
    if (existing !== undefined) return existing;
    const index = this.params.length + this.localTypes.length;
    this.localTypes.push(type);
    this.names.set(name, index);
    return index;
  }

  private index(name: string): number {
    const i = this.names.get(name);
    if (i === undefined) throw new Error(`wasm function ${this.name}: no local '${name}'`);
    return i;
  }

  /** Raw opcode bytes (core instructions without immediates). */
  op(...bytes: number[]): this {
    this.body.push(...bytes);
    return this;
  }

  get(name: string): this {
    this.body.push(0x20);
    unsignedLeb(this.body, this.index(name));
    return this;
  }

  set(name: string): this {
    this.body.push(0x21);
    unsignedLeb(this.body, this.index(name));
    return this;
  }

  tee(name: string): this {
    this.body.push(0x22);
    unsignedLeb(this.body, this.index(name));
    return this;
  }

  i32(value: number): this {
    this.body.push(0x41);
    signedLeb(this.body, value);
    return this;
  }

  /** `name += delta` for an i32 local. */
  addTo(name: string, delta: number | string): this {
    this.get(name);
    if (typeof delta === "number") this.i32(delta);
    else this.get(delta);
    return this.op(I32_ADD).set(name);
  }

  /** A memory instruction: opcode, alignment exponent, byte offset. */
  mem(opcode: number, alignLog2: number, offset = 0): this {
    this.body.push(opcode);
    unsignedLeb(this.body, alignLog2);
    unsignedLeb(this.body, offset);
    return this;
  }

  simd(opcode: number): this {
    this.body.push(0xfd);
    unsignedLeb(this.body, opcode);
    return this;
  }

  /** A SIMD memory instruction (v128.load, loadN_splat, store, …). */
  simdMem(opcode: number, alignLog2: number, offset = 0): this {
    this.simd(opcode);
    unsignedLeb(this.body, alignLog2);
    unsignedLeb(this.body, offset);
    return this;
  }

  simdLane(opcode: number, lane: number): this {
    this.simd(opcode);
    this.body.push(lane);
    return this;
  }

  /** `block` / `loop` with an empty block type; close with `end()`. */
  block(): this {
    return this.op(0x02, 0x40);
  }

  loop(): this {
    return this.op(0x03, 0x40);
  }

  /** `if` with an empty block type. */
  if(): this {
    return this.op(0x04, 0x40);
  }

  else(): this {
    return this.op(0x05);
  }

  end(): this {
    return this.op(0x0b);
  }

  br(depth: number): this {
    this.body.push(0x0c);
    unsignedLeb(this.body, depth);
    return this;
  }

  brIf(depth: number): this {
    this.body.push(0x0d);
    unsignedLeb(this.body, depth);
    return this;
  }

  /**
   * `for (; counter < limit; counter += step) body()`, as block { loop { br_if exit; body; step; br } }.
   * The counter must be initialized before. Inside `body`, depth 0 is the loop and 1 the exit block.
   */
  forLoop(counter: string, limit: string, step: number, body: () => void): this {
    this.block().loop();
    this.get(counter).get(limit).op(I32_GE_S).brIf(1);
    body();
    this.addTo(counter, step).br(0);
    return this.end().end();
  }

  /** Encoded locals declaration + body, as the code section wants it. */
  encode(): number[] {
    const out: number[] = [];
    // Run-length groups of equal local types.
    const groups: Array<[number, ValueType]> = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    unsignedLeb(out, groups.length);
    for (const [count, t] of groups) {
      unsignedLeb(out, count);
      out.push(t);
    }
    out.push(...this.body, 0x0b);
    const sized: number[] = [];
    unsignedLeb(sized, out.length);
    return sized.concat(out);
  }
}

export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const I32_SHL = 0x74;
export const I32_LT_S = 0x48;
export const I32_GE_S = 0x4e;
export const I32_EQZ = 0x45;
export const F32_LOAD = 0x2a;
export const F64_LOAD = 0x2b;
export const F32_STORE = 0x38;
export const F64_STORE = 0x39;
export const I32_LOAD = 0x28;
export const I32_STORE = 0x36;

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  unsignedLeb(out, content.length);
  out.push(...content);
}

function name(out: number[], text: string): void {
  const bytes = new TextEncoder().encode(text);
  unsignedLeb(out, bytes.length);
  out.push(...bytes);
}

/**
 * A module with one exported memory ("memory", `initialPages` × 64 KiB, growable) and the given
 * functions, each exported under its name. Every function gets its own type entry (duplicates are
 * harmless).
 */
export function encodeModule(functions: readonly FunctionBuilder[], initialPages: number): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  unsignedLeb(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    unsignedLeb(types, f.params.length);
    for (const [, t] of f.params) types.push(t);
    unsignedLeb(types, f.results.length);
    types.push(...f.results);
  }
  section(out, 1, types);
  const funcs: number[] = [];
  unsignedLeb(funcs, functions.length);
  functions.forEach((_, i) => unsignedLeb(funcs, i));
  section(out, 3, funcs);
  const memory: number[] = [1, 0x00];
  unsignedLeb(memory, initialPages);
  section(out, 5, memory);
  const exports: number[] = [];
  unsignedLeb(exports, functions.length + 1);
  name(exports, "memory");
  exports.push(0x02, 0x00);
  functions.forEach((f, i) => {
    name(exports, f.name);
    exports.push(0x00);
    unsignedLeb(exports, i);
  });
  section(out, 7, exports);
  const code: number[] = [];
  unsignedLeb(code, functions.length);
  for (const f of functions) code.push(...f.encode());
  section(out, 10, code);
  return new Uint8Array(out);
}

/** True when this engine validates SIMD modules (Node ≥ 16.4 does). */
export function wasmSimdSupported(): boolean {
  // (module (func (result v128) (v128.const i32x4 0 0 0 0)))
  const probe = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c,
    ...new Array<number>(16).fill(0), 0x0b,
  ]);
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(probe);
  } catch {
    return false;
  }
}
