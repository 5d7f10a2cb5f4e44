// OpenAPI v3 as the API server reads it → JSON Schema as ajv reads it. The differences that matter:
// the API server rejects fields a structural schema does not list (kubectl's strict field validation;
// pruning otherwise), so listed objects get `additionalProperties: false` unless they preserve unknown
// fields; and x-kubernetes-* keys mean nothing to ajv (CEL rules run separately, list types are unused).
import type { SchemaNode } from './schema-node.js';

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(node: SchemaNode): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node) as [keyof SchemaNode, unknown][]) {
    if (value === undefined || key.startsWith('x-kubernetes-')) continue;
    out[key] = convertField(key, value);
  }
  if (node.properties && !node.additionalProperties && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

function convertField(key: keyof SchemaNode, value: unknown): unknown {
  switch (key) {
    case 'properties':
      return Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [
          name,
          toJsonSchema(child),
        ]),
      );
    case 'items':
    case 'additionalProperties':
      return toJsonSchema(value as SchemaNode);
    case 'anyOf':
      return (value as SchemaNode[]).map(toJsonSchema);
    default:
      return value;
  }
}
