// A cached pod (compact or a probe pod as trim.ts keeps it) as the planner reads it.
import { isCompactPod, toleratesNoSchedule, type CachedPod } from '../kube/compact-pod.js';
import type { LivePod } from '../plan/live-pod.js';
import { secondPodIp } from '../policy/ip-family.js';

export function toLivePod(pod: CachedPod): LivePod {
  if (isCompactPod(pod)) {
    return {
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ...(pod.serviceAccountName ? { serviceAccountName: pod.serviceAccountName } : {}),
      ...(pod.phase ? { phase: pod.phase } : {}),
      ...(pod.ip ? { podIP: pod.ip } : {}),
      ...(pod.secondIp ? { secondIp: pod.secondIp } : {}),
      deleting: pod.deleting,
      hostNetwork: pod.hostNetwork === true,
      ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
      ...(pod.toleratesNoSchedule ? { toleratesNoSchedule: true } : {}),
    };
  }
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    labels: pod.metadata.labels ?? {},
    ...(pod.spec?.serviceAccountName ? { serviceAccountName: pod.spec.serviceAccountName } : {}),
    ...(pod.status?.phase ? { phase: pod.status.phase } : {}),
    ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}),
    ...(secondPodIp(pod.status) ? { secondIp: secondPodIp(pod.status) } : {}),
    deleting: Boolean(pod.metadata.deletionTimestamp),
    hostNetwork: pod.spec?.hostNetwork === true,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(toleratesNoSchedule(pod.spec?.tolerations) ? { toleratesNoSchedule: true } : {}),
  };
}
