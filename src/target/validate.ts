/**
 * Validation of target descriptors: the JSON Schema (`targets/schema.json`, checked by ajv) and then the
 * cross-field rules a schema cannot say (an op pair naming a type the target does not list, a fusion of
 * an op the target does not run, ...). Every problem becomes a `TargetError` whose text names the file,
 * the JSON pointer, the bad value and what is allowed:
 *
 *     targets/my-chip.json: /ops/conv2d/0/1: "i4" is not one of i8, u8, i16, f16, f32
 *
 * Validation never throws for a bad descriptor; `loadTarget` turns the errors into one exception.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { schemaPath } from "./package-files.js";
import { escapePointerSegment, type SourcePosition } from "./json-source.js";
import {
  INTEGER_OPERAND_TYPES,
  isIntegerOperandType,
  isWeightedOpKind,
  OP_KINDS,
  type BiasType,
  type FusionPattern,
  type IntegerOperandType,
  type OpKind,
  type OperandType,
  type Target,
} from "./types.js";

/** One problem with a descriptor. */
export interface TargetError {
  /** The file as the user named it (`targets/my-chip.json`), or `<object>` for an in-memory descriptor. */
  readonly source: string;
  /** JSON pointer of the offending value (`/ops/conv2d/0/1`, `` for the root); absent for file-level errors. */
  readonly pointer?: string;
  /** Where the offending value starts in the file, when the descriptor came from text. */
  readonly line?: number;
  readonly column?: number;
  /** The problem alone: `"i4" is not one of i8, u8, i16, f16, f32`. */
  readonly message: string;
  /** The full line to show: `targets/my-chip.json: /ops/conv2d/0/1: "i4" is not one of ...`. */
  readonly text: string;
}

export type TargetValidation =
  | { readonly ok: true; readonly target: Target; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly TargetError[] };

/** The source name used for descriptors given as objects. */
export const OBJECT_SOURCE = "<object>";

/** A pointer as shown in messages: the root is `/`. */
function showPointer(pointer: string): string {
  return pointer === "" ? "/" : pointer;
}

/** An error located at a JSON pointer. */
export function pointerError(source: string, pointer: string, message: string, position?: SourcePosition): TargetError {
  const text = `${source}: ${showPointer(pointer)}: ${message}`;
  return position === undefined ? { source, pointer, message, text } : { source, pointer, message, text, line: position.line, column: position.column };
}

/** An error about the file as a whole (not found, unreadable). */
export function fileError(source: string, message: string): TargetError {
  return { source, message, text: `${source}: ${message}` };
}

/** An error at a line and column of the file (JSON syntax). */
export function textError(source: string, position: SourcePosition, message: string, pointer?: string): TargetError {
  const text = pointer === undefined ? `${source}:${position.line}:${position.column}: ${message}` : `${source}:${position.line}:${position.column}: ${showPointer(pointer)}: ${message}`;
  const base = { source, message, text, line: position.line, column: position.column };
  return pointer === undefined ? base : { ...base, pointer };
}

let compiledSchema: ValidateFunction | undefined;

/** The schema validator, compiled on first use (ajv compilation costs milliseconds; most runs never validate twice). */
function schemaValidator(): ValidateFunction {
  if (compiledSchema === undefined) {
    const schema = JSON.parse(readFileSync(schemaPath(), "utf8")) as object;
    // allErrors: report every problem at once, not one per run. verbose: errors carry the offending
    // value and the schema that rejected it, which the messages quote. strictRequired is off because
    // `fallback`'s if/then requires a property declared beside it, not inside `then`.
    // ajv (CommonJS) loads on first validation: ~50 ms of start-up that runs without a target never pay.
    const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, logger: false });
    compiledSchema = ajv.compile(schema);
  }
  return compiledSchema;
}

