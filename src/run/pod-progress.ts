// Where a probe pod stands, read from its status (pure). A pod that will never run its command (an image
// that cannot be pulled, a broken container config) is `stuck` at once, so a run reports it as an Error
// with the kubelet's reason instead of waiting for the deadline.
import type { PodObject } from '../kube/objects.js';
import { PLACEMENT_ANNOTATION } from '../plan/labels.js';

export type PodProgress =
  | { state: 'pending'; reason?: string; message?: string }
  | { state: 'running' }
  | { state: 'done'; phase: 'Succeeded' | 'Failed'; reason?: string; message?: string }
  | { state: 'stuck'; reason: string; message: string };

/** Waiting reasons that do not resolve by themselves within a probe's lifetime. */
const STUCK_REASONS = new Set([
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

export function podProgress(pod: PodObject): PodProgress {
  const status = pod.status ?? {};
  if (status.phase === 'Succeeded' || status.phase === 'Failed') {
    return { state: 'done', phase: status.phase, ...why(status.reason, status.message) };
  }
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && STUCK_REASONS.has(waiting.reason)) {
      return { state: 'stuck', reason: waiting.reason, message: waiting.message ?? waiting.reason };
    }
  }
  if (status.phase === 'Running') return { state: 'running' };
  const unscheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  // A placed probe pod the scheduler cannot place is pinned by its own affinity (one node only, a target's
  // node that is full or tainted): waiting for the deadline would only hide that. Other Unschedulable pods
  // may yet fit (an autoscaler adds a node), so they keep waiting up to the start allowance.
  if (unscheduled?.reason === 'Unschedulable' && pod.metadata.annotations?.[PLACEMENT_ANNOTATION]) {
    return { state: 'stuck', reason: 'Unschedulable', message: unscheduled.message ?? 'Unschedulable' };
  }
  const waiting = status.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  return {
    state: 'pending',
    ...why(unscheduled?.reason ?? waiting?.reason, unscheduled?.message ?? waiting?.message),
  };
}

function why(reason: string | undefined, message: string | undefined): { reason?: string; message?: string } {
  return { ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}
