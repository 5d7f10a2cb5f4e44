// The policy kinds beyond networking.k8s.io/v1 NetworkPolicy that decide flows where a cluster has them
// (DESIGN.md, "Policy model"), and which of them to cache given what the API server serves (pure). None is
// built in: each exists only where a CRD (or an aggregated API server) serves it, so the operator watches a
// kind only once discovery lists it (discovery.ts), and never asks for one that is absent.
//
// - policy.networking.k8s.io (kubernetes-sigs/network-policy-api): v1alpha2 ClusterNetworkPolicy (v0.2.0,
//   config/crd/standard), v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy (v0.1.7, still shipped
//   by OVN-Kubernetes and OpenShift).
// - cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy.
// - Calico: projectcalico.org/v3 (its aggregated API server, or native v3 CRDs since 3.30) and
//   crd.projectcalico.org/v1 (the CRDs that API server stores them in), NetworkPolicy, GlobalNetworkPolicy
//   and the staged kinds (reported, not enforced).
// - crd.antrea.io/v1beta1 ClusterNetworkPolicy and NetworkPolicy.

export interface PolicyKind {
  group: string;
  version: string;
  /** The resource's plural name, as discovery lists it and RBAC grants it. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

const NPA = 'policy.networking.k8s.io';
const CALICO_V3 = 'projectcalico.org';
const CALICO_CRD = 'crd.projectcalico.org';

const calico = (group: string, version: string): PolicyKind[] => [
  { group, version, plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { group, version, plural: 'globalnetworkpolicies', kind: 'GlobalNetworkPolicy', namespaced: false },
  { group, version, plural: 'stagednetworkpolicies', kind: 'StagedNetworkPolicy', namespaced: true },
  {
    group,
    version,
    plural: 'stagedglobalnetworkpolicies',
    kind: 'StagedGlobalNetworkPolicy',
    namespaced: false,
  },
  {
    group,
    version,
    plural: 'stagedkubernetesnetworkpolicies',
    kind: 'StagedKubernetesNetworkPolicy',
    namespaced: true,
  },
];

export const POLICY_KINDS: readonly PolicyKind[] = [
  {
    group: NPA,
    version: 'v1alpha2',
    plural: 'clusternetworkpolicies',
    kind: 'ClusterNetworkPolicy',
    namespaced: false,
  },
  {
    group: NPA,
    version: 'v1alpha1',
    plural: 'adminnetworkpolicies',
    kind: 'AdminNetworkPolicy',
    namespaced: false,
  },
  {
    group: NPA,
    version: 'v1alpha1',
    plural: 'baselineadminnetworkpolicies',
    kind: 'BaselineAdminNetworkPolicy',
    namespaced: false,
  },
  {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumnetworkpolicies',
    kind: 'CiliumNetworkPolicy',
    namespaced: true,
  },
  {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumclusterwidenetworkpolicies',
    kind: 'CiliumClusterwideNetworkPolicy',
    namespaced: false,
  },
  ...calico(CALICO_V3, 'v3'),
  ...calico(CALICO_CRD, 'v1'),
  {
    group: 'crd.antrea.io',
    version: 'v1beta1',
    plural: 'clusternetworkpolicies',
    kind: 'ClusterNetworkPolicy',
    namespaced: false,
  },
  {
    group: 'crd.antrea.io',
    version: 'v1beta1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
];

/** The groups whose CRDs may serve a policy kind: a CRD of another group never changes what is served. */
export const POLICY_GROUPS: ReadonlySet<string> = new Set(POLICY_KINDS.map((k) => k.group));

/** `group/version/plural`: one served resource. */
export function resourceId(k: Pick<PolicyKind, 'group' | 'version' | 'plural'>): string {
  return `${k.group}/${k.version}/${k.plural}`;
}

export function apiVersionOf(k: PolicyKind): string {
  return `${k.group}/${k.version}`;
}

/** The group versions discovery must read to find the policy kinds, in table order, each once. */
export function policyGroupVersions(): string[] {
  return [...new Set(POLICY_KINDS.map(apiVersionOf))];
}

/**
 * The kinds to cache, given the resources discovery found served (ids as `resourceId` makes them, of
 * resources that can be listed and watched). Where projectcalico.org/v3 serves a kind, its
 * crd.projectcalico.org/v1 twin is left out: Calico's aggregated API server stores every v3 object in those
 * v1 CRDs (docs.tigera.io/calico/latest/operations/native-v3-crds: "storing resources internally as
 * crd.projectcalico.org/v1 CRDs"), and after a migration to native v3 CRDs the v1 copies are stale; either
 * way the same policy would be read twice.
 */
export function kindsToCache(served: ReadonlySet<string>): PolicyKind[] {
  return POLICY_KINDS.filter((k) => {
    if (!served.has(resourceId(k))) return false;
    if (k.group !== CALICO_CRD) return true;
    return !served.has(resourceId({ group: CALICO_V3, version: 'v3', plural: k.plural }));
  });
}
