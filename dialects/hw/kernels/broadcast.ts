/**
 * NumPy-style broadcasting of two operands (TFLite BroadcastAdd4DSlow / BroadcastMul4DSlow
 * semantics, any rank): shapes align from the right; a dimension of 1 stretches.
 */

export interface BinaryBroadcast {
  readonly shape: readonly number[];
  readonly size: number;
  /** Flat index into operand 1 for every output element, or null when operand 1 already has the output shape. */
  readonly index1: Int32Array | null;
  readonly index2: Int32Array | null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Output shape and index maps; the maps are built once per call (an odometer walk), never per element. */
export function broadcastBinary(shape1: readonly number[], shape2: readonly number[]): BinaryBroadcast {
  const rank = Math.max(shape1.length, shape2.length);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d1 = shape1[shape1.length - rank + i] ?? 1;
    const d2 = shape2[shape2.length - rank + i] ?? 1;
    if (d1 !== d2 && d1 !== 1 && d2 !== 1) {
      throw new RangeError(`shapes [${shape1.join(",")}] and [${shape2.join(",")}] do not broadcast`);
    }
    shape.push(d1 === 1 ? d2 : d1);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, size, index1: indexMap(shape1, shape, size), index2: indexMap(shape2, shape, size) };
}

function indexMap(operand: readonly number[], out: readonly number[], size: number): Int32Array | null {
  if (sameShape(operand, out)) return null;
  const rank = out.length;
  // Operand stride per output axis (0 where the operand is broadcast along it).
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = operand.length - 1; i >= 0; i--) {
    const axis = rank - operand.length + i;
    strides[axis] = operand[i] === 1 ? 0 : stride;
    stride *= operand[i]!;
  }
  const map = new Int32Array(size);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let k = 0; k < size; k++) {
    map[k] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]! += 1;
      offset += strides[axis]!;
      if (counter[axis]! < out[axis]!) break;
      offset -= strides[axis]! * counter[axis]!;
      counter[axis] = 0;
    }
  }
  return map;
}
