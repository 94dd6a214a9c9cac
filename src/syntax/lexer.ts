/**
 * chevrotain lexer for MLIR's textual format. Tokens keep only their start offset: line and column
 * are computed when a diagnostic is printed (full position tracking triples lexing time).
 */
import type { TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { createToken, Lexer } = chevrotain;

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, start_chars_hint: [" ", "\t", "\r", "\n"] });
export const Comment = createToken({ name: "Comment", pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED, start_chars_hint: ["/"] });

export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n]|\\.)*"/, label: "string", start_chars_hint: ['"'] });
/** `%name`, with an optional result number `#N` (`%0#1`). */
export const ValueId = createToken({ name: "ValueId", pattern: /%[A-Za-z0-9_$.\-]+(?:#[0-9]+)?/, label: "SSA value", start_chars_hint: ["%"] });
export const BlockId = createToken({ name: "BlockId", pattern: /\^[A-Za-z0-9_$.\-]+/, label: "block label", start_chars_hint: ["^"] });
export const SymbolId = createToken({ name: "SymbolId", pattern: /@(?:[A-Za-z_$.\-][A-Za-z0-9_$.\-]*|"(?:[^"\\\n]|\\.)*")/, label: "symbol", start_chars_hint: ["@"] });
export const HashId = createToken({ name: "HashId", pattern: /#[A-Za-z_$.\-][A-Za-z0-9_$.\-]*/, label: "attribute alias", start_chars_hint: ["#"] });
export const BangId = createToken({ name: "BangId", pattern: /![A-Za-z_$.\-][A-Za-z0-9_$.\-]*/, label: "dialect type", start_chars_hint: ["!"] });

/**
 * The dimension prefix of a shaped type, `4x?x8x` in `tensor<4x?x8xf32>`. MLIR's lexer resolves this in
 * the parser; here the lookahead for an element type keeps hex literals (`0xFF`) out of it.
 */
export const DimList = createToken({
  name: "DimList",
  pattern: /(?:(?:[0-9]+|\?|\*)x)+(?=!|(?:f16|f32|f64|f80|f128|bf16|tf32|f8E\w+|i[0-9]+|si[0-9]+|ui[0-9]+|index|none|complex|tuple|vector|tensor|memref)\b)/,
  label: "dimension list",
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "?", "*"],
});
export const FloatLit = createToken({ name: "FloatLit", pattern: /[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?/, label: "float", start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] });
export const HexLit = createToken({ name: "HexLit", pattern: /0x[0-9a-fA-F]+/, label: "hex integer", start_chars_hint: ["0"] });
export const IntLit = createToken({ name: "IntLit", pattern: /[0-9]+/, label: "integer", start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] });

/**
 * A whole shaped or dialect type (`tensor<1x16xf32>`, `!quant.uniform<i8:f32, 0.1:-3>`) as one token.
 * Real files repeat a handful of types on every op; the parser reads each distinct spelling once
 * (with the fine-grained lexer below) and shares the resulting type object, which keeps the token count,
 * the allocations and the printer's per-type work small.
 */
const typeLiteralPrefixes = ["tensor<", "vector<", "memref<", "complex<", "tuple<"];

function matchTypeLiteral(text: string, offset: number): RegExpExecArray | null {
  let i = offset;
  if (text.charCodeAt(i) === 33 /* ! */) {
    i++;
    while (i < text.length && isIdentChar(text.charCodeAt(i))) i++;
    if (i === offset + 1) return null;
  } else {
    const prefix = typeLiteralPrefixes.find((p) => text.startsWith(p, offset));
    if (prefix === undefined) return null;
    i += prefix.length - 1;
  }
  if (text.charCodeAt(i) !== 60 /* < */) return null;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 60) depth++;
    else if (c === 62 /* > */) {
      if (text.charCodeAt(i - 1) === 45 /* - */) continue; // `->` inside a function type
      depth--;
      if (depth === 0) {
        const match = [text.slice(offset, i + 1)] as unknown as RegExpExecArray;
        return match;
      }
    } else if (c === 34 /* " */) {
      // Skip string literals inside dialect type bodies.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 10 || c === 123 || c === 125) {
      return null; // newlines and braces never occur in the types we cache; let the fine lexer report
    }
  }
  return null;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 46 || c === 45;
}

export const TypeLiteral = createToken({
  name: "TypeLiteral",
  pattern: { exec: matchTypeLiteral },
  line_breaks: false,
  label: "type",
  start_chars_hint: ["t", "v", "m", "c", "!"],
});

/**
 * The whole signature of a generic op after its `:` — `(T, U) -> V` — as one token, read once per
 * distinct spelling like type literals. Only tried where the previous non-blank character is `:`, and only
 * when the signature ends its line (or is followed by `loc(`), so nothing else is ever taken for one.
 */
function matchSignatureLiteral(text: string, offset: number): RegExpExecArray | null {
  let p = offset - 1;
  while (p >= 0 && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p--;
  if (p < 0 || text.charCodeAt(p) !== 58 /* : */) return null;
  let i = skipParens(text, offset);
  if (i < 0) return null;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 45 || text.charCodeAt(i + 1) !== 62) return null; // `->`
  i += 2;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) === 40 /* ( */) {
    i = skipParens(text, i);
    if (i < 0) return null;
  } else {
    const lit = matchTypeLiteral(text, i);
    if (lit) i += lit[0].length;
    else {
      const start = i;
      while (i < text.length && isIdentChar(text.charCodeAt(i))) i++;
      if (i === start) return null;
    }
  }
  const c = text.charCodeAt(i);
  if (!(i >= text.length || c === 10 || c === 13 || (c === 32 && text.startsWith("loc(", i + 1)))) return null;
  return [text.slice(offset, i)] as unknown as RegExpExecArray;
}

