// Renders a SchemaNode as the plain OpenAPI v3 the API server reads: the rules' TypeScript twins, ids
// and details are dropped, everything else is kept as written.
import type { CelRule, SchemaNode } from './schema-node.js';

/** A JSON value: what a rendered schema (and a CRD) is made of. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function toOpenApi(node: SchemaNode): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node) as [keyof SchemaNode, unknown][]) {
    if (value === undefined) continue;
    out[key] = renderField(key, value);
  }
  return out;
}

function renderField(key: keyof SchemaNode, value: unknown): Json {
  switch (key) {
    case 'properties':
      return Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [name, toOpenApi(child)]),
      );
    case 'items':
    case 'additionalProperties':
      return toOpenApi(value as SchemaNode);
    case 'anyOf':
      return (value as SchemaNode[]).map(toOpenApi);
    case 'x-kubernetes-validations':
      return (value as CelRule[]).map(renderRule);
    default:
      return value as Json;
  }
}

function renderRule(rule: CelRule): { [key: string]: Json } {
  const { rule: expression, message, reason, fieldPath } = rule;
  return {
    rule: expression,
    message,
    ...(reason === undefined ? {} : { reason }),
    ...(fieldPath === undefined ? {} : { fieldPath }),
  };
}
