/**
 * A minimal WebAssembly binary encoder, enough to emit the SIMD compute kernels of the interpreter
 * (f32 and int8 convolution, elementwise ops) from TypeScript at start-up: no toolchain, no prebuilt binary, nothing
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

/** SIMD opcodes (after the 0xfd prefix) used by the kernels, in opcode order. */
export const Simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f32x4Ne: 0x42,
  bitselect: 0x52,
  store64Lane: 0x5b,
  load64Zero: 0x5d,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Nearest: 0x6a,
  i32x4Add: 0xae,
  i32x4MinS: 0xb6,
  i32x4MaxS: 0xb8,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
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

  /** A SIMD lane memory instruction (v128.storeN_lane / loadN_lane). */
  simdMemLane(opcode: number, alignLog2: number, offset: number, lane: number): this {
    this.simdMem(opcode, alignLog2, offset);
    this.body.push(lane);
    return this;
  }

  /** v128.const with all 16 bytes given. */
  v128Const(bytes: readonly number[]): this {
    this.simd(0x0c);
    this.body.push(...bytes);
    return this;
  }

  /** v128.const of four equal f32 lanes. */
  f32x4Const(value: number): this {
    const lane = new Uint8Array(new Float32Array([value]).buffer);
    return this.v128Const([...lane, ...lane, ...lane, ...lane]);
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

/** Core opcodes used by the kernels. */
export const I32_LOAD = 0x28;
export const I32_EQZ = 0x45;
export const I32_LT_S = 0x48;
export const I32_GE_S = 0x4e;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;

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

/**
 * The parts of the WebAssembly JS API the kernels use. The project compiles against ES2022 + Node
 * types, which do not declare the `WebAssembly` global, so it is read from `globalThis` with this shape.
 */
interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}

/** The memory a module built by `encodeModule` exports. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** (module (func (result v128) (v128.const i32x4 0 0 0 0))) */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c,
  ...new Array<number>(16).fill(0), 0x0b,
]);

function simdEngine(): WebAssemblyApi | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return undefined;
  try {
    return api.validate(SIMD_PROBE) ? api : undefined;
  } catch {
    return undefined;
  }
}

const PAGE = 65536;

/** Views of a module's memory, valid until the next `Workspace.commit` (growing detaches the buffer). */
export interface MemoryViews {
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;
}

/**
 * One call's scratch memory: regions are bump-allocated (16-byte aligned) above the constants, then
 * `commit` grows the memory to fit and returns views. Kernels copy operands in, run, and copy results
 * out; nothing survives the call.
 */
export class Workspace {
  constructor(
    private readonly memory: WasmMemory,
    private top: number,
  ) {}

  alloc(bytes: number): number {
    const at = this.top;
    this.top = (this.top + bytes + 15) & ~15;
    return at;
  }

  commit(): MemoryViews {
    return viewsOf(this.memory, this.top);
  }
}

/** Thrown when a module's memory cannot grow to what a call needs (wasm32 tops out at 4 GiB). */
export class SimdMemoryError extends RangeError {
  override name = "SimdMemoryError";
}

function viewsOf(memory: WasmMemory, top: number): MemoryViews {
  const missing = top - memory.buffer.byteLength;
  if (missing > 0) {
    try {
      memory.grow(Math.ceil(missing / PAGE));
    } catch {
      throw new SimdMemoryError(`WebAssembly memory cannot grow to ${top} bytes`);
    }
  }
  const b = memory.buffer;
  return { f32: new Float32Array(b), f64: new Float64Array(b), i32: new Int32Array(b), i8: new Int8Array(b), u8: new Uint8Array(b) };
}

/**
 * First-fit allocator for the long-lived region at the bottom of a module's memory (address 64 up;
 * below stays unused so that 0 can mean "none"). Freed neighbours coalesce; `top` is the end of the
 * highest live block, where workspaces start.
 */
class ConstantArena {
  private free: Array<{ at: number; bytes: number }> = [];
  top = 64;

  alloc(size: number): number {
    const bytes = (size + 15) & ~15;
    const i = this.free.findIndex((b) => b.bytes >= bytes);
    if (i >= 0) {
      const block = this.free[i]!;
      const at = block.at;
      if (block.bytes === bytes) this.free.splice(i, 1);
      else this.free[i] = { at: at + bytes, bytes: block.bytes - bytes };
      return at;
    }
    const at = this.top;
    this.top += bytes;
    return at;
  }