/** Index after the `)` matching the `(` at `start`, or -1; gives up on strings, braces and newlines. */
function skipParens(text: string, start: number): number {
  if (text.charCodeAt(start) !== 40) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === 10 || c === 34 || c === 123 || c === 125 || c === 37 /* % */) return -1;
  }
  return -1;
}

export const SignatureLiteral = createToken({
  name: "SignatureLiteral",
  pattern: { exec: matchSignatureLiteral },
  line_breaks: false,
  label: "function type",
  start_chars_hint: ["("],
});

export const BareId = createToken({ name: "BareId", pattern: /[A-Za-z_][A-Za-z0-9_$.]*/, label: "identifier" });

function keyword(word: string, name: string): TokenType {
  return createToken({ name, pattern: new RegExp(word.replace(/\./g, "\\.")), longer_alt: BareId, categories: [BareId], label: `'${word}'` });
}

export const KwTensor = keyword("tensor", "KwTensor");
export const KwVector = keyword("vector", "KwVector");
export const KwTuple = keyword("tuple", "KwTuple");
export const KwComplex = keyword("complex", "KwComplex");
export const KwMemref = keyword("memref", "KwMemref");
export const KwDense = keyword("dense", "KwDense");
export const KwDenseResource = keyword("dense_resource", "KwDenseResource");
export const KwArray = keyword("array", "KwArray");
export const KwTrue = keyword("true", "KwTrue");
export const KwFalse = keyword("false", "KwFalse");
export const KwUnit = keyword("unit", "KwUnit");
export const KwLoc = keyword("loc", "KwLoc");
export const KwAffineMap = keyword("affine_map", "KwAffineMap");
export const KwAffineSet = keyword("affine_set", "KwAffineSet");
export const KwStrided = keyword("strided", "KwStrided");
export const KwDistinct = keyword("distinct", "KwDistinct");
export const KwAttributes = keyword("attributes", "KwAttributes");
export const KwModule = keyword("module", "KwModule");
export const KwBuiltinModule = keyword("builtin.module", "KwBuiltinModule");
export const KwFuncFunc = keyword("func.func", "KwFuncFunc");
export const KwReturn = keyword("return", "KwReturn");
export const KwFuncReturn = keyword("func.return", "KwFuncReturn");
export const KwPrivate = keyword("private", "KwPrivate");
export const KwPublic = keyword("public", "KwPublic");
export const KwNested = keyword("nested", "KwNested");

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
export const ColonColon = createToken({ name: "ColonColon", pattern: /::/, label: "'::'" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Equal = createToken({ name: "Equal", pattern: /=/, label: "'='" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "'}'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const Less = createToken({ name: "Less", pattern: /</, label: "'<'" });
export const Greater = createToken({ name: "Greater", pattern: />/, label: "'>'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "'+'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Question = createToken({ name: "Question", pattern: /\?/, label: "'?'" });
export const Ellipsis = createToken({ name: "Ellipsis", pattern: /\.\.\./, label: "'...'" });
/** Anything else that may appear inside the verbatim bodies of dialect types and attributes. */
export const OtherPunct = createToken({ name: "OtherPunct", pattern: /[&|;~$\\'`.]/, label: "punctuation" });

const keywords = [
  KwTensor, KwVector, KwTuple, KwComplex, KwMemref, KwDenseResource, KwDense, KwArray, KwTrue, KwFalse, KwUnit, KwLoc,
  KwAffineMap, KwAffineSet, KwStrided, KwDistinct, KwAttributes, KwModule, KwBuiltinModule, KwFuncFunc, KwFuncReturn,
  KwReturn, KwPrivate, KwPublic, KwNested,
];

/** Tokens of the fine-grained lexer, which reads the inside of types. */
const fineTokens: TokenType[] = [
  WhiteSpace, Comment, StringLit, ValueId, BlockId, SymbolId, HashId, BangId,
  DimList, FloatLit, HexLit, IntLit,
  ...keywords, BareId,
  Arrow, ColonColon, Colon, Comma, Equal, LParen, RParen, LBrace, RBrace, LBracket, RBracket, Less, Greater,
  Minus, Plus, Star, Question, Ellipsis, OtherPunct,
];

/** Every token the parser knows: the fine-grained ones plus whole type literals (tried first). */
export const allTokens: TokenType[] = [WhiteSpace, Comment, SignatureLiteral, TypeLiteral, ...fineTokens.slice(2)];

export const mlirLexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: true,
});

/** Reads the inside of a type literal token (on a cache miss of the parser's type cache). */
export const fineLexer = new Lexer(fineTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: true,
});
