// The operator's workloads, from the pod cache alone: it keeps no owner references (src/kube/compact-pod.ts),
// so the pods of one namespace are grouped by their labels without the ones controllers add per revision or
// per pod. The pods of one Deployment (across rollouts), StatefulSet, DaemonSet or Job then make one workload;
// two controllers whose pods carry the same labels make one too, which policy cannot tell apart either.
// Groups are worked out per namespace and kept while the namespace's pod list is the same object (the
// PodFinder hands out a new one only when that namespace's pods change), so a change re-reads one namespace.
import { describeSelector } from '../policy/label-selector.js';
import type { PodEndpoint } from '../policy/types.js';
import type { Workload, WorkloadSource } from './workload-coverage.js';

/**
 * Labels a controller sets on each pod it creates, naming the revision or the pod, not the workload:
 * Deployment `pod-template-hash` (kubernetes pkg/apis/apps, DefaultDeploymentUniqueLabelKey), StatefulSet and
 * DaemonSet `controller-revision-hash` (apps/v1 ControllerRevisionHashLabelKey), StatefulSet
 * `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`, Job `controller-uid`, `job-name`
 * and their `batch.kubernetes.io/` forms, and `batch.kubernetes.io/job-completion-index`.
 */
export const PER_POD_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** Finished pods (a completed Job's) are no longer workloads; a cached pod says so by its phase. */
function finished(pod: PodEndpoint): boolean {
  const phase = (pod as { phase?: unknown }).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

interface NamespaceGroups {
  workloads: Workload[];
  byPod: Map<PodEndpoint, Workload>;
}

export interface PodLists {
  namespaces(): Iterable<string>;
  podsIn(namespace: string): readonly PodEndpoint[];
}

export class PodWorkloads implements WorkloadSource {
  private readonly groups = new WeakMap<readonly PodEndpoint[], NamespaceGroups>();
  /** Label sets are shared (interned) by the pods of one ReplicaSet: their key is worked out once. */
  private readonly keys = new WeakMap<object, string>();

  constructor(private readonly pods: PodLists) {}

  list(): readonly Workload[] {
    return [...this.pods.namespaces()].flatMap((ns) => this.groupsOf(ns).workloads);
  }

  of(pod: PodEndpoint): Workload | undefined {
    return this.groupsOf(pod.namespace).byPod.get(pod);
  }

  private groupsOf(namespace: string): NamespaceGroups {
    const pods = this.pods.podsIn(namespace);
    let groups = this.groups.get(pods);
    if (groups === undefined) {
      groups = this.group(namespace, pods);
      this.groups.set(pods, groups);
    }
    return groups;
  }

  private group(namespace: string, pods: readonly PodEndpoint[]): NamespaceGroups {
    const byKey = new Map<string, { namespace: string; name: string; pods: PodEndpoint[] }>();
    const byPod = new Map<PodEndpoint, Workload>();
    for (const pod of pods) {
      if (finished(pod)) continue;
      const key = this.keyOf(pod.labels);
      let w = byKey.get(key);
      if (w === undefined) byKey.set(key, (w = { namespace, name: key, pods: [] }));
      w.pods.push(pod);
      byPod.set(pod, w);
    }
    return { workloads: [...byKey.values()], byPod };
  }

  private keyOf(labels: Record<string, string>): string {
    let key = this.keys.get(labels);
    if (key === undefined) {
      const kept = Object.entries(labels)
        .filter(([k]) => !PER_POD_LABELS.has(k))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      key = kept.length === 0 ? '{}' : `{${describeSelector({ matchLabels: Object.fromEntries(kept) })}}`;
      this.keys.set(labels, key);
    }
    return key;
  }
}
