// The strict JSON reader behind descriptor files: same values as JSON.parse, positions, stable errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { readJson } from "../../src/target/index.js";

describe("readJson", () => {
  test("reads what JSON.parse reads, at any indentation", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, "\t"), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const result = readJson(text);
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.value).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  test("records the position of every value by JSON pointer", () => {
    const result = readJson('{\n  "a": [1, {"b/c": true}],\n  "d~": "x"\n}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(result.positions)).toEqual({
      "": { line: 1, column: 1 },
      "/a": { line: 2, column: 8 },
      "/a/0": { line: 2, column: 9 },
      "/a/1": { line: 2, column: 12 },
      "/a/1/b~1c": { line: 2, column: 20 },
      "/d~0": { line: 3, column: 9 },
    });
  });

  test("a key named __proto__ stays a plain key", () => {
    const result = readJson('{"__proto__": {"polluted": true}}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.keys(result.value as object)).toEqual(["__proto__"]);
  });

  test("skips a UTF-8 byte-order mark", () => {
    expect(readJson('\ufeff{"a": 1}')).toMatchObject({ ok: true, value: { a: 1 } });
  });

  test.each<[string, string, number, number]>([
    ["", "the file is empty", 1, 1],
    ["  \n ", "the file is empty", 2, 2],
    ['{"a": 1,}', "trailing comma before '}'", 1, 9],
    ['{\n  "a": [1, 2,]\n}', "trailing comma before ']'", 2, 14],
    ['{"a": 1 "b": 2}', "expected ',' or '}' after the value of \"a\", found '\"'", 1, 9],
    ["[1 2]", "expected ',' or ']' after an array element, found '2'", 1, 4],
    ['{"a"  1}', "expected ':' after key \"a\", found '1'", 1, 7],
    ["{'a': 1}", "keys must use double quotes", 1, 2],
    ["{a: 1}", "expected a double-quoted key, found 'a'", 1, 2],
    ['{"a": \'x\'}', "strings must use double quotes", 1, 7],
    ['{"a": tru}', "expected a value, found 't'", 1, 7],
    ['{"a": }', "expected a value, found '}'", 1, 7],
    ['{"a": 01}', "invalid number", 1, 7],
    ['{"a": 1.}', "invalid number", 1, 7],
    ['{"a": -}', "invalid number", 1, 7],
    ['{"a": "x\n"}', "unterminated string", 1, 7],
    ['{"a": "x', "unterminated string", 1, 7],
    ['{"a": "\\q"}', "invalid escape '\\q'", 1, 8],
    ['{"a": "\\u12G4"}', "invalid \\u escape: expected 4 hex digits", 1, 8],
    ['{"a": "\t"}', "control character in string", 1, 8],
    ['{"a": 1} x', "unexpected 'x' after the end of the JSON value", 1, 10],
    ["// comment\n{}", "comments are not allowed in JSON", 1, 1],
    ['{"a": 1 /* c */}', "comments are not allowed in JSON", 1, 9],
    ['{"a": [1, 2', "expected ',' or ']' after an array element, found end of file", 1, 12],
    ['{"a": 1\n', "expected ',' or '}' after the value of \"a\", found end of file", 2, 1],
    ['{"a": 1, "a": 2}', 'duplicate key "a"', 1, 10],
  ])("%j: %s at %i:%i", (text, message, line, column) => {
    const result = readJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect({ message: result.error.message, line: result.error.line, column: result.error.column }).toEqual({ message, line, column });
  });

  test("a duplicate key names the object holding it", () => {
    const result = readJson('{"x": {"y": 1, "y": 2}}');
    expect(result).toMatchObject({ ok: false, error: { message: 'duplicate key "y"', pointer: "/x" } });
  });
});
