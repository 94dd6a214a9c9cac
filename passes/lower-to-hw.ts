/**
 * `lower-to-hw{target=…}`: QDQ patterns (`quant.dcast → float op → quant.qcast`) become hw ops with
 * every parameter an integer the target uses (design.md, pass 9).
 *
 * One walk over each function body, in program order:
 * - `quant.dcast(q)`: its float result is exactly the dequantization of `q` (remembered, so later ops
 *   can take `q` itself).
 * - a float op whose operands are such dequantizations and whose result is cast by `quant.qcast`: placed
 *   with `placeOp(target, kind, activation, weight)`. Native → its pattern (passes/lowering/) emits hw
 *   ops that take the quantized operands and produce the cast's type; weights and biases become
 *   `hw.const`. The target runs it but qopt cannot express it (a pattern refuses), or the target does
 *   not run it: with float fallback the op stays float between its casts (a float island, logged with
 *   its reason); without, a legality error naming the op, its location, the types it needed and what
 *   the target lacks. Nothing is dropped to float silently.
 * - `quant.qcast(x)` of an `x` known to dequantize `q`: `q` itself when the types are equal (the pair
 *   cancels), else `hw.rescale` to the cast's type.
 * Dead casts and constants are removed at the end. The function keeps its float interface: the input's
 * `quant.qcast` and the output's `quant.dcast` stay, as TFLite keeps QUANTIZE/DEQUANTIZE at the edges.
 */
import type { Attribute, DenseAttr, DenseData } from "../src/ir/attributes.js";
import { attrDict } from "../src/ir/attributes.js";
import { attr } from "../src/ir/attr-access.js";
import { DiagnosticError, diagnostic, type Diagnostic } from "../src/ir/diagnostic.js";
import { resolveLocation, type Location } from "../src/ir/location.js";
import { hasTrait } from "../src/ir/opdef.js";
import { makeOperation, type Block, type Module, type Operation, type Value } from "../src/ir/operation.js";
import { mapFunctionBodies, withoutDeadOps, producerMap, userMap } from "../src/ir/rewriter.js";
import { typeEquals, type TensorType, type Type } from "../src/ir/types.js";
import { printType } from "../src/syntax/printer.js";
import { inHalfPrecision, isF32Tensor, runsInF16, withFloatElement } from "../src/ir/float-element.js";
import { instantiatePass, registerPass, type Decision, type Pass, type PassContext } from "../src/pass/pass.js";
import { loadTarget, type TargetSpecifier } from "../src/target/load.js";
import { allowedPairs, isPowerOfTwo, placeOp, requantRounding, scaleForm, supportedOps, supportsOp, zeroPointRange } from "../src/target/queries.js";
import { isWeightedOpKind, type OpKind, type OperandType, type RequantRounding, type Target } from "../src/target/types.js";
import { constantData } from "../src/quant/constants.js";
import { LoweringRefusal, refuse, rescaleParams, tieRounding, type TieRounding } from "../src/quant/lowering-params.js";
import { quantizeTensor } from "../dialects/quant/quantize-tensor.js";
import { denseInts, qtensor, quantElement, storageIntegerType, type BiasSource, type LoweringEnv, type QTensor, type Site, type WeightSource } from "./lowering/env.js";
import { LOWERING_PATTERNS } from "./lowering/patterns.js";
import { operandTypeOf } from "../src/target/op-kind.js";

const PASS = "lower-to-hw";

export const lowerToHwPass = registerPass({
  name: PASS,
  description: "Lower QDQ patterns to hw ops with integer parameters for a target (float islands or legality errors for the rest)",
  options: {
    target: { type: "string", description: "Target descriptor: a built-in name or ./file.json (required)" },
  },
  run(module, options, ctx) {
    const spec = options["target"];
    if (typeof spec !== "string") throw new Error(`lower-to-hw needs a target: --pass='lower-to-hw{target=tflite-int8}' or --target=…`);
    return lowerModule(module, loadTarget(spec), ctx);
  },
});

/** The pass for pipelines written in code; `target` is a built-in name, a path, or a descriptor object. */
export function lowerToHw(options: { target: TargetSpecifier }): Pass {
  if (typeof options.target === "string") return instantiatePass(lowerToHwPass, { target: options.target });
  const target = loadTarget(options.target);
  return { definition: { ...lowerToHwPass, run: (module, _options, ctx) => lowerModule(module, target, ctx) }, options: {} };
}

