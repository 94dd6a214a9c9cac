/** Subcommands of `qopt` beyond `run`. */
import type { Command } from "commander";
import { targetsCommand } from "./targets-command.js";

export async function registerOptionalCommands(program: Command): Promise<void> {
  program.addCommand(targetsCommand());
}
