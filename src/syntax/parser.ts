/**
 * chevrotain parser for MLIR's textual format: the generic op form, the pretty forms of `module`,
 * `func.func` and `return`, builtin types, `!quant.*` types, builtin attributes, aliases and locations.
 * Embedded actions build the IR directly (no CST): the parse benchmark against mlir-opt is the judge.
 */
import type { IToken, TokenType, IParserErrorMessageProvider } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { EmbeddedActionsParser, EOF } = chevrotain;
import * as T from "./lexer.js";
import type { Attribute, AttrDict, DenseData } from "../ir/attributes.js";
import { attrDict, setAttr, unitAttr } from "../ir/attributes.js";
import type { Type, FloatType, IntegerType, FloatKind, TensorType, VectorType } from "../ir/types.js";
import { floatType, integerType, integerTypeRange, i64, f64, DYNAMIC, indexType, noneType, typeEquals } from "../ir/types.js";
import type { Block, Operation, Region, Value, Module } from "../ir/operation.js";
import { makeModule } from "../ir/operation.js";
import type { Location } from "../ir/location.js";
import { SourceFile, unknownLoc } from "../ir/location.js";
import type { Diagnostic } from "../ir/diagnostic.js";
import { DiagnosticError, diagnostic } from "../ir/diagnostic.js";
import { getOpDef } from "../ir/opdef.js";
import { allocateDense, decodeDenseHex, storeDenseElement } from "./dense.js";
import { hexBitsToFloat, roundToFloatKind } from "./float-format.js";

/** A semantic error found while parsing; carries the offset of the offending token. */
class ParseFailure extends Error {
  constructor(readonly offset: number, message: string, readonly length = 1) {
    super(message);
  }
}

interface ResultBinding {
  readonly name: string;
  readonly count: number;
  readonly token: IToken;
}

interface ForwardRef {
  readonly placeholder: Value;
  readonly token: IToken;
  readonly uses: Array<{ operands: Value[]; index: number }>;
}

class Scope {
  readonly values = new Map<string, Value[]>();
  readonly forward = new Map<string, ForwardRef>();
  constructor(readonly parent: Scope | undefined, readonly isolated: boolean) {}
}

interface MutableOp {
  name: string;
  operands: Value[];
  results: Value[];
  attributes: AttrDict;
  properties: AttrDict | undefined;
  regions: Region[];
  successors: number[];
  loc: Location;
}

/** Operand uses whose types are known only after the op's signature is read. */
interface PendingUse {
  readonly token: IToken;
}

interface ParsedBlockHeader {
  readonly label: IToken;
  readonly args: Value[];
}