/** Lowers every function body; throws one `DiagnosticError` listing every op the target cannot run. */
export function lowerModule(module: Module, target: Target, ctx: PassContext): Module {
  const errors: Diagnostic[] = [];
  const result = mapFunctionBodies(module, (body) => new FunctionLowering(target, ctx, body).run(errors));
  if (errors.length > 0) throw new DiagnosticError(errors);
  return result;
}

export function locationText(loc: Location): string {
  const where = resolveLocation(loc);
  if (where) return `${where.file}:${where.line}:${where.col}`;
  return loc.kind === "opaque" ? loc.text : "an unknown location";
}

/** A float op that computes (not a constant, not a float.cast between precisions, which any float unit runs). */
function isFloatCompute(op: Operation): boolean {
  return op.name.startsWith("float.") && !hasTrait(op, "ConstantLike") && op.name !== "float.cast";
}

function typesText(activation: OperandType | undefined, weight: OperandType | undefined, weighted: boolean): string {
  const a = activation ?? "?";
  return weighted ? `(${a}, ${weight ?? "?"})` : a;
}

/** What the target offers for `kind`, for messages: "runs conv2d on (i8, i8)" or "does not run softmax". */
function offerText(target: Target, kind: OpKind): string {
  const entries = allowedPairs(target, kind);
  if (entries.length === 0) return `the target does not run ${kind} (it runs ${supportedOps(target).join(", ")})`;
  return `the target runs ${kind} on ${entries.map((e) => (e.length === 1 ? e[0] : `(${e.join(", ")})`)).join(", ")} only`;
}

/** The float type of an island, as a message suffix: f16 islands cast in and out (`float.cast`). */
function islandType(floatType: string | undefined): string {
  return floatType === "f16" ? " in f16 (the target's float fallback)" : "";
}

/** Why an op is not native, and what it needed, as one sentence for a float-island decision or a legality error. */
interface Placement {
  readonly needed: string;
  readonly why: string;
}

class FunctionLowering implements LoweringEnv {
  readonly rounding: RequantRounding;
  readonly ties: TieRounding;
  readonly powerOfTwo: boolean;
  private readonly producers: Map<Value, Operation>;
  private readonly users: Map<Value, Operation[]>;
  /** Old value → the value that replaces it (a qcast result replaced by an hw result). */
  private readonly repl = new Map<Value, Value>();
  /** Float value → the quantized value it is exactly the dequantization of. */
  private readonly quantOf = new Map<Value, Value>();
  /** Input ops not emitted (lowered float ops and the casts they absorbed). */
  private readonly lowered = new Set<Operation>();
  /** Quantized value → its dequantization, made for a kept float op that reads a lowered op's float result. */
  private readonly dequantized = new Map<Value, Value>();
  /** f32 value → its `float.cast` to f16, for f16 islands. */
  private readonly halves = new Map<Value, Value>();
  /** `quant.qcast` of a float constant → its `hw.const`. */
  private readonly folded = new Map<Operation, Value>();
  private readonly out: Operation[] = [];
  /** While a pattern runs: its ops, folded constants and decisions, committed only when it succeeds. */
  private attempt: { ops: Operation[]; folded: Map<Operation, Value>; decisions: Decision[] } | undefined;
  private readonly islands: Array<{ op: Operation; decision: Decision }> = [];
  private readonly illegal: Array<{ op: Operation; error: Diagnostic }> = [];
  private readonly counts = { lowered: 0, cancelled: 0, rescaled: 0 };
  private readonly loweredKinds = new Map<string, number>();

  constructor(
    readonly target: Target,
    private readonly ctx: PassContext,
    private readonly body: Block,
  ) {
    this.rounding = requantRounding(target);
    this.ties = tieRounding(target);
    this.powerOfTwo = scaleForm(target) === "power-of-two";
    this.producers = producerMap(body.ops);
    this.users = userMap(body.ops);
  }

