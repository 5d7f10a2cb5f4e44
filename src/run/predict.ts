// The policies' prediction for each flow of one test, from the objects the cluster holds right now: the
// same snapshot and explanation `flowprobe explain` builds from files, fed from the operator's caches.
import type { ConnectivityTest } from '../api/types.js';
import { validateConnectivityTest } from '../api/validate.js';
import { buildSnapshot, explainSnapshot, type FlowExplanation } from '../explain/index.js';
import type { WireObject } from '../kube/objects.js';
import type { KubeObject, SourcedObject } from '../manifest/load.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../plan/labels.js';

export interface ClusterObjects {
  namespaces: readonly WireObject[];
  pods: readonly WireObject[];
  services: readonly WireObject[];
  policies: readonly WireObject[];
}

/** Flow name → explanation. Empty when the cluster's objects cannot be read (each is then Unknown). */
export function predictFlows(test: ConnectivityTest, cluster: ClusterObjects): Map<string, FlowExplanation> {
  const workloads = cluster.pods.filter((p) => p.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY);
  const objects = [
    ...cluster.namespaces.map((o) => withKind(o, 'v1', 'Namespace')),
    ...workloads.map((o) => withKind(o, 'v1', 'Pod')),
    ...cluster.services.map((o) => withKind(o, 'v1', 'Service')),
    ...cluster.policies.map((o) => withKind(o, 'networking.k8s.io/v1', 'NetworkPolicy')),
    test as unknown as KubeObject,
  ];
  const sourced: SourcedObject[] = objects.map((object, index) => ({ file: 'cluster', index, object }));
  const { snapshot } = buildSnapshot(sourced, validateConnectivityTest);
  // An object the snapshot cannot read is left out of it; explaining the rest still helps more than
  // predicting nothing.
  const report = explainSnapshot(snapshot);
  return new Map(report.results.map((r) => [r.flow, r]));
}

/** List responses leave apiVersion and kind off their items; the snapshot reads them. */
function withKind(obj: WireObject, apiVersion: string, kind: string): KubeObject {
  return { ...obj, apiVersion, kind } as KubeObject;
}
