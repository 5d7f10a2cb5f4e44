// The policies' prediction for each flow of one test, from the objects the cluster holds right now: the
// same snapshot and explanation `flowprobe explain` builds from files, fed from the operator's caches.
import type { ConnectivityTest } from '../api/types.js';
import type { CoverageReport } from '../coverage/coverage-types.js';
import { PodWorkloads } from '../coverage/pod-workloads.js';
import { validateConnectivityTest } from '../api/validate.js';
import { buildSnapshot, explainerFor, type FlowExplanation, type LiveExplainer } from '../explain/index.js';
import { PodFinder } from '../explain/pod-finder.js';
import type { PodSource } from '../kube/cached-pods.js';
import { isCompactPod, type CachedPod, type CompactPod } from '../kube/compact-pod.js';
import type { WireObject } from '../kube/objects.js';
import type { KubeObject, SourcedObject } from '../manifest/load.js';

export interface ClusterObjects {
  namespaces: readonly WireObject[];
  /** The pod cache (src/kube/cached-pods.ts), or `podSourceOf` a list. */
  pods: PodSource;
  services: readonly WireObject[];
  policies: readonly WireObject[];
  /**
   * Policies of the kinds beyond NetworkPolicy that the cluster serves (src/kube/policy-kinds.ts:
   * ClusterNetworkPolicy, AdminNetworkPolicy, Cilium, Calico, Antrea), raw, each with its apiVersion and
   * kind: the snapshot reads them by both, as it reads manifests. Absent where none is served.
   */
  extraPolicies?: readonly WireObject[];
}

type Others = Omit<ClusterObjects, 'pods'>;

interface State {
  pods: PodSource;
  /** The pod source's version the finder reflects. */
  seen: number;
  finder: PodFinder;
  others: Others;
  explainer: LiveExplainer;
  /** The finder's pods grouped into workloads, per namespace, for coverage. */
  workloads: PodWorkloads;
}

/**
 * Predicts flows from a snapshot of the cluster that it keeps up to date instead of rebuilding:
 * - pods: the snapshot reads every pod once; afterwards only the namespaces whose pods changed (the pod
 *   source says which), so one pod changing in a 100k-pod cluster costs its namespace's pods;
 * - namespaces, Services, NetworkPolicies and the extra policy kinds: the caches hand out the same object
 *   until the API server changes it, so comparing references tells a change (one pass over those lists);
 *   then the policies are compiled again, over the pods already indexed.
 * Probe pods are no workload and never count (the pod source keeps them whole; every other pod compact).
 */
export class Predictor {
  private state: State | undefined;
  /** How many times this predictor read every pod (for tests and debugging). */
  snapshotsBuilt = 0;
  /** How many times it compiled the policies again (a namespace, Service or policy changed). */
  policyRebuilds = 0;
  /** How many namespaces' pods it read again after they changed. */
  namespacesReread = 0;

  /** Flow name → explanation. Empty when the test is invalid (each flow is then Unknown). */
  predict(test: ConnectivityTest, cluster: ClusterObjects): Map<string, FlowExplanation> {
    if (validateConnectivityTest(test).length > 0) return new Map();
    const namespace = test.metadata.namespace ?? 'default';
    const sourced = {
      file: 'cluster',
      index: 0,
      test: { ...test, metadata: { ...test.metadata, namespace } },
    };
    const results = this.explainer(cluster).results([sourced]);
    return new Map(results.map((r) => [r.flow, r]));
  }

  /**
   * What the tests' flows exercise of the cluster's policies and workloads (src/coverage), from the same
   * compiled policies and pod index as predict(): only the namespaces whose pods changed are read again.
   */
  coverage(tests: readonly ConnectivityTest[], cluster: ClusterObjects): CoverageReport {
    const explainer = this.explainer(cluster);
    const sourced = tests
      .filter((test) => validateConnectivityTest(test).length === 0)
      .map((test, index) => ({
        file: 'cluster',
        index,
        test: { ...test, metadata: { ...test.metadata, namespace: test.metadata.namespace ?? 'default' } },
      }));
    return explainer.coverage(sourced, this.state?.workloads);
  }

  private explainer(cluster: ClusterObjects): LiveExplainer {
    const { pods, ...others } = cluster;
    const state = this.state;
    // A change log compacted past what this predictor saw may have lost changes: read every pod again.
    if (state?.pods !== pods || state.seen < pods.compactedThrough) return this.rebuild(pods, others);
    const version = pods.version;
    const changed = state.seen === version ? [] : pods.changedSince(state.seen);
    const policiesChanged = !sameObjects(state.others, others);
    // With the policies compiled again, the new explainer reads the finder as it is: update it alone.
    for (const ns of changed) {
      const workloads = workloadPods(pods.podsIn(ns));
      if (policiesChanged) state.finder.replace(ns, workloads);
      else state.explainer.replacePods(ns, workloads);
    }
    // Recorded once the namespaces are read again: a read that throws leaves them to the next prediction.
    state.seen = version;
    this.namespacesReread += changed.length;
    if (policiesChanged) {
      state.others = others;
      state.explainer = explainerFor(snapshotOf(others), state.finder);
      this.policyRebuilds += 1;
    }
    return state.explainer;
  }

  private rebuild(pods: PodSource, others: Others): LiveExplainer {
    const seen = pods.version;
    const byNamespace = new Map<string, CompactPod[]>();
    for (const pod of workloadPods(pods.all())) {
      const list = byNamespace.get(pod.namespace);
      if (list === undefined) byNamespace.set(pod.namespace, [pod]);
      else list.push(pod);
    }
    const finder = new PodFinder(byNamespace);
    const explainer = explainerFor(snapshotOf(others), finder);
    this.state = { pods, seen, finder, others, explainer, workloads: new PodWorkloads(finder) };
    this.snapshotsBuilt += 1;
    this.policyRebuilds += 1;
    return explainer;
  }
}

/** A one-off prediction (nothing to reuse). */
export function predictFlows(test: ConnectivityTest, cluster: ClusterObjects): Map<string, FlowExplanation> {
  return new Predictor().predict(test, cluster);
}

/** Probe pods come and go with every run but are not workloads; the cache keeps only them whole. */
function workloadPods(pods: readonly CachedPod[]): CompactPod[] {
  return pods.filter(isCompactPod);
}

/** The snapshot of the services, policies and namespaces (the pods are the finder's). */
function snapshotOf(cluster: Others) {
  // An object the snapshot cannot read is left out of it; explaining the rest still helps more than
  // predicting nothing.
  return buildSnapshot(snapshotInput(cluster), validateConnectivityTest).snapshot;
}

/**
 * What the snapshot is built from: the cached objects as `explain` reads manifests, each with the apiVersion
 * and kind it is read by (list responses leave them off built-in kinds' items; extra policies carry theirs).
 */
export function snapshotInput(cluster: Others): SourcedObject[] {
  const objects = [
    ...cluster.namespaces.map((o) => withKind(o, 'v1', 'Namespace')),
    ...cluster.services.map((o) => withKind(o, 'v1', 'Service')),
    ...cluster.policies.map((o) => withKind(o, 'networking.k8s.io/v1', 'NetworkPolicy')),
    ...(cluster.extraPolicies ?? []).flatMap(asKubeObject),
  ];
  return objects.map((object, index) => ({ file: 'cluster', index, object }));
}

function sameObjects(a: Others, b: Others): boolean {
  const same = (x: readonly WireObject[], y: readonly WireObject[]) =>
    x === y || (x.length === y.length && x.every((o, i) => o === y[i]));
  return (
    same(a.namespaces, b.namespaces) &&
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
