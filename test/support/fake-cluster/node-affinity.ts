// Whether a pod fits a FAKE node (pure), as kube-scheduler's NodeAffinity filter decides it
// (kubernetes pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go, and
// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity): `spec.nodeSelector` (every label
// must match) AND `requiredDuringSchedulingIgnoredDuringExecution` — its terms ORed, each term's
// `matchExpressions` (on node labels) and `matchFields` (only `metadata.name` exists) ANDed. An empty
// term list matches nothing. Gt/Lt are not modelled (no FAKE node has numeric labels): they never match.
import type { V1NodeSelectorRequirement, V1Pod } from '@kubernetes/client-node';

export interface NodeView {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** The labels kubelet puts on every node that placement may select on. */
export function nodeLabels(name: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
}

export function fitsNode(pod: V1Pod, node: NodeView): boolean {
  const selector = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => node.labels[k] === v)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  return required.nodeSelectorTerms.some(
    (term) =>
      (term.matchExpressions !== undefined || term.matchFields !== undefined) &&
      (term.matchExpressions ?? []).every((r) => holds(r, node.labels[r.key])) &&
      (term.matchFields ?? []).every((r) => r.key === 'metadata.name' && holds(r, node.name)),
  );
}

function holds(r: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/**
 * kube-scheduler's FitError text for pods no node fits because of node affinity (framework/types.go
 * `FitError.Error`: "0/%v nodes are available" + the reasons; nodeaffinity's ErrReasonPod; the
 * DefaultPreemption post-filter's own summary appended since 1.2x).
 */
export function unschedulableMessage(nodeCount: number): string {
  return (
    `0/${nodeCount} nodes are available: ${nodeCount} node(s) didn't match Pod's node affinity/selector. ` +
    `preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`
  );
}