  release(at: number, size: number): void {
    const bytes = (size + 15) & ~15;
    this.free.push({ at, bytes });
    this.free.sort((a, b) => a.at - b.at);
    const merged: Array<{ at: number; bytes: number }> = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.at + last.bytes === b.at) last.bytes += b.bytes;
      else merged.push({ ...b });
    }
    const last = merged[merged.length - 1];
    if (last && last.at + last.bytes === this.top) {
      this.top = last.at;
      merged.pop();
    }
    this.free = merged;
  }
}

interface ConstantEntry {
  readonly at: number;
  readonly bytes: number;
  readonly sample: readonly number[];
}

/**
 * A lazily compiled SIMD kernel module: `build` runs on first use; on an engine without WebAssembly
 * SIMD `exports()` returns undefined and callers keep their plain-JS path. Each module owns its memory:
 * constants (packed weights) live at the bottom for as long as the arrays they were made from, and
 * every call's workspace above them; the memory grows to the largest need and is reused.
 */
export class SimdKernels<Exports> {
  private state: { exports: Exports; memory: WasmMemory } | null | undefined;
  private readonly arena = new ConstantArena();
  private readonly constants = new WeakMap<object, Map<string, ConstantEntry>>();
  /** Frees an owner's constants once the owner (a weights array) is garbage collected. */
  private readonly finalizer = new FinalizationRegistry<Map<string, ConstantEntry>>((entries) => {
    for (const e of entries.values()) this.arena.release(e.at, e.bytes);
  });

  constructor(private readonly build: () => readonly FunctionBuilder[]) {}

  private load(): { exports: Exports; memory: WasmMemory } | null {
    if (this.state === undefined) {
      const api = simdEngine();
      if (api === undefined) {
        this.state = null;
      } else {
        const instance = new api.Instance(new api.Module(encodeModule(this.build(), 1)), {});
        this.state = { exports: instance.exports as unknown as Exports, memory: instance.exports["memory"] as WasmMemory };
      }
    }
    return this.state;
  }

  /** The exported functions, or undefined without WebAssembly SIMD. */
  exports(): Exports | undefined {
    return this.load()?.exports;
  }

  private memory(): WasmMemory {
    const state = this.load();
    if (!state) throw new Error("SIMD kernels are not available");
    return state.memory;
  }

  /**
   * The address of a constant derived from `owner` (e.g. weights packed for a kernel), written by
   * `write` the first time and kept until `owner` is collected. `key` names the derivation; `sample`
   * (a few values of the owner) is compared on every lookup so that an owner changed in place is
   * rewritten rather than served stale. Call before `workspace()`: it may move the workspace base.
   */
  constant(owner: object, key: string, sample: readonly number[], bytes: number, write: (mem: MemoryViews, at: number) => void): number {
    const memory = this.memory();
    let entries = this.constants.get(owner);
    const hit = entries?.get(key);
    if (hit && hit.bytes === bytes && hit.sample.every((v, i) => Object.is(v, sample[i]))) return hit.at;
    const at = hit && hit.bytes === bytes ? hit.at : this.arena.alloc(bytes);
    if (hit && hit.bytes !== bytes) this.arena.release(hit.at, hit.bytes);
    if (!entries) {
      entries = new Map();
      this.constants.set(owner, entries);
      this.finalizer.register(owner, entries);
    }
    let views: MemoryViews;
    try {
      views = viewsOf(memory, Math.max(at + bytes, this.arena.top));
    } catch (e) {
      this.arena.release(at, bytes);
      entries.delete(key);
      throw e;
    }
    entries.set(key, { at, bytes, sample: [...sample] });
    write(views, at);
    return at;
  }

  /**
   * Runs a kernel call; false when it needs more memory than WebAssembly can give, so that the
   * caller falls back to its plain-JS path (which has no such limit).
   */
  attempt(call: () => boolean): boolean {
    try {
      return call();
    } catch (e) {
      if (e instanceof SimdMemoryError) return false;
      throw e;
    }
  }

  /** A fresh workspace over this module's memory, above its constants. */
  workspace(): Workspace {
    return new Workspace(this.memory(), this.arena.top);
  }
}
