/**
 * fast-check generators of IR: random types, attributes (dense data included) and functions of
 * generic ops, for round-trip and fuzz properties.
 */
import fc from "fast-check";
import type { Attribute } from "../../src/ir/attributes.js";
import { attrDict } from "../../src/ir/attributes.js";
import type { Type, IntegerType, FloatType } from "../../src/ir/types.js";
import { floatType, integerType, integerTypeRange, indexType, DYNAMIC } from "../../src/ir/types.js";
import type { Module, Operation, Value } from "../../src/ir/operation.js";
import { makeModule, makeOperation, makeValue } from "../../src/ir/operation.js";
import { allocateDense } from "../../src/syntax/dense.js";
import { roundToFloatKind } from "../../src/syntax/float-format.js";

const floatKinds = ["f16", "bf16", "f32", "f64"] as const;

export const arbFloatType: fc.Arbitrary<FloatType> = fc.constantFrom(...floatKinds).map(floatType);
export const arbIntType: fc.Arbitrary<IntegerType> = fc
  .tuple(fc.constantFrom(1, 8, 16, 32, 64), fc.constantFrom("signless", "signed", "unsigned") as fc.Arbitrary<IntegerType["signedness"]>)
  .map(([w, s]) => integerType(w, w === 1 ? "signless" : s));

export const arbScalarType: fc.Arbitrary<Type> = fc.oneof(arbFloatType, arbIntType, fc.constant(indexType));

export const arbQuantType: fc.Arbitrary<Type> = fc
  .record({
    width: fc.constantFrom(8, 16, 32),
    unsigned: fc.boolean(),
    narrow: fc.boolean(),
    expressed: fc.constantFrom("f32", "f16") as fc.Arbitrary<"f32" | "f16">,
    perAxis: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    seedScales: fc.array(fc.double({ min: 1e-8, max: 1e3, noNaN: true }), { minLength: 4, maxLength: 4 }),
    seedZps: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
  })
  .map((r) => {
    const storage = integerType(r.width, r.unsigned ? "unsigned" : "signed");
    const full = integerTypeRange(storage);
    const min = r.narrow ? full.min + 1 : full.min;
    const n = r.perAxis ?? 1;
    const scales = r.seedScales.slice(0, n);
    const zeroPoints = r.seedZps.slice(0, n).map((z) => Math.round(min + z * (full.max - min)));
    const q: Type = {
      kind: "quant.uniform",
      storage,
      storageMin: min,
      storageMax: full.max,
      expressed: floatType(r.expressed),
      scales,
      zeroPoints,
      ...(r.perAxis !== undefined ? { axis: 0 } : {}),
    };
    // Per-axis types live in tensors whose axis-0 size equals the number of scales.
    return r.perAxis !== undefined ? ({ kind: "tensor", shape: [r.perAxis, 2], element: q } as Type) : ({ kind: "tensor", shape: [3], element: q } as Type);
  });

export const arbTensorType: fc.Arbitrary<Type> = fc.oneof(
  fc.record({ shape: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(DYNAMIC)), { maxLength: 4 }), element: arbScalarType }).map((r) => ({ kind: "tensor", shape: r.shape, element: r.element }) as Type),
  arbScalarType.map((element) => ({ kind: "tensor", shape: null, element }) as Type),
  arbQuantType,
);

export const arbType: fc.Arbitrary<Type> = fc.oneof({ weight: 1, arbitrary: arbScalarType }, { weight: 3, arbitrary: arbTensorType });

function intValue(t: IntegerType, u: number): number | bigint {
  if (t.width === 64) {
    const range = t.signedness === "unsigned" ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
    const span = range[1]! - range[0]!;
    const v = range[0]! + (span * BigInt(Math.floor(u * 1e9))) / 1000000000n;
    return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v;
  }
  const r = integerTypeRange(t);
  return Math.round(r.min + u * (r.max - r.min));
}

const arbFloatValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, 1e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN) },
);

