// The API server prunes `null` from fields that are not `nullable` before defaulting and validation
// ("Defaulting and Nullable", https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting-and-nullable),
// so `http: ~` in YAML means "no http". The validator and withDefaults do the same.

/** A copy of `value` without null-valued object fields (list items are kept: there null is an error). */
export function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) out[key] = pruneNulls(child);
  }
  return out;
}
