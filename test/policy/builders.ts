// Small builders for policy tests: pods, external endpoints, policies and a one-call prediction.
import {
  PolicyEngine,
  type FlowQuery,
  type NamespaceInfo,
  type NetworkPolicy,
  type NetworkPolicySpec,
  type PodEndpoint,
  type PolicyProtocol,
  type ContainerPort,
  type ExternalEndpoint,
} from '../../src/policy/index.js';

export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  extra: { ip?: string; hostNetwork?: boolean; ports?: ContainerPort[] } = {},
): PodEndpoint {
  return {
    kind: 'pod',
    namespace,
    name,
    labels,
    ports: extra.ports ?? [],
    ...(extra.ip === undefined ? {} : { ip: extra.ip }),
    ...(extra.hostNetwork === undefined ? {} : { hostNetwork: extra.hostNetwork }),
  };
}

export function external(ip?: string, host?: string): ExternalEndpoint {
  return { kind: 'external', ...(ip === undefined ? {} : { ip }), ...(host === undefined ? {} : { host }) };
}

export function np(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { namespace, name, spec };
}

export function ns(name: string, labels: Record<string, string> = {}): NamespaceInfo {
  return { name, labels };
}

export function flow(
  from: FlowQuery['from'],
  to: FlowQuery['to'],
  port: number,
  protocol: PolicyProtocol = 'TCP',
): FlowQuery {
  return { from, to, port, protocol };
}

export function predicted(policies: NetworkPolicy[], q: FlowQuery, namespaces: NamespaceInfo[] = []): string {
  return new PolicyEngine({ policies, namespaces }).predict(q).predicted;
}
