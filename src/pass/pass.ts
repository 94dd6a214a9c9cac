/**
 * A pass is a small pure function over the IR with a name, typed options and a one-line description.
 * Definitions are registered by name so that `--pass=name{k=v}`, pipeline text and code all find them.
 */
import type { Module } from "../ir/operation.js";
import type { Diagnostic } from "../ir/diagnostic.js";

export type OptionType = "int" | "float" | "bool" | "string" | "enum";

export interface OptionSpec {
  readonly type: OptionType;
  readonly description: string;
  readonly default?: number | boolean | string;
  /** Allowed values of an `enum` option. */
  readonly values?: readonly string[];
}

export type OptionValues = Readonly<Record<string, number | boolean | string | undefined>>;

/** One decision a pass made (fused, skipped, float island, requantize inserted, ...), for the decision log. */
export interface Decision {
  readonly pass: string;
  readonly kind: string;
  readonly op?: string;
  readonly location?: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a running pass may use besides the module: a place for non-fatal diagnostics and decisions. */
export interface PassContext {
  readonly diagnostics: Diagnostic[];
  readonly decisions: Decision[];
  /** Services shared by a pipeline (e.g. a loaded target), keyed by name. */
  readonly services: Map<string, unknown>;
}

export function makePassContext(): PassContext {
  return { diagnostics: [], decisions: [], services: new Map() };
}

export interface PassDefinition {
  readonly name: string;
  /** Name in IR dumps, as MLIR prints its pass class (`Canonicalizer`). */
  readonly displayName?: string;
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(module: Module, options: OptionValues, ctx: PassContext): Module;
}

/** A pass instance: a definition with option values, ready to run. */
export interface Pass {
  readonly definition: PassDefinition;
  readonly options: OptionValues;
}

const registry = new Map<string, PassDefinition>();

export function registerPass(def: PassDefinition): PassDefinition {
  if (registry.has(def.name)) throw new Error(`pass ${def.name} is registered twice`);
  registry.set(def.name, def);
  return def;
}

export function getPassDefinition(name: string): PassDefinition | undefined {
  return registry.get(name);
}

export function allPassDefinitions(): readonly PassDefinition[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Checks option values against the definition and fills in defaults; throws with a clear message. */
export function instantiatePass(def: PassDefinition, given: Readonly<Record<string, unknown>> = {}): Pass {
  const options: Record<string, number | boolean | string | undefined> = {};
  for (const [key, value] of Object.entries(given)) {
    const spec = def.options[key];
    if (!spec) {
      const known = Object.keys(def.options);
      throw new PassOptionError(`pass '${def.name}' has no option '${key}'${known.length ? ` (options: ${known.join(", ")})` : " (it takes no options)"}`);
    }
    if (value === undefined) continue;
    options[key] = coerceOption(def.name, key, spec, value);
  }
  for (const [key, spec] of Object.entries(def.options)) {
    if (options[key] === undefined && spec.default !== undefined) options[key] = spec.default;
  }
  return { definition: def, options };
}

export class PassOptionError extends Error {
  override name = "PassOptionError";
}

function coerceOption(pass: string, key: string, spec: OptionSpec, value: unknown): number | boolean | string {
  const bad = (expected: string): never => {
    throw new PassOptionError(`pass '${pass}': option '${key}' expects ${expected}, got '${String(value)}'`);
  };
  switch (spec.type) {
    case "int": {
      const n = typeof value === "number" ? value : typeof value === "string" && /^-?[0-9]+$/.test(value) ? Number(value) : NaN;
      return Number.isInteger(n) ? n : bad("an integer");
    }
    case "float": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      return Number.isFinite(n) ? n : bad("a number");
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "1") return true;
      if (value === "false" || value === "0") return false;
      return bad("true or false");
    case "string":
      return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : bad("a string");
    case "enum": {
      const text = String(value);
      // An enum value may carry sub-options (`percentile{p=99.9}`); its head must be allowed.
      const head = text.replace(/\{.*$/s, "");
      if (!spec.values?.includes(head)) bad(`one of ${(spec.values ?? []).join(", ")}`);
      return text;
    }
  }
}

/** The decision log as JSON Lines: one decision per line (`--decision-log FILE.jsonl`). */
export function decisionLogText(decisions: readonly Decision[]): string {
  return decisions.map((d) => JSON.stringify(d) + "\n").join("");
}
