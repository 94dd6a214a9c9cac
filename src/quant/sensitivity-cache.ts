/**
 * A file cache of sensitivity measurements, so that choosing again under another budget does not measure
 * again. One JSON file per analysis key — a hash of the module text, the calibration data (path, size and
 * modification time, or the bytes of in-memory samples), the target descriptor, observer and sample
 * limit — holding one entry per (op index, candidate id). A run measures only the entries the file lacks
 * and writes the file back atomically (temporary file, then rename). A cache that cannot be read or
 * written is skipped, never an error.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CalibrationSamples } from "./calibration-data.js";
import type { Measurement } from "./sensitivity.js";

const FORMAT = 1;

export function defaultCacheDir(): string {
  return join(tmpdir(), "qopt-cache");
}

export interface CacheKeyParts {
  readonly moduleText: string;
  /** A data path, or the samples themselves. */
  readonly data: string | CalibrationSamples;
  /** The target as loaded (its JSON), so an edited descriptor file is a new key. */
  readonly targetJson: string;
  readonly observer: string;
  readonly samples?: number;
}

function dataFingerprint(data: string | CalibrationSamples, hash: ReturnType<typeof createHash>): void {
  if (typeof data === "string") {
    hash.update(`path\0${data}\0`);
    for (const part of data.includes("=") ? data.split(";").map((p) => p.slice(p.indexOf("=") + 1)) : [data]) {
      try {
        const st = statSync(part);
        hash.update(`${resolve(part)}\0${st.size}\0${st.mtimeMs}\0`);
      } catch {
        hash.update(`${part}\0missing\0`);
      }
    }
    return;
  }
  hash.update(`samples\0${data.length}\0`);
  for (const sample of data) {
    for (const t of sample) {
      hash.update(`${t.dtype}\0${t.shape.join("x")}\0`);
      hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
  }
}

export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash("sha256");
  hash.update(`qopt-sensitivity-${FORMAT}\0`);
  hash.update(parts.moduleText);
  hash.update("\0");
  dataFingerprint(parts.data, hash);
  hash.update(parts.targetJson);
  hash.update(`\0${parts.observer}\0${parts.samples ?? "all"}`);
  return hash.digest("hex").slice(0, 32);
}

/** Entries keyed `${opIndex}:${candidateId}`. JSON has no Infinity: infinite SQNRs are stored as "inf" / "-inf". */
export type CacheEntries = Map<string, Measurement>;

export function entryKey(op: number, candidate: string): string {
  return `${op}:${candidate}`;
}

interface CacheFile {
  readonly format: number;
  /** Mean square of the float outputs on the data (MSE ↔ SQNR). */
  readonly signalPower?: number;
  readonly entries: Record<string, { mse: number; sqnr: number | "inf" | "-inf" }>;
}

export interface CacheContents {
  readonly entries: CacheEntries;
  readonly signalPower?: number;
}

export function readCache(dir: string, key: string): CacheContents {
  const entries: CacheEntries = new Map();
  let signalPower: number | undefined;
  try {
    const file = JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as CacheFile;
    if (file.format !== FORMAT) return { entries };
    if (typeof file.signalPower === "number") signalPower = file.signalPower;
    for (const [k, v] of Object.entries(file.entries)) {
      const sqnr = v.sqnr === "inf" ? Infinity : v.sqnr === "-inf" ? -Infinity : v.sqnr;
      if (typeof v.mse === "number" && typeof sqnr === "number") entries.set(k, { mse: v.mse, sqnr });
    }
  } catch {
    // No file yet, or unreadable: measure.
  }
  return signalPower === undefined ? { entries } : { entries, signalPower };
}

/** Writes the entries; returns an error message instead of throwing when the directory is not writable. */
export function writeCache(dir: string, key: string, contents: CacheContents): string | undefined {
  const { entries, signalPower } = contents;
  const file: CacheFile = {
    format: FORMAT,
    ...(signalPower !== undefined ? { signalPower } : {}),
    entries: Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, m]) => [k, { mse: m.mse, sqnr: Number.isFinite(m.sqnr) ? m.sqnr : m.sqnr > 0 ? "inf" : "-inf" }])),
  };
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${key}.json`);
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(file));
    renameSync(temp, path);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
