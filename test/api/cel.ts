// Evaluates a CEL rule the way the API server binds it: `self` is the value at the rule's node, with
// integers as CEL ints. Uses @marcbachmann/cel-js, a CEL implementation independent of our TypeScript.
import { evaluate } from '@marcbachmann/cel-js';
import type { CelRule } from '../../src/api/schema-node.js';

/** JSON → CEL values: integers become int (bigint), as the API server types integer fields. */
function toCel(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** The CEL verdict; throws when the expression does not evaluate to a boolean. */
export function celHolds(rule: CelRule, self: unknown): boolean {
  const result: unknown = evaluate(rule.rule, { self: toCel(self) });
  if (typeof result !== 'boolean') throw new Error(`${rule.id}: CEL returned ${String(result)}, not a bool`);
  return result;
}
