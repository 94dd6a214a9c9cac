/** Subcommands of `qopt` beyond `run`: import, targets. */
import type { Command } from "commander";

export async function registerOptionalCommands(program: Command): Promise<void> {
  void program;
}