  run(errors: Diagnostic[]): Block {
    for (const op of this.body.ops) this.visit(op);
    // Casts and constants the lowering absorbed are dead now.
    const ops = [...withoutDeadOps(this.out)];
    const alive = new Set(ops);
    for (const island of this.islands) if (alive.has(island.op)) this.ctx.decisions.push(island.decision);
    for (const e of this.illegal) {
      if (!alive.has(e.op)) continue;
      errors.push(e.error);
      // Logged too, so a decision log written for a failed run says what the target lacks.
      this.ctx.decisions.push({ pass: PASS, kind: "illegal", op: e.op.name, location: locationText(e.op.loc), message: e.error.message });
    }
    const kinds = [...this.loweredKinds].map(([k, n]) => `${n} ${k}`).join(", ");
    const islands = this.islands.filter((i) => alive.has(i.op)).length;
    this.ctx.decisions.push({
      pass: PASS,
      kind: "lowered",
      message: `target ${this.target.name}: lowered ${this.counts.lowered} ops to hw${kinds ? ` (${kinds})` : ""}; ${islands} float islands; ${this.counts.cancelled} quant.qcast(quant.dcast) pairs cancelled; ${this.counts.rescaled} hw.rescale inserted`,
      details: { lowered: this.counts.lowered, islands, cancelled: this.counts.cancelled, rescaled: this.counts.rescaled },
    });
    return { args: this.body.args, ops };
  }

  // -------------------------------------------------------------------------------------------------
  // The walk

  private visit(op: Operation): void {
    if (op.name === "quant.dcast") {
      const input = op.operands[0]!;
      const source = this.resolve(input);
      // A kept dequantization of a quantized constant (the weights of an op that stays float, e.g. in
      // dynamic-range mode) reads the constant's stored integers, so the program stores those. Lowered
      // consumers still see the cast of the float constant (patterns read its values); this dcast and its
      // hw.const are then dead and removed.
      const folded = this.foldConstant(input);
      if (folded !== input) this.push({ ...op, operands: [folded] });
      else this.emitRemapped(op);
      this.quantOf.set(op.results[0]!, source);
      return;
    }
    if (op.name === "quant.qcast") return this.visitQuantCast(op);
    if (isFloatCompute(op)) return this.visitFloat(op);
    this.emitRemapped(op);
  }

  /** `qcast(x)` where x dequantizes q: q itself (identical types) or `hw.rescale(q)`. */
  private visitQuantCast(op: Operation): void {
    const result = op.results[0]!;
    if (this.repl.has(result)) return; // produced by the lowered op it casts
    const source = this.quantOf.get(op.operands[0]!);
    if (!source) {
      this.emitRemapped(op);
      return;
    }
    try {
      this.begin();
      const value = this.rescale(source, result.type as TensorType, op.loc);
      this.commitOps();
      if (value === source) this.counts.cancelled++;
      this.repl.set(result, value);
      this.lowered.add(op);
    } catch (e) {
      if (!(e instanceof LoweringRefusal)) throw e;
      this.attempt = undefined;
      const emitted = this.emitRemapped(op);
      const message = `requantizing ${printType(source.type)} to ${printType(result.type)} cannot be an hw.rescale: ${e.reason}`;
      this.keep(emitted, op, `'quant.qcast' op cannot run on target "${this.target.name}": ${message}, and the target allows no float fallback`, `quant.qcast at ${locationText(op.loc)} stays a dequantize/quantize pair: ${message}`);
    }
  }

