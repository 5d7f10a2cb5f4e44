// A ClusterConnectivityTest stands for a ConnectivityTest of its own name in each namespace it probes
// (src/plan/cluster-instances.ts). Where a ConnectivityTest of that name already lives in that namespace, the
// two would share one key in explain's results, diff's matching and run's report (all keyed by namespace,
// test and flow): their rows would mix or replace each other. Every command refuses it as bad input instead,
// naming both objects and where each was declared, so that the user renames one.
import { CLUSTER_KIND, KIND } from '../api/types.js';

/** Where a test was declared, for a message that points at it. */
export interface DeclaredAt {
  name: string;
  file: string;
}

/**
 * Why the ClusterConnectivityTest cannot stand for a test in `namespace`, or undefined when no
 * ConnectivityTest there has its name. `tests` maps `namespace/name` to where each ConnectivityTest is.
 */
export function instanceClash(
  cluster: DeclaredAt,
  namespace: string,
  tests: ReadonlyMap<string, DeclaredAt>,
): string | undefined {
  const test = tests.get(`${namespace}/${cluster.name}`);
  if (test === undefined) return undefined;
  return (
    `${CLUSTER_KIND} ${cluster.name} (${cluster.file}) probes namespace ${namespace}, where ${KIND} ` +
    `${namespace}/${test.name} (${test.file}) has the same name: their results would be mixed up; rename one`
  );
}
