// Finds probe pods no run is waiting for (pure): pods of a run that is not in flight in this process —
// left behind by a crash, a restart or a lost leadership. Deleting them keeps a restart from leaking pods.
// Only the operator's own probe pods qualify, those a ConnectivityTest controls: `flowprobe run` in CI
// creates probe pods too (controlled by its temporary ConfigMap), and an operator must not reap those.
import { KIND } from '../api/types.js';
import type { PodObject } from '../kube/objects.js';
import { isProbePod, RUN_ID_LABEL } from '../plan/labels.js';

export function stalePods(pods: readonly PodObject[], inFlight: ReadonlySet<string>): PodObject[] {
  return pods.filter((pod) => {
    const labels = pod.metadata.labels ?? {};
    // Probe pods carry a run id, those of earlier releases too (which also set managed-by: flowprobe).
    if (!isProbePod(labels) || pod.metadata.deletionTimestamp) return false;
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (controller?.kind !== KIND) return false;
    return !inFlight.has(labels[RUN_ID_LABEL] ?? '');
  });
}
