// Finds leftover probe pods (pure), so that a crash never leaks pods:
// - the operator's own (a ConnectivityTest or a ClusterConnectivityTest controls them) of a run not in flight in this process: left
//   behind by a crash, a restart or a lost leadership;
// - `flowprobe run`'s (its temporary Deployment controls them; a ConfigMap in earlier releases) once past
//   the run's deadline, which the pod carries (run-expiry.ts): the CI job was killed before it could clean
//   up. A run still in its time is left alone. The run's owner is left to the next `flowprobe run`: reading
//   Deployments or ConfigMaps would give the operator every one of the cluster, for the sake of one.
import { CLUSTER_KIND, KIND } from '../api/types.js';
import { isCompactPod, type CachedPod } from '../kube/compact-pod.js';
import type { PodObject } from '../kube/objects.js';
import { isProbePod, RUN_ID_LABEL } from '../plan/labels.js';
import { runExpired } from '../plan/run-expiry.js';

export function stalePods(pods: readonly CachedPod[], inFlight: ReadonlySet<string>, now: Date): PodObject[] {
  // The cache keeps probe pods whole and every other pod compact (src/kube/trim.ts `cachedPod`).
  const whole = pods.filter((pod): pod is PodObject => !isCompactPod(pod));
  return whole.filter((pod) => {
    const labels = pod.metadata.labels ?? {};
    // Probe pods carry a run id, those of earlier releases too (which also set managed-by: flowprobe).
    if (!isProbePod(labels) || pod.metadata.deletionTimestamp) return false;
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (controller?.kind === KIND || controller?.kind === CLUSTER_KIND)
      return !inFlight.has(labels[RUN_ID_LABEL] ?? '');
    if (controller && isRunOwner(controller)) return runExpired(pod.metadata, now);
    return false;
  });
}

/** `flowprobe run`'s owner kinds: a Deployment, or a ConfigMap (releases before it). */
function isRunOwner(ref: { apiVersion: string; kind: string }): boolean {
  return (
    (ref.kind === 'Deployment' && ref.apiVersion === 'apps/v1') ||
    (ref.kind === 'ConfigMap' && ref.apiVersion === 'v1')
  );
}
