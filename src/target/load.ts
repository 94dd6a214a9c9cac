/**
 * Loading target descriptors: a built-in by name (`tflite-int8`), a vendor's file by path
 * (`./my-chip.json`), or an object literal. Whatever the source, the descriptor is validated in full
 * (schema + cross-field rules) and returned deep-frozen, so passes can share it without copying.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { targetsDirectory } from "./package-files.js";
import { readJson } from "./json-source.js";
import { fileError, OBJECT_SOURCE, textError, validateTarget, type TargetError, type TargetValidation } from "./validate.js";
import type { Target } from "./types.js";

export { validateTarget, OBJECT_SOURCE, type TargetError, type TargetValidation } from "./validate.js";

/** Thrown by `loadTarget`; `message` holds every error, one per line, ready to print. */
export class TargetLoadError extends Error {
  constructor(readonly errors: readonly TargetError[]) {
    super(errors.map((e) => e.text).join("\n"));
    this.name = "TargetLoadError";
  }
}

export interface LoadTargetOptions {
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

/** What `--target=` accepts: a built-in name, a path to a JSON file, or (from code) a descriptor object. */
export type TargetSpecifier = string | Target;

/**
 * True when a `--target` value names a file rather than a built-in: it has a directory separator, starts
 * with '.', or ends in `.json`. Built-in names have none of these, so the two never collide.
 */
export function isTargetPath(spec: string): boolean {
  return spec.includes("/") || spec.includes("\\") || spec.startsWith(".") || spec.toLowerCase().endsWith(".json");
}

/** Names of the built-in targets (the JSON files in `targets/` other than the schema), sorted. */
export function listBuiltinTargets(): string[] {
  return readdirSync(targetsDirectory(), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json") && entry.name !== "schema.json")
    .map((entry) => entry.name.slice(0, -".json".length))
    .sort();
}

/** Absolute path of a built-in target's file. */
export function builtinTargetPath(name: string): string {
  return join(targetsDirectory(), `${name}.json`);
}

function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a JSON file";
  if (code === "EACCES") return "permission denied";
  return e instanceof Error ? e.message : String(e);
}

/** Levenshtein distance, for "did you mean" on a mistyped built-in name. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The error for a name that is not a built-in: lists the built-ins and suggests the closest. */
function unknownTargetError(name: string): TargetError {
  const names = listBuiltinTargets();
  const closest = names.map((n) => ({ n, d: editDistance(name, n) })).sort((a, b) => a.d - b.d)[0];
  const suggestion = closest !== undefined && closest.d <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean "${closest.n}"?` : "";
  const message = `unknown target "${name}"${suggestion} (built-in targets: ${names.join(", ")}; for a file, give its path, e.g. ./${name}.json)`;
  return { source: name, message, text: message };
}

/**
 * Reads and validates a descriptor file. `sourceName` is how messages name the file (default: `path`
 * as given). Never throws for a missing, unreadable, malformed or invalid file: those are errors.
 */
export function readTargetFile(path: string, sourceName: string = path, options: LoadTargetOptions = {}): TargetValidation {
  let text: string;
  try {
    text = readFileSync(resolve(options.cwd ?? process.cwd(), path), "utf8");
  } catch (e) {
    return { ok: false, errors: [fileError(sourceName, describeReadError(e))] };
  }
  const parsed = readJson(text);
  if (!parsed.ok) {
    const { error } = parsed;
    // A duplicate key is well-formed text but a lost constraint; it gets the path-style message.
    const message = error.pointer === undefined ? `invalid JSON: ${error.message}` : error.message;
    return { ok: false, errors: [textError(sourceName, error, message, error.pointer)] };
  }
  return validateTarget(parsed.value, sourceName, parsed.positions);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Like `loadTarget`, but returns the errors instead of throwing. */
export function tryLoadTarget(spec: TargetSpecifier, options: LoadTargetOptions = {}): TargetValidation {
  let result: TargetValidation;
  if (typeof spec !== "string") {
    // Validate a copy: the caller's object stays theirs (unfrozen), and later edits to it cannot reach us.
    result = validateTarget(structuredClone(spec), OBJECT_SOURCE);
  } else if (isTargetPath(spec)) {
    result = readTargetFile(spec, spec, options);
  } else if (listBuiltinTargets().includes(spec)) {
    result = readTargetFile(builtinTargetPath(spec), `targets/${spec}.json`);
  } else {
    return { ok: false, errors: [unknownTargetError(spec)] };
  }
  return result.ok ? { ok: true, target: deepFreeze(result.target), errors: [] } : result;
}

/**
 * Loads a target: `loadTarget("npu-pow2-int8")`, `loadTarget("./my-chip.json")` or
 * `loadTarget({ name: "my-chip", ... })`. Throws `TargetLoadError` listing every problem.
 */
export function loadTarget(spec: TargetSpecifier, options: LoadTargetOptions = {}): Target {
  const result = tryLoadTarget(spec, options);
  if (!result.ok) throw new TargetLoadError(result.errors);
  return result.target;
}
