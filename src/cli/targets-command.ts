/**
 * `qopt targets list | show NAME [--json] | validate FILE...`: what a vendor uses to see the built-in
 * targets, start a descriptor from one, and check their own. The main `qopt` program adds it with
 * `program.addCommand(targetsCommand())`.
 *
 * Handlers set the exit code (through `io.setExitCode`) instead of exiting, and print errors as plain
 * lines (no stack traces). Output goes to injectable writers so tests can capture it.
 */
import { Command, InvalidArgumentError } from "commander";
import {
  describeTarget,
  formatTargetJson,
  INSTALLED_SCHEMA_REF,
  isTargetPath,
  listBuiltinTargets,
  loadTarget,
  readTargetFile,
  TargetLoadError,
  tryLoadTarget,
  type Target,
} from "../target/index.js";

export interface TextSink {
  write(text: string): unknown;
}

export interface TargetsCommandIo {
  /** Default `process.stdout`. */
  readonly stdout?: TextSink;
  /** Default `process.stderr`. */
  readonly stderr?: TextSink;
  /** Default: sets `process.exitCode`. */
  readonly setExitCode?: (code: number) => void;
  /** Directory relative paths resolve against; default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Commander option parser for `--target`: loads and validates the target, or fails with every error
 * in commander's usual "invalid argument" message. Use as `.option("--target <t>", "...", parseTargetOption)`.
 */
export function parseTargetOption(value: string): Target {
  try {
    return loadTarget(value);
  } catch (e) {
    if (e instanceof TargetLoadError) throw new InvalidArgumentError(`\n${e.message}`);
    throw e;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function targetsCommand(io: TargetsCommandIo = {}): Command {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const setExitCode =
    io.setExitCode ??
    ((code: number): void => {
      process.exitCode = code;
    });
  const options = io.cwd === undefined ? {} : { cwd: io.cwd };

  /** Runs a handler; an unexpected failure (e.g. an unreadable install) is one line on stderr and exit 1. */
  const guarded =
    <A extends unknown[]>(handler: (...args: A) => number) =>
    (...args: A): void => {
      try {
        setExitCode(handler(...args));
      } catch (e) {
        stderr.write(`qopt targets: ${message(e)}\n`);
        setExitCode(1);
      }
    };

  const command = new Command("targets")
    .description("list, show and validate hardware target descriptors")
    // Before the subcommands exist, so that they inherit it: commander's own messages go to our sinks.
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .showHelpAfterError();

  command
    .command("list")
    .description("list the built-in targets")
    .option("--json", "print [{name, description}] as JSON")
    .action(
      guarded((opts: { json?: boolean }) => {
        const rows = listBuiltinTargets().map((name) => {
          const target = loadTarget(name);
          return { name, description: target.description };
        });
        if (opts.json) {
          stdout.write(JSON.stringify(rows, null, 2) + "\n");
          return 0;
        }
        const width = Math.max(...rows.map((r) => r.name.length));
        stdout.write("Built-in targets:\n");
        for (const r of rows) stdout.write(`  ${r.name.padEnd(width)}  ${r.description}\n`);
        stdout.write("\nUse --target=NAME, or --target=./my-chip.json for your own (start from `qopt targets show NAME --json`).\n");
        return 0;
      }),
    );

  command
    .command("show")
    .description("summarize a target (built-in name or ./file.json); --json prints the descriptor itself")
    .argument("<target>", "built-in target name or path to a descriptor file")
    .option("--json", "print the descriptor as JSON, ready to copy and edit")
    .action(
      guarded((spec: string, opts: { json?: boolean }) => {
        const result = tryLoadTarget(spec, options);
        if (!result.ok) {
          for (const e of result.errors) stderr.write(e.text + "\n");
          return 1;
        }
        if (opts.json) {
          // A built-in's "$schema" is relative to qopt's targets/; a copy lives in the user's project.
          stdout.write(formatTargetJson(result.target, isTargetPath(spec) ? result.target.$schema : INSTALLED_SCHEMA_REF));
        } else {
          stdout.write(describeTarget(result.target));
        }
        return 0;
      }),
    );

  command
    .command("validate")
    .description("check descriptor files against the schema and qopt's rules (exit 1 if any is invalid)")
    .argument("<files...>", "descriptor files")
    .action(
      guarded((files: string[]) => {
        let failed = 0;
        for (const file of files) {
          const result = readTargetFile(file, file, options);
          if (result.ok) {
            stdout.write(`${file}: ok (target "${result.target.name}")\n`);
          } else {
            failed++;
            for (const e of result.errors) stderr.write(e.text + "\n");
          }
        }
        if (files.length > 1 && failed > 0) stderr.write(`${failed} of ${files.length} files invalid\n`);
        return failed > 0 ? 1 : 0;
      }),
    );

  return command;
}