const arbDense: fc.Arbitrary<Attribute> = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 }),
    big: fc.boolean(),
    element: fc.oneof(arbFloatType, arbIntType),
    seeds: fc.array(fc.oneof(arbFloatValue, fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 }),
    splat: fc.boolean(),
  })
  .map((r) => {
    // `big` tensors pass mlir-opt's 100-element threshold and print as hex.
    const shape = r.big ? [...r.shape, 37] : r.shape;
    const count = shape.reduce((a, b) => a * b, 1);
    const data = allocateDense(r.element, r.splat ? 1 : count);
    if (typeof data === "string") throw new Error(data);
    for (let i = 0; i < data.length; i++) {
      const seed = r.seeds[i % r.seeds.length]! * (1 + i);
      if (r.element.kind === "float") data[i] = roundToFloatKind(Number.isFinite(seed) ? seed : r.seeds[0]!, r.element.name);
      else {
        const t = r.element as IntegerType;
        const u = Number.isFinite(seed) ? Math.abs(seed) % 1 : 0.5;
        const v = intValue(t, u);
        if (data instanceof BigInt64Array) data[i] = BigInt.asIntN(64, BigInt(v));
        else data[i] = Number(v);
      }
    }
    return { kind: "dense", type: { kind: "tensor", shape, element: r.element }, splat: r.splat && count !== 1, data } as Attribute;
  });

const arbName = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,8}$/);

export const arbAttribute: fc.Arbitrary<Attribute> = fc.letrec<{ attr: Attribute }>((tie) => ({
  attr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(arbIntType, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, u]) => (t.width === 1 ? { kind: "bool", value: u > 0.5 } : { kind: "int", value: intValue(t, u), type: t }) as Attribute),
    fc.tuple(arbFloatType, arbFloatValue).map(([t, v]) => ({ kind: "float", value: roundToFloatKind(v, t.name), type: t }) as Attribute),
    fc.boolean().map((value) => ({ kind: "bool", value }) as Attribute),
    fc.string({ unit: "binary", maxLength: 12 }).map((value) => ({ kind: "string", value }) as Attribute),
    fc.constant({ kind: "unit" } as Attribute),
    arbType.map((type) => ({ kind: "type", type }) as Attribute),
    fc.array(arbName, { minLength: 1, maxLength: 2 }).map((path) => ({ kind: "symbol", path }) as Attribute),
    fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5 }).map((values) => ({ kind: "dense_array", element: integerType(64), values }) as Attribute),
    arbDense,
    fc.array(tie("attr"), { maxLength: 3 }).map((elements) => ({ kind: "array", elements }) as Attribute),
    fc.array(fc.tuple(arbName, tie("attr")), { maxLength: 3 }).map((entries) => ({ kind: "dict", entries: attrDict(entries) }) as Attribute),
  ),
})).attr;

/** A module with one function: random generic ops over earlier values, returning some of them. */
export const arbModule: fc.Arbitrary<Module> = fc
  .record({
    argTypes: fc.array(arbType, { maxLength: 3 }),
    ops: fc.array(
      fc.record({
        name: fc.stringMatching(/^t\.[a-z]{1,6}$/),
        operandPicks: fc.array(fc.nat(), { maxLength: 3 }),
        resultTypes: fc.array(arbType, { maxLength: 2 }),
        attrs: fc.array(fc.tuple(arbName, arbAttribute), { maxLength: 3 }),
      }),
      { maxLength: 6 },
    ),
    returnPicks: fc.array(fc.nat(), { maxLength: 2 }),
  })
  .map((r) => {
    const args = r.argTypes.map((t) => makeValue(t));
    const values: Value[] = [...args];
    const ops: Operation[] = [];
    for (const spec of r.ops) {
      const operands = values.length === 0 ? [] : spec.operandPicks.map((p) => values[p % values.length]!);
      const op = makeOperation({ name: spec.name, operands, resultTypes: spec.resultTypes, attributes: attrDict(spec.attrs) });
      ops.push(op);
      values.push(...op.results);
    }
    const returned = values.length === 0 ? [] : r.returnPicks.map((p) => values[p % values.length]!);
    ops.push(makeOperation({ name: "func.return", operands: returned }));
    const props = attrDict();
    props["sym_name"] = { kind: "string", value: "f" };
    props["function_type"] = { kind: "type", type: { kind: "function", inputs: r.argTypes, results: returned.map((v) => v.type) } };
    const func = makeOperation({ name: "func.func", properties: props, regions: [{ blocks: [{ args, ops }] }] });
    return makeModule([func]);
  });