interface DenseLiteral {
  readonly kind: "hex" | "list";
  readonly hex?: string;
  /** Flat literal values in row-major order. */
  readonly values: Array<number | bigint | boolean>;
  readonly isFloat: boolean[];
  /** Nested list shape, [] for a scalar (splat). */
  readonly shape: number[];
  readonly token: IToken;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected operation name in quotes, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    return `expected ${ruleDescriptions[ruleName] ?? ruleName}, found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    return `expected ${ruleDescriptions[ruleName] ?? ruleName}, found ${describeToken(actual[0]!)}`;
  },
};

const ruleDescriptions: Record<string, string> = {
  type: "type",
  attribute: "attribute value",
  operation: "operation name in quotes",
  topLevelItem: "operation name in quotes",
  denseElement: "dense element literal",
  number: "number",
  funcArgument: "function argument",
  dictEntry: "attribute name",
};

function tokenLabel(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return "end of file";
  return `'${tok.image}'`;
}

const utf8 = new TextDecoder();

/** Decodes an MLIR string literal: C escapes plus two-digit hex escapes of UTF-8 bytes (`\22`, `\C3\A9`). */
export function unquote(text: string): string {
  const body = text.slice(1, -1);
  if (!body.includes("\\")) return body;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      for (const b of encoder.encode(c)) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? "";
    const hex = body.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push((next === "n" ? "\n" : next === "t" ? "\t" : next).charCodeAt(0));
      i += 1;
    }
  }
  return utf8.decode(new Uint8Array(bytes));
}

function parseIntegerLiteral(text: string, negative: boolean): number | bigint {
  const n = Number(text);
  const v = negative ? -n : n;
  if (Number.isSafeInteger(v)) return v;
  const big = BigInt(text);
  return negative ? -big : big;
}

const builtinScalarTypes = new Map<string, Type>([
  ["f16", floatType("f16")],
  ["bf16", floatType("bf16")],
  ["f32", floatType("f32")],
  ["f64", floatType("f64")],
  ["index", indexType],
  ["none", noneType],
]);

function scalarTypeByName(name: string): Type | undefined {
  const builtin = builtinScalarTypes.get(name);
  if (builtin) return builtin;
  const m = /^(i|si|ui)([0-9]+)$/.exec(name);
  if (m) {
    const width = Number(m[2]);
    if (width === 0 || width > 128) return undefined;
    return integerType(width, m[1] === "i" ? "signless" : m[1] === "si" ? "signed" : "unsigned");
  }
  return undefined;
}

class MlirParser extends EmbeddedActionsParser {
  source!: SourceFile;
  typeAliases = new Map<string, Type>();
  attrAliases = new Map<string, Attribute>();
  scope: Scope | undefined;

  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  override reset(): void {
    super.reset();
    this.typeAliases = new Map();
    this.attrAliases = new Map();
    this.typeCache = new Map();
    this.forwardRefCount = 0;
    this.scope = undefined;
  }

  // ---------------------------------------------------------------- helpers

  fail(tok: IToken, message: string): never {
    const offset = Number.isFinite(tok.startOffset) ? tok.startOffset : this.source.text.length;
    throw new ParseFailure(offset, message, tok.image.length || 1);
  }

  loc(tok: IToken): Location {
    return { kind: "source", source: this.source, offset: Number.isFinite(tok.startOffset) ? tok.startOffset : this.source.text.length };
  }

  /**
   * Skips the tokens of a balanced body (after an opening bracket that was consumed) up to, not
   * including, the matching closer, and returns the body's source text.
   */
  skipBalanced(open: IToken): string {
    let depth = 0;
    const start = open.startOffset + open.image.length;
    for (;;) {
      const tok = this.LA(1);
      if (tok.tokenType === EOF) this.fail(open, `unbalanced '${open.image}'`);
      const t = tok.tokenType;
      if (depth === 0 && (t === T.Greater || t === T.RParen || t === T.RBracket || t === T.RBrace)) {
        return this.source.text.slice(start, tok.startOffset);
      }
      if (t === T.Less || t === T.LParen || t === T.LBracket || t === T.LBrace) depth++;
      else if (t === T.Greater || t === T.RParen || t === T.RBracket || t === T.RBrace) depth--;
      (this as unknown as { consumeToken(): void }).consumeToken();
    }
  }

  pushScope(isolated: boolean): void {
    this.scope = new Scope(this.scope, isolated);
  }

  /** Closes a scope: forward references left open move outward or, at an isolated boundary, are errors. */
  popScope(): void {
    const scope = this.scope!;
    this.scope = scope.parent;
    for (const [name, ref] of scope.forward) {
      if (scope.isolated || this.scope === undefined) this.fail(ref.token, `use of undeclared SSA value name '${name}'`);
      const outer = this.scope.forward.get(name);
      if (outer) {
        if (outer.placeholder.type !== ref.placeholder.type && !sameType(outer.placeholder.type, ref.placeholder.type)) {
          this.fail(ref.token, `use of value '${name}' expects different type than prior uses`);
        }
        for (const use of ref.uses) {
          use.operands[use.index] = outer.placeholder;
        }
        outer.uses.push(...ref.uses);
      } else {
        this.scope.forward.set(name, ref);
      }
    }
  }

  defineValues(binding: ResultBinding, values: Value[]): void {
    const scope = this.scope!;
    if (scope.values.has(binding.name)) this.fail(binding.token, `redefinition of SSA value '${binding.name}'`);
    scope.values.set(binding.name, values);
    this.forwardRefCount === 0 || this.resolveForwardRefs(scope, binding, values);
  }

  /** Number of open forward references; defining a value only searches for them when there are any. */
  forwardRefCount = 0;

  resolveForwardRefs(scope: Scope, binding: ResultBinding, values: Value[]): void {
    // Resolve forward references from this scope and nested scopes that were already closed into it.
    for (let s: Scope | undefined = scope; s; s = s.isolated ? undefined : s.parent) {
      const key0 = binding.name;
      for (let i = 0; i < values.length; i++) {
        const key = values.length === 1 && i === 0 ? key0 : `${key0}#${i}`;
        const keys = i === 0 ? [key, `${key0}#0`] : [key];
        for (const k of keys) {
          const ref = s.forward.get(k);
          if (!ref) continue;
          if (!sameType(ref.placeholder.type, values[i]!.type)) {
            this.fail(ref.token, `use of value '${k}' expects different type than prior uses: '${typeText(ref.placeholder.type)}' vs '${typeText(values[i]!.type)}'`);
          }
          for (const use of ref.uses) use.operands[use.index] = values[i]!;
          s.forward.delete(k);
          this.forwardRefCount--;
        }
      }
    }
  }

  lookupValue(tok: IToken): { value: Value; found: true } | { found: false; name: string; index: number } {
    const image = tok.image;
    const hash = image.indexOf("#");
    const name = hash < 0 ? image : image.slice(0, hash);
    const index = hash < 0 ? 0 : Number(image.slice(hash + 1));
    for (let s: Scope | undefined = this.scope; s; s = s.isolated ? undefined : s.parent) {
      const group = s.values.get(name);
      if (group) {
        if (index >= group.length) this.fail(tok, `reference to invalid result number`);
        return { value: group[index]!, found: true };
      }
    }
    return { found: false, name, index };
  }

  /** Resolves operand uses once their types are known; unknown names become forward references. */
  resolveOperands(uses: PendingUse[], types: readonly Type[], operands: Value[]): void {
    for (let i = 0; i < uses.length; i++) {
      const tok = uses[i]!.token;
      const type = types[i]!;
      const r = this.lookupValue(tok);
      if (r.found) {
        if (!sameType(r.value.type, type)) {
          this.fail(tok, `use of value '${tok.image}' expects different type than prior uses: '${typeText(type)}' vs '${typeText(r.value.type)}'`);
        }
        operands.push(r.value);
      } else {
        const key = tok.image.endsWith("#0") ? tok.image.slice(0, -2) : tok.image;
        const scope = this.scope!;
        let ref = scope.forward.get(key);
        if (!ref) {
          ref = { placeholder: { type }, token: tok, uses: [] };
          scope.forward.set(key, ref);
          this.forwardRefCount++;
        } else if (!sameType(ref.placeholder.type, type)) {
          this.fail(tok, `use of value '${tok.image}' expects different type than prior uses: '${typeText(type)}' vs '${typeText(ref.placeholder.type)}'`);
        }
        operands.push(ref.placeholder);
        ref.uses.push({ operands, index: operands.length - 1 });
      }
    }
  }

  finishOp(op: MutableOp, bindings: ResultBinding[], resultTypes: readonly Type[], start: IToken): Operation {
    const declared = bindings.reduce((n, b) => n + b.count, 0);
    if (bindings.length > 0 && declared !== resultTypes.length) {
      this.fail(start, `operation defines ${resultTypes.length} results but was provided ${declared} to bind`);
    }
    op.results = resultTypes.map((type) => ({ type }));
    let next = 0;
    for (const b of bindings) {
      this.defineValues(b, op.results.slice(next, next + b.count));
      next += b.count;
    }
    return op;
  }

  /** Distinct type spellings of this parse, each read once (aliases cannot change within a file). */
  typeCache = new Map<string, Type>();
  subParser: MlirParser | undefined;

  resolveTypeLiteral(tok: IToken): Type {
    const cached = this.typeCache.get(tok.image);
    if (cached) return cached;
    const lexed = T.fineLexer.tokenize(tok.image);
    if (lexed.errors.length > 0) throw new ParseFailure(tok.startOffset + lexed.errors[0]!.offset, `unexpected character '${tok.image[lexed.errors[0]!.offset]}'`);
    for (const t of lexed.tokens) (t as { startOffset: number }).startOffset += tok.startOffset;
    const sub = (this.subParser ??= new MlirParser());
    sub.input = lexed.tokens;
    sub.source = this.source;
    sub.typeAliases = this.typeAliases;
    sub.attrAliases = this.attrAliases;
    sub.typeCache = this.typeCache;
    const type = sub.typeOnly();
    if (sub.errors.length > 0) {
      const err = sub.errors[0]!;
      const offset = Number.isFinite(err.token.startOffset) ? err.token.startOffset : tok.startOffset + tok.image.length;
      throw new ParseFailure(offset, err.message, err.token.image?.length || 1);
    }
    this.typeCache.set(tok.image, type);
    return type;
  }

  typeOnly = this.RULE("typeOnly", (): Type => this.SUBRULE(this.type));

  // ---------------------------------------------------------------- top level

  topLevel = this.RULE("topLevel", (): Operation[] => {
    const ops: Operation[] = [];
    this.MANY(() => {
      this.SUBRULE(this.topLevelItem, { ARGS: [ops] });
    });
    return ops;
  });

  topLevelItem = this.RULE("topLevelItem", (ops: Operation[]) => {
    this.OR([
      { ALT: () => this.SUBRULE(this.typeAliasDef) },
      { ALT: () => this.SUBRULE(this.attrAliasDef) },
      {
        ALT: () => {
          const op = this.SUBRULE(this.operation);
          this.ACTION(() => ops.push(op));
        },
      },
    ]);
  });

  typeAliasDef = this.RULE("typeAliasDef", () => {
    const name = this.CONSUME(T.BangId);
    this.CONSUME(T.Equal);
    const type = this.SUBRULE(this.type);
    this.ACTION(() => {
      if (this.typeAliases.has(name.image)) this.fail(name, `redefinition of type alias id '${name.image.slice(1)}'`);
      this.typeAliases.set(name.image, type);
    });
  });

  attrAliasDef = this.RULE("attrAliasDef", () => {
    const name = this.CONSUME(T.HashId);
    this.CONSUME(T.Equal);
    const attr = this.OR([
      {
        ALT: () => {
          const loc = this.SUBRULE(this.locationSpec);
          return this.ACTION((): Attribute => ({ kind: "opaque", text: loc.kind === "opaque" ? loc.text : formatLocText(loc) }));
        },
      },
      { ALT: () => this.SUBRULE(this.attribute) },
    ]);
    this.ACTION(() => {
      if (this.attrAliases.has(name.image)) this.fail(name, `redefinition of attribute alias id '${name.image.slice(1)}'`);
      this.attrAliases.set(name.image, attr);
    });
  });

  // ---------------------------------------------------------------- operations

  operation = this.RULE("operation", (): Operation => {
    const start = this.LA(1);
    let bindings: ResultBinding[] = [];
    this.OPTION(() => {
      bindings = this.SUBRULE(this.resultBindings);
    });
    const op = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.genericOp, { ARGS: [bindings, start] }) },
        { ALT: () => this.SUBRULE(this.moduleOp, { ARGS: [bindings, start] }) },
        { ALT: () => this.SUBRULE(this.funcOp, { ARGS: [bindings, start] }) },
        { ALT: () => this.SUBRULE(this.returnOp, { ARGS: [bindings, start] }) },
        {
          ALT: () => {
            const tok = this.CONSUME(T.BareId);
            return this.ACTION(() => this.fail(tok, `custom op '${tok.image}' is unknown (qopt reads the generic form of every op but module, func.func and return)`));
          },
        },
      ],
    });
    this.OPTION2(() => {
      const loc = this.SUBRULE(this.locationSpec);
      this.ACTION(() => {
        (op as MutableOp).loc = loc;
      });
    });
    return op;
  });

  resultBindings = this.RULE("resultBindings", (): ResultBinding[] => {
    const bindings: ResultBinding[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const tok = this.CONSUME(T.ValueId);
        let count = 1;
        this.OPTION(() => {
          this.CONSUME(T.Colon);
          const n = this.CONSUME(T.IntLit);
          this.ACTION(() => {
            count = Number(n.image);
          });
        });
        this.ACTION(() => {
          if (tok.image.includes("#")) this.fail(tok, `expected SSA value name without a result number`);
          bindings.push({ name: tok.image, count, token: tok });
        });
      },
    });
    this.CONSUME(T.Equal);
    return bindings;
  });

  genericOp = this.RULE("genericOp", (bindings: ResultBinding[], start: IToken): Operation => {
    const nameTok = this.CONSUME(T.StringLit);
    const name = this.ACTION(() => unquote(nameTok.image));
    const uses: PendingUse[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const tok = this.CONSUME(T.ValueId);
        this.ACTION(() => uses.push({ token: tok }));
      },
    });
    this.CONSUME(T.RParen);
    const successors: IToken[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => {
          const tok = this.CONSUME(T.BlockId);
          this.ACTION(() => successors.push(tok));
        },
      });
      this.CONSUME(T.RBracket);
    });
    let properties: AttrDict | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Less);
      properties = this.SUBRULE(this.attrDict);
      this.CONSUME(T.Greater);
    });
    const regions: Region[] = [];
    this.OPTION3(() => {
      this.CONSUME2(T.LParen);
      const isolated = this.ACTION(() => getOpDef(name)?.traits?.includes("IsolatedFromAbove") ?? false);
      this.AT_LEAST_ONE_SEP2({
        SEP: T.Comma,
        DEF: () => {
          const region = this.SUBRULE(this.region, { ARGS: [isolated, undefined] });
          this.ACTION(() => regions.push(region));
        },
      });
      this.CONSUME2(T.RParen);
    });
    let attributes: AttrDict | undefined;
    this.OPTION4(() => {
      attributes = this.SUBRULE2(this.attrDict);
    });
    this.CONSUME(T.Colon);
    const sigTok = this.LA(1);
    const sig = this.SUBRULE(this.type);
    return this.ACTION(() => {
      if (sig.kind !== "function") this.fail(sigTok, `expected function type`);
      if (sig.inputs.length !== uses.length) {
        this.fail(sigTok, `expected ${uses.length} operand type${uses.length === 1 ? "" : "s"} but had ${sig.inputs.length}`);
      }
      const operands: Value[] = [];
      this.resolveOperands(uses, sig.inputs, operands);
      const moved = movePropertiesOutOfAttributes(name, attributes, properties);
      const op: MutableOp = {
        name,
        operands,
        results: [],
        attributes: moved.attributes,
        properties: moved.properties,
        regions,
        successors: [],
        loc: this.loc(start),
      };
      if (successors.length > 0) {
        if (this.blockLabels.length === 0) this.fail(successors[0]!, `reference to block '${successors[0]!.image}' outside a region`);
        this.pendingSuccessors.set(op, successors);
      }
      return this.finishOp(op, bindings, sig.results, start);
    });
  });

  /** Successor labels of ops in open regions, resolved to block indices when their region closes. */
  pendingSuccessors = new Map<MutableOp, IToken[]>();
  blockLabels: Map<string, number>[] = [];

  moduleOp = this.RULE("moduleOp", (bindings: ResultBinding[], start: IToken): Operation => {
    this.OR([{ ALT: () => this.CONSUME(T.KwModule) }, { ALT: () => this.CONSUME(T.KwBuiltinModule) }]);
    let symName: string | undefined;
    this.OPTION(() => {
      const sym = this.CONSUME(T.SymbolId);
      this.ACTION(() => {
        symName = symbolName(sym.image);
      });
    });
    let attributes: AttrDict | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.KwAttributes);
      attributes = this.SUBRULE(this.attrDict);
    });
    const region = this.SUBRULE(this.region, { ARGS: [true, undefined] });
    return this.ACTION(() => {
      const properties = attrDict();
      if (symName !== undefined) properties["sym_name"] = { kind: "string", value: symName };
      const op: MutableOp = {
        name: "builtin.module",
        operands: [],
        results: [],
        attributes: attributes ?? attrDict(),
        properties: symName !== undefined ? properties : undefined,
        regions: [region.blocks.length === 0 ? { blocks: [{ args: [], ops: [] }] } : region],
        successors: [],
        loc: this.loc(start),
      };
      return this.finishOp(op, bindings, [], start);
    });
  });

  funcOp = this.RULE("funcOp", (bindings: ResultBinding[], start: IToken): Operation => {
    this.CONSUME(T.KwFuncFunc);
    let visibility: string | undefined;
    this.OPTION(() => {
      const v = this.OR([{ ALT: () => this.CONSUME(T.KwPrivate) }, { ALT: () => this.CONSUME(T.KwPublic) }, { ALT: () => this.CONSUME(T.KwNested) }]);
      this.ACTION(() => {
        visibility = v.image;
      });
    });
    const symTok = this.CONSUME(T.SymbolId);
    const args: Array<{ name?: IToken; type: Type; attrs?: AttrDict; loc?: Location }> = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const arg = this.SUBRULE(this.funcArgument);
        this.ACTION(() => args.push(arg));
      },
    });
    this.CONSUME(T.RParen);
    const results: Array<{ type: Type; attrs?: AttrDict }> = [];
    this.OPTION2(() => {
      this.CONSUME(T.Arrow);
      this.OR2([
        {
          GATE: () => this.LA(1).tokenType === T.LParen && this.LA(2).tokenType !== T.RParen && !this.isFunctionTypeAhead(),
          ALT: () => {
            this.CONSUME2(T.LParen);
            this.AT_LEAST_ONE_SEP({
              SEP: T.Comma,
              DEF: () => {
                const type = this.SUBRULE(this.type);
                let attrs: AttrDict | undefined;
                this.OPTION3(() => {
                  attrs = this.SUBRULE(this.attrDict);
                });
                this.ACTION(() => results.push(attrs ? { type, attrs } : { type }));
              },
            });
            this.CONSUME2(T.RParen);
          },
        },
        {
          GATE: () => this.LA(1).tokenType === T.LParen && this.LA(2).tokenType === T.RParen && this.LA(3).tokenType !== T.Arrow,
          ALT: () => {
            this.CONSUME3(T.LParen);
            this.CONSUME3(T.RParen);
          },
        },
        {
          ALT: () => {
            // A lone result type takes no attributes: a `{` after it opens the body.
            const type = this.SUBRULE2(this.type);
            this.ACTION(() => results.push({ type }));
          },
        },
      ]);
    });
    let attributes: AttrDict | undefined;
    this.OPTION5(() => {
      this.CONSUME(T.KwAttributes);
      attributes = this.SUBRULE3(this.attrDict);
    });
    let body: Region | undefined;
    this.OPTION6(() => {
      const entryArgs = this.ACTION(() => {
        if (args.some((a) => a.name === undefined)) this.fail(symTok, `expected SSA identifiers for the arguments of a function with a body`);
        return args.map((a) => ({ token: a.name!, value: (a.loc ? { type: a.type, loc: a.loc } : { type: a.type }) as Value }));
      });
      body = this.SUBRULE(this.region, { ARGS: [true, entryArgs] });
    });
    return this.ACTION(() => {
      const properties = attrDict();
      properties["sym_name"] = { kind: "string", value: symbolName(symTok.image) };
      properties["function_type"] = { kind: "type", type: { kind: "function", inputs: args.map((a) => a.type), results: results.map((r) => r.type) } };
      if (visibility !== undefined) properties["sym_visibility"] = { kind: "string", value: visibility };
      if (args.some((a) => a.attrs && Object.keys(a.attrs).length > 0)) {
        properties["arg_attrs"] = { kind: "array", elements: args.map((a) => ({ kind: "dict", entries: a.attrs ?? attrDict() })) };
      }
      if (results.some((r) => r.attrs && Object.keys(r.attrs).length > 0)) {
        properties["res_attrs"] = { kind: "array", elements: results.map((r) => ({ kind: "dict", entries: r.attrs ?? attrDict() })) };
      }
      const op: MutableOp = {
        name: "func.func",
        operands: [],
        results: [],
        attributes: attributes ?? attrDict(),
        properties,
        // A declaration has one empty region, as in MLIR.
        regions: [body ?? { blocks: [] }],
        successors: [],
        loc: this.loc(start),
      };
      return this.finishOp(op, bindings, [], start);
    });
  });

  /** True when the tokens ahead spell `(types) -> ...`, a function type as the single result. */
  isFunctionTypeAhead(): boolean {
    let depth = 0;
    for (let k = 1; ; k++) {
      const t = this.LA(k).tokenType;
      if (t === EOF) return false;
      if (t === T.LParen) depth++;
      else if (t === T.RParen) {
        depth--;
        if (depth === 0) return this.LA(k + 1).tokenType === T.Arrow;
      }
    }
  }

  funcArgument = this.RULE("funcArgument", (): { name?: IToken; type: Type; attrs?: AttrDict; loc?: Location } => {
    let name: IToken | undefined;
    this.OPTION(() => {
      name = this.CONSUME(T.ValueId);
      this.CONSUME(T.Colon);
    });
    const type = this.SUBRULE(this.type);
    let attrs: AttrDict | undefined;
    this.OPTION2(() => {
      attrs = this.SUBRULE(this.attrDict);
    });
    let loc: Location | undefined;
    this.OPTION3(() => {
      loc = this.SUBRULE(this.locationSpec);
    });
    return this.ACTION(() => ({ ...(name ? { name } : {}), type, ...(attrs ? { attrs } : {}), ...(loc ? { loc } : {}) }));
  });

  returnOp = this.RULE("returnOp", (bindings: ResultBinding[], start: IToken): Operation => {
    this.OR([{ ALT: () => this.CONSUME(T.KwReturn) }, { ALT: () => this.CONSUME(T.KwFuncReturn) }]);
    const uses: PendingUse[] = [];
    const types: Type[] = [];
    this.OPTION(() => {
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => {
          const tok = this.CONSUME(T.ValueId);
          this.ACTION(() => uses.push({ token: tok }));
        },
      });
      this.CONSUME(T.Colon);
      this.AT_LEAST_ONE_SEP2({
        SEP: T.Comma,
        DEF: () => {
          const type = this.SUBRULE(this.type);
          this.ACTION(() => types.push(type));
        },
      });
    });
    return this.ACTION(() => {
      if (uses.length !== types.length) this.fail(start, `expected ${uses.length} types, found ${types.length}`);
      const operands: Value[] = [];
      this.resolveOperands(uses, types, operands);
      const op: MutableOp = { name: "func.return", operands, results: [], attributes: attrDict(), properties: undefined, regions: [], successors: [], loc: this.loc(start) };
      return this.finishOp(op, bindings, [], start);
    });
  });

  // ---------------------------------------------------------------- regions and blocks

  region = this.RULE("region", (isolated: boolean, entryArgs: Array<{ token: IToken; value: Value }> | undefined): Region => {
    const open = this.CONSUME(T.LBrace);
    const labels = this.ACTION(() => {
      this.pushScope(isolated);
      const labels = new Map<string, number>();
      this.blockLabels.push(labels);
      if (entryArgs) for (const a of entryArgs) this.defineValues({ name: a.token.image, count: 1, token: a.token }, [a.value]);
      return labels;
    });
    const blocks: Array<{ args: Value[]; ops: Operation[]; label?: IToken }> = [];
    const entryOps: Operation[] = [];
    this.MANY(() => {
      const op = this.SUBRULE(this.operation);
      this.ACTION(() => entryOps.push(op));
    });
    this.ACTION(() => {
      if (entryOps.length > 0 || entryArgs) blocks.push({ args: entryArgs?.map((a) => a.value) ?? [], ops: entryOps });
    });
    this.MANY2(() => {
      const header = this.SUBRULE(this.blockHeader);
      const ops: Operation[] = [];
      this.ACTION(() => {
        if (labels.has(header.label.image)) this.fail(header.label, `redefinition of block '${header.label.image}'`);
        if (entryArgs && blocks.length === 1 && blocks[0]!.ops.length === 0 && header.args.length === 0 && labels.size === 0) {
          // `^bb0:` naming the function's entry block (mlir-opt prints `^bb0(%arg0: ...)` in generic form).
          blocks.pop();
        }
        labels.set(header.label.image, blocks.length);
        blocks.push({ args: header.args, ops, label: header.label });
      });
      this.MANY3(() => {
        const op = this.SUBRULE2(this.operation);
        this.ACTION(() => ops.push(op));
      });
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      this.blockLabels.pop();
      this.resolveBlockRefs(labels, blocks);
      this.popScope();
      void open;
      return { blocks: blocks.map((b): Block => ({ args: b.args, ops: b.ops })) };
    });
  });

  /** Resolves the successor labels of the region's ops to block indices. */
  resolveBlockRefs(labels: Map<string, number>, blocks: Array<{ ops: Operation[] }>): void {
    if (this.pendingSuccessors.size === 0) return;
    for (const block of blocks) {
      for (const op of block.ops) {
        const m = op as MutableOp;
        const tokens = this.pendingSuccessors.get(m);
        if (!tokens) continue;
        this.pendingSuccessors.delete(m);
        m.successors = tokens.map((tok) => {
          const index = labels.get(tok.image);
          if (index === undefined) this.fail(tok, `reference to an undefined block`);
          return index;
        });
      }
    }
  }

  blockHeader = this.RULE("blockHeader", (): ParsedBlockHeader => {
    const label = this.CONSUME(T.BlockId);
    const args: Value[] = [];
    const names: IToken[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => {
          const name = this.CONSUME(T.ValueId);
          this.CONSUME(T.Colon);
          const type = this.SUBRULE(this.type);
          let loc: Location | undefined;
          this.OPTION2(() => {
            loc = this.SUBRULE(this.locationSpec);
          });
          this.ACTION(() => {
            const value: Value = loc ? { type, loc } : { type };
            args.push(value);
            names.push(name);
          });
        },
      });
      this.CONSUME(T.RParen);
    });
    this.CONSUME2(T.Colon);
    this.ACTION(() => {
      for (let i = 0; i < args.length; i++) this.defineValues({ name: names[i]!.image, count: 1, token: names[i]! }, [args[i]!]);
    });
    return { label, args };
  });

  // ---------------------------------------------------------------- locations

  locationSpec = this.RULE("locationSpec", (): Location => {
    this.CONSUME(T.KwLoc);
    const open = this.CONSUME(T.LParen);
    const body = this.ACTION(() => this.skipBalanced(open));
    this.CONSUME(T.RParen);
    return this.ACTION(() => parseLocationBody(body));
  });

  // ---------------------------------------------------------------- types

  type = this.RULE("type", (): Type => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const tok = this.CONSUME(T.TypeLiteral);
            return this.ACTION(() => this.resolveTypeLiteral(tok));
          },
        },
        {
          ALT: () => {
            const tok = this.CONSUME(T.SignatureLiteral);
            return this.ACTION(() => this.resolveTypeLiteral(tok));
          },
        },
        { ALT: () => this.SUBRULE(this.tensorType) },
        { ALT: () => this.SUBRULE(this.vectorType) },
        { ALT: () => this.SUBRULE(this.tupleType) },
        { ALT: () => this.SUBRULE(this.opaqueBuiltinType) },
        { ALT: () => this.SUBRULE(this.functionType) },
        { ALT: () => this.SUBRULE(this.dialectType) },
        {
          ALT: () => {
            const tok = this.CONSUME(T.BareId);
            return this.ACTION(() => scalarTypeByName(tok.image) ?? this.fail(tok, `expected type, found '${tok.image}'`));
          },
        },
      ],
    });
  });

  tensorType = this.RULE("tensorType", (): Type => {
    this.CONSUME(T.KwTensor);
    const open = this.CONSUME(T.Less);
    let dims: number[] | null = [];
    this.OPTION(() => {
      const d = this.CONSUME(T.DimList);
      this.ACTION(() => {
        dims = parseDimList(d, this);
      });
    });
    const element = this.SUBRULE(this.type);
    let encoding: string | undefined;
    this.OPTION2(() => {
      const comma = this.CONSUME(T.Comma);
      const start = comma.startOffset + 1;
      const attr = this.SUBRULE(this.attribute);
      this.ACTION(() => {
        void attr;
        encoding = this.source.text.slice(start, this.LA(1).startOffset).trim();
      });
    });
    this.CONSUME(T.Greater);
    return this.ACTION((): TensorType => {
      checkElementType(element, open, this);
      const t: TensorType = { kind: "tensor", shape: dims, element };
      return encoding !== undefined ? { ...t, encoding } : t;
    });
  });

  vectorType = this.RULE("vectorType", (): Type => {
    this.CONSUME(T.KwVector);
    const open = this.CONSUME(T.Less);
    const d = this.CONSUME(T.DimList);
    const element = this.SUBRULE(this.type);
    this.CONSUME(T.Greater);
    return this.ACTION((): VectorType => {
      const shape = parseDimList(d, this);
      if (shape === null || shape.some((x) => x < 0)) this.fail(d, `vector types must have static shapes`);
      checkElementType(element, open, this);
      return { kind: "vector", shape, element };
    });
  });

  tupleType = this.RULE("tupleType", (): Type => {
    this.CONSUME(T.KwTuple);
    this.CONSUME(T.Less);
    const types: Type[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const t = this.SUBRULE(this.type);
        this.ACTION(() => types.push(t));
      },
    });
    this.CONSUME(T.Greater);
    return { kind: "tuple", types };
  });

  /** complex<...> and memref<...>: kept as verbatim text. */
  opaqueBuiltinType = this.RULE("opaqueBuiltinType", (): Type => {
    const kw = this.OR([{ ALT: () => this.CONSUME(T.KwComplex) }, { ALT: () => this.CONSUME(T.KwMemref) }]);
    const open = this.CONSUME(T.Less);
    const body = this.ACTION(() => this.skipBalanced(open));
    this.CONSUME(T.Greater);
    return this.ACTION((): Type => ({ kind: "opaque", text: `${kw.image}<${body}>` }));
  });

  functionType = this.RULE("functionType", (): Type => {
    this.CONSUME(T.LParen);
    const inputs: Type[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const t = this.SUBRULE(this.type);
        this.ACTION(() => inputs.push(t));
      },
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Arrow);
    const results: Type[] = [];
    this.OR([
      {
        GATE: () => !this.isFunctionTypeAhead(),
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.MANY_SEP2({
            SEP: T.Comma,
            DEF: () => {
              const t = this.SUBRULE2(this.type);
              this.ACTION(() => results.push(t));
            },
          });
          this.CONSUME2(T.RParen);
        },
      },
      {
        ALT: () => {
          const t = this.SUBRULE3(this.type);
          this.ACTION(() => results.push(t));
        },
      },
    ]);
    return { kind: "function", inputs, results };
  });

  dialectType = this.RULE("dialectType", (): Type => {
    const name = this.CONSUME(T.BangId);
    return this.OR([
      {
        GATE: () => name.image === "!quant.uniform",
        ALT: () => this.SUBRULE(this.quantUniformBody, { ARGS: [name] }),
      },
      {
        GATE: () => name.image === "!quant.any",
        ALT: () => this.SUBRULE(this.quantAnyBody, { ARGS: [name] }),
      },
      {
        GATE: () => name.image === "!quant.calibrated",
        ALT: () => this.SUBRULE(this.quantCalibratedBody, { ARGS: [name] }),
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.Less);
          const body = this.ACTION(() => this.skipBalanced(open));
          this.CONSUME(T.Greater);
          return this.ACTION((): Type => ({ kind: "opaque", text: `${name.image}<${body}>` }));
        },
      },
      {
        ALT: () =>
          this.ACTION((): Type => {
            const alias = this.typeAliases.get(name.image);
            if (alias) return alias;
            if (name.image.includes(".")) return { kind: "opaque", text: name.image };
            return this.fail(name, `undefined symbol alias id '${name.image.slice(1)}'`);
          }),
      },
    ]);
  });

  /** `iN` / `uN` with an optional `<min:max>` storage range. */
  quantStorage = this.RULE("quantStorage", (): { storage: IntegerType; min: number; max: number } => {
    const tok = this.CONSUME(T.BareId);
    let range: [number, number] | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Less);
      const lo = this.SUBRULE(this.signedInt);
      this.CONSUME(T.Colon);
      const hi = this.SUBRULE2(this.signedInt);
      this.CONSUME(T.Greater);
      this.ACTION(() => {
        range = [lo, hi];
      });
    });
    return this.ACTION(() => {
      const m = /^(i|u)([0-9]+)$/.exec(tok.image);
      if (!m) this.fail(tok, `illegal storage type prefix '${tok.image}': expected iN or uN`);
      const width = Number(m[2]);
      if (width < 2 || width > 32) this.fail(tok, `illegal storage type size: ${width}`);
      const storage = integerType(width, m[1] === "u" ? "unsigned" : "signed");
      const full = integerTypeRange(storage);
      const [min, max] = range ?? [full.min, full.max];
      if (min < full.min || max > full.max || min >= max) {
        this.fail(tok, `illegal storage min and storage max: (${min}:${max}) is not a range within [${full.min}, ${full.max}]`);
      }
      return { storage, min, max };
    });
  });

  signedInt = this.RULE("signedInt", (): number => {
    let negative = false;
    this.OPTION(() => {
      this.CONSUME(T.Minus);
      negative = true;
    });
    const tok = this.CONSUME(T.IntLit);
    return this.ACTION(() => (negative ? -Number(tok.image) : Number(tok.image)));
  });

  /** A real number: integer or float literal, optionally negative. */
  number = this.RULE("number", (): number => {
    let negative = false;
    this.OPTION(() => {
      this.CONSUME(T.Minus);
      negative = true;
    });
    const tok = this.OR([{ ALT: () => this.CONSUME(T.FloatLit) }, { ALT: () => this.CONSUME(T.IntLit) }]);
    return this.ACTION(() => (negative ? -Number(tok.image) : Number(tok.image)));
  });

  floatTypeRule = this.RULE("floatTypeRule", (): FloatType => {
    const tok = this.CONSUME(T.BareId);
    return this.ACTION(() => {
      const t = scalarTypeByName(tok.image);
      if (!t || t.kind !== "float") this.fail(tok, `expected a float type for the expressed type, found '${tok.image}'`);
      return t;
    });
  });

  quantUniformBody = this.RULE("quantUniformBody", (name: IToken): Type => {
    this.CONSUME(T.Less);
    const storage = this.SUBRULE(this.quantStorage);
    this.CONSUME(T.Colon);
    const expressed = this.SUBRULE(this.floatTypeRule);
    let axis: number | undefined;
    this.OPTION(() => {
      this.CONSUME2(T.Colon);
      const a = this.CONSUME(T.IntLit);
      this.ACTION(() => {
        axis = Number(a.image);
      });
    });
    this.CONSUME(T.Comma);
    const scales: number[] = [];
    const zeroPoints: number[] = [];
    const paramsTok = this.LA(1);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              const p = this.SUBRULE(this.scaleZeroPoint);
              this.ACTION(() => {
                scales.push(p.scale);
                zeroPoints.push(p.zeroPoint);
              });
            },
          });
          this.CONSUME(T.RBrace);
        },
      },
      {
        ALT: () => {
          const p = this.SUBRULE2(this.scaleZeroPoint);
          this.ACTION(() => {
            scales.push(p.scale);
            zeroPoints.push(p.zeroPoint);
          });
        },
      },
    ]);
    this.CONSUME(T.Greater);
    return this.ACTION((): Type => {
      const perAxis = paramsTok.tokenType === T.LBrace;
      if (perAxis && axis === undefined) this.fail(paramsTok, `per-axis quantization needs a quantized dimension: !quant.uniform<i8:f32:AXIS, {...}>`);
      if (!perAxis && axis !== undefined) this.fail(paramsTok, `expected '{' with one scale per element of axis ${axis}`);
      for (let i = 0; i < scales.length; i++) {
        const s = scales[i]!;
        if (!(s > 0) || !Number.isFinite(s)) this.fail(paramsTok, `illegal scale: ${s} (scales must be positive and finite)`);
        const zp = zeroPoints[i]!;
        if (zp < storage.min || zp > storage.max) {
          this.fail(paramsTok, `illegal zero point: ${zp} is outside the storage range [${storage.min}, ${storage.max}]`);
        }
      }
      void name;
      return {
        kind: "quant.uniform",
        storage: storage.storage,
        storageMin: storage.min,
        storageMax: storage.max,
        expressed,
        scales,
        zeroPoints,
        ...(axis !== undefined ? { axis } : {}),
      };
    });
  });

  scaleZeroPoint = this.RULE("scaleZeroPoint", (): { scale: number; zeroPoint: number } => {
    const scale = this.SUBRULE(this.number);
    let zeroPoint = 0;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      zeroPoint = this.SUBRULE(this.signedInt);
    });
    return { scale, zeroPoint };
  });

  quantAnyBody = this.RULE("quantAnyBody", (name: IToken): Type => {
    this.CONSUME(T.Less);
    const storage = this.SUBRULE(this.quantStorage);
    let expressed: FloatType | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      expressed = this.SUBRULE(this.floatTypeRule);
    });
    this.CONSUME(T.Greater);
    void name;
    return this.ACTION((): Type => ({ kind: "quant.any", storage: storage.storage, storageMin: storage.min, storageMax: storage.max, ...(expressed ? { expressed } : {}) }));
  });

  quantCalibratedBody = this.RULE("quantCalibratedBody", (name: IToken): Type => {
    this.CONSUME(T.Less);
    const expressed = this.SUBRULE(this.floatTypeRule);
    this.CONSUME2(T.Less);
    const min = this.SUBRULE(this.number);
    this.CONSUME(T.Colon);
    const max = this.SUBRULE2(this.number);
    this.CONSUME(T.Greater);
    this.CONSUME2(T.Greater);
    return this.ACTION((): Type => {
      if (!(min <= max)) this.fail(name, `illegal calibrated range: min ${min} > max ${max}`);
      return { kind: "quant.calibrated", expressed, min, max };
    });
  });

  // ---------------------------------------------------------------- attributes

  attrDict = this.RULE("attrDict", (): AttrDict => {
    const dict = attrDict();
    this.CONSUME(T.LBrace);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const entry = this.SUBRULE(this.dictEntry);
        this.ACTION(() => {
          if (Object.hasOwn(dict, entry.name)) this.fail(entry.token, `duplicate key '${entry.name}' in dictionary attribute`);
          setAttr(dict, entry.name, entry.value);
        });
      },
    });
    this.CONSUME(T.RBrace);
    return dict;
  });

  dictEntry = this.RULE("dictEntry", (): { name: string; value: Attribute; token: IToken } => {
    const token = this.OR([{ ALT: () => this.CONSUME(T.BareId) }, { ALT: () => this.CONSUME(T.StringLit) }]);
    let value: Attribute = unitAttr;
    this.OPTION(() => {
      this.CONSUME(T.Equal);
      value = this.SUBRULE(this.attribute);
    });
    return this.ACTION(() => ({ name: token.tokenType === T.StringLit ? unquote(token.image) : token.image, value, token }));
  });

  attribute = this.RULE("attribute", (): Attribute => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.numberAttr) },
        { ALT: () => this.SUBRULE(this.denseAttr) },
        { ALT: () => this.SUBRULE(this.denseArrayAttr) },
        {
          ALT: () => {
            this.CONSUME(T.KwTrue);
            return { kind: "bool", value: true };
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwFalse);
            return { kind: "bool", value: false };
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwUnit);
            return unitAttr;
          },
        },
        { ALT: () => this.SUBRULE(this.stringAttr) },
        { ALT: () => this.SUBRULE(this.arrayAttr) },
        {
          ALT: () => {
            const entries = this.SUBRULE(this.attrDict);
            return { kind: "dict", entries };
          },
        },
        { ALT: () => this.SUBRULE(this.symbolRefAttr) },
        { ALT: () => this.SUBRULE(this.hashAttr) },
        { ALT: () => this.SUBRULE(this.opaqueBuiltinAttr) },
        {
          ALT: () => {
            const type = this.SUBRULE(this.type);
            return { kind: "type", type };
          },
        },
      ],
    });
  });

  numberAttr = this.RULE("numberAttr", (): Attribute => {
    let negative = false;
    this.OPTION(() => {
      this.CONSUME(T.Minus);
      negative = true;
    });
    const tok = this.OR([{ ALT: () => this.CONSUME(T.FloatLit) }, { ALT: () => this.CONSUME(T.IntLit) }, { ALT: () => this.CONSUME(T.HexLit) }]);
    let type: Type | undefined;
    let typeTok: IToken | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      typeTok = this.LA(1);
      type = this.SUBRULE(this.type);
    });
    return this.ACTION((): Attribute => {
      if (tok.tokenType === T.FloatLit) {
        const t = type ?? f64;
        if (t.kind !== "float") this.fail(typeTok ?? tok, `floating point value not valid for specified type`);
        const v = roundToFloatKind(negative ? -Number(tok.image) : Number(tok.image), t.name);
        return { kind: "float", value: v, type: t };
      }
      if (tok.tokenType === T.HexLit && type && type.kind === "float") {
        if (negative) this.fail(tok, `hexadecimal float literal should not have a leading minus`);
        return { kind: "float", value: hexBitsToFloat(tok.image, type.name), type };
      }
      const t = type ?? i64;
      const value = tok.tokenType === T.HexLit ? parseIntegerLiteral(BigInt(tok.image).toString(), negative) : parseIntegerLiteral(tok.image, negative);
      if (t.kind === "float") {
        return { kind: "float", value: roundToFloatKind(Number(value), t.name), type: t };
      }
      if (t.kind === "int") {
        if (t.width === 1) {
          if (value !== 0 && value !== 1) this.fail(tok, `integer constant out of range for attribute`);
          return { kind: "bool", value: value === 1 };
        }
        const big = BigInt(value);
        const w = BigInt(t.width);
        const min = t.signedness === "unsigned" ? 0n : -(1n << (w - 1n));
        const max = t.signedness === "signed" ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
        if (big < min || big > max) this.fail(tok, `integer constant out of range for attribute`);
      } else if (t.kind !== "index") {
        this.fail(typeTok ?? tok, `integer literal not valid for specified type`);
      }
      return { kind: "int", value, type: t };
    });
  });

  stringAttr = this.RULE("stringAttr", (): Attribute => {
    const tok = this.CONSUME(T.StringLit);
    let type: Type | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    return this.ACTION((): Attribute => (type ? { kind: "string", value: unquote(tok.image), type } : { kind: "string", value: unquote(tok.image) }));
  });

  arrayAttr = this.RULE("arrayAttr", (): Attribute => {
    this.CONSUME(T.LBracket);
    const elements: Attribute[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const a = this.SUBRULE(this.attribute);
        this.ACTION(() => elements.push(a));
      },
    });
    this.CONSUME(T.RBracket);
    return { kind: "array", elements };
  });

  symbolRefAttr = this.RULE("symbolRefAttr", (): Attribute => {
    const path: string[] = [];
    const first = this.CONSUME(T.SymbolId);
    this.ACTION(() => path.push(symbolName(first.image)));
    this.MANY(() => {
      this.CONSUME(T.ColonColon);
      const next = this.CONSUME2(T.SymbolId);
      this.ACTION(() => path.push(symbolName(next.image)));
    });
    return { kind: "symbol", path };
  });

  /** `#alias` or a dialect attribute `#dialect.name<...>` kept verbatim. */
  hashAttr = this.RULE("hashAttr", (): Attribute => {
    const name = this.CONSUME(T.HashId);
    let body: string | undefined;
    this.OPTION(() => {
      const open = this.CONSUME(T.Less);
      body = this.ACTION(() => this.skipBalanced(open));
      this.CONSUME(T.Greater);
    });
    return this.ACTION((): Attribute => {
      if (body !== undefined) return { kind: "opaque", text: `${name.image}<${body}>` };
      const alias = this.attrAliases.get(name.image);
      if (alias) return alias;
      if (name.image.includes(".")) return { kind: "opaque", text: name.image };
      return this.fail(name, `undefined symbol alias id '${name.image.slice(1)}'`);
    });
  });

  /** affine_map<...>, affine_set<...>, strided<...>, distinct[N]<...>, dense_resource<...> : type — verbatim. */
  opaqueBuiltinAttr = this.RULE("opaqueBuiltinAttr", (): Attribute => {
    const kw = this.OR([
      { ALT: () => this.CONSUME(T.KwAffineMap) },
      { ALT: () => this.CONSUME(T.KwAffineSet) },
      { ALT: () => this.CONSUME(T.KwStrided) },
      { ALT: () => this.CONSUME(T.KwDenseResource) },
      { ALT: () => this.CONSUME(T.KwDistinct) },
    ]);
    let prefix = "";
    this.OPTION(() => {
      const lb = this.CONSUME(T.LBracket);
      const inner = this.ACTION(() => this.skipBalanced(lb));
      this.CONSUME(T.RBracket);
      this.ACTION(() => {
        prefix = `[${inner}]`;
      });
    });
    const open = this.CONSUME(T.Less);
    const body = this.ACTION(() => this.skipBalanced(open));
    this.CONSUME(T.Greater);
    let typeText: string | undefined;
    this.OPTION2(() => {
      const colon = this.CONSUME(T.Colon);
      const t = this.SUBRULE(this.type);
      this.ACTION(() => {
        void t;
        typeText = this.source.text.slice(colon.startOffset + 1, this.LA(1).startOffset).trim();
      });
    });
    return this.ACTION((): Attribute => ({ kind: "opaque", text: `${kw.image}${prefix}<${body}>${typeText !== undefined ? ` : ${typeText}` : ""}` }));
  });

  denseArrayAttr = this.RULE("denseArrayAttr", (): Attribute => {
    this.CONSUME(T.KwArray);
    this.CONSUME(T.Less);
    const elemTok = this.LA(1);
    const element = this.SUBRULE(this.type);
    const values: number[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => {
          const v = this.SUBRULE(this.denseScalar);
          this.ACTION(() => values.push(typeof v.value === "boolean" ? (v.value ? 1 : 0) : Number(v.value)));
        },
      });
    });
    this.CONSUME(T.Greater);
    return this.ACTION((): Attribute => {
      if (element.kind !== "int" && element.kind !== "float") this.fail(elemTok, `expected integer or float type for array<...>`);
      const vals = element.kind === "float" ? values.map((v) => roundToFloatKind(v, element.name)) : values;
      return { kind: "dense_array", element, values: vals };
    });
  });

  denseAttr = this.RULE("denseAttr", (): Attribute => {
    const kw = this.CONSUME(T.KwDense);
    this.CONSUME(T.Less);
    let literal: DenseLiteral = { kind: "list", values: [], isFloat: [], shape: [0], token: kw };
    let empty = true;
    this.OPTION(() => {
      empty = false;
      literal = this.OR([
        {
          ALT: () => {
            const tok = this.CONSUME(T.StringLit);
            return this.ACTION((): DenseLiteral => {
              const text = unquote(tok.image);
              if (!text.startsWith("0x")) this.fail(tok, `string dense attributes are not supported (only hex "0x..." data)`);
              return { kind: "hex", hex: text, values: [], isFloat: [], shape: [], token: tok };
            });
          },
        },
        {
          ALT: () => {
            const tok = this.LA(1);
            const values: Array<number | bigint | boolean> = [];
            const isFloat: boolean[] = [];
            const shape = this.SUBRULE(this.denseElement, { ARGS: [values, isFloat, 0] });
            return this.ACTION((): DenseLiteral => ({ kind: "list", values, isFloat, shape, token: tok }));
          },
        },
      ]);
    });
    this.CONSUME(T.Greater);
    this.CONSUME(T.Colon);
    const typeTok = this.LA(1);
    const type = this.SUBRULE(this.type);
    return this.ACTION((): Attribute => {
      void empty;
      return this.buildDense(literal, type, typeTok);
    });
  });

  /** One dense element or nested list; returns the nested shape of what it read. */
  denseElement = this.RULE("denseElement", (values: Array<number | bigint | boolean>, isFloat: boolean[], depth: number): number[] => {
    return this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(T.LBracket);
          const shapes: number[][] = [];
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => {
              const s = this.SUBRULE(this.denseElement, { ARGS: [values, isFloat, depth + 1] });
              this.ACTION(() => shapes.push(s));
            },
          });
          this.CONSUME(T.RBracket);
          return this.ACTION(() => {
            const inner = shapes[0] ?? [];
            for (const s of shapes) {
              if (s.length !== inner.length || s.some((d, i) => d !== inner[i])) this.fail(open, `tensor literal is invalid; ranks are not consistent between elements`);
            }
            return [shapes.length, ...inner];
          });
        },
      },
      {
        ALT: () => {
          const v = this.SUBRULE(this.denseScalar);
          this.ACTION(() => {
            values.push(v.value);
            isFloat.push(v.isFloat);
          });
          return [];
        },
      },
    ]);
  });

  denseScalar = this.RULE("denseScalar", (): { value: number | bigint | boolean; isFloat: boolean } => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.KwTrue);
          return { value: true, isFloat: false };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.KwFalse);
          return { value: false, isFloat: false };
        },
      },
      {
        ALT: () => {
          let negative = false;
          this.OPTION(() => {
            this.CONSUME(T.Minus);
            negative = true;
          });
          const tok = this.OR2([{ ALT: () => this.CONSUME(T.FloatLit) }, { ALT: () => this.CONSUME(T.IntLit) }, { ALT: () => this.CONSUME(T.HexLit) }]);
          return this.ACTION(() => {
            if (tok.tokenType === T.FloatLit) return { value: negative ? -Number(tok.image) : Number(tok.image), isFloat: true };
            if (tok.tokenType === T.HexLit) return { value: BigInt(tok.image) as number | bigint, isFloat: false, hex: true } as { value: number | bigint; isFloat: boolean };
            return { value: parseIntegerLiteral(tok.image, negative), isFloat: false };
          });
        },
      },
    ]);
  });

  buildDense(literal: DenseLiteral, type: Type, typeTok: IToken): Attribute {
    if (type.kind !== "tensor" && type.kind !== "vector") this.fail(typeTok, `elements literal must be a ranked tensor or vector type`);
    const shape = type.shape;
    if (shape === null || shape.some((d) => d < 0)) this.fail(typeTok, `elements literal type must have static shape`);
    const count = shape.reduce((a, b) => a * b, 1);
    const element = type.element;
    if (literal.kind === "hex") {
      const decoded = decodeDenseHex(literal.hex!, element, count);
      if (typeof decoded === "string") this.fail(literal.token, decoded);
      return { kind: "dense", type, splat: decoded.splat && count !== 1, data: decoded.data };
    }
    const splat = literal.shape.length === 0;
    if (!splat) {
      const same = literal.shape.length === shape.length && literal.shape.every((d, i) => d === shape[i]);
      if (!same && !(count === 0 && literal.values.length === 0)) {
        this.fail(literal.token, `inferred shape of elements literal ([${literal.shape.join(", ")}]) does not match type ([${shape.join(", ")}])`);
      }
    }
    const storage = allocateDense(element, splat ? 1 : count);
    if (typeof storage === "string") this.fail(typeTok, storage);
    for (let i = 0; i < literal.values.length; i++) {
      let v = literal.values[i]!;
      if (typeof v === "bigint" && element.kind === "float") {
        // A hex integer in a float list is the value's bit pattern (how mlir-opt prints NaN and infinities).
        v = hexBitsToFloat("0x" + v.toString(16), element.name);
        const err = storeDenseElement(storage, i, element, v, true);
        if (err) this.fail(literal.token, err);
        continue;
      }
      const err = storeDenseElement(storage, i, element, v, literal.isFloat[i]!);
      if (err) this.fail(literal.token, err);
    }
    return { kind: "dense", type, splat: splat && count !== 1, data: storage as DenseData };
  }
}

