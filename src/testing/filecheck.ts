// An LLVM-FileCheck-compatible matcher (https://llvm.org/docs/CommandGuide/FileCheck.html),
// written from the documented behaviour. The order of operations mirrors FileCheck's so that
// check files written for LLVM behave the same here:
//   1. both texts are canonicalised (runs of spaces/tabs become one space, CRLF becomes LF);
//   2. the check file is parsed into "check strings": one positive directive (CHECK, -NEXT,
//      -SAME, -EMPTY, -COUNT-N, -LABEL, or an implicit end-of-file) plus the -DAG/-NOT
//      directives written before it;
//   3. CHECK-LABEL matches are found first and cut the input into blocks; every other check is
//      matched inside its block, so one failure does not hide errors in later blocks.

export interface FileCheckOptions {
  /** Check prefixes, FileCheck's --check-prefixes. Default ["CHECK"]. */
  prefixes?: string[];
  /** Name used for the check file in diagnostics. */
  checkFileName?: string;
  /** Name used for the input in diagnostics. Default "<stdin>", as FileCheck. */
  inputName?: string;
  /** FileCheck's --allow-empty: without it an empty input is an error. */
  allowEmpty?: boolean;
  /** FileCheck's --enable-var-scope: variables without a `$` are forgotten at each CHECK-LABEL. */
  enableVarScope?: boolean;
  /** FileCheck's --strict-whitespace: do not canonicalise horizontal whitespace. */
  strictWhitespace?: boolean;
}

export interface FileCheckResult {
  ok: boolean;
  /** One entry per error, FileCheck-formatted (`file:line:col: error: ...`, source line, caret, notes). */
  diagnostics: string[];
  /** 1-based input line numbers the diagnostics point at, for an input dump (see formatInputDump). */
  inputLines: number[];
}

type DirectiveKind = "plain" | "next" | "same" | "not" | "dag" | "label" | "empty" | "count" | "eof";

/** A piece of a pattern: literal text, a `{{regex}}`, a `[[NAME:regex]]` definition or a `[[NAME]]` use. */
type Piece =
  | { kind: "literal"; text: string }
  | { kind: "regex"; source: string; groups: number }
  | { kind: "def"; name: string; source: string; groups: number }
  | { kind: "use"; name: string; offset: number };

interface Directive {
  kind: DirectiveKind;
  prefix: string;
  count: number;
  /** Canonical offset in the check file of the pattern's first character. */
  offset: number;
  pieces: Piece[];
}

interface CheckString {
  pattern: Directive;
  /** -DAG and -NOT directives written before `pattern`, in order. */
  dagNots: Directive[];
}

type SearchOutcome =
  | { kind: "match"; pos: number; end: number; defs: Array<[string, string]> }
  | { kind: "nomatch" }
  | { kind: "undefined"; names: Array<{ name: string; offset: number }> };

interface Span {
  pos: number;
  end: number;
}

const DEFAULT_PREFIX = "CHECK";
/** FileCheck's default --comment-prefixes: a directive after these on a line is ignored. */
const COMMENT_PREFIXES = ["COM", "RUN"];
const VALID_PREFIX = /^[A-Za-z][A-Za-z0-9_-]*$/;
const VARIABLE_NAME = /^\$?[A-Za-z_][A-Za-z0-9_]*$/;
/** Lines scanned, and edit-distance cells computed, when looking for a "possible intended match". */
const FUZZY_MAX_LINES = 4096;
const FUZZY_MAX_CELLS = 20_000_000;

/**
 * A text plus its canonical form. Matching runs on the canonical text; diagnostics map offsets
 * back to the original so that line text and columns are what the user wrote.
 */
class SourceText {
  readonly text: string;
  private readonly toOriginal: Int32Array | undefined;
  private readonly originalLineStarts: number[];

