import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileCheckOptions, fileCheck, formatInputDump } from "../../src/testing/filecheck.js";
import { discoverLitTests, parseLitFile, runLitFile, substituteLit } from "../lit/run-lit.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");

function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

function run(checks: string, input: string, options: FileCheckOptions = {}) {
  return fileCheck(checks, input, { checkFileName: "t.mlir", ...options });
}

function expectPass(checks: string, input: string, options: FileCheckOptions = {}): void {
  const result = run(checks, input, options);
  expect(result.diagnostics.join("\n")).toBe("");
  expect(result.ok).toBe(true);
}

function expectFail(checks: string, input: string, options: FileCheckOptions = {}): string {
  const result = run(checks, input, options);
  expect(result.ok).toBe(false);
  expect(result.diagnostics.length).toBeGreaterThan(0);
  return result.diagnostics.join("\n");
}

describe("fileCheck: CHECK", () => {
  it("matches patterns in order", () => {
    expectPass(lines("// CHECK: func.func @f", "// CHECK: return"), lines("func.func @f() {", "  hw.add", "  return", "}"));
  });

  it("fails when patterns occur only out of order", () => {
    const text = expectFail(lines("CHECK: b", "CHECK: a"), lines("a", "b"));
    expect(text).toContain("CHECK: expected string not found in input");
  });

  it("matches a substring anywhere on a later line", () => {
    expectPass("CHECK: add\n", "%0 = hw.add %a, %b\n");
  });

  it("reports a missing string FileCheck's way: location, pattern line, caret, scan start", () => {
    const result = run(lines("// CHECK: foo", "// CHECK: quux"), lines("foo", "bar"));
    expect(result.diagnostics).toEqual([
      [
        "t.mlir:2:11: error: CHECK: expected string not found in input",
        "// CHECK: quux",
        "          ^",
        "<stdin>:1:4: note: scanning from here",
        "foo",
        "   ^",
      ].join("\n"),
    ]);
    expect(result.inputLines).toEqual([1]);
  });

  it("names the input as told", () => {
    const text = expectFail("CHECK: x\n", "y\n", { inputName: "out.mlir" });
    expect(text).toContain("out.mlir:1:1: note: scanning from here");
  });

  it("suggests a possible intended match for a near miss", () => {
    const text = expectFail("CHECK: hw.conv2d %arg0\n", lines("func", "  %1 = hw.conv2d %arg1, %w", "return"));
    expect(text).toContain("<stdin>:2:8: note: possible intended match here\n  %1 = hw.conv2d %arg1, %w\n       ^");
  });

  it("does not suggest unrelated lines", () => {
    const text = expectFail("CHECK: hw.conv2d\n", lines("alpha", "beta"));
    expect(text).not.toContain("possible intended match");
  });
});

