// Defaults from the schema, applied the way the API server applies them: a missing field takes its
// default, then defaults apply inside it; nothing is defaulted inside an absent parent.
import { pruneNulls } from './prune-nulls.js';
import type { SchemaNode } from './schema-node.js';
import { SPEC_SCHEMA } from './spec-schema.js';
import type { ConnectivityTestSpec } from './types.js';

/** The spec as the API server would store it: protocol TCP, timeoutSeconds 3, http.path `/`, … */
export function withDefaults(spec: ConnectivityTestSpec): ConnectivityTestSpec {
  return applyDefaults(SPEC_SCHEMA, pruneNulls(spec)) as ConnectivityTestSpec;
}

/** A copy of `value` with the schema's defaults filled in; `value` itself is left alone. */
export function applyDefaults(node: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = node.items;
    return items ? value.map((item) => applyDefaults(items, item)) : value;
  }
  if (typeof value !== 'object' || value === null || !node.properties) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, child] of Object.entries(node.properties)) {
    if (out[key] === undefined && child.default !== undefined) out[key] = structuredClone(child.default);
    if (out[key] !== undefined) out[key] = applyDefaults(child, out[key]);
  }
  return out;
}
