/** Subcommands of `qopt` beyond `run`. */
import type { Command } from "commander";
import { targetsCommand } from "./targets-command.js";
import { quantizeCommand } from "./quantize-command.js";
import { importCommand } from "./import-command.js";
import { compareCommand } from "./compare-command.js";

export async function registerOptionalCommands(program: Command): Promise<void> {
  program.addCommand(importCommand());
  program.addCommand(quantizeCommand());
  program.addCommand(compareCommand());
  program.addCommand(targetsCommand());
}