describe("fileCheck: prefixes and check-file parsing", () => {
  it("uses only the given prefixes", () => {
    const checks = lines("A: one", "B: two", "CHECK: never");
    expectPass(checks, lines("one", "two"), { prefixes: ["A", "B"] });
    expectPass(checks, lines("one"), { prefixes: ["A"] });
    expectFail(checks, lines("one"), { prefixes: ["B"] });
  });

  it("needs a word boundary before the prefix", () => {
    expectPass(lines("CHECK: a", "MYCHECK: zzz", "X-CHECK: zzz", "CHECK_2: zzz"), lines("a"));
  });

  it("ignores unknown suffixes such as CHECK-FOO:", () => {
    expectPass(lines("CHECK: a", "CHECK-FOO: zzz", "CHECKS: zzz"), lines("a"));
  });

  it("treats COM: and RUN: lines as comments", () => {
    expectPass(lines("// RUN: qopt-opt %s | FileCheck %s --check-prefix=CHECK", "// COM: CHECK: zzz", "// CHECK: a"), "a\n");
  });

  it("reports a check file without directives", () => {
    expect(run("just text\n", "x\n").diagnostics).toEqual(["error: no check strings found with prefix 'CHECK:'"]);
    expect(run("just text\n", "x\n", { prefixes: ["A", "B"] }).diagnostics).toEqual([
      "error: no check strings found with prefixes 'A:', 'B:'",
    ]);
  });

  it("rejects invalid or duplicate prefixes", () => {
    expect(expectFail("CHECK: a\n", "a\n", { prefixes: ["1X"] })).toContain("supplied check prefix '1X' is invalid");
    expect(expectFail("CHECK: a\n", "a\n", { prefixes: ["A", "A"] })).toContain("supplied check prefix 'A' is invalid");
  });

  it("rejects an empty pattern", () => {
    expect(run("CHECK:\n", "a\n").diagnostics).toEqual([
      "t.mlir:1:7: error: found empty check string with prefix 'CHECK:'\nCHECK:\n      ^",
    ]);
  });

  it("rejects NEXT, SAME and EMPTY before any positive check", () => {
    expect(expectFail("CHECK-NEXT: a\n", "a\n")).toContain("found 'CHECK-NEXT' without previous 'CHECK: line");
    expect(expectFail("CHECK-DAG: a\nCHECK-SAME: a\n", "a\n")).toContain("found 'CHECK-SAME' without previous 'CHECK: line");
    expect(expectFail("CHECK-EMPTY:\n", "\na\n")).toContain("found 'CHECK-EMPTY' without previous 'CHECK: line");
  });

  it("treats the whole pattern literally with {LITERAL}", () => {
    expectPass("CHECK{LITERAL}: dense<[[1, 2]]> {{x}}\n", "dense<[[1, 2]]> {{x}}\n");
    expectPass("CHECK: a\nCHECK-NEXT{LITERAL}: [[b]]\n", "a\n[[b]]\n");
  });

  it("rejects an empty input unless allowed", () => {
    expect(run("CHECK-NOT: x\n", "").diagnostics).toEqual(["error: '<stdin>' is empty"]);
    expectPass("CHECK-NOT: x\n", "", { allowEmpty: true });
  });
});

describe("fileCheck: CHECK-NEXT / CHECK-SAME / CHECK-EMPTY", () => {
  it("CHECK-NEXT requires the very next line", () => {
    expectPass(lines("CHECK: a", "CHECK-NEXT: b", "CHECK-NEXT: c"), lines("a", "b", "c"));
  });

  it("CHECK-NEXT fails on a later line, with FileCheck's notes", () => {
    const result = run(lines("CHECK: foo", "CHECK-NEXT: baz"), lines("foo", "bar", "baz qux"));
    expect(result.diagnostics).toEqual([
      [
        "t.mlir:2:13: error: CHECK-NEXT: is not on the line after the previous match",
        "CHECK-NEXT: baz",
        "            ^",
        "<stdin>:3:1: note: 'next' match was here",
        "baz qux",
        "^",
        "<stdin>:1:4: note: previous match ended here",
        "foo",
        "   ^",
        "<stdin>:2:1: note: non-matching line after previous match is here",
        "bar",
        "^",
      ].join("\n"),
    ]);
  });

  it("CHECK-NEXT fails on the same line", () => {
    expect(expectFail(lines("CHECK: a", "CHECK-NEXT: b"), "a b\n")).toContain("CHECK-NEXT: is on the same line as previous match");
  });

  it("CHECK-SAME requires the same line", () => {
    expectPass(lines("CHECK: hw.conv2d", "CHECK-SAME: strides = [1, 1]", "CHECK-SAME: -> tensor"), "hw.conv2d {strides = [1, 1]} -> tensor\n");
    const text = expectFail(lines("CHECK: bar", "CHECK-SAME: qux"), lines("bar", "baz qux"));
    expect(text).toContain("t.mlir:2:13: error: CHECK-SAME: is not on the same line as the previous match");
    expect(text).toContain("<stdin>:2:5: note: 'next' match was here");
  });

  it("CHECK-EMPTY matches an empty next line only", () => {
    expectPass(lines("CHECK: a", "CHECK-EMPTY:", "CHECK-NEXT: b"), lines("a", "", "b"));
    expect(expectFail(lines("CHECK: a", "CHECK-EMPTY:"), lines("a", "x", "", "b"))).toContain(
      "CHECK-EMPTY: is not on the line after the previous match",
    );
    expect(expectFail(lines("CHECK: a", "CHECK-EMPTY:"), "a\nx")).toContain("CHECK-EMPTY: expected string not found");
  });

  it("CHECK-EMPTY with text is an error", () => {
    expect(expectFail(lines("CHECK: a", "CHECK-EMPTY: x"), "a\n\n")).toContain(
      "found non-empty check string for empty check with prefix 'CHECK:'",
    );
  });
});

