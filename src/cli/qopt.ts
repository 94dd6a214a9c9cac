#!/usr/bin/env node
/**
 * `qopt`: the one-command tools around the IR — `import` (ONNX → MLIR), `run` (interpret),
 * `targets` (list, show, validate descriptors) and more as they land.
 */
import { Command } from "commander";
import { packageVersion } from "./version.js";
import { runCommand } from "./run-command.js";
import { registerOptionalCommands } from "./optional-commands.js";

export async function buildQoptProgram(): Promise<Command> {
  const program = new Command("qopt")
    .description("Quantize float neural networks for a target and simulate the result bit-exactly")
    .version(packageVersion(), "--version")
    .showHelpAfterError();
  program.addCommand(runCommand());
  await registerOptionalCommands(program);
  return program;
}

try {
  const program = await buildQoptProgram();
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`qopt: internal error: ${(e as Error).message}\n`);
  if (process.env["QOPT_DEBUG"]) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 2;
}