  constructor(
    readonly name: string,
    readonly original: string,
    canonicalize: boolean,
  ) {
    if (canonicalize) {
      const out: string[] = [];
      const map = new Int32Array(original.length + 1);
      let n = 0;
      for (let i = 0; i < original.length; i++) {
        const c = original[i];
        if (c === "\r" && original[i + 1] === "\n") continue;
        if (c === " " || c === "\t") {
          map[n++] = i;
          out.push(" ");
          while (original[i + 1] === " " || original[i + 1] === "\t") i++;
          continue;
        }
        map[n++] = i;
        out.push(c as string);
      }
      map[n] = original.length;
      this.text = out.join("");
      this.toOriginal = map.subarray(0, n + 1);
    } else {
      this.text = original;
      this.toOriginal = undefined;
    }
    this.originalLineStarts = [0];
    for (let i = 0; i < original.length; i++) {
      if (original[i] === "\n") this.originalLineStarts.push(i + 1);
    }
  }

  originalOffset(offset: number): number {
    return this.toOriginal === undefined ? offset : (this.toOriginal[offset] ?? this.original.length);
  }

  /** 1-based line and column, and the original text of that line. */
  location(offset: number): { line: number; col: number; lineText: string } {
    const orig = this.originalOffset(offset);
    let lo = 0;
    let hi = this.originalLineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.originalLineStarts[mid] as number) <= orig) lo = mid;
      else hi = mid - 1;
    }
    const start = this.originalLineStarts[lo] as number;
    let end = this.original.indexOf("\n", start);
    if (end < 0) end = this.original.length;
    let lineText = this.original.slice(start, end);
    if (lineText.endsWith("\r")) lineText = lineText.slice(0, -1);
    return { line: lo + 1, col: orig - start + 1, lineText };
  }

  /** A FileCheck/clang-style message: `name:line:col: severity: message`, the line, a caret. */
  message(offset: number, severity: "error" | "note", text: string, length = 1): string {
    const { line, col, lineText } = this.location(offset);
    const origEnd = this.originalOffset(Math.min(offset + length, this.text.length));
    const origLength = Math.max(1, origEnd - this.originalOffset(offset));
    const indent = Array.from(lineText.slice(0, col - 1), (c) => (c === "\t" ? "\t" : " ")).join("");
    const tildes = "~".repeat(Math.max(0, Math.min(origLength, lineText.length - col + 1) - 1));
    return `${this.name}:${line}:${col}: ${severity}: ${text}\n${lineText}\n${indent}^${tildes}`;
  }
}

/** Thrown while parsing a pattern; carries the canonical check-file offset it refers to. */
class PatternError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Mapping of POSIX character classes (FileCheck regexes are POSIX ERE) to JS class contents. */
const POSIX_CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

function escapeClassChar(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}

/**
 * Translates a FileCheck (POSIX ERE) regex to JS. The syntaxes mostly agree; the differences
 * handled are bracket expressions: `[[:digit:]]` classes, `]` first in a list being literal,
 * backslash being literal inside brackets, and negated lists not matching a newline (FileCheck
 * compiles with REG_NEWLINE). Escapes outside brackets keep their JS meaning, a superset of ERE.
 * Returns the JS source and its number of capture groups.
 */
function translateRegex(source: string, offset: number): { source: string; groups: number } {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\\") {
      if (i + 1 >= source.length) throw new PatternError(offset + i, "invalid regex: trailing backslash (\\)");
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== "[") {
      out += c;
      i++;
      continue;
    }
    let j = i + 1;
    const negated = source[j] === "^";
    if (negated) j++;
    let body = "";
    let first = true;
    for (;;) {
      if (j >= source.length) throw new PatternError(offset + i, "invalid regex: brackets ([ ]) not balanced");
      const d = source[j] as string;
      if (d === "]" && !first) break;
      first = false;
      if (d === "[" && (source[j + 1] === ":" || source[j + 1] === "." || source[j + 1] === "=")) {
        const delim = source[j + 1] as string;
        const close = source.indexOf(`${delim}]`, j + 2);
        if (close < 0) throw new PatternError(offset + j, "invalid regex: brackets ([ ]) not balanced");
        const name = source.slice(j + 2, close);
        if (delim === ":") {
          const cls = POSIX_CLASSES[name];
          if (cls === undefined) throw new PatternError(offset + j, `invalid regex: invalid character class '${name}'`);
          body += cls;
        } else {
          // Collating symbols and equivalence classes: only single characters are meaningful here.
          if (name.length !== 1) throw new PatternError(offset + j, `invalid regex: invalid collating element '${name}'`);
          body += escapeClassChar(name);
        }
        j = close + 2;
        continue;
      }
      // In a POSIX bracket expression every character but `]` and a range `-` is literal.
      body += d === "-" ? "-" : escapeClassChar(d);
      j++;
    }
    out += `[${negated ? "^" : ""}${body}${negated ? "\\n" : ""}]`;
    i = j + 1;
  }
  let groups: number;
  try {
    groups = (new RegExp(`(?:${out})|`, "m").exec("") as RegExpExecArray).length - 1;
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(e);
    throw new PatternError(offset, `invalid regex: ${why}`);
  }
  return { source: out, groups };
}