describe("fileCheck: CHECK-NOT", () => {
  it("fails when the excluded string is between the neighbouring matches", () => {
    const result = run(lines("CHECK: foo", "CHECK-NOT: bar", "CHECK: baz"), lines("foo", "bar", "baz"));
    expect(result.diagnostics).toEqual([
      [
        "t.mlir:2:12: error: CHECK-NOT: excluded string found in input",
        "CHECK-NOT: bar",
        "           ^",
        "<stdin>:2:1: note: found here",
        "bar",
        "^~~",
      ].join("\n"),
    ]);
  });

  it("only looks between the neighbouring matches", () => {
    expectPass(lines("CHECK: foo", "CHECK-NOT: bar", "CHECK: baz"), lines("bar", "foo", "baz", "bar"));
  });

  it("checks from the start when first and to the end when last", () => {
    expectFail(lines("CHECK-NOT: quant.dcast", "CHECK: hw.add"), lines("quant.dcast", "hw.add"));
    expectFail(lines("CHECK: hw.add", "CHECK-NOT: quant.dcast"), lines("hw.add", "quant.dcast"));
    expectPass(lines("CHECK: hw.add", "CHECK-NOT: quant.dcast"), lines("quant.dcast", "hw.add"));
    expectPass("CHECK-NOT: quant.dcast\n", lines("hw.add"));
  });

  it("reports every excluded string found", () => {
    const result = run(lines("CHECK-NOT: a", "CHECK-NOT: b", "CHECK: c"), lines("a", "b", "c"));
    expect(result.diagnostics).toHaveLength(2);
  });

  it("may use a variable captured by the following match", () => {
    expectFail(lines("CHECK: start", "CHECK-NOT: use [[V]]", "CHECK: def [[V:%[0-9]+]]"), lines("start", "use %3", "def %3"));
  });
});

describe("fileCheck: CHECK-DAG", () => {
  it("matches a group in any order", () => {
    expectPass(lines("CHECK-DAG: b", "CHECK-DAG: a", "CHECK: c"), lines("a", "b", "c"));
  });

  it("does not let two DAG patterns share one occurrence", () => {
    expectFail(lines("CHECK-DAG: hw.const", "CHECK-DAG: hw.const"), lines("hw.const"));
    expectPass(lines("CHECK-DAG: hw.const", "CHECK-DAG: hw.const"), lines("hw.const", "hw.const"));
  });

  it("does not match across the next positive check's position backwards", () => {
    // A CHECK after a DAG group starts at the end of the group's last match.
    expectFail(lines("CHECK-DAG: b", "CHECK: a"), lines("a", "b"));
  });

  it("treats CHECK-NOT as a barrier between DAG groups", () => {
    const checks = lines("CHECK-DAG: a", "CHECK-DAG: b", "CHECK-NOT: x", "CHECK-DAG: c", "CHECK-DAG: d");
    expectPass(checks, lines("b", "a", "d", "c"));
    expect(expectFail(checks, lines("b", "a", "x", "d", "c"))).toContain("CHECK-NOT: excluded string found");
    // c before a: the second group must start after the first group's last match.
    expect(expectFail(checks, lines("c", "b", "a", "d"))).toContain("CHECK-DAG: expected string not found");
  });

  it("checks a NOT before a DAG group up to the group's first match", () => {
    expect(expectFail(lines("CHECK-NOT: bar", "CHECK-DAG: baz"), lines("foo", "bar", "baz"))).toContain(
      "t.mlir:1:12: error: CHECK-NOT: excluded string found in input",
    );
    expectPass(lines("CHECK-NOT: bar", "CHECK-DAG: baz"), lines("baz", "bar"));
  });

  it("reports a missing DAG pattern", () => {
    expect(expectFail(lines("CHECK-DAG: qux", "CHECK-DAG: nothere"), lines("qux"))).toContain(
      "t.mlir:2:12: error: CHECK-DAG: expected string not found in input",
    );
  });
});

