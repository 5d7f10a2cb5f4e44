// `validateConnectivityTest`: every problem in a ConnectivityTest manifest, structural and semantic, with
// the field path — what `flowprobe validate` prints and what the API server would refuse.
import { MANIFEST_SCHEMA } from './object-schema.js';
import { byPath, type Problem } from './problem.js';
import { pruneNulls } from './prune-nulls.js';
import { ruleProblems } from './rule-problems.js';
import type { SchemaNode } from './schema-node.js';
import { structuralProblems, type StructuralProblem } from './structural-problems.js';

export type { Problem } from './problem.js';

/** Returns every problem (empty when valid), ordered by path. Pure: `obj` is not modified. */
export function validateConnectivityTest(obj: unknown): Problem[] {
  return validateWith(MANIFEST_SCHEMA, structuralProblems, obj);
}

/** The same checks against another manifest schema (the ClusterConnectivityTest's, validate-cluster.ts). */
export function validateWith(
  schema: SchemaNode,
  structuralOf: (object: unknown) => StructuralProblem[],
  obj: unknown,
): Problem[] {
  const object = pruneNulls(obj);
  const structural = structuralOf(object);
  const blocked = structural.filter((p) => p.blocking).map((p) => p.pointer);
  const inBlockedSubtree = (pointer: string): boolean =>
    blocked.some((b) => b === pointer || b.startsWith(`${pointer}/`));
  const semantic = ruleProblems(schema, object, inBlockedSubtree);
  const problems = [...structural.map(({ path, message }) => ({ path, message })), ...semantic];
  return dedupe(problems).sort(byPath);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
