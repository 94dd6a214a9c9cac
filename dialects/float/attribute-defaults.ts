/**
 * Declared attribute defaults, applied where an op leaves an attribute out. Type inference and kernels
 * read attributes through these so that each default is written once, in the op's `attributes`.
 */
import { withDefaults, attributesWithDefaults } from "../../src/ir/attr-access.js";

export { withDefaults };
/** The op's attributes (properties and discardable) with its definition's defaults filled in. */
export const opAttributes = attributesWithDefaults;

/**
 * Unwraps the result of an attribute reader inside a kernel. A verified op never fails here; an
 * unverified one gets the verifier's message instead of a wrong answer.
 */
export function orThrow<T>(value: T | string, opName: string): T {
  if (typeof value === "string") throw new RangeError(`${opName}: ${value}`);
  return value;
}