describe("fileCheck: CHECK-LABEL", () => {
  const input = lines("func.func @a() {", "  hw.add", "}", "func.func @b() {", "  hw.mul", "}");

  it("splits the input into blocks", () => {
    expectPass(lines("CHECK-LABEL: @a", "CHECK: hw.add", "CHECK-LABEL: @b", "CHECK: hw.mul"), input);
    // hw.mul is in @b's block, so a CHECK in @a's block cannot find it.
    expectFail(lines("CHECK-LABEL: @a", "CHECK: hw.mul", "CHECK-LABEL: @b"), input);
  });

  it("keeps NOT checks inside their block", () => {
    expectPass(lines("CHECK-LABEL: @a", "CHECK-NOT: hw.mul", "CHECK-LABEL: @b", "CHECK: hw.mul"), input);
  });

  it("reports one error per failing block and keeps going", () => {
    const result = run(lines("CHECK-LABEL: @a", "CHECK: nope1", "CHECK-LABEL: @b", "CHECK: nope2", "CHECK: }"), input);
    expect(result.diagnostics).toHaveLength(2);
    expect(result.diagnostics[0]).toContain("t.mlir:2:8:");
    expect(result.diagnostics[1]).toContain("t.mlir:4:8:");
  });

  it("stops at a label that is not found", () => {
    const result = run(lines("CHECK-LABEL: @a", "CHECK: nope", "CHECK-LABEL: @c", "CHECK: x"), input);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toContain("CHECK-LABEL: expected string not found in input");
  });

  it("rejects variables in labels", () => {
    expect(expectFail("CHECK-LABEL: [[F:@[a-z]+]]\n", input)).toContain("found 'CHECK-LABEL:' with variable definition or use");
  });
});

describe("fileCheck: CHECK-COUNT", () => {
  it("matches the pattern N times in sequence", () => {
    expectPass(lines("CHECK-COUNT-3: hw.add", "CHECK: return"), lines("hw.add", "hw.add x hw.add", "return"));
  });

  it("reports which occurrence is missing", () => {
    const result = run("CHECK-COUNT-3: foo\n", lines("foo", "bar", "fooz 12"));
    expect(result.diagnostics[0]).toMatch(/^t\.mlir:1:16: error: CHECK-COUNT: expected string not found in input \(3 out of 3\)/);
  });

  it("rejects a zero count", () => {
    expect(expectFail("CHECK-COUNT-0: foo\n", "foo\n")).toContain("invalid count in -COUNT specification on prefix 'CHECK'");
  });
});

