/**
 * Pipeline text, as mlir-opt reads it: `builtin.module(func.func(cse,canonicalize{max-iterations=3}))`
 * and the flat list of `--pass=a,b{k=v}`. Options inside braces are separated by spaces (MLIR) or
 * commas; values may be quoted or hold nested braces.
 */
import type { Pass } from "./pass.js";
import { allPassDefinitions, getPassDefinition, instantiatePass, PassOptionError } from "./pass.js";

export class PipelineSyntaxError extends Error {
  override name = "PipelineSyntaxError";
}

interface Cursor {
  readonly text: string;
  pos: number;
}

/** Parses a flat `a,b{k=v}` list. */
export function parsePassList(text: string): Pass[] {
  const cur: Cursor = { text, pos: 0 };
  const passes = parseElements(cur, undefined);
  skipSpace(cur);
  if (cur.pos < text.length) throw syntaxError(cur, `unexpected '${text[cur.pos]}'`);
  return passes;
}

/** Parses `builtin.module(...)` (an op anchor around nested lists); anchors nest and flatten in order. */
export function parsePassPipeline(text: string): Pass[] {
  const cur: Cursor = { text, pos: 0 };
  skipSpace(cur);
  const anchor = readName(cur);
  skipSpace(cur);
  if (text[cur.pos] !== "(") {
    throw new PipelineSyntaxError(`pass pipeline must be anchored on an op, e.g. 'builtin.module(${anchor || "cse"})', got '${text}'`);
  }
  if (anchor !== "builtin.module" && anchor !== "any") {
    throw new PipelineSyntaxError(`the outermost pipeline anchor must be 'builtin.module', got '${anchor}'`);
  }
  cur.pos++;
  const passes = parseElements(cur, ")");
  expect(cur, ")");
  skipSpace(cur);
  if (cur.pos < text.length) throw syntaxError(cur, `unexpected '${text[cur.pos]}' after the pipeline`);
  return passes;
}

function parseElements(cur: Cursor, closer: string | undefined): Pass[] {
  const passes: Pass[] = [];
  skipSpace(cur);
  if (cur.pos >= cur.text.length || cur.text[cur.pos] === closer) return passes;
  for (;;) {
    skipSpace(cur);
    const start = cur.pos;
    const name = readName(cur);
    if (!name) throw syntaxError(cur, `expected a pass name`);
    skipSpace(cur);
    const c = cur.text[cur.pos];
    if (c === "(") {
      // A nested anchor such as func.func(...): its passes run over every such op.
      cur.pos++;
      passes.push(...parseElements(cur, ")"));
      expect(cur, ")");
    } else {
      let options: Record<string, string | boolean> = {};
      if (c === "{") options = readOptions(cur);
      const def = getPassDefinition(name);
      if (!def) {
        cur.pos = start;
        const names = allPassDefinitions().map((d) => d.name);
        throw new PipelineSyntaxError(`unknown pass '${name}'; available passes: ${names.join(", ")}`);
      }
      try {
        passes.push(instantiatePass(def, options));
      } catch (e) {
        if (e instanceof PassOptionError) throw new PipelineSyntaxError(e.message);
        throw e;
      }
    }
    skipSpace(cur);
    if (cur.text[cur.pos] === ",") {
      cur.pos++;
      continue;
    }
    return passes;
  }
}

function readName(cur: Cursor): string {
  const m = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(cur.text.slice(cur.pos));
  if (!m) return "";
  cur.pos += m[0].length;
  return m[0];
}

function readOptions(cur: Cursor): Record<string, string | boolean> {
  expect(cur, "{");
  const options: Record<string, string | boolean> = {};
  for (;;) {
    while (cur.pos < cur.text.length && /[\s,]/.test(cur.text[cur.pos]!)) cur.pos++;
    if (cur.text[cur.pos] === "}") {
      cur.pos++;
      return options;
    }
    if (cur.pos >= cur.text.length) throw syntaxError(cur, `missing '}' after pass options`);
    const key = readName(cur);
    if (!key) throw syntaxError(cur, `expected an option name`);
    if (cur.text[cur.pos] !== "=") {
      options[key] = true;
      continue;
    }
    cur.pos++;
    options[key] = readValue(cur);
  }
}

/** A value runs to the next top-level space, comma or closing brace; quotes and braces group. */
function readValue(cur: Cursor): string {
  const { text } = cur;
  if (text[cur.pos] === '"' || text[cur.pos] === "'") {
    const quote = text[cur.pos]!;
    const end = text.indexOf(quote, cur.pos + 1);
    if (end < 0) throw syntaxError(cur, `unterminated string in pass options`);
    const value = text.slice(cur.pos + 1, end);
    cur.pos = end + 1;
    return value;
  }
  const start = cur.pos;
  let depth = 0;
  while (cur.pos < text.length) {
    const c = text[cur.pos]!;
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (c === "," || /\s/.test(c))) break;
    cur.pos++;
  }
  return text.slice(start, cur.pos);
}

function skipSpace(cur: Cursor): void {
  while (cur.pos < cur.text.length && /\s/.test(cur.text[cur.pos]!)) cur.pos++;
}

function expect(cur: Cursor, c: string): void {
  skipSpace(cur);
  if (cur.text[cur.pos] !== c) throw syntaxError(cur, `expected '${c}'`);
  cur.pos++;
}

function syntaxError(cur: Cursor, message: string): PipelineSyntaxError {
  return new PipelineSyntaxError(`${message} at position ${cur.pos + 1} of '${cur.text}'\n  ${cur.text}\n  ${" ".repeat(cur.pos)}^`);
}

/** Prints passes back as pipeline text. */
export function printPipeline(passes: readonly Pass[]): string {
  const items = passes.map((p) => {
    const opts = Object.entries(p.options)
      .filter(([k, v]) => v !== undefined && v !== p.definition.options[k]?.default)
      .map(([k, v]) => `${k}=${String(v)}`);
    return opts.length ? `${p.definition.name}{${opts.join(" ")}}` : p.definition.name;
  });
  return `builtin.module(${items.join(",")})`;
}
