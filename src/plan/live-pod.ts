// A pod as the planner needs it, read from the operator's cache (or `flowprobe run`'s list).
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels.js';

export interface LivePod {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  phase?: string;
  podIP?: string;
  deleting: boolean;
  hostNetwork: boolean;
}

/** A pod whose labels may be borrowed, or which may be probed: running, not going away, not ours. */
export function isUsable(pod: LivePod): boolean {
  return pod.phase === 'Running' && !pod.deleting && pod.labels[MANAGED_BY_LABEL] !== MANAGED_BY;
}
