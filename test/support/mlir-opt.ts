/** Runs mlir-opt-19 when it is installed (CI installs it; tests skip with a printed reason otherwise). */
import { spawnSync } from "node:child_process";

export const MLIR_OPT = process.env["MLIR_OPT"] ?? "mlir-opt-19";

export function mlirOptAvailable(): boolean {
  const r = spawnSync(MLIR_OPT, ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

export function runMlirOpt(input: string, args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(MLIR_OPT, [...args, "-"], { input, encoding: "utf8", maxBuffer: 1 << 30 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