/** A value as quoted in messages: strings in JSON quotes, numbers as written, containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(value);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function schemaKeys(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

/** The message for one ajv error (without source and pointer), or undefined to drop it. */
function schemaErrorMessage(e: ErrorObject): string | undefined {
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  const opEntry = /^\/ops\/([^/]+)\/\d+$/.exec(e.instancePath);
  switch (e.keyword) {
    case "enum":
      return `${describeValue(data)} is not one of ${(params["allowedValues"] as unknown[]).map(String).join(", ")}`;
    case "const":
      return `expected ${String(params["allowedValue"])}, got ${describeValue(data)}`;
    case "type": {
      const type = String(params["type"]);
      return `expected ${TYPE_NAMES[type] ?? type}, got ${describeValue(data)}`;
    }
    case "additionalProperties":
      return `unknown key "${String(params["additionalProperty"])}" (allowed: ${schemaKeys(e.parentSchema).join(", ")})`;
    case "required":
      return `missing required key "${String(params["missingProperty"])}"`;
    case "minItems":
    case "maxItems": {
      const got = Array.isArray(data) ? data.length : 0;
      if (opEntry !== null) {
        const kind = opEntry[1]! as OpKind;
        return isWeightedOpKind(kind)
          ? `${kind} entries are [activation, weight], got ${plural(got, "type")}`
          : `${kind} entries are [activation] (${kind} has no weight), got ${plural(got, "type")}`;
      }
      const min = (e.parentSchema as { minItems?: number } | undefined)?.minItems;
      const max = (e.parentSchema as { maxItems?: number } | undefined)?.maxItems;
      if (min !== undefined && min === max) return `expected exactly ${plural(min, "item")}, got ${got}`;
      return e.keyword === "minItems" ? `expected at least ${plural(Number(params["limit"]), "item")}, got ${got}` : `expected at most ${plural(Number(params["limit"]), "item")}, got ${got}`;
    }
    case "uniqueItems": {
      const i = Number(params["i"]);
      const j = Number(params["j"]);
      const item = Array.isArray(data) ? data[i] : undefined;
      const shown = Array.isArray(item) ? JSON.stringify(item) : describeValue(item);
      return `${shown} is listed twice (items ${Math.min(i, j)} and ${Math.max(i, j)})`;
    }
    case "minProperties":
      return `expected at least ${plural(Number(params["limit"]), "key")}, got none`;
    case "minimum":
      return `expected at least ${String(params["limit"])}, got ${describeValue(data)}`;
    case "maximum":
      return `expected at most ${String(params["limit"])}, got ${describeValue(data)}`;
    case "exclusiveMinimum":
      return `expected more than ${String(params["limit"])}, got ${describeValue(data)}`;
    case "exclusiveMaximum":
      return `expected less than ${String(params["limit"])}, got ${describeValue(data)}`;
    case "minLength":
      return "must not be empty";
    case "pattern":
      return e.instancePath === "/name"
        ? `${describeValue(data)} is not a valid name (lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)`
        : `${describeValue(data)} does not match ${String(params["pattern"])}`;
    case "if":
      // The failing `then` branch reports the real problem (a missing key); "must match then" adds nothing.
      return undefined;
    default:
      return e.message ?? e.keyword;
  }
}

/** Schema errors as TargetErrors: one per problem, type errors masking the rest at the same place, in file order. */
function schemaErrors(errors: readonly ErrorObject[], source: string, positions?: ReadonlyMap<string, SourcePosition>): TargetError[] {
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const out: TargetError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "type" && typeErrorAt.has(e.instancePath)) continue;
    const message = schemaErrorMessage(e);
    if (message === undefined) continue;
    // An unknown key is best located at the key's own value, not at the object holding it.
    const located =
      e.keyword === "additionalProperties" ? `${e.instancePath}/${escapePointerSegment(String((e.params as { additionalProperty: unknown }).additionalProperty))}` : e.instancePath;
    const err = pointerError(source, e.instancePath, message, positions?.get(located));
    if (seen.has(err.text)) continue;
    seen.add(err.text);
    out.push(err);
  }
  return sortByPosition(out);
}