describe("fileCheck: patterns, captures and back-references", () => {
  it("supports {{regex}} parts", () => {
    expectPass("CHECK: %{{[0-9]+}} = hw.add\n", "%12 = hw.add\n");
    expectFail("CHECK: %{{[0-9]+}} = hw.add\n", "%x = hw.add\n");
  });

  it("keeps an alternation inside its {{}}", () => {
    expectPass("CHECK: a{{b|c}}d\n", "acd\n");
    expectFail("CHECK: a{{b|c}}d\n", "ab\n");
  });

  it("treats text outside {{}} literally", () => {
    expectPass("CHECK: (a+b)*[c].d?\n", "(a+b)*[c].d?\n");
    expectFail("CHECK: a.c\n", "abc\n");
  });

  it("supports POSIX classes and keeps negated classes and . within a line", () => {
    expectPass("CHECK: x{{[[:space:]]+}}{{[[:digit:]]+}}\n", "x  42\n");
    expectFail(lines("CHECK: a{{[^z]*}}b"), lines("a", "b"));
    expectFail(lines("CHECK: a{{.*}}b"), lines("a", "b"));
    expectPass("CHECK: {{[]x]+}}\n", "]x]\n");
  });

  it("accepts a regex ending in a brace", () => {
    expectPass("CHECK: {{[0-9]{2}}}\n", "42\n");
  });

  it("anchors with {{^}} and {{$}} at line boundaries", () => {
    expectPass(lines("CHECK: {{^}}b{{$}}"), lines("ab", "b"));
    expectFail(lines("CHECK: {{^}}b{{$}}"), lines("ab", "bc"));
  });

  it("reports bad regexes and unterminated blocks", () => {
    expect(run("CHECK: {{(}}\n", "x\n").diagnostics[0]).toMatch(/^t\.mlir:1:10: error: invalid regex: /);
    expect(expectFail("CHECK: a {{b\n", "x\n")).toContain("t.mlir:1:10: error: found start of regex string with no end '}}'");
    expect(expectFail("CHECK: dense<[[1, 2]]>\n", "x\n")).toContain("to match a literal '[[', write {{\\[\\[}}");
    expectPass("CHECK: dense<{{\\[\\[}}1, 2]]>\n", "dense<[[1, 2]]>\n");
  });

  it("captures a variable and uses it later", () => {
    expectPass(
      lines("CHECK: [[C:%[0-9]+]] = hw.const", "CHECK: hw.add [[C]], [[C]]"),
      lines("%7 = hw.const", "%8 = hw.const", "hw.add %8, %8", "hw.add %7, %7"),
    );
    expectFail(lines("CHECK: [[C:%[0-9]+]] = hw.const", "CHECK: hw.add [[C]]"), lines("%7 = hw.const", "hw.add %8"));
  });

  it("matches a captured value literally, not as a regex", () => {
    expectPass(lines("CHECK: v=[[V:.+]];", "CHECK: w=[[V]]"), lines("v=a.c;", "w=a.c"));
    expectFail(lines("CHECK: v=[[V:.+]];", "CHECK: w=[[V]]"), lines("v=a.c;", "w=abc"));
  });

  it("supports a back-reference on the defining line", () => {
    expectPass("CHECK: [[X:[a-z]+]] = [[X]]\n", "q = b\nab = ab\n");
    expectFail("CHECK: [[X:[a-z]+]] = [[X]]\n", "q = b\n");
  });

  it("redefines a variable", () => {
    expectPass(lines("CHECK: [[V:[0-9]]]", "CHECK: [[V:[0-9]]]", "CHECK: use [[V]]"), lines("1", "2", "use 2"));
  });

  it("reports an undefined variable and the values of defined ones", () => {
    const result = run(lines("CHECK: [[Y:b..]]", "CHECK: [[Y]] [[Z]]"), lines("foo", "bar", "baz"));
    expect(result.diagnostics).toEqual([
      [
        "t.mlir:2:16: error: undefined variable: Z",
        "CHECK: [[Y]] [[Z]]",
        "               ^",
        '<stdin>:2:4: note: with "Y" equal to "bar"',
        "bar",
        "   ^",
      ].join("\n"),
    ]);
  });

  it("notes variable values when a pattern using them fails", () => {
    const text = expectFail(lines("CHECK: [[X:f.o]]", "CHECK: [[X]]z 13"), lines("foo", "bar", "fooz 12"));
    expect(text).toContain('note: with "X" equal to "foo"');
    expect(text).toContain("<stdin>:3:1: note: possible intended match here");
  });

  it("keeps variables across labels unless var scope is enabled", () => {
    const checks = lines("CHECK-LABEL: @a", "CHECK: [[L:v[0-9]]] [[$G:g[0-9]]]", "CHECK-LABEL: @b", "CHECK: [[$G]]", "CHECK: [[L]]");
    const input = lines("@a", "v1 g2", "@b", "g2 v1");
    expectPass(checks, input);
    const scoped = run(checks, input, { enableVarScope: true });
    expect(scoped.ok).toBe(false);
    expect(scoped.diagnostics.join("\n")).toContain("undefined variable: L");
    expect(scoped.diagnostics.join("\n")).not.toContain("undefined variable: $G");
  });

  it("substitutes @LINE expressions with check-file line numbers", () => {
    expectPass(lines("CHECK: line [[@LINE]]", "CHECK: next [[@LINE+1]]", "CHECK: prev [[#@LINE-1]]"), lines("line 1", "next 3", "prev 2"));
  });

  it("rejects other numeric substitution blocks", () => {
    expect(expectFail("CHECK: [[#N:]]\n", "1\n")).toContain("numeric substitution blocks");
  });
});

