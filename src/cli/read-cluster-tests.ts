// The ClusterConnectivityTests of a set of manifests, for the commands that read manifests (explain, diff):
// validated, then each replaced by the ConnectivityTests it stands for in the manifests' namespaces.
import { CLUSTER_KIND } from '../api/types.js';
import { validateClusterConnectivityTest } from '../api/validate-cluster.js';
import { clusterConnectivityTests, expandClusterTests } from '../manifest/cluster-connectivity-tests.js';
import type { SourcedObject } from '../manifest/load.js';
import { describeChoice } from '../plan/namespace-choice.js';

export interface ClusterTestsInput {
  /** The objects, each valid ClusterConnectivityTest replaced by its ConnectivityTests. */
  expanded: SourcedObject[];
  /** One line per schema problem (then `expanded` is the input as it was). */
  problems: string[];
  /** Which namespaces each one stood for, for stderr. */
  notes: string[];
}

/**
 * The ClusterConnectivityTests of the manifests, validated, and the objects with each replaced by the
 * ConnectivityTests it stands for in the manifests' namespaces its selector matches (at most maxNamespaces).
 */
export function readClusterTests(objects: SourcedObject[]): ClusterTestsInput {
  const problems = clusterConnectivityTests(objects).flatMap(({ file, object }) =>
    validateClusterConnectivityTest(object).map(
      (p) => `${file}: ${CLUSTER_KIND} ${String(object.metadata?.name)}: ${p.path}: ${p.message}`,
    ),
  );
  if (problems.length > 0) return { expanded: objects, problems, notes: [] };
  const { objects: expanded, expansions } = expandClusterTests(objects);
  const notes = expansions.map(
    (e) => `${CLUSTER_KIND} ${e.name} (${e.file}): ${describeChoice(e.choice, e.maxNamespaces)}`,
  );
  return { expanded, problems, notes };
}