function sortByPosition(errors: TargetError[]): TargetError[] {
  const rank = (e: TargetError): number => (e.line === undefined ? Number.MAX_SAFE_INTEGER : e.line * 1e6 + (e.column ?? 0));
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

const BITS: Readonly<Record<BiasType, number>> = { i32: 32, i64: 64 };

/** Storage range of an integer type. */
function storageRange(type: IntegerOperandType): readonly [number, number] {
  switch (type) {
    case "i8":
      return [-128, 127];
    case "u8":
      return [0, 255];
    case "i16":
      return [-32768, 32767];
  }
}

function list(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}

/** The cross-field rules; `t` has passed the schema. */
function semanticErrors(t: Target, source: string, positions?: ReadonlyMap<string, SourcePosition>): TargetError[] {
  const errors: TargetError[] = [];
  const at = (pointer: string, message: string): void => {
    errors.push(pointerError(source, pointer, message, positions?.get(pointer)));
  };
  const activationTypes: readonly OperandType[] = t.types.activations;
  const weightTypes: readonly OperandType[] = t.types.weights;
  const intActivations = INTEGER_OPERAND_TYPES.filter((x) => activationTypes.includes(x));
  const intWeights = INTEGER_OPERAND_TYPES.filter((x) => weightTypes.includes(x));
  const runs = (kind: OpKind): boolean => t.ops[kind] !== undefined;

  // Ops: every type in a pair must be one the target stores in that role.
  for (const kind of OP_KINDS) {
    const entries = t.ops[kind];
    if (entries === undefined) continue;
    entries.forEach((entry, i) => {
      const [activation, weight] = entry as readonly OperandType[];
      if (activation !== undefined && !activationTypes.includes(activation))
        at(`/ops/${kind}/${i}/0`, `"${activation}" is not listed in /types/activations (${list(activationTypes)})`);
      if (weight !== undefined && !weightTypes.includes(weight)) at(`/ops/${kind}/${i}/1`, `"${weight}" is not listed in /types/weights (${list(weightTypes)})`);
    });
  }

  // Per-integer-type maps: exactly one entry per integer type of the role.
  const perType = (pointer: string, map: object, required: readonly IntegerOperandType[], role: "activations" | "weights"): void => {
    const keys = Object.keys(map);
    for (const type of required) if (!keys.includes(type)) at(pointer, `missing required key "${type}" (${type} is in /types/${role})`);
    for (const key of keys)
      if (!(required as readonly string[]).includes(key)) at(`${pointer}/${key}`, `"${key}" is not an integer type in /types/${role} (${list(required)})`);
  };
  const q = t.quantization;
  perType("/quantization/activations", q.activations, intActivations, "activations");
  perType("/quantization/weights", q.weights, intWeights, "weights");
  perType("/quantization/biasType", q.biasType, intActivations, "activations");
  perType("/requantization/accumulatorBits", t.requantization.accumulatorBits, intActivations, "activations");

  // Zero-point constraints.
  for (const role of ["activations", "weights"] as const) {
    for (const [type, rules] of Object.entries(q[role])) {
      if (rules === undefined || rules.zeroPointRange === undefined || !isIntegerOperandType(type as OperandType)) continue;
      const pointer = `/quantization/${role}/${type}/zeroPointRange`;
      const [lo, hi] = rules.zeroPointRange;
      const [min, max] = storageRange(type as IntegerOperandType);
      if (rules.symmetric) at(pointer, "a symmetric type has a fixed zero point; remove zeroPointRange or set symmetric to false");
      else if (lo > hi) at(pointer, `[${lo}, ${hi}] is empty: the first value must not exceed the second`);
      else if (lo < min || hi > max) at(pointer, `[${lo}, ${hi}] is not within ${type}'s range [${min}, ${max}]`);
    }
  }

  // Weight granularity for an op the target does not run is a leftover or a mistake.
  for (const key of Object.keys(q.weightGranularity)) {
    if (key !== "default" && !runs(key as OpKind)) at(`/quantization/weightGranularity/${key}`, `${key} is not in /ops`);
  }

  // Bias and accumulator.
  const biasTypes: readonly BiasType[] = t.types.bias;
  for (const type of intActivations) {
    const bias = q.biasType[type];
    if (bias !== undefined && !biasTypes.includes(bias)) at(`/quantization/biasType/${type}`, `"${bias}" is not listed in /types/bias (${list(biasTypes)})`);
    const bits = t.requantization.accumulatorBits[type];
    if (bias !== undefined && bits !== undefined && bits < BITS[bias])
      at(`/requantization/accumulatorBits/${type}`, `a ${bits}-bit accumulator cannot hold the ${bias} bias of /quantization/biasType/${type}`);
  }
  if (q.scale === "any" && t.requantization.multiplierBits === undefined)
    at("/requantization", `missing required key "multiplierBits" (needed when /quantization/scale is "any")`);

  // Fusions and sparsity refer to ops the target runs.
  t.fusions.forEach((pattern: FusionPattern, i) => {
    const head = pattern.split("+")[0] as OpKind;
    if (!runs(head)) at(`/fusions/${i}`, `"${pattern}" needs ${head}, which is not in /ops`);
  });
  t.sparsity?.ops.forEach((entry, i) => {
    if (!runs(entry.op)) at(`/sparsity/ops/${i}/op`, `"${entry.op}" is not in /ops`);
    if (entry.kernel !== undefined && entry.op !== "conv2d" && entry.op !== "depthwise_conv2d")
      at(`/sparsity/ops/${i}/kernel`, `${entry.op} has no spatial kernel; kernel applies to conv2d and depthwise_conv2d only`);
  });

  // Fallback.
  if (!t.fallback.allowed && (t.fallback as { floatType?: unknown }).floatType !== undefined)
    at("/fallback/floatType", "float islands are not allowed (/fallback/allowed is false); remove floatType or allow fallback");

  // The cost model must price every type the target can run.
  const macs = t.cost.macsPerCycle;
  const priced = new Set<string>();
  const needPrice = (type: OperandType, why: string): void => {
    if (priced.has(type)) return;
    priced.add(type);
    if (macs[type] === undefined) at("/cost/macsPerCycle", `missing required key "${type}" (${type} is ${why})`);
  };
  for (const type of activationTypes) needPrice(type, "in /types/activations");
  for (const type of weightTypes) needPrice(type, "in /types/weights");
  if (t.fallback.allowed) needPrice(t.fallback.floatType, "/fallback/floatType");

  return sortByPosition(errors);
}

/**
 * Validates a parsed descriptor. `sourceName` prefixes every message (the file as the user typed it);
 * `positions` (from `readJson`) adds line and column to each error.
 */
export function validateTarget(json: unknown, sourceName: string = OBJECT_SOURCE, positions?: ReadonlyMap<string, SourcePosition>): TargetValidation {
  const validate = schemaValidator();
  if (!validate(json)) return { ok: false, errors: schemaErrors(validate.errors ?? [], sourceName, positions) };
  const target = json as Target;
  const errors = semanticErrors(target, sourceName, positions);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, target, errors: [] };
}
