// Cluster-scoped policies of the Kubernetes network-policy-api, in one normalized shape that both API
// versions map into: policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (tiers Admin and Baseline)
// and v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy.
//
// Semantics read from kubernetes-sigs/network-policy-api at commit
// 0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159: apis/v1alpha2/clusternetworkpolicy_types.go,
// apis/v1alpha1/{adminnetworkpolicy,baselineadminnetworkpolicy,shared_types}_types.go and
// site-src/api-overview.md. v1alpha1's `Allow` is v1alpha2's `Accept` (same meaning: final allow for that
// direction), so the model has one word for it.
import type { LabelSelector, PolicyProtocol } from './types.js';

export type ClusterTier = 'Admin' | 'Baseline';
export type ClusterAction = 'Accept' | 'Deny' | 'Pass';
export type ClusterPolicyKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** NamespacedPod: pods matching podSelector in namespaces matching namespaceSelector ({} = all). */
export interface NamespacedPodSelector {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

/** Exactly one field set (the API's MinProperties/MaxProperties = 1). Host-network pods are never subjects. */
export interface ClusterSubject {
  namespaces?: LabelSelector;
  pods?: NamespacedPodSelector;
}

/**
 * One `from`/`to` entry; exactly one field is set. `networks` is egress only and matches pod IPs too (the
 * API: "cluster-internal traffic will be checked against the rule as well"); `nodes` and `domainNames` are
 * experimental, egress only, and flowprobe does not model them (a flow they may decide is Unknown).
 */
export interface ClusterPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPodSelector;
  networks?: string[];
  nodes?: LabelSelector;
  domainNames?: string[];
}

/**
 * One protocol/port match. v1alpha2: `protocols[].tcp|udp|sctp.destinationPort.{number|range}` or
 * `destinationNamedPort`; v1alpha1: `ports[].portNumber|portRange|namedPort`. A named port carries no
 * protocol: it is the destination pod's container port of that name, whatever its protocol. A protocol
 * without a port matches every port of it (api-overview.md: "If destinationPort is omitted, all ports
 * for the specified protocol match").
 */
export interface ClusterPort {
  protocol?: PolicyProtocol;
  port?: number;
  /** With `port`: the last port of the range, inclusive. */
  endPort?: number;
  namedPort?: string;
}

export interface ClusterRule {
  name?: string;
  action: ClusterAction;
  /** `from` (ingress) or `to` (egress): at least one. Peers are ORed. */
  peers: ClusterPeer[];
  /** Absent: every port and protocol. Entries are ORed. */
  ports?: ClusterPort[];
}

export interface ClusterPolicy {
  kind: ClusterPolicyKind;
  name: string;
  tier: ClusterTier;
  /** 0..1000, lower first. A BaselineAdminNetworkPolicy (a singleton) has none: 0 stands in. */
  priority: number;
  subject: ClusterSubject;
  /** In written order: the first matching rule of a policy wins. */
  ingress: ClusterRule[];
  egress: ClusterRule[];
}