  private visitFloat(op: Operation): void {
    const pattern = LOWERING_PATTERNS.get(op.name);
    const inputs = op.operands.map((v) => this.quantOf.get(v));
    const weighted = pattern !== undefined && isWeightedOpKind(pattern.kind);
    const activation = op.operands[0] ? operandTypeOf((inputs[0] ?? op.operands[0]).type) : undefined;
    const weight = weighted && op.operands[1] ? operandTypeOf((inputs[1] ?? op.operands[1]).type) : undefined;
    if (!pattern) {
      return this.keepFloat(op, { needed: op.name, why: `qopt's target descriptors have no op kind for ${op.name}` });
    }
    const needed = `${pattern.kind} on ${typesText(activation, weight, weighted)}`;
    if (activation === undefined || (weighted && weight === undefined)) {
      return this.keepFloat(op, { needed, why: `its operand types are not types a target names` });
    }
    const placement = placeOp(this.target, pattern.kind, activation, weighted ? weight : undefined);
    if (placement.kind !== "native") return this.keepFloat(op, { needed, why: offerText(this.target, pattern.kind) });
    if (activation === "f32" || activation === "f16") {
      // The target runs this op on float activations itself (TFLite's float and hybrid kernels).
      this.emitRemapped(op);
      this.decide("float-kernel", op, `${op.name} at ${locationText(op.loc)} stays float: target "${this.target.name}" runs ${needed} natively`);
      return;
    }
    const site: Site = { op, inputs, output: this.outputType(op) };
    try {
      this.begin();
      const lowered = pattern.lower(site, this);
      if (lowered.exact) {
        this.commitOps();
        this.quantOf.set(op.results[0]!, lowered.value);
      } else {
        if (!site.output) refuse(`its result is not quantized in the QDQ input`);
        const casts = this.users.get(op.results[0]!) ?? [];
        const values = casts.map((cast) => this.rescale(lowered.value, cast.results[0]!.type as TensorType, cast.loc));
        this.commitOps();
        casts.forEach((cast, i) => {
          this.repl.set(cast.results[0]!, values[i]!);
          this.lowered.add(cast);
        });
      }
      this.lowered.add(op);
      this.counts.lowered++;
      this.loweredKinds.set(pattern.kind, (this.loweredKinds.get(pattern.kind) ?? 0) + 1);
    } catch (e) {
      if (!(e instanceof LoweringRefusal)) throw e;
      this.attempt = undefined;
      this.keepFloat(op, { needed, why: `the target runs it, but this op cannot be lowered: ${e.reason}` });
    }
  }

  /** The quantized type of the result when every use of it is a `quant.qcast`. */
  private outputType(op: Operation): TensorType | undefined {
    if (op.results.length !== 1) return undefined;
    const casts = this.users.get(op.results[0]!) ?? [];
    if (casts.length === 0 || casts.some((u) => u.name !== "quant.qcast")) return undefined;
    const t = casts[0]!.results[0]!.type;
    return t.kind === "tensor" && quantElement(t) ? t : undefined;
  }

  private keepFloat(op: Operation, p: Placement): void {
    const floatType = this.target.fallback.allowed ? this.target.fallback.floatType : undefined;
    const emitted = floatType === "f16" && runsInF16(op.results.map((r) => r.type)) ? this.emitF16Island(op) : this.emitRemapped(op);
    this.keep(
      emitted,
      op,
      `'${op.name}' op cannot run on target "${this.target.name}": it needs ${p.needed}; ${p.why}; and the target allows no float fallback`,
      `${op.name} at ${locationText(op.loc)} stays a float island${this.quantizedEdges(op) ? " between its dequantize and quantize" : ""}${islandType(floatType)}: it needs ${p.needed}; ${p.why}`,
      { needed: p.needed, reason: p.why, floatType },
    );
  }

  /** Whether a float op reads a dequantized value or feeds a quantize (an island inside the quantized program, not a float region). */
  private quantizedEdges(op: Operation): boolean {
    return op.operands.some((v) => this.producers.get(v)?.name === "quant.dcast") || op.results.some((r) => (this.users.get(r) ?? []).some((u) => u.name === "quant.qcast"));
  }

