// targets/schema.json and src/target/types.ts describe the same thing: same keys, same enum values.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, test } from "vitest";
import {
  BIAS_TYPES,
  BLOCK_SHAPES,
  FLOAT_TYPES,
  FUSION_PATTERNS,
  GRANULARITIES,
  INTEGER_OPERAND_TYPES,
  MULTIPLIER_BITS,
  OP_KINDS,
  OPERAND_TYPES,
  QUANTIZE_ROUNDINGS,
  REQUANT_ROUNDINGS,
  SCALE_FORMS,
  SCHEMA_VERSION,
  STORAGE_TYPES,
  validateTarget,
  WEIGHTED_OP_KINDS,
} from "../../src/target/index.js";
import { ROUNDING_MODES } from "../../src/interp/rounding.js";
import { fullTarget } from "./fixtures/full-target.js";

const here = dirname(fileURLToPath(import.meta.url));
const schemaFile = join(here, "..", "..", "targets", "schema.json");

interface SchemaNode {
  $ref?: string;
  type?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  if?: SchemaNode;
  then?: SchemaNode;
}

const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as SchemaNode;
const definitions = schema.definitions!;
const resolve = (node: SchemaNode): SchemaNode => (node.$ref === undefined ? node : definitions[node.$ref.replace("#/definitions/", "")]!);
const props = (node: SchemaNode): Record<string, SchemaNode> => resolve(node).properties!;

test("the schema is draft-07 and names itself for editors", () => {
  expect(schema).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#", title: "qopt hardware target descriptor", type: "object" });
});

test("every object in the schema forbids unknown keys, and every property has a description", () => {
  const problems: string[] = [];
  const visit = (node: SchemaNode, path: string): void => {
    if (node.type === "object" && node.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (child.description === undefined) problems.push(`${path}/${key}: no description`);
      visit(child, `${path}/${key}`);
    }
    if (node.items !== undefined) visit(node.items, `${path}/items`);
  };
  visit(schema, "#");
  for (const [name, def] of Object.entries(definitions)) {
    if (def.description === undefined && def.type !== "object") problems.push(`#/definitions/${name}: no description`);
    visit(def, `#/definitions/${name}`);
  }
  expect(problems).toEqual([]);
});

test("the enums in types.ts are the schema's enums", () => {
  expect(definitions["operandType"]!.enum).toEqual([...OPERAND_TYPES]);
  expect(definitions["biasType"]!.enum).toEqual([...BIAS_TYPES]);
  expect(definitions["floatType"]!.enum).toEqual([...FLOAT_TYPES]);
  expect(definitions["granularity"]!.enum).toEqual([...GRANULARITIES]);
  expect(definitions["fusionPattern"]!.enum).toEqual([...FUSION_PATTERNS]);
  expect(definitions["blockShape"]!.enum).toEqual([...BLOCK_SHAPES]);
  const top = schema.properties!;
  expect(top["schemaVersion"]!.const).toBe(SCHEMA_VERSION);
  expect(props(top["quantization"]!)["scale"]!.enum).toEqual([...SCALE_FORMS]);
  expect(props(top["quantization"]!)["quantizeRounding"]!.enum).toEqual([...QUANTIZE_ROUNDINGS]);
  expect(props(top["requantization"]!)["rounding"]!.enum).toEqual([...REQUANT_ROUNDINGS]);
  expect(props(top["requantization"]!)["multiplierBits"]!.enum).toEqual([...MULTIPLIER_BITS]);
  expect(Object.keys(props(top["ops"]!))).toEqual([...OP_KINDS]);
  const weighted = Object.entries(props(top["ops"]!)).filter(([, s]) => s.items!.$ref === "#/definitions/weightedEntry");
  expect(weighted.map(([k]) => k)).toEqual([...WEIGHTED_OP_KINDS]);
  expect(props(props(top["sparsity"]!)["ops"]!.items!)["op"]!.enum).toEqual([...WEIGHTED_OP_KINDS]);
  for (const map of [props(top["quantization"]!)["activations"]!, props(top["quantization"]!)["weights"]!, props(top["quantization"]!)["biasType"]!, props(top["requantization"]!)["accumulatorBits"]!])
    expect(Object.keys(map.properties!)).toEqual([...INTEGER_OPERAND_TYPES]);
  expect(Object.keys(props(props(top["cost"]!)["macsPerCycle"]!) ?? {})).toEqual([...OPERAND_TYPES]);
  expect([...STORAGE_TYPES].sort()).toEqual([...new Set([...OPERAND_TYPES, ...BIAS_TYPES, ...FLOAT_TYPES])].sort());
});

test("the rounding names are the ones the interpreter implements", () => {
  expect([...REQUANT_ROUNDINGS]).toEqual([...ROUNDING_MODES]);
});

test("the fully populated Target literal is valid and has every key the schema has, no more", () => {
  expect(validateTarget(fullTarget, "full-target").errors).toEqual([]);
  const missing: string[] = [];
  const walk = (node: SchemaNode, value: unknown, path: string): void => {
    const s = resolve(node);
    if (s.properties !== undefined && typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(s.properties)) {
        if (!(key in value)) missing.push(`${path}/${key}`);
        else walk(child, (value as Record<string, unknown>)[key], `${path}/${key}`);
      }
    }
    if (s.items !== undefined && Array.isArray(value)) value.forEach((v, i) => walk(s.items!, v, `${path}/${i}`));
  };
  walk(schema, fullTarget, "");
  expect(missing).toEqual([]);
});

test("types.ts accepts the full literal and refuses what the schema refuses (type-checked)", () => {
  const fixture = join(here, "fixtures", "full-target.ts");
  const program = ts.createProgram([fixture], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file === undefined ? "" : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
  expect(diagnostics).toEqual([]);
}, 60_000);
