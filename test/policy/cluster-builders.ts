// Builders for cluster-scoped policies in engine tests: ClusterNetworkPolicy (cnp), AdminNetworkPolicy
// (anp), BaselineAdminNetworkPolicy (banp), their rules and peers, and a one-call prediction.
import {
  PolicyEngine,
  type ClusterAction,
  type ClusterPeer,
  type ClusterPolicy,
  type ClusterPort,
  type ClusterRule,
  type ClusterSubject,
  type ClusterTier,
  type FlowQuery,
  type LabelSelector,
  type NamespaceInfo,
  type NetworkPolicy,
  type PolicyPrediction,
} from '../../src/policy/index.js';

export interface Rules {
  ingress?: ClusterRule[];
  egress?: ClusterRule[];
}

export function cnp(
  name: string,
  tier: ClusterTier,
  priority: number,
  subject: ClusterSubject,
  rules: Rules,
): ClusterPolicy {
  return {
    kind: 'ClusterNetworkPolicy',
    name,
    tier,
    priority,
    subject,
    ingress: rules.ingress ?? [],
    egress: rules.egress ?? [],
  };
}

export function anp(name: string, priority: number, subject: ClusterSubject, rules: Rules): ClusterPolicy {
  return { ...cnp(name, 'Admin', priority, subject, rules), kind: 'AdminNetworkPolicy' };
}

export function banp(subject: ClusterSubject, rules: Rules): ClusterPolicy {
  return { ...cnp('default', 'Baseline', 0, subject, rules), kind: 'BaselineAdminNetworkPolicy' };
}

export function rule(
  action: ClusterAction,
  peers: ClusterPeer[],
  ports?: ClusterPort[],
  name?: string,
): ClusterRule {
  return {
    action,
    peers,
    ...(ports === undefined ? {} : { ports }),
    ...(name === undefined ? {} : { name }),
  };
}

export const everyNamespace: ClusterSubject = { namespaces: {} };
export const allPods: ClusterPeer = { namespaces: {} };

export function inNamespaces(matchLabels: Record<string, string>): ClusterSubject & ClusterPeer {
  return { namespaces: { matchLabels } };
}

export function pods(
  namespaceSelector: LabelSelector,
  podSelector: LabelSelector,
): ClusterSubject & ClusterPeer {
  return { pods: { namespaceSelector, podSelector } };
}

export function networks(...cidrs: string[]): ClusterPeer {
  return { networks: cidrs };
}

export function predictWith(
  clusterPolicies: ClusterPolicy[],
  q: FlowQuery,
  policies: NetworkPolicy[] = [],
  namespaces: NamespaceInfo[] = [],
): PolicyPrediction {
  return new PolicyEngine({ policies, namespaces, clusterPolicies }).predict(q);
}
