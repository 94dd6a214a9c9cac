/**
 * A strict JSON reader for descriptor files. `JSON.parse` would do for valid input, but a vendor's
 * hand-edited file needs more: the line and column of a syntax error with a message that does not
 * change between Node versions, an error for a duplicate key (`JSON.parse` silently keeps the last one,
 * which drops a constraint without a word), and the position of every value so that schema errors can
 * point into the file.
 */

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

export interface JsonSyntaxError extends SourcePosition {
  readonly message: string;
  /** JSON pointer of the object holding a duplicate key; absent for other syntax errors. */
  readonly pointer?: string;
}

export type JsonReadResult =
  | { readonly ok: true; readonly value: unknown; readonly positions: ReadonlyMap<string, SourcePosition> }
  | { readonly ok: false; readonly error: JsonSyntaxError };

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

class JsonReadFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly pointer?: string,
  ) {
    super(message);
  }
}

const LITERALS: readonly (readonly [string, boolean | null])[] = [
  ["true", true],
  ["false", false],
  ["null", null],
];

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses `text` as JSON (RFC 8259), recording the position of each value by its JSON pointer. */
export function readJson(text: string): JsonReadResult {
  const positions = new Map<string, SourcePosition>();
  // Line starts, for turning offsets into line:column.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const at = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };

  // A UTF-8 byte-order mark is common in files saved by Windows editors; it is not JSON but harmless.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, offset = pos, pointer?: string): never => {
    throw new JsonReadFailure(offset, message, pointer);
  };
  const describe = (offset: number): string => {
    if (offset >= text.length) return "end of file";
    const ch = text[offset]!;
    return ch === "\n" || ch === "\r" ? "end of line" : `'${ch}'`;
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else if (c === 47 && (text[pos + 1] === "/" || text[pos + 1] === "*")) fail("comments are not allowed in JSON");
      else return;
    }
  };

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) fail("unterminated string", start);
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c < 0x20) fail(c === 10 || c === 13 ? "unterminated string" : "control character in string", c === 10 || c === 13 ? start : pos);
      if (c === 92) {
        const e = text[pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail("invalid \\u escape: expected 4 hex digits");
          pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape '\\${e ?? ""}'`);
        pos += 2;
        continue;
      }
      pos++;
    }
    pos++; // closing quote
    // The slice is a well-formed JSON string now, so JSON.parse only decodes its escapes.
    return JSON.parse(text.slice(start, pos)) as string;
  };

  const readValue = (pointer: string): unknown => {
    skipSpace();
    positions.set(pointer, at(pos));
    const c = text[pos];
    if (c === "{") return readObject(pointer);
    if (c === "[") return readArray(pointer);
    if (c === '"') return readString();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    if (c === "'") fail("strings must use double quotes");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text);
      const next = m === null ? undefined : text[pos + m[0].length];
      if (m === null || (next !== undefined && /[0-9.eE+\-]/.test(next))) fail("invalid number");
      pos += m![0].length;
      return Number(m![0]);
    }
    return fail(`expected a value, found ${describe(pos)}`);
  };

  const readObject = (pointer: string): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    const seen = new Set<string>();
    pos++; // {
    skipSpace();
    if (text[pos] === "}") {
      pos++;
      return obj;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') {
        if (text[pos] === "}") fail("trailing comma before '}'");
        if (text[pos] === "'") fail("keys must use double quotes");
        fail(`expected a double-quoted key, found ${describe(pos)}`);
      }
      const keyOffset = pos;
      const key = readString();
      if (seen.has(key)) fail(`duplicate key "${key}"`, keyOffset, pointer);
      seen.add(key);
      skipSpace();
      if (text[pos] !== ":") fail(`expected ':' after key "${key}", found ${describe(pos)}`);
      pos++;
      const value = readValue(`${pointer}/${escapePointerSegment(key)}`);
      // defineProperty, not assignment: a key "__proto__" must stay a plain key, not set the prototype.
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      fail(`expected ',' or '}' after the value of "${key}", found ${describe(pos)}`);
    }
  };

  const readArray = (pointer: string): unknown[] => {
    const arr: unknown[] = [];
    pos++; // [
    skipSpace();
    if (text[pos] === "]") {
      pos++;
      return arr;
    }
    for (;;) {
      skipSpace();
      if (text[pos] === "]") fail("trailing comma before ']'");
      arr.push(readValue(`${pointer}/${arr.length}`));
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      fail(`expected ',' or ']' after an array element, found ${describe(pos)}`);
    }
  };

  try {
    skipSpace();
    if (pos >= text.length) fail("the file is empty");
    const value = readValue("");
    skipSpace();
    if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the JSON value`);
    return { ok: true, value, positions };
  } catch (e) {
    if (!(e instanceof JsonReadFailure)) throw e;
    const where = at(e.offset);
    const error: JsonSyntaxError = e.pointer === undefined ? { ...where, message: e.message } : { ...where, message: e.message, pointer: e.pointer };
    return { ok: false, error };
  }
}
