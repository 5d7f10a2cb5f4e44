// Runs the schema's CEL rules through their TypeScript twins, at the same nodes the API server would.
import { fieldPath, indexPath, type Problem } from './problem.js';
import type { CelRule, SchemaNode } from './schema-node.js';

/** A place where a rule applies: the rule, the value bound to `self`, and where that value is. */
export interface RuleSite {
  rule: CelRule;
  self: unknown;
  path: string;
  pointer: string;
}

/**
 * Every rule site in `value`, walking it along `node`. Values that do not have their node's type are not
 * walked (the API server would not evaluate CEL on them, and the twins assume the types they read).
 */
export function ruleSites(node: SchemaNode, value: unknown, path = '', pointer = ''): RuleSite[] {
  if (value === undefined || !hasType(node, value)) return [];
  const own = (node['x-kubernetes-validations'] ?? []).map((rule) => ({ rule, self: value, path, pointer }));
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return own;
    const nested = value.flatMap((item: unknown, i) =>
      ruleSites(items, item, indexPath(path, i), `${pointer}/${i}`),
    );
    return [...own, ...nested];
  }
  const fields = value as Record<string, unknown>;
  const nested = Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    ruleSites(child, fields[key], fieldPath(path, key), `${pointer}/${key}`),
  );
  return [...own, ...nested];
}

/**
 * The problems of every rule that fails in `value`. A site is skipped when `skip(pointer)` says so: its
 * subtree holds a type, enum or missing-field error, which would make the rule's verdict noise (the API
 * server then skips CEL for the whole object; the validator still checks the rest).
 */
export function ruleProblems(
  node: SchemaNode,
  value: unknown,
  skip: (pointer: string) => boolean,
): Problem[] {
  return ruleSites(node, value)
    .filter((site) => !skip(site.pointer) && !site.rule.holds(site.self))
    .map(({ rule, self, path }) => ({
      path: path + (rule.fieldPath ?? ''),
      message: rule.detail ? `${rule.message}: ${rule.detail(self)}` : rule.message,
    }));
}

function hasType(node: SchemaNode, value: unknown): boolean {
  switch (node.type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}
