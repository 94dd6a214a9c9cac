/**
 * File I/O for the CLIs: read a file or stdin, and write outputs atomically (a temporary file in the
 * same directory, then a rename) so a failed run never leaves a half-written file behind.
 */
import { readFileSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";

export function readInput(path: string): string {
  return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    // Name the file the user asked for, not the temporary one beside it.
    const err = e as NodeJS.ErrnoException;
    throw Object.assign(new Error(describeIoError("write", path, e)), { code: err.code, path });
  }
}

/** The message of an I/O error without Node's stack: `cannot read 'x.mlir': no such file or directory`. */
export function describeIoError(action: string, path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reason = err.code === "ENOENT" ? "no such file or directory" : err.code === "EACCES" ? "permission denied" : err.code === "EISDIR" ? "is a directory" : err.message;
  return `cannot ${action} '${path}': ${reason}`;
}