/**
 * Inherent attributes written in the discardable dictionary (`"func.func"() ({...}) {sym_name = "f", ...}`,
 * the pre-properties spelling) move into the properties, as MLIR does when it reads them.
 */
function movePropertiesOutOfAttributes(name: string, attributes: AttrDict | undefined, properties: AttrDict | undefined): { attributes: AttrDict; properties: AttrDict | undefined } {
  const inherent = getOpDef(name)?.properties;
  const attrs = attributes ?? attrDict();
  if (!inherent || !inherent.some((k) => k in attrs)) return { attributes: attrs, properties };
  const props = attrDict(Object.entries(properties ?? {}));
  const rest = attrDict();
  for (const [k, v] of Object.entries(attrs)) {
    if (inherent.includes(k)) props[k] = v;
    else rest[k] = v;
  }
  return { attributes: rest, properties: props };
}

function parseDimList(tok: IToken, parser: MlirParser): number[] | null {
  const parts = tok.image.slice(0, -1).split("x");
  if (parts[0] === "*") {
    if (parts.length !== 1) parser.fail(tok, `unranked tensor cannot have dimensions`);
    return null;
  }
  return parts.map((p) => {
    if (p === "*") parser.fail(tok, `'*' is only valid as the whole shape of an unranked tensor`);
    return p === "?" ? DYNAMIC : Number(p);
  });
}

