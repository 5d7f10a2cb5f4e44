// Where a flow's probe pod runs relative to its target (pure): SameNode, OtherNode, EachNode (README,
// "Node placement"). A placement becomes required node affinity on the probe pod, never a nodeName: the
// scheduler still checks taints, resources and the node's readiness, and says so when it cannot place it.
import { createHash } from 'node:crypto';
import { MAX_PLACEMENT_NODES } from '../api/spec-schema.js';
import type { Placement } from '../api/types.js';
import { isUsable, type LivePod } from './live-pod.js';

/** The nodes a probe pod may (In) or may not (NotIn) be scheduled to. */
export interface NodePin {
  operator: 'In' | 'NotIn';
  nodes: readonly string[];
}

/** One probe pod's place for a flow: EachNode has one per node, the others one. */
export interface PlacementSlot {
  placement: Placement;
  pin: NodePin;
  /** EachNode: the node this slot probes from. */
  node?: string;
  /** EachNode: how many nodes there were, when more than the cap (the slots are a sample). */
  sampledFrom?: number;
}

export type PlacementPlan = { slots: PlacementSlot[] } | { reason: string };

/**
 * Required node affinity on `metadata.name`, as the DaemonSet controller pins its pods to a node
 * (kubernetes pkg/controller/daemon/util/daemonset_util.go, ReplaceDaemonSetPodNodeNameNodeAffinity):
 * `matchFields` reads the Node object's name, which no label can fake. kube-apiserver allows exactly one
 * value per node field requirement (pkg/apis/core/validation/validation.go,
 * ValidateNodeFieldSelectorRequirement), so In is one term per node (terms are ORed) and NotIn one term
 * with a requirement per node (a term's requirements are ANDed).
 */
export function nodeAffinity(pin: NodePin): Record<string, unknown> {
  const requirement = (node: string) => ({ key: 'metadata.name', operator: pin.operator, values: [node] });
  const nodeSelectorTerms =
    pin.operator === 'In'
      ? pin.nodes.map((node) => ({ matchFields: [requirement(node)] }))
      : [{ matchFields: pin.nodes.map(requirement) }];
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}

/**
 * The nodes a probe can be scheduled to, as far as the pods tell: those running an ordinary pod (no
 * toleration for a NoSchedule taint, not host-networked, not ours). A control-plane node that runs only
 * system pods is left out, as is a node that runs only DaemonSets (README, "Node placement").
 */
export function schedulableNodes(pods: Iterable<NodeCandidate>): string[] {
  const nodes = new Set<string>();
  for (const p of pods) {
    if (p.nodeName && isUsable(p) && p.hostNetwork !== true && p.toleratesNoSchedule !== true)
      nodes.add(p.nodeName);
  }
  return [...nodes].sort();
}

/** What schedulableNodes reads of a pod: a LivePod, or a cached compact pod as it is (no copy). */
export type NodeCandidate = Pick<
  LivePod,
  'labels' | 'phase' | 'deleting' | 'nodeName' | 'toleratesNoSchedule'
> & {
  hostNetwork?: boolean;
};

/**
 * At most `cap` nodes, chosen by a hash of each name: the same nodes every run (so results compare), and
 * spread over the cluster rather than the first names in order (which often share a pool or zone prefix).
 */
export function sampleNodes(nodes: readonly string[], cap = MAX_PLACEMENT_NODES): string[] {
  if (nodes.length <= cap) return [...nodes].sort();
  const rank = (n: string) => createHash('sha256').update(n).digest('hex');
  return [...nodes]
    .sort((a, b) => rank(a).localeCompare(rank(b)))
    .slice(0, cap)
    .sort();
}

/**
 * The slots of one flow. `targetNodes` are the nodes of the target's pods (the pod probed, or a Service's
 * endpoints); `clusterNodes` those schedulableNodes found. A flow that cannot be placed says why.
 */
export function planPlacement(
  placement: Placement,
  targetNodes: readonly string[] | { reason: string },
  clusterNodes: readonly string[],
): PlacementPlan {
  if (placement === 'EachNode') {
    if (clusterNodes.length === 0) return { reason: 'no node runs a pod flowprobe can see yet' };
    const sample = sampleNodes(clusterNodes);
    const sampledFrom = sample.length < clusterNodes.length ? { sampledFrom: clusterNodes.length } : {};
    return {
      slots: sample.map((node) => ({
        placement,
        node,
        pin: { operator: 'In', nodes: [node] },
        ...sampledFrom,
      })),
    };
  }
  if ('reason' in targetNodes) return targetNodes;
  if (targetNodes.length === 0) return { reason: "the target's pods are not scheduled to a node yet" };
  const nodes = [...new Set(targetNodes)].sort();
  return { slots: [{ placement, pin: { operator: placement === 'SameNode' ? 'In' : 'NotIn', nodes } }] };
}

/** A stable text for grouping probes that share a pin (one probe pod per identity and pin). */
export function pinKey(pin: NodePin | undefined): string {
  return pin ? `${pin.operator}:${pin.nodes.join(',')}` : '';
}
