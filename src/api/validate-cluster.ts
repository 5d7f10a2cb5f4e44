// `validateClusterConnectivityTest`: validate.ts's checks against the ClusterConnectivityTest's schema.
import { CLUSTER_MANIFEST_SCHEMA } from './cluster-schema.js';
import type { Problem } from './problem.js';
import { structuralChecker } from './structural-problems.js';
import { validateWith } from './validate.js';

const structural = structuralChecker(CLUSTER_MANIFEST_SCHEMA);

/** Returns every problem (empty when valid), ordered by path. Pure: `obj` is not modified. */
export function validateClusterConnectivityTest(obj: unknown): Problem[] {
  return validateWith(CLUSTER_MANIFEST_SCHEMA, structural, obj);
}
