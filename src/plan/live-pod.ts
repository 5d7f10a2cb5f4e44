// A pod as the planner needs it, read from the operator's cache (or `flowprobe run`'s list).
import { isProbePod } from './labels.js';

export interface LivePod {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The pod's service account; policies of some CNIs and meshes select by it. */
  serviceAccountName?: string;
  phase?: string;
  podIP?: string;
  /** A dual-stack pod's address of the other family (status.podIPs[1]). */
  secondIp?: string;
  deleting: boolean;
  hostNetwork: boolean;
  /** spec.nodeName: the node the pod runs on. */
  nodeName?: string;
  /** Tolerates a NoSchedule taint: it may run where an ordinary pod (a probe) cannot be scheduled. */
  toleratesNoSchedule?: boolean;
}

/** A pod whose labels may be borrowed, or which may be probed: running, not going away, not ours. */
export function isUsable(pod: Pick<LivePod, 'phase' | 'deleting' | 'labels'>): boolean {
  return pod.phase === 'Running' && !pod.deleting && !isProbePod(pod.labels);
}
