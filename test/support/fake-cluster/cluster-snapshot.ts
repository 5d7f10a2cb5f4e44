// What the FAKE CNI and resolver read: the cluster's pods, Services, namespaces, NetworkPolicies and, where
// their CRDs serve them, ClusterNetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicies,
// listed fresh from the API server each time they recompute (watches only say *when* to recompute), so a
// pod that starts after a Service was created always sees that Service.
import type { V1Namespace, V1NetworkPolicy, V1Pod, V1Service } from '@kubernetes/client-node';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';

/** The cluster-scoped policy kinds the FAKE CNI enforces (network-policy-api), as the API serves them. */
export const CLUSTER_POLICY_RESOURCES = [
  { group: 'policy.networking.k8s.io', version: 'v1alpha2', plural: 'clusternetworkpolicies' },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'adminnetworkpolicies' },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'baselineadminnetworkpolicies' },
] as const;

/** A custom resource as the API returns it (wire JSON: apiVersion, kind, metadata, spec). */
export interface WireCustomObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: unknown;
}

export interface ClusterSnapshot {
  pods: V1Pod[];
  services: V1Service[];
  namespaces: V1Namespace[];
  policies: V1NetworkPolicy[];
  /** Of CLUSTER_POLICY_RESOURCES, those served (a kind whose CRD is absent answers 404: none). */
  clusterPolicies: WireCustomObject[];
}

export type SnapshotSource = () => Promise<ClusterSnapshot>;

export function snapshotSource(kc: KubeConfig): SnapshotSource {
  const core = kc.makeApiClient(CoreV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const clusterPolicies = async (): Promise<WireCustomObject[]> => {
    const lists = await Promise.all(
      CLUSTER_POLICY_RESOURCES.map((r) =>
        (custom.listClusterCustomObject(r) as Promise<{ items: WireCustomObject[] }>).catch(
          (err: unknown) => {
            if (err instanceof ApiException && err.code === 404) return { items: [] };
            throw err;
          },
        ),
      ),
    );
    return lists.flatMap((l) => l.items);
  };
  return async () => {
    const [pods, services, namespaces, policies, cluster] = await Promise.all([
      core.listPodForAllNamespaces(),
      core.listServiceForAllNamespaces(),
      core.listNamespace(),
      networking.listNetworkPolicyForAllNamespaces(),
      clusterPolicies(),
    ]);
    return {
      pods: pods.items,
      services: services.items,
      namespaces: namespaces.items,
      policies: policies.items,
      clusterPolicies: cluster,
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
