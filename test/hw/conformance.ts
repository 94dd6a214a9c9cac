/** Loading of the conformance vectors the hw kernel tests run. */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `../shared/conformance/<sub>` beside the repository; a clear failure if the folder is missing. */
export function conformanceDir(sub: string): string {
  const dir = path.resolve(repoRoot, "../shared/conformance", sub);
  if (!existsSync(dir)) {
    throw new Error(`conformance vectors not found at ${dir}: the shared/ folder must sit beside the repository (CI provides it)`);
  }
  return dir;
}

export interface CmsisVector {
  readonly name: string;
  /** Defines with the `<NAME>_` prefix removed. */
  readonly defines: Readonly<Record<string, number>>;
  /** Arrays with the `<name>_` prefix removed. */
  readonly arrays: Readonly<Record<string, readonly number[]>>;
  readonly verifiedDouble: boolean;
  readonly verifiedSingle: boolean;
}

interface RawCmsisFile {
  defines: Record<string, number>;
  arrays: Record<string, number[]>;
  verified_tflite_double_rounding: boolean;
  verified_tflite_single_rounding: boolean;
}

export function loadCmsisVectors(): CmsisVector[] {
  const dir = conformanceDir("cmsis-nn");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".json".length);
      const raw = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as RawCmsisFile;
      const definePrefix = `${name.toUpperCase()}_`;
      const arrayPrefix = `${name}_`;
      const defines: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw.defines)) if (k.startsWith(definePrefix)) defines[k.slice(definePrefix.length)] = v;
      const arrays: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(raw.arrays)) if (k.startsWith(arrayPrefix)) arrays[k.slice(arrayPrefix.length)] = v;
      return {
        name,
        defines,
        arrays,
        verifiedDouble: raw.verified_tflite_double_rounding,
        verifiedSingle: raw.verified_tflite_single_rounding,
      };
    });
}

/** End padding that makes a window produce `out` outputs (CMSIS-NN gives only the start padding). */
export function endPadding(inSize: number, kernel: number, stride: number, dilation: number, padStart: number, out: number): number {
  return Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - inSize - padStart);
}

export function def(d: Readonly<Record<string, number>>, key: string, fallback?: number): number {
  const v = d[key] ?? fallback;
  if (v === undefined) throw new Error(`missing define ${key}`);
  return v;
}

export function arr(a: Readonly<Record<string, readonly number[]>>, key: string): readonly number[] {
  const v = a[key];
  if (v === undefined) throw new Error(`missing array ${key}`);
  return v;
}
