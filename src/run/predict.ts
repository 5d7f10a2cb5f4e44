// The policies' prediction for each flow of one test, from the objects the cluster holds right now: the
// same snapshot and explanation `flowprobe explain` builds from files, fed from the operator's caches.
import type { ConnectivityTest } from '../api/types.js';
import { validateConnectivityTest } from '../api/validate.js';
import { buildSnapshot, explainerFor, type Explainer, type FlowExplanation } from '../explain/index.js';
import type { WireObject } from '../kube/objects.js';
import type { KubeObject, SourcedObject } from '../manifest/load.js';
import { isProbePod } from '../plan/labels.js';

export interface ClusterObjects {
  namespaces: readonly WireObject[];
  pods: readonly WireObject[];
  services: readonly WireObject[];
  policies: readonly WireObject[];
  /**
   * Policies of the kinds beyond NetworkPolicy that the cluster serves (src/kube/policy-kinds.ts:
   * ClusterNetworkPolicy, AdminNetworkPolicy, Cilium, Calico, Antrea), raw, each with its apiVersion and
   * kind: the snapshot reads them by both, as it reads manifests. Absent where none is served.
   */
  extraPolicies?: readonly WireObject[];
}

/**
 * Predicts flows, building the snapshot of the cluster (every pod, service and policy, compiled and
 * indexed) only when the cluster's objects changed since the last call. The caches hand out the same
 * object until the API server changes it, so comparing references tells a change, at the cost of one
 * pass over the lists; before this, every run rebuilt the snapshot from every object in the cluster.
 */
export class Predictor {
  private last: { objects: ClusterObjects; explainer: Explainer } | undefined;
  /** How many snapshots this predictor has built (for tests and debugging). */
  snapshotsBuilt = 0;

  /** Flow name → explanation. Empty when the test is invalid (each flow is then Unknown). */
  predict(test: ConnectivityTest, cluster: ClusterObjects): Map<string, FlowExplanation> {
    if (validateConnectivityTest(test).length > 0) return new Map();
    const namespace = test.metadata.namespace ?? 'default';
    const sourced = {
      file: 'cluster',
      index: 0,
      test: { ...test, metadata: { ...test.metadata, namespace } },
    };
    const report = this.explainer(cluster).explain([sourced]);
    return new Map(report.results.map((r) => [r.flow, r]));
  }

  private explainer(all: ClusterObjects): Explainer {
    // Probe pods come and go with every run but never count (they are not workloads): leaving them out
    // before comparing keeps the snapshot while only probe pods changed.
    const cluster = { ...all, pods: all.pods.filter((p) => !isProbePod(p.metadata.labels)) };
    if (this.last && sameObjects(this.last.objects, cluster)) return this.last.explainer;
    const explainer = explainerFor(snapshotOf(cluster));
    this.snapshotsBuilt += 1;
    this.last = { objects: cluster, explainer };
    return explainer;
  }
}

/** A one-off prediction (nothing to reuse). */
export function predictFlows(test: ConnectivityTest, cluster: ClusterObjects): Map<string, FlowExplanation> {
  return new Predictor().predict(test, cluster);
}

/** The snapshot of workloads (probe pods already left out), services, policies and namespaces. */
function snapshotOf(cluster: ClusterObjects) {
  // An object the snapshot cannot read is left out of it; explaining the rest still helps more than
  // predicting nothing.
  return buildSnapshot(snapshotInput(cluster), validateConnectivityTest).snapshot;
}

/**
 * What the snapshot is built from: the cached objects as `explain` reads manifests, each with the apiVersion
 * and kind it is read by (list responses leave them off built-in kinds' items; extra policies carry theirs).
 */
export function snapshotInput(cluster: ClusterObjects): SourcedObject[] {
  const objects = [
    ...cluster.namespaces.map((o) => withKind(o, 'v1', 'Namespace')),
    ...cluster.pods.map((o) => withKind(o, 'v1', 'Pod')),
    ...cluster.services.map((o) => withKind(o, 'v1', 'Service')),
    ...cluster.policies.map((o) => withKind(o, 'networking.k8s.io/v1', 'NetworkPolicy')),
    ...(cluster.extraPolicies ?? []).flatMap(asKubeObject),
  ];
  return objects.map((object, index) => ({ file: 'cluster', index, object }));
}

function sameObjects(a: ClusterObjects, b: ClusterObjects): boolean {
  const same = (x: readonly WireObject[], y: readonly WireObject[]) =>
    x === y || (x.length === y.length && x.every((o, i) => o === y[i]));
  return (
    same(a.namespaces, b.namespaces) &&
    same(a.pods, b.pods) &&
    same(a.services, b.services) &&
    same(a.policies, b.policies) &&
    same(a.extraPolicies ?? [], b.extraPolicies ?? [])
  );
}

/** The cache sets both on every extra policy (src/kube/trim.ts); one without them cannot be told apart. */
function asKubeObject(obj: WireObject): KubeObject[] {
  return typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? [obj as KubeObject] : [];
}

/** List responses leave apiVersion and kind off their items; the snapshot reads them. */
function withKind(obj: WireObject, apiVersion: string, kind: string): KubeObject {
  return { ...obj, apiVersion, kind } as KubeObject;
}