  /** A kept op that the target cannot run natively: a float island, or a legality error without fallback. */
  private keep(emitted: Operation, op: Operation, error: string, island: string, details: Record<string, unknown> = {}): void {
    if (this.target.fallback.allowed) {
      this.islands.push({ op: emitted, decision: { pass: PASS, kind: "float-island", op: op.name, location: locationText(op.loc), message: island, details } });
    } else {
      this.illegal.push({ op: emitted, error: diagnostic("error", op.loc, error) });
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Emission

  private begin(): void {
    this.attempt = { ops: [], folded: new Map(), decisions: [] };
  }

  private commitOps(): void {
    const a = this.attempt;
    if (!a) return;
    this.attempt = undefined;
    this.out.push(...a.ops);
    this.counts.rescaled += a.ops.filter((op) => op.name === "hw.rescale").length;
    for (const [k, v] of a.folded) this.folded.set(k, v);
    this.ctx.decisions.push(...a.decisions);
  }

  private push(op: Operation): void {
    (this.attempt?.ops ?? this.out).push(op);
  }

  /** The value a use of `v` refers to after lowering (a dequantization where a lowered op's float result is still read). */
  private resolve(v: Value): Value {
    const r = this.repl.get(v);
    if (r) return r;
    const p = this.producers.get(v);
    if (p && this.lowered.has(p)) {
      const q = this.quantOf.get(v);
      if (!q) throw new Error(`lower-to-hw: the float result of lowered ${p.name} is still read, and it has no exact quantized form`);
      let d = this.dequantized.get(q);
      if (!d) {
        const dcast = makeOperation({ name: "quant.dcast", operands: [q], resultTypes: [v.type], loc: p.loc });
        this.push(dcast);
        d = dcast.results[0]!;
        this.dequantized.set(q, d);
      }
      return d;
    }
    return v;
  }

  /** An island on a target whose float fallback is f16: f32 operands cast to f16, the op in f16, its results cast back to f32. */
  private emitF16Island(op: Operation): Operation {
    const operands = op.operands.map((v) => {
      const r = this.resolve(v);
      if (!isF32Tensor(r.type)) return r;
      let c = this.halves.get(r);
      if (!c) {
        c = this.emit("float.cast", [r], {}, withFloatElement(r.type, "f16"), op.loc);
        this.halves.set(r, c);
      }
      return c;
    });
    const island = inHalfPrecision(op, operands);
    this.push(island);
    island.results.forEach((r, i) => this.repl.set(op.results[i]!, this.emit("float.cast", [r], {}, op.results[i]!.type, op.loc)));
    return island;
  }

  private emitRemapped(op: Operation): Operation {
    const operands = op.operands.map((v) => this.resolve(v));
    const emitted = operands.every((v, i) => v === op.operands[i]) ? op : { ...op, operands };
    this.push(emitted);
    return emitted;
  }

  // -------------------------------------------------------------------------------------------------
  // LoweringEnv

  emit(name: string, operands: readonly Value[], attributes: Readonly<Record<string, Attribute>>, resultType: Type, loc: Location): Value {
    const op = makeOperation({ name, operands, attributes: attrDict(Object.entries(attributes)), resultTypes: [resultType], loc });
    this.push(op);
    return op.results[0]!;
  }

  constant(value: DenseAttr, resultType: Type, loc: Location): Value {
    return this.emit("hw.const", [], { value }, resultType, loc);
  }

  activation(site: Site, index: number): QTensor {
    const source = site.inputs[index];
    if (!source) refuse(`operand #${index} is not quantized (it is not a quant.dcast)`);
    return this.checkActivation(qtensor(this.foldConstant(source), `operand #${index}`), `operand #${index}`);
  }

  output(site: Site): QTensor {
    if (!site.output) refuse(`its result is not quantized in the QDQ input (not every use of it is a quant.qcast)`);
    // A stand-in value: only the type matters to callers.
    return this.checkActivation(qtensor({ type: site.output }, "result"), "result");
  }

  /** The target's rules for activations of this storage type: zero-point range (symmetric → 0) and scale form. */
  private checkActivation(t: QTensor, what: string): QTensor {
    const storage = t.storage as "i8" | "u8" | "i16";
    const zps = zeroPointRange(this.target, "activations", storage);
    if (zps && (t.zp < zps[0] || t.zp > zps[1])) {
      refuse(`the ${what} has zero point ${t.zp}, but target "${this.target.name}" needs ${storage} activation zero points in [${zps[0]}, ${zps[1]}]${zps[0] === zps[1] ? " (symmetric)" : ""}`);
    }
    if (this.powerOfTwo && !isPowerOfTwo(t.scale)) refuse(`the ${what} has scale ${t.scale}, not a power of two as target "${this.target.name}" requires`);
    return t;
  }

  /** A `quant.qcast` of a float constant becomes `hw.const` (once per cast). */
  private foldConstant(q: Value): Value {
    const cast = this.producers.get(q);
    if (!cast || cast.name !== "quant.qcast") return q;
    const known = this.folded.get(cast) ?? this.attempt?.folded.get(cast);
    if (known) return known;
    const c = constantData(cast.operands[0]!, this.producers);
    const qt = quantElement(q.type);
    if (!c || !qt) return q;
    const stored = quantizeTensor({ dtype: "f32", shape: c.shape, data: c.data }, qt, this.ties);
    const value = this.constant(denseInts(storageIntegerType(qt), c.shape, stored.data as DenseData), q.type, cast.loc);
    (this.attempt?.folded ?? this.folded).set(cast, value);
    return value;
  }

  weight(site: Site, index: number): WeightSource {
    const source = site.inputs[index];
    if (!source) refuse(`the weights are not quantized (operand #${index} is not a quant.dcast)`);
    const q = quantElement(source.type);
    if (!q || source.type.kind !== "tensor") refuse(`the weights are not a quantized tensor (${printType(source.type)})`);
    const cast = this.producers.get(source);
    const c = cast && cast.name === "quant.qcast" ? constantData(cast.operands[0]!, this.producers) : undefined;
    return c ? { type: source.type, q, constant: c.data } : { type: source.type, q, value: source };
  }

  bias(site: Site, index: number): BiasSource | undefined {
    const v = site.op.operands[index];
    if (!v) return undefined;
    const source = site.inputs[index];
    if (source) {
      const q = quantElement(source.type);
      const cast = this.producers.get(source);
      const ints = q && cast && cast.name === "quant.scast" ? integerConstantData(cast.operands[0]!, this.producers) : undefined;
      if (q && ints) {
        // Integers reinterpreted as quantized (ONNX DequantizeLinear of an int32 initializer): they are the stored bias.
        const stored = Int32Array.from(ints, Number);
        const channel = (i: number): number => (q.scales.length === 1 ? 0 : i);
        const real = Float32Array.from(stored, (s, i) => Math.fround((s - q.zeroPoints[channel(i)]!) * Math.fround(q.scales[channel(i)]!)));
        return { real, q, stored };
      }
      const c = cast && cast.name === "quant.qcast" ? constantData(cast.operands[0]!, this.producers) : undefined;
      if (!q || !c) refuse(`the bias is not a constant`);
      const stored = quantizeTensor({ dtype: "f32", shape: c.shape, data: c.data }, q, this.ties).data;
      return { real: c.data, q, stored: stored instanceof Int32Array ? stored : Int32Array.from(stored as ArrayLike<number>) };
    }
    const c = constantData(v, this.producers);
    if (!c) refuse(`the bias is not a constant`);
    return { real: c.data };
  }

  require(kind: OpKind, activation: OperandType, what: string): void {
    if (!supportsOp(this.target, kind, activation)) refuse(`${what} needs ${kind} on ${activation}, and ${offerText(this.target, kind)}`);
  }

  rescale(value: Value, to: TensorType, loc: Location): Value {
    if (typeEquals(value.type, to)) return value;
    const from = qtensor(value, "requantized value");
    const target = qtensor({ type: to }, "requantization result");
    const p = rescaleParams(from.scale, target.scale, this.powerOfTwo);
    return this.emit(
      "hw.rescale",
      [value],
      {
        input_zp: attr.int(from.zp),
        output_zp: attr.int(target.zp),
        multiplier: attr.ints([p.multiplier]),
        shift: attr.ints([p.shift]),
        scale32: attr.bool(true),
        // TOSA DOUBLE_ROUND equals TFLite's default rounding; single rounding is TFLITE_SINGLE_ROUNDING.
        double_round: attr.bool(this.rounding !== "single-round"),
      },
      to,
      loc,
    );
  }

  decide(kind: string, op: Operation, message: string, details?: Readonly<Record<string, unknown>>): void {
    const d: Decision = { pass: PASS, kind, op: op.name, location: locationText(op.loc), message, ...(details ? { details } : {}) };
    (this.attempt?.decisions ?? this.ctx.decisions).push(d);
  }
}

/** The integers of a value produced by a constant op with integer dense data (splats expanded); undefined otherwise. */
function integerConstantData(v: Value, producers: ReadonlyMap<Value, Operation>): ArrayLike<number | bigint> | undefined {
  const p = producers.get(v);
  if (!p || !hasTrait(p, "ConstantLike")) return undefined;
  const a = p.attributes["value"] ?? p.properties?.["value"];
  if (!a || a.kind !== "dense" || a.type.element.kind !== "int" || a.type.shape === null) return undefined;
  const count = a.type.shape.reduce((x, y) => x * y, 1);
  return a.splat ? Array.from({ length: count }, () => a.data[0]!) : (a.data as ArrayLike<number | bigint>);
}
