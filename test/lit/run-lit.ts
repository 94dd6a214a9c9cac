// A small LLVM-lit work-alike for .mlir tests: a test is a file with `// RUN:` lines, each a bash
// pipeline (`qopt-opt %s --pass=fuse | FileCheck %s`) that must exit 0. Tools come from
// test/bin (FileCheck, not, qopt-opt, qopt) ahead of the user's PATH.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface LitResult {
  /** True when every RUN line exited 0, or when the test was skipped. */
  ok: boolean;
  /** The commands run and everything they printed, for a failure message. */
  output: string;
  /** Set when the test did not run; says why (an unmet `// REQUIRES:`). */
  skipped?: string;
}

export interface LitOptions {
  /** Where RUN lines run and where test/bin is found. Default: this repository. */
  repoRoot?: string;
  /** Directories put on PATH ahead of test/bin (tests use this to supply stand-in tools). */
  pathPrepend?: string[];
  /** Per RUN line; a hung command is killed after this long. Default 120 s. */
  timeoutMs?: number;
  /** Keep the %t directory of a failed test for inspection. Default true. */
  keepFailedTemp?: boolean;
}

export interface ParsedLitFile {
  /** RUN commands with continuations joined, before substitution, with their 1-based lines. */
  runs: Array<{ line: number; command: string }>;
  /** Features named by `// REQUIRES:` lines. */
  requires: string[];
  /** Malformed directives, e.g. a `\` continuation with no RUN line after it. */
  errors: string[];
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Directories under test/ that hold tools and data, not tests. */
const NOT_TEST_DIRS = new Set(["bin", "artifacts", "fixtures"]);
const DEFAULT_TIMEOUT_MS = 120_000;
const RUN_LINE = /^\s*\/\/\s*RUN:(.*)$/;
const REQUIRES_LINE = /^\s*\/\/\s*REQUIRES:(.*)$/;

/**
 * Features a test may require, and how to tell whether this machine has them.
 * `mlir-opt`: upstream MLIR 19's mlir-opt, used to cross-check that qopt's output is valid MLIR.
 */
const FEATURES: Record<string, { available: () => boolean; missing: string }> = {
  "mlir-opt": { available: () => onPath("mlir-opt-19"), missing: "mlir-opt-19 is not on PATH" },
};

function onPath(program: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory; keep looking
    }
  }
  return false;
}

/** Quotes a string for bash so that paths with spaces or quotes survive substitution. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Every `*.mlir` under `<root>/test` with a `// RUN:` line, sorted; test/bin, artifacts and fixtures are skipped. */
export function discoverLitTests(root: string): string[] {
  const testDir = join(root, "test");
  const found: string[] = [];
  const walk = (dir: string, top: boolean): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(top && NOT_TEST_DIRS.has(entry.name))) walk(path, false);
      } else if (entry.isFile() && entry.name.endsWith(".mlir")) {
        if (readFileSync(path, "utf8").split("\n").some((l) => RUN_LINE.test(l))) found.push(path);
      }
    }
  };
  walk(testDir, true);
  return found.sort();
}

/** Reads RUN and REQUIRES lines; a RUN line ending in `\` continues on the next RUN line, as in lit. */
export function parseLitFile(text: string): ParsedLitFile {
  const runs: ParsedLitFile["runs"] = [];
  const requires: string[] = [];
  const errors: string[] = [];
  let pending: { line: number; command: string } | undefined;
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const run = RUN_LINE.exec(raw);
    if (run !== null) {
      const body = (run[1] as string).trimEnd();
      const continues = body.endsWith("\\");
      const part = continues ? body.slice(0, -1).trimEnd() : body;
      pending = pending === undefined ? { line: index + 1, command: part } : { ...pending, command: `${pending.command} ${part.trim()}` };
      if (!continues) {
        runs.push({ line: pending.line, command: pending.command.trim() });
        pending = undefined;
      }
      return;
    }
    const req = REQUIRES_LINE.exec(raw);
    if (req !== null) {
      for (const feature of (req[1] as string).split(",")) if (feature.trim() !== "") requires.push(feature.trim());
    }
  });
  if (pending !== undefined) errors.push(`line ${pending.line}: RUN line ends with '\\' but no RUN line follows`);
  return { runs, requires, errors };
}