/** Index of the `]]` closing a `[[` block whose contents start at `from`, skipping `[...]` and escapes. */
function findVariableEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
    } else if (depth === 0 && c === "]" && text[i + 1] === "]") {
      return i;
    } else if (c === "[") {
      depth++;
    } else if (c === "]") {
      if (depth === 0) return -1;
      depth--;
    }
  }
  return -1;
}

/**
 * Parses a pattern (canonical text starting at canonical offset `base`, on 1-based check line
 * `line`) into pieces. Throws PatternError.
 */
function parsePattern(text: string, base: number, line: number, literal: boolean): Piece[] {
  const pieces: Piece[] = [];
  let lit = "";
  const flush = (): void => {
    if (lit !== "") pieces.push({ kind: "literal", text: lit });
    lit = "";
  };
  if (literal) return [{ kind: "literal", text }];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("{{", i)) {
      let end = text.indexOf("}}", i + 2);
      if (end < 0) throw new PatternError(base + i, "found start of regex string with no end '}}'");
      // Extension over FileCheck, which stops at the first `}}`: `{{[0-9]{2}}}` keeps its brace.
      while (text[end + 2] === "}") end++;
      flush();
      pieces.push({ kind: "regex", ...translateRegex(text.slice(i + 2, end), base + i + 2) });
      i = end + 2;
      continue;
    }
    if (text.startsWith("[[", i)) {
      const end = findVariableEnd(text, i + 2);
      if (end < 0) {
        throw new PatternError(
          base + i,
          "invalid substitution block, no ']]' found (to match a literal '[[', write {{\\[\\[}})",
        );
      }
      const inner = text.slice(i + 2, end);
      flush();
      const lineExpr = /^#?@LINE(?: ?([+-]) ?([0-9]+))?$/.exec(inner);
      if (lineExpr !== null) {
        const delta = lineExpr[2] === undefined ? 0 : Number(lineExpr[2]) * (lineExpr[1] === "-" ? -1 : 1);
        pieces.push({ kind: "literal", text: String(line + delta) });
      } else if (inner.startsWith("#")) {
        throw new PatternError(base + i, "numeric substitution blocks ([[#...]]) other than @LINE are not supported");
      } else {
        const colon = inner.indexOf(":");
        const name = colon < 0 ? inner : inner.slice(0, colon);
        if (!VARIABLE_NAME.test(name)) {
          throw new PatternError(
            base + i + 2,
            `invalid variable name '${name}' (to match a literal '[[', write {{\\[\\[}})`,
          );
        }
        if (colon < 0) {
          pieces.push({ kind: "use", name, offset: base + i + 2 });
        } else {
          const regex = translateRegex(inner.slice(colon + 1), base + i + 3 + colon);
          pieces.push({ kind: "def", name, ...regex });
        }
      }
      i = end + 2;
      continue;
    }
    lit += text[i];
    i++;
  }
  flush();
  return pieces;
}

function directiveName(d: Directive): string {
  switch (d.kind) {
    case "plain":
      return d.prefix;
    case "count":
      return `${d.prefix}-COUNT`;
    case "eof":
      return `${d.prefix}-EOF`;
    default:
      return `${d.prefix}-${d.kind.toUpperCase()}`;
  }
}

function quotedList(prefixes: string[]): string {
  return prefixes.map((p) => `'${p}:'`).join(", ");
}