describe("fileCheck: whitespace", () => {
  it("matches any run of spaces and tabs with any run", () => {
    expectPass("CHECK: a b\tc\n", "a \t  b c\n");
    expectPass("CHECK: a  {{b}}\n", "a\tb\n");
  });

  it("ignores leading and trailing whitespace of a pattern", () => {
    expectPass("CHECK:     hw.add   \n", "hw.add\n");
    expectPass(lines("CHECK: a", "CHECK-NEXT: b  "), lines("a", "b"));
  });

  it("still needs some whitespace where the pattern has some", () => {
    expectFail("CHECK: a b\n", "ab\n");
  });

  it("treats CRLF like LF", () => {
    expectPass("CHECK: a\r\nCHECK-NEXT: b\r\n", "a\r\nb\r\n");
  });

  it("can be strict about whitespace", () => {
    expectFail("CHECK: a b\n", "a  b\n", { strictWhitespace: true });
    expectPass("CHECK: a  b\n", "a  b\n", { strictWhitespace: true });
  });

  it("reports original columns when the input had tabs and runs of spaces", () => {
    const text = expectFail("CHECK: x\n", "\t  abc  def\n");
    expect(text).toContain("<stdin>:1:1: note: scanning from here");
    const found = run(lines("CHECK: a", "CHECK-NOT: def"), "a\n\t  abc   def\n");
    expect(found.diagnostics[0]).toContain("<stdin>:2:10: note: found here\n\t  abc   def\n\t        ^~~");
  });
});

describe("formatInputDump", () => {
  it("shows the lines around the lines of interest", () => {
    const input = Array.from({ length: 30 }, (_, k) => `line ${k + 1}`).join("\n");
    const dump = formatInputDump(input, [15], 2);
    expect(dump.split("\n")).toEqual([
      "Input was:",
      "<<<<<<",
      "         .",
      "         .",
      "         .",
      "      13: line 13",
      "      14: line 14",
      ">     15: line 15",
      "      16: line 16",
      "      17: line 17",
      ">>>>>>",
    ]);
  });
});