/** lit's substitutions: %s file, %S its directory (%p too), %t a per-test temp path, %T its directory, %% a `%`. */
export function substituteLit(command: string, vars: { file: string; temp: string }): string {
  const table: Record<string, string> = {
    "%": "%",
    s: shellQuote(vars.file),
    S: shellQuote(dirname(vars.file)),
    p: shellQuote(dirname(vars.file)),
    t: shellQuote(vars.temp),
    T: shellQuote(dirname(vars.temp)),
  };
  return command.replace(/%([%sSptT])/g, (_m, key: string) => table[key] as string);
}

/** Why the test cannot run here, or undefined when every required feature is available. */
export function unmetRequirement(requires: string[]): string | undefined {
  for (const feature of requires) {
    const known = FEATURES[feature];
    if (known === undefined) return `requires unknown feature '${feature}'`;
    if (!known.available()) return `requires ${feature}: ${known.missing}`;
  }
  return undefined;
}

interface CommandResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    // stdin is /dev/null so that a RUN line that forgets its input fails instead of hanging;
    // detached gives the pipeline its own process group, so a timeout can kill all of it.
    const child = spawn("bash", ["-o", "pipefail", "-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // the group already exited between the timeout firing and the kill
        }
      }
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      resolvePromise({ status: null, signal: null, output: `failed to start bash: ${e.message}\n`, timedOut });
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, output: Buffer.concat(chunks).toString("utf8"), timedOut });
    });
  });
}

/**
 * Runs the RUN lines of one test file in order, stopping at the first that fails (as lit does).
 * The temp directory behind %t is removed when the test passes and kept, and named in the
 * output, when it fails.
 */
export async function runLitFile(path: string, options: LitOptions = {}): Promise<LitResult> {
  const file = resolve(path);
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const parsed = parseLitFile(readFileSync(file, "utf8"));
  if (parsed.errors.length > 0) return { ok: false, output: parsed.errors.join("\n") };
  const unmet = unmetRequirement(parsed.requires);
  if (unmet !== undefined) return { ok: true, output: `skipped: ${unmet}`, skipped: unmet };
  if (parsed.runs.length === 0) return { ok: false, output: `${file}: no RUN lines` };

  const tempDir = mkdtempSync(join(tmpdir(), "qopt-lit-"));
  const temp = join(tempDir, `${basename(file)}.tmp`);
  const path_ = [...(options.pathPrepend ?? []), join(repoRoot, "test", "bin"), process.env.PATH ?? ""].join(delimiter);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path_ };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log: string[] = [];
  for (const run of parsed.runs) {
    const command = substituteLit(run.command, { file, temp });
    log.push(`# RUN: at line ${run.line}`, `$ ${command}`);
    const result = await runCommand(command, repoRoot, env, timeoutMs);
    if (result.output !== "") log.push(result.output.replace(/\n$/, ""));
    if (result.status !== 0) {
      const why = result.timedOut
        ? `timed out after ${timeoutMs} ms`
        : result.signal !== null
          ? `killed by ${result.signal}`
          : `exit status ${result.status}`;
      log.push(`error: RUN line at ${file}:${run.line} failed: ${why}`);
      if (options.keepFailedTemp === false) rmSync(tempDir, { recursive: true, force: true });
      else log.push(`(temporary files kept in ${tempDir})`);
      return { ok: false, output: log.join("\n") };
    }
  }
  rmSync(tempDir, { recursive: true, force: true });
  return { ok: true, output: log.join("\n") };
}
