// What placement planning reads of the cluster (plan/node-placement.ts), only when a flow has a
// placement: the pods' nodes (from the pod cache: no Node objects, so no RBAC for nodes) and Services'
// selectors (where a Service target's endpoints run).
import type { Flow } from '../api/types.js';
import { schedulableNodes } from '../plan/node-placement.js';
import type { PlanInput } from '../plan/run-plan.js';
import type { ClusterObjects } from './predict.js';
import { isCompactPod } from '../kube/compact-pod.js';
import { toLivePod } from './live-pods.js';

type PlacementInputs = Pick<PlanInput, 'clusterNodes' | 'serviceSelector'>;

export function placementInputs(cluster: ClusterObjects, flows: readonly Flow[]): PlacementInputs {
  const placed = flows.filter((f) => f.placement !== undefined);
  if (placed.length === 0) return {};
  const inputs: PlacementInputs = {
    serviceSelector: (namespace, name) => {
      const service = cluster.services.find(
        (s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') === namespace,
      );
      const selector = (service as { spec?: { selector?: unknown } } | undefined)?.spec?.selector;
      return selector && typeof selector === 'object' ? (selector as Record<string, string>) : undefined;
    },
  };
  // Every cached pod once, read in place (compact pods are candidates as they are): paid only by a run
  // with an EachNode flow.
  if (placed.some((f) => f.placement === 'EachNode'))
    inputs.clusterNodes = schedulableNodes(
      cluster.pods.all().map((p) => (isCompactPod(p) ? p : toLivePod(p))),
    );
  return inputs;
}
