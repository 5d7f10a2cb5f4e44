// Finds probe pods no run is waiting for (pure): pods of a run that is not in flight in this process —
// left behind by a crash, a restart or a lost leadership. Deleting them keeps a restart from leaking pods.
import type { PodObject } from '../kube/objects.js';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../plan/labels.js';

export function stalePods(pods: readonly PodObject[], inFlight: ReadonlySet<string>): PodObject[] {
  return pods.filter((pod) => {
    const labels = pod.metadata.labels ?? {};
    if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || pod.metadata.deletionTimestamp) return false;
    const runId = labels[RUN_ID_LABEL];
    return runId === undefined || !inFlight.has(runId);
  });
}