describe("fileCheck properties", () => {
  const lineArb = fc.string({ unit: fc.constantFrom("a", "b", "z", " ", "\t", ".", "*", "(", ")", "[", "{", "}", "]", "$", "%", "\\", "|"), maxLength: 20 });
  const canonical = (s: string): string => s.replace(/[ \t]+/g, " ");
  const usable = (s: string): boolean => s.trim() !== "" && !s.includes("{{") && !s.includes("[[");

  it("CHECK lines that are in-order substrings of the input always pass", () => {
    const scenario = fc
      .array(lineArb, { minLength: 1, maxLength: 12 })
      .chain((inputLines) =>
        fc.tuple(
          fc.constant(inputLines),
          fc.array(
            fc.tuple(fc.nat({ max: inputLines.length - 1 }), fc.nat(), fc.nat()),
            { maxLength: 8 },
          ),
        ),
      );
    fc.assert(
      fc.property(scenario, ([inputLines, picks]) => {
        const ordered = [...picks].sort((x, y) => x[0] - y[0]);
        const patterns: string[] = [];
        let lastLine = -1;
        for (const [lineIndex, a, b] of ordered) {
          // One pattern per line keeps the order unambiguous.
          if (lineIndex === lastLine) continue;
          const line = inputLines[lineIndex] as string;
          const start = a % (line.length + 1);
          const end = start + (b % (line.length - start + 1));
          const piece = line.slice(start, end);
          if (!usable(piece)) continue;
          patterns.push(`CHECK: ${piece}`);
          lastLine = lineIndex;
        }
        fc.pre(patterns.length > 0);
        const result = fileCheck(lines(...patterns), lines(...inputLines));
        expect(result.diagnostics).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("CHECK-NOT of a string absent from the input always passes", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), lineArb, (inputLines, absent) => {
        fc.pre(usable(absent) && !canonical(lines(...inputLines)).includes(canonical(absent).trim()));
        const result = fileCheck(`CHECK-NOT: ${absent}\n`, lines(...inputLines));
        expect(result.diagnostics).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("lit runner", () => {
  let work: string;
  let toolBin: string;

  beforeAll(() => {
    // RUN lines call `FileCheck`; test/bin's shim needs a build in dist/, so these tests make
    // their own: the two CLI sources transpiled into a temp dir, with a FileCheck script.
    work = mkdtempSync(join(tmpdir(), "qopt-lit-test-"));
    const js = join(work, "js");
    toolBin = join(work, "bin");
    mkdirSync(js);
    mkdirSync(toolBin);
    writeFileSync(join(js, "package.json"), '{"type":"module"}\n');
    for (const name of ["filecheck", "filecheck-cli"]) {
      const source = readFileSync(join(repoRoot, "src", "testing", `${name}.ts`), "utf8");
      const out = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
        fileName: `${name}.ts`,
      });
      writeFileSync(join(js, `${name}.js`), out.outputText);
    }
    const shim = join(toolBin, "FileCheck");
    writeFileSync(shim, `#!/usr/bin/env bash\nexec node '${join(js, "filecheck-cli.js")}' "$@"\n`);
    chmodSync(shim, 0o755);
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function writeTest(name: string, text: string): string {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  }

  const runTest = (path: string) => runLitFile(path, { pathPrepend: [toolBin], timeoutMs: 30_000, keepFailedTemp: false });

  it("passes a file whose RUN line succeeds", async () => {
    const path = writeTest("pass.mlir", lines("// RUN: cat %s | FileCheck %s", "// CHECK: {{^}}hw.add", "// CHECK-NEXT: {{^}}hw.mul", "hw.add", "hw.mul"));
    const result = await runTest(path);
    expect(result.output).toContain("$ cat ");
    expect(result.ok).toBe(true);
  });

  it("fails with FileCheck's diagnostics when a check fails", async () => {
    const path = writeTest("fail.mlir", lines("// RUN: cat %s | FileCheck %s", "// CHECK: {{^}}hw.sub", "hw.add"));
    const result = await runTest(path);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("fail.mlir:2:11: error: CHECK: expected string not found in input");
    expect(result.output).toContain("failed: exit status 1");
  });

  it("inverts an exit status with not", async () => {
    const path = writeTest("not.mlir", lines("// RUN: cat %s | not FileCheck %s", "// RUN: not false", "// CHECK: {{^}}hw.sub", "hw.add"));
    const result = await runTest(path);
    expect(result.output).toContain("error: CHECK: expected string not found in input");
    expect(result.ok).toBe(true);
    const inverted = writeTest("not-fail.mlir", lines("// RUN: not true", "x"));
    expect((await runTest(inverted)).ok).toBe(false);
  });

  it("fails a pipeline when an early stage fails (pipefail)", async () => {
    const path = writeTest("pipe.mlir", lines("// RUN: cat %s.missing | FileCheck %s --allow-empty", "// CHECK-NOT: x"));
    expect((await runTest(path)).ok).toBe(false);
  });

  it("runs RUN lines in order with %t, %S and continuations", async () => {
    const path = writeTest(
      "multi.mlir",
      lines("// RUN: cat %s > %t && test -d %S && \\", "// RUN:   test -f %t", "// RUN: FileCheck %s --input-file=%t", "// CHECK: {{^}}payload", "payload"),
    );
    const result = await runTest(path);
    expect(result.output).toContain("# RUN: at line 1");
    expect(result.ok).toBe(true);
  });

  it("quotes paths with spaces", async () => {
    mkdirSync(join(work, "with space"), { recursive: true });
    const path = writeTest("with space/q.mlir", lines("// RUN: cat %s | FileCheck %s", "// CHECK: {{^}}ok", "ok"));
    expect((await runTest(path)).ok).toBe(true);
  });

  it("skips a test whose requirement is missing, distinctly from passing", async () => {
    const path = writeTest("req.mlir", lines("// REQUIRES: no-such-feature", "// RUN: false"));
    const result = await runTest(path);
    expect(result.skipped).toContain("no-such-feature");
    expect(result.ok).toBe(true);
  });

  it("runs or skips a mlir-opt test depending on mlir-opt-19", async () => {
    const path = writeTest("mlir.mlir", lines("// REQUIRES: mlir-opt", "// RUN: mlir-opt-19 --version"));
    const result = await runTest(path);
    if (result.skipped !== undefined) expect(result.skipped).toContain("mlir-opt-19");
    else expect(result.ok).toBe(true);
  });

  it("fails a file with no RUN lines or a dangling continuation", async () => {
    expect((await runTest(writeTest("none.mlir", "x\n"))).ok).toBe(false);
    const dangling = await runTest(writeTest("dangling.mlir", lines("// RUN: echo \\", "x")));
    expect(dangling.ok).toBe(false);
    expect(dangling.output).toContain("no RUN line follows");
  });

  it("parses RUN and REQUIRES lines", () => {
    const parsed = parseLitFile(lines("// REQUIRES: mlir-opt, other", "// RUN: a \\", "//  RUN: b", "op", "// RUN: c"));
    expect(parsed.runs).toEqual([
      { line: 2, command: "a b" },
      { line: 5, command: "c" },
    ]);
    expect(parsed.requires).toEqual(["mlir-opt", "other"]);
  });

  it("substitutes %s, %S, %t, %T and %%", () => {
    expect(substituteLit("x %s %S %t %T %% %%s", { file: "/a b/f.mlir", temp: "/tmp/d/f.mlir.tmp" })).toBe(
      "x '/a b/f.mlir' '/a b' '/tmp/d/f.mlir.tmp' '/tmp/d' % %s",
    );
  });

  it("discovers .mlir files with RUN lines under test/, skipping tool and data dirs", () => {
    const root = join(work, "repo");
    for (const dir of ["test/a", "test/bin", "test/fixtures", "test/artifacts", "test/a/fixtures"]) mkdirSync(join(root, dir), { recursive: true });
    const withRun = "// RUN: true\n";
    writeFileSync(join(root, "test/a/x.mlir"), withRun);
    writeFileSync(join(root, "test/a/fixtures/nested.mlir"), withRun);
    writeFileSync(join(root, "test/top.mlir"), withRun);
    writeFileSync(join(root, "test/a/no-run.mlir"), "func.func @f()\n");
    writeFileSync(join(root, "test/a/x.txt"), withRun);
    for (const dir of ["bin", "fixtures", "artifacts"]) writeFileSync(join(root, "test", dir, "y.mlir"), withRun);
    expect(discoverLitTests(root)).toEqual([
      join(root, "test/a/fixtures/nested.mlir"),
      join(root, "test/a/x.mlir"),
      join(root, "test/top.mlir"),
    ]);
  });

  it.skipIf(!existsSync(join(repoRoot, "dist", "src", "testing", "filecheck-cli.js")))("works with the built test/bin/FileCheck", async () => {
    const path = writeTest("built.mlir", lines("// RUN: cat %s | FileCheck %s", "// RUN: cat %s | not FileCheck %s --check-prefix=BAD", "// CHECK: {{^}}ok", "// BAD: {{^}}nope", "ok"));
    const result = await runLitFile(path);
    expect(result.output).toBeDefined();
    expect(result.ok).toBe(true);
  });
});
