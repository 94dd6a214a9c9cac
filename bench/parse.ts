/**
 * Parse benchmark: qopt-opt parse+verify+print against mlir-opt-19 on the same generated files, in
 * the same run. Prints wall-time ratios and peak RSS, writes bench/results/parse.json.
 * Usage: npm run bench:parse [-- --sizes=10000,100000,1000000 --repeat=3]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { generateChain } from "./generate-chain.js";
import { packageRoot } from "../src/cli/version.js";

interface Measurement {
  seconds: number;
  peakRssMb: number;
}

const { values } = parseArgs({ options: { sizes: { type: "string", default: "10000,100000,1000000" }, repeat: { type: "string", default: "3" } } });
const sizes = values.sizes!.split(",").map(Number);
const repeat = Number(values.repeat);
const root = packageRoot();
const qoptOpt = join(root, "dist/src/cli/qopt-opt.js");
const mlirOpt = process.env["MLIR_OPT"] ?? "mlir-opt-19";
const workDir = join(tmpdir(), "qopt-bench");
mkdirSync(workDir, { recursive: true });

/** Runs a command under /usr/bin/time, output discarded; returns wall seconds and peak RSS. */
function measure(command: string, args: string[]): Measurement {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", command, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 28 });
  const lines = r.stderr.trim().split("\n");
  const last = lines[lines.length - 1]!.split(" ");
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr.slice(0, 2000)}`);
  return { seconds: Number(last[0]), peakRssMb: Number(last[1]) / 1024 };
}

function best(ms: Measurement[]): Measurement {
  return ms.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const mlirAvailable = spawnSync(mlirOpt, ["--version"]).status === 0;
const results: Array<Record<string, number | string | null>> = [];
for (const size of sizes) {
  const file = join(workDir, `chain-${size}.mlir`);
  writeFileSync(file, generateChain(size));
  const mb = statSync(file).size / 1e6;
  const qopt: Measurement[] = [];
  const mlir: Measurement[] = [];
  for (let i = 0; i < repeat; i++) {
    qopt.push(measure(process.execPath, [qoptOpt, file, "--allow-unregistered-dialect"]));
    if (mlirAvailable) mlir.push(measure(mlirOpt, [file, "--allow-unregistered-dialect"]));
  }
  const q = best(qopt);
  const m = mlirAvailable ? best(mlir) : undefined;
  const row = {
    ops: size,
    megabytes: Number(mb.toFixed(2)),
    qopt_seconds: q.seconds,
    qopt_peak_rss_mb: Number(q.peakRssMb.toFixed(1)),
    mlir_opt_seconds: m?.seconds ?? null,
    mlir_opt_peak_rss_mb: m ? Number(m.peakRssMb.toFixed(1)) : null,
    ratio: m ? Number((q.seconds / m.seconds).toFixed(3)) : null,
  };
  results.push(row);
  console.log(
    `${String(size).padStart(8)} ops ${mb.toFixed(1).padStart(6)} MB  qopt ${q.seconds.toFixed(2)} s ${q.peakRssMb.toFixed(0)} MB` +
      (m ? `   mlir-opt-19 ${m.seconds.toFixed(2)} s ${m.peakRssMb.toFixed(0)} MB   ratio qopt/mlir-opt ${(q.seconds / m.seconds).toFixed(2)}` : "   (mlir-opt-19 not installed)"),
  );
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/parse.json"), JSON.stringify({ benchmark: "parse+verify+print", repeat, date: new Date().toISOString(), results }, null, 2) + "\n");
console.log("wrote bench/results/parse.json");