function checkElementType(element: Type, tok: IToken, parser: MlirParser): void {
  if (element.kind === "function" || element.kind === "tensor" || element.kind === "none") {
    parser.fail(tok, `invalid tensor element type`);
  }
}

function symbolName(image: string): string {
  const body = image.slice(1);
  return body.startsWith('"') ? unquote(body) : body;
}

function parseLocationBody(body: string): Location {
  const trimmed = body.trim();
  if (trimmed === "unknown") return unknownLoc;
  const m = /^"((?:[^"\\]|\\.)*)":([0-9]+):([0-9]+)$/.exec(trimmed);
  if (m) return { kind: "file", file: unquote(`"${m[1]}"`), line: Number(m[2]), col: Number(m[3]) };
  return { kind: "opaque", text: `loc(${trimmed})` };
}

function formatLocText(loc: Location): string {
  if (loc.kind === "file") return `loc(${JSON.stringify(loc.file)}:${loc.line}:${loc.col})`;
  if (loc.kind === "unknown") return "loc(unknown)";
  return loc.kind === "opaque" ? loc.text : "loc(unknown)";
}

/** Structural type equality (types are small; the printer's cache makes `typeText` cheap). */
export function sameType(a: Type, b: Type): boolean {
  return typeEquals(a, b);
}

