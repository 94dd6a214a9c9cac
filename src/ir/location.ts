/**
 * Source locations. Parsed ops keep the offset into their source text; line and column are computed
 * only when a diagnostic needs them (scanning lines for 100k ops would dominate parse time).
 */

export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
    /** Line number of the first line of `text` in the real file (for `--split-input-file` chunks). */
    readonly firstLine = 1,
  ) {}

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + this.firstLine, col: offset - starts[lo]! + 1 };
  }

  /** Text of the line holding an offset, without its newline. */
  lineText(offset: number): string {
    const start = this.text.lastIndexOf("\n", offset - 1) + 1;
    let end = this.text.indexOf("\n", offset);
    if (end < 0) end = this.text.length;
    return this.text.slice(start, end).replace(/\r$/, "");
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf("\n");
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf("\n", i + 1);
  }
  return starts;
}

export type Location =
  | { readonly kind: "unknown" }
  | { readonly kind: "source"; readonly source: SourceFile; readonly offset: number }
  | { readonly kind: "file"; readonly file: string; readonly line: number; readonly col: number }
  /** Any other MLIR location (`loc("name")`, `loc(fused[...])`, `loc(callsite(...))`), kept as its text. */
  | { readonly kind: "opaque"; readonly text: string };

export const unknownLoc: Location = Object.freeze({ kind: "unknown" });

/** `file:line:col` of a location, or undefined when it has none. */
export function resolveLocation(loc: Location): { file: string; line: number; col: number } | undefined {
  switch (loc.kind) {
    case "source": {
      const { line, col } = loc.source.position(loc.offset);
      return { file: loc.source.name, line, col };
    }
    case "file":
      return { file: loc.file, line: loc.line, col: loc.col };
    default:
      return undefined;
  }
}