function patternHasVariables(d: Directive): boolean {
  return d.pieces.some((p) => p.kind === "def" || p.kind === "use");
}

interface ParsedCheckFile {
  checks: CheckString[];
  errors: string[];
}

function parseCheckFile(check: SourceText, prefixes: string[]): ParsedCheckFile {
  const errors: string[] = [];
  const checks: CheckString[] = [];
  let dagNots: Directive[] = [];
  // Longest first, so that with prefixes A and AB the text `AB:` is an AB directive.
  const all = [...new Set([...prefixes, ...COMMENT_PREFIXES])].sort((a, b) => b.length - a.length);
  // A prefix counts only at the start of a word: FileCheck treats [A-Za-z0-9_-] as word characters.
  const finder = new RegExp(`(?<![A-Za-z0-9_-])(?:${all.map(escapeRegex).join("|")})`, "g");
  const suffix = /^(?:-(NEXT|SAME|NOT|DAG|LABEL|EMPTY|COUNT-([^:{]*)))?(\{LITERAL\})?:/;
  const text = check.text;
  let lineStart = 0;
  let lineNo = 0;
  while (lineStart <= text.length) {
    lineNo++;
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    finder.lastIndex = 0;
    for (let m = finder.exec(line); m !== null; m = finder.exec(line)) {
      const prefix = m[0];
      const after = m.index + prefix.length;
      if (!prefixes.includes(prefix)) {
        if (line[after] === ":") break; // a comment: the rest of the line is not a directive
        finder.lastIndex = m.index + 1;
        continue;
      }
      const s = suffix.exec(line.slice(after));
      if (s === null) {
        finder.lastIndex = m.index + 1;
        continue;
      }
      const word = s[1];
      let kind: DirectiveKind = "plain";
      let count = 1;
      if (word !== undefined && word.startsWith("COUNT-")) {
        count = /^[0-9]+$/.test(s[2] ?? "") ? Number(s[2]) : 0;
        if (count <= 0) {
          errors.push(
            check.message(lineStart + after + 7, "error", `invalid count in -COUNT specification on prefix '${prefix}'`),
          );
          break;
        }
        kind = "count";
      } else if (word !== undefined) {
        kind = word.toLowerCase() as DirectiveKind;
      }
      let patStart = after + s[0].length;
      while (line[patStart] === " " || line[patStart] === "\t") patStart++;
      const patternText = line.slice(patStart).replace(/[ \t\r]+$/, "");
      const offset = lineStart + patStart;
      const name = `${prefix}${word === undefined ? "" : `-${word.startsWith("COUNT-") ? "COUNT" : word}`}`;
      if (patternText === "" && kind !== "empty") {
        errors.push(check.message(offset, "error", `found empty check string with prefix '${prefix}:'`));
        break;
      }
      if (patternText !== "" && kind === "empty") {
        errors.push(check.message(offset, "error", `found non-empty check string for empty check with prefix '${prefix}:'`));
        break;
      }
      if ((kind === "next" || kind === "same" || kind === "empty") && checks.length === 0) {
        errors.push(check.message(lineStart + m.index, "error", `found '${name}' without previous '${prefix}: line`));
        break;
      }
      let pieces: Piece[];
      try {
        pieces = kind === "empty" ? [] : parsePattern(patternText, offset, lineNo, s[3] !== undefined);
      } catch (e) {
        if (!(e instanceof PatternError)) throw e;
        errors.push(check.message(e.offset, "error", e.message));
        break;
      }
      const directive: Directive = { kind, prefix, count, offset, pieces };
      if (kind === "label" && patternHasVariables(directive)) {
        // Labels are located before the checks above them run, so no variable can be known yet.
        errors.push(check.message(offset, "error", `found '${name}:' with variable definition or use`));
        break;
      }
      if (kind === "dag" || kind === "not") {
        dagNots.push(directive);
      } else {
        checks.push({ pattern: directive, dagNots });
        dagNots = [];
      }
      break;
    }
    lineStart = lineEnd + 1;
  }
  if (dagNots.length > 0) {
    const last = dagNots[dagNots.length - 1] as Directive;
    checks.push({ pattern: { kind: "eof", prefix: last.prefix, count: 1, offset: text.length, pieces: [] }, dagNots });
  }
  if (errors.length === 0 && checks.length === 0) {
    const plural = prefixes.length > 1 ? "prefixes" : "prefix";
    errors.push(`error: no check strings found with ${plural} ${quotedList(prefixes)}`);
  }
  return { checks, errors };
}

/** Runs the parsed checks over the input; state is per call, as FileCheck is per process. */
class Matcher {
  readonly diagnostics: string[] = [];
  readonly inputLines = new Set<number>();
  private readonly vars = new Map<string, string>();
  private readonly regexCache = new Map<string, RegExp>();

  constructor(
    private readonly check: SourceText,
    private readonly input: SourceText,
    private readonly enableVarScope: boolean,
  ) {}

  run(checks: CheckString[]): boolean {
    const inputEnd = this.input.text.length;
    let failed = false;
    let bufferStart = 0;
    let i = 0;
    let j = 0;
    // FileCheck's CheckInput: find the next label from the end of the previous one, then run
    // the checks up to and including that label (the label again, now with its DAG/NOTs)
    // inside [previous label end, this label end].
    for (;;) {
      let regionEnd = inputEnd;
      let nextBufferStart = inputEnd;
      if (j < checks.length) {
        const labelCheck = checks[j] as CheckString;
        if (labelCheck.pattern.kind !== "label") {
          j++;
          continue;
        }
        const found = this.checkString(labelCheck, bufferStart, inputEnd, true);
        if (found === undefined) return false; // nothing sensible can follow a missing label
        regionEnd = found.end;
        nextBufferStart = found.end;
        j++;
      }
      if (i !== 0 && this.enableVarScope) {
        for (const name of [...this.vars.keys()]) if (!name.startsWith("$")) this.vars.delete(name);
      }
      let pos = bufferStart;
      for (; i < j; i++) {
        const span = this.checkString(checks[i] as CheckString, pos, regionEnd, false);
        if (span === undefined) {
          failed = true;
          i = j;
          break;
        }
        pos = span.end;
      }
      bufferStart = nextBufferStart;
      if (j >= checks.length) break;
    }
    return !failed;
  }

  /** FileCheckString::Check: DAG/NOTs, then the pattern `count` times, then NEXT/SAME/NOT checks. */
  private checkString(cs: CheckString, start: number, end: number, labelScan: boolean): Span | undefined {
    const d = cs.pattern;
    let lastPos = start;
    let nots: Directive[] = [];
    if (!labelScan) {
      const dag = this.checkDag(cs.dagNots, start, end);
      if (dag === undefined) return undefined;
      lastPos = dag.lastPos;
      nots = dag.nots;
    }
    let matchEnd = lastPos;
    let firstPos = lastPos;
    for (let n = 1; n <= d.count; n++) {
      const m = this.search(d, matchEnd, end);
      if (m.kind !== "match") {
        this.reportNoMatch(d, m, matchEnd, end, d.count > 1 ? ` (${n} out of ${d.count})` : "");
        return undefined;
      }
      this.commit(m.defs);
      if (n === 1) firstPos = m.pos;
      matchEnd = m.end;
    }
    if (!labelScan) {
      if (d.kind === "next" || d.kind === "empty") {
        if (!this.checkNextLine(d, lastPos, firstPos)) return undefined;
      } else if (d.kind === "same") {
        if (this.input.text.slice(lastPos, firstPos).includes("\n")) {
          this.diagnostics.push(
            [
              this.check.message(d.offset, "error", `${directiveName(d)}: is not on the same line as the previous match`),
              this.inputNote(firstPos, "'next' match was here"),
              this.inputNote(lastPos, "previous match ended here"),
            ].join("\n"),
          );
          return undefined;
        }
      }
      if (this.checkNots(nots, lastPos, firstPos)) return undefined;
    }
    return { pos: firstPos, end: matchEnd };
  }

  private checkNextLine(d: Directive, lastPos: number, matchPos: number): boolean {
    const skipped = this.input.text.slice(lastPos, matchPos);
    const newlines = skipped.split("\n").length - 1;
    if (newlines === 1) return true;
    const name = directiveName(d);
    const parts =
      newlines === 0
        ? [this.check.message(d.offset, "error", `${name}: is on the same line as previous match`)]
        : [this.check.message(d.offset, "error", `${name}: is not on the line after the previous match`)];
    parts.push(this.inputNote(matchPos, "'next' match was here"), this.inputNote(lastPos, "previous match ended here"));
    if (newlines > 1) {
      parts.push(this.inputNote(lastPos + skipped.indexOf("\n") + 1, "non-matching line after previous match is here"));
    }
    this.diagnostics.push(parts.join("\n"));
    return false;
  }

  /**
   * FileCheck's CheckDag: each run of DAGs matches in any order from the current position,
   * without overlapping; NOTs before a DAG run must not occur between the position and the run's
   * first match; the next run starts after the run's last match. NOTs after the last run are
   * returned for the caller to check before its positive match.
   */
  private checkDag(dagNots: Directive[], start: number, end: number): { lastPos: number; nots: Directive[] } | undefined {
    let startPos = start;
    let nots: Directive[] = [];
    let ranges: Span[] = []; // sorted by position
    for (let k = 0; k < dagNots.length; k++) {
      const d = dagNots[k] as Directive;
      if (d.kind === "not") {
        nots.push(d);
        continue;
      }
      let from = startPos;
      let r = 0;
      for (;;) {
        const m = this.search(d, from, end);
        if (m.kind !== "match") {
          this.reportNoMatch(d, m, from, end, "");
          return undefined;
        }
        while (r < ranges.length && (ranges[r] as Span).end <= m.pos) r++;
        const next = ranges[r];
        if (next !== undefined && next.pos < m.end) {
          from = next.end;
          r++;
          continue;
        }
        ranges.splice(r, 0, { pos: m.pos, end: m.end });
        this.commit(m.defs);
        break;
      }
      const following = dagNots[k + 1];
      if (following === undefined || following.kind === "not") {
        if (nots.length > 0) {
          if (this.checkNots(nots, startPos, (ranges[0] as Span).pos)) return undefined;
          nots = [];
        }
        startPos = (ranges[ranges.length - 1] as Span).end;
        ranges = [];
      }
    }
    return { lastPos: startPos, nots };
  }

  /** Reports every NOT pattern found in [from, to); true when any was. */
  private checkNots(nots: Directive[], from: number, to: number): boolean {
    let failed = false;
    for (const d of nots) {
      const m = this.search(d, from, to);
      if (m.kind === "nomatch") continue;
      failed = true;
      if (m.kind === "undefined") {
        this.reportNoMatch(d, m, from, to, "");
        continue;
      }
      this.diagnostics.push(
        [
          this.check.message(d.offset, "error", `${directiveName(d)}: excluded string found in input`),
          this.inputNote(m.pos, "found here", m.end - m.pos),
        ].join("\n"),
      );
    }
    return failed;
  }

  private commit(defs: Array<[string, string]>): void {
    for (const [name, value] of defs) this.vars.set(name, value);
  }

  /** First match of `d` inside [start, end) of the canonical input. */
  private search(d: Directive, start: number, end: number): SearchOutcome {
    const text = this.input.text;
    if (d.kind === "eof") return { kind: "match", pos: end, end, defs: [] };
    if (d.kind === "empty") {
      // FileCheck matches `\n$` and starts the match after the newline, i.e. at the empty line.
      const m = this.regex("\\n$").exec(text.slice(start, end));
      return m === null ? { kind: "nomatch" } : { kind: "match", pos: start + m.index + 1, end: start + m.index + 1, defs: [] };
    }
    if (d.pieces.every((p) => p.kind === "literal")) {
      const needle = d.pieces.map((p) => (p.kind === "literal" ? p.text : "")).join("");
      const pos = text.indexOf(needle, start);
      if (pos < 0 || pos + needle.length > end) return { kind: "nomatch" };
      return { kind: "match", pos, end: pos + needle.length, defs: [] };
    }
    let source = "";
    let group = 0;
    const defGroups = new Map<string, number>();
    const defs: Array<[string, number]> = [];
    const undefinedNames: Array<{ name: string; offset: number }> = [];
    for (const p of d.pieces) {
      switch (p.kind) {
        case "literal":
          source += escapeRegex(p.text);
          break;
        case "regex":
          source += `(?:${p.source})`;
          group += p.groups;
          break;
        case "def":
          source += `(${p.source})`;
          group++;
          defGroups.set(p.name, group);
          defs.push([p.name, group]);
          group += p.groups;
          break;
        case "use": {
          const backref = defGroups.get(p.name);
          const value = this.vars.get(p.name);
          if (backref !== undefined) source += `(?:\\${backref})`;
          else if (value !== undefined) source += escapeRegex(value);
          else undefinedNames.push({ name: p.name, offset: p.offset });
          break;
        }
      }
    }
    if (undefinedNames.length > 0) return { kind: "undefined", names: undefinedNames };
    const m = this.regex(source).exec(text.slice(start, end));
    if (m === null) return { kind: "nomatch" };
    const pos = start + m.index;
    return {
      kind: "match",
      pos,
      end: pos + m[0].length,
      defs: defs.map(([name, g]) => [name, m[g] ?? ""]),
    };
  }

  private regex(source: string): RegExp {
    let re = this.regexCache.get(source);
    if (re === undefined) {
      // "m": FileCheck compiles with REG_NEWLINE, so ^ and $ match at line boundaries.
      re = new RegExp(source, "m");
      this.regexCache.set(source, re);
    }
    return re;
  }

  private inputNote(offset: number, text: string, length = 1): string {
    this.inputLines.add(this.input.location(offset).line);
    return this.input.message(offset, "note", text, length);
  }

  private reportNoMatch(d: Directive, m: SearchOutcome, from: number, end: number, countNote: string): void {
    const parts: string[] = [];
    if (m.kind === "undefined") {
      for (const u of m.names) parts.push(this.check.message(u.offset, "error", `undefined variable: ${u.name}`));
    } else {
      parts.push(this.check.message(d.offset, "error", `${directiveName(d)}: expected string not found in input${countNote}`));
      parts.push(this.inputNote(from, "scanning from here"));
    }
    for (const p of d.pieces) {
      if (p.kind !== "use") continue;
      const value = this.vars.get(p.name);
      if (value !== undefined) parts.push(this.inputNote(from, `with "${p.name}" equal to "${value}"`));
    }
    if (m.kind === "nomatch") {
      const fuzzy = this.fuzzyMatch(d, from, end);
      if (fuzzy !== undefined) parts.push(this.inputNote(fuzzy, "possible intended match here"));
    }
    this.diagnostics.push(parts.join("\n"));
  }

  /**
   * Where the pattern's literal text nearly occurs: the line with the smallest edit distance
   * between that text and some substring of the line (earlier lines win ties), if close enough.
   */
  private fuzzyMatch(d: Directive, from: number, end: number): number | undefined {
    const wanted = d.pieces
      .map((p) => (p.kind === "literal" ? p.text : p.kind === "use" ? (this.vars.get(p.name) ?? "") : ""))
      .join("")
      .trim();
    if (wanted.length < 2) return undefined;
    const text = this.input.text;
    const m = wanted.length;
    const limit = Math.max(1, Math.floor(m / 3));
    let best: { distance: number; offset: number } | undefined;
    let cells = 0;
    let lineStart = from;
    const prev = new Int32Array(m + 1);
    const cur = new Int32Array(m + 1);
    const prevStart = new Int32Array(m + 1);
    const curStart = new Int32Array(m + 1);
    for (let lines = 0; lines < FUZZY_MAX_LINES && lineStart < end && cells < FUZZY_MAX_CELLS; lines++) {
      let lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      // Sellers' algorithm: edit distance of `wanted` to the best substring of the line.
      for (let i = 0; i <= m; i++) {
        prev[i] = i;
        prevStart[i] = lineStart;
      }
      let lineBest = prev[m] as number;
      let lineBestStart = lineStart;
      for (let k = lineStart; k < lineEnd; k++) {
        cur[0] = 0;
        curStart[0] = k + 1;
        const c = text[k];
        for (let i = 1; i <= m; i++) {
          const subst = (prev[i - 1] as number) + (wanted[i - 1] === c ? 0 : 1);
          const del = (prev[i] as number) + 1;
          const ins = (cur[i - 1] as number) + 1;
          if (subst <= del && subst <= ins) {
            cur[i] = subst;
            curStart[i] = prevStart[i - 1] as number;
          } else if (del <= ins) {
            cur[i] = del;
            curStart[i] = prevStart[i] as number;
          } else {
            cur[i] = ins;
            curStart[i] = curStart[i - 1] as number;
          }
        }
        if ((cur[m] as number) < lineBest) {
          lineBest = cur[m] as number;
          lineBestStart = curStart[m] as number;
        }
        prev.set(cur);
        prevStart.set(curStart);
      }
      cells += (lineEnd - lineStart) * m;
      if (lineBest <= limit && (best === undefined || lineBest < best.distance)) {
        best = { distance: lineBest, offset: lineBestStart };
      }
      lineStart = lineEnd + 1;
    }
    return best?.offset;
  }
}

/**
 * Matches `input` against the directives in `checkFileText` the way LLVM's FileCheck does.
 * Never throws for bad check files or inputs: problems are returned as diagnostics.
 */
export function fileCheck(checkFileText: string, input: string, options: FileCheckOptions = {}): FileCheckResult {
  const prefixes = options.prefixes === undefined || options.prefixes.length === 0 ? [DEFAULT_PREFIX] : options.prefixes;
  const badPrefix = prefixes.find((p, k) => !VALID_PREFIX.test(p) || prefixes.indexOf(p) !== k);
  if (badPrefix !== undefined) {
    return {
      ok: false,
      diagnostics: [
        `error: supplied check prefix '${badPrefix}' is invalid: prefixes must be unique, start with a letter and contain only alphanumeric characters, hyphens and underscores`,
      ],
      inputLines: [],
    };
  }
  const canonicalize = options.strictWhitespace !== true;
  const check = new SourceText(options.checkFileName ?? "<check-file>", checkFileText, canonicalize);
  const inputText = new SourceText(options.inputName ?? "<stdin>", input, canonicalize);
  const parsed = parseCheckFile(check, prefixes);
  if (parsed.errors.length > 0) return { ok: false, diagnostics: parsed.errors, inputLines: [] };
  if (input.length === 0 && options.allowEmpty !== true) {
    return { ok: false, diagnostics: [`error: '${inputText.name}' is empty`], inputLines: [] };
  }
  const matcher = new Matcher(check, inputText, options.enableVarScope === true);
  const ok = matcher.run(parsed.checks);
  return {
    ok: ok && matcher.diagnostics.length === 0,
    diagnostics: matcher.diagnostics,
    inputLines: [...matcher.inputLines].sort((a, b) => a - b),
  };
}

/**
 * FileCheck's "Input was:" dump, trimmed to `context` lines around the lines of interest
 * (all lines when none are given). Lines of interest are marked with `>`.
 */
export function formatInputDump(input: string, linesOfInterest: number[], context = 5): string {
  const lines = input.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const marked = new Set(linesOfInterest);
  const shown = new Set<number>();
  if (marked.size === 0) {
    for (let n = 1; n <= lines.length; n++) shown.add(n);
  } else {
    for (const n of marked) for (let k = n - context; k <= n + context; k++) if (k >= 1 && k <= lines.length) shown.add(k);
  }
  const width = String(lines.length).length;
  const out = ["Input was:", "<<<<<<"];
  let previous = 0;
  for (let n = 1; n <= lines.length; n++) {
    if (!shown.has(n)) continue;
    if (n !== previous + 1) out.push("         .", "         .", "         .");
    const text = (lines[n - 1] as string).replace(/\r$/, "");
    out.push(`${marked.has(n) ? ">" : " "} ${String(n).padStart(Math.max(width, 6))}: ${text}`);
    previous = n;
  }
  out.push(">>>>>>");
  return out.join("\n");
}
