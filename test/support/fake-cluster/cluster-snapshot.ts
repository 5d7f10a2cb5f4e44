// What the FAKE CNI and resolver read: the cluster's pods, Services, namespaces and NetworkPolicies,
// listed fresh from the API server each time they recompute (watches only say *when* to recompute), so a
// pod that starts after a Service was created always sees that Service.
import type { V1Namespace, V1NetworkPolicy, V1Pod, V1Service } from '@kubernetes/client-node';
import { CoreV1Api, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';

export interface ClusterSnapshot {
  pods: V1Pod[];
  services: V1Service[];
  namespaces: V1Namespace[];
  policies: V1NetworkPolicy[];
}

export type SnapshotSource = () => Promise<ClusterSnapshot>;

export function snapshotSource(kc: KubeConfig): SnapshotSource {
  const core = kc.makeApiClient(CoreV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  return async () => {
    const [pods, services, namespaces, policies] = await Promise.all([
      core.listPodForAllNamespaces(),
      core.listServiceForAllNamespaces(),
      core.listNamespace(),
      networking.listNetworkPolicyForAllNamespaces(),
    ]);
    return {
      pods: pods.items,
      services: services.items,
      namespaces: namespaces.items,
      policies: policies.items,
    };
  };
}

export function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

export function isReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp !== undefined) return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