let typePrinter: ((t: Type) => string) | undefined;

/** The printer registers itself here so that the parser can compare and quote types without an import cycle. */
export function setTypePrinter(print: (t: Type) => string): void {
  typePrinter = print;
}

function typeText(t: Type): string {
  return typePrinter ? typePrinter(t) : JSON.stringify(t);
}

// ---------------------------------------------------------------- API

let sharedParser: MlirParser | undefined;

export interface ParseOptions {
  /** Name used in diagnostics (`file:line:col`). */
  filename?: string;
  /** Line number of the first line (for `--split-input-file` chunks). */
  firstLine?: number;
}

/**
 * Parses MLIR text into a module. Throws `DiagnosticError` with located diagnostics on invalid input.
 * A single top-level `builtin.module` becomes the module; otherwise the top-level ops are wrapped in an
 * implicit module, as mlir-opt does.
 */
export function parseModule(text: string, options: ParseOptions = {}): Module {
  const source = new SourceFile(options.filename ?? "<stdin>", text, options.firstLine ?? 1);
  const lexed = T.mlirLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0]!;
    throw new DiagnosticError([diagnostic("error", { kind: "source", source, offset: e.offset }, `unexpected character '${text[e.offset]}'`)]);
  }
  const parser = (sharedParser ??= new MlirParser());
  parser.source = source;
  parser.input = lexed.tokens;
  let ops: Operation[];
  try {
    parser.pushScope(true);
    ops = parser.topLevel();
    if (parser.errors.length === 0) parser.popScope();
  } catch (e) {
    if (e instanceof ParseFailure) {
      throw new DiagnosticError([diagnostic("error", { kind: "source", source, offset: e.offset }, e.message, { length: e.length })]);
    }
    throw e;
  } finally {
    parser.pendingSuccessors.clear();
    parser.blockLabels = [];
  }
  if (parser.errors.length > 0) {
    const err = parser.errors[0]!;
    const tok = err.token;
    const offset = Number.isFinite(tok.startOffset) ? tok.startOffset : text.length;
    const diags: Diagnostic[] = [diagnostic("error", { kind: "source", source, offset }, err.message, { length: tok.image?.length || 1 })];
    throw new DiagnosticError(diags);
  }
  return toModule(ops, source);
}

function toModule(ops: Operation[], source: SourceFile): Module {
  if (ops.length === 1 && ops[0]!.name === "builtin.module" && ops[0]!.results.length === 0) {
    const m = ops[0]!;
    const symAttr = m.properties?.["sym_name"] ?? m.attributes["sym_name"];
    const attributes = attrDict(Object.entries(m.attributes).filter(([k]) => k !== "sym_name"));
    const block = m.regions[0]?.blocks[0];
    return makeModule(block?.ops ?? [], {
      attributes,
      ...(symAttr && symAttr.kind === "string" ? { symName: symAttr.value } : {}),
      loc: m.loc,
    });
  }
  return makeModule(ops, { loc: { kind: "source", source, offset: 0 } });
}
