// The engine's input: narrow, normalized shapes of networking.k8s.io/v1 NetworkPolicy, pods and namespaces.
//
// Own types rather than kubernetes-models' interfaces: that package is a devDependency (the shipped
// code must not need it), its types mark every field optional, and the engine wants a pod and a
// workload's pod template to look alike. src/explain/ narrows raw manifests into these shapes.
import type { LabelSelector } from '../api/types.js';

export type { LabelSelector };

/** NetworkPolicyPort.protocol: TCP when absent (API reference). */
export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';
export type PolicyType = 'Ingress' | 'Egress';

export interface IPBlock {
  cidr: string;
  except?: string[];
}

/** One `from`/`to` entry. Within one peer the selectors are AND'ed; peers of a rule are OR'ed. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  protocol?: PolicyProtocol;
  /** A number, or the name of a container port of the destination pod. Absent: all ports. */
  port?: number | string;
  /** With a numeric `port`: the last port of the range, inclusive. */
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: PolicyType[];
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  spec: NetworkPolicySpec;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: PolicyProtocol;
}

/**
 * A pod, or a workload's pod template standing for its pods. `ip` is `status.podIP` where known; a
 * template has none. `name` is how reasons show it (e.g. `api-backend-6d9f` or `deployment/api-backend`).
 */
export interface PodEndpoint {
  kind: 'pod';
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  ip?: string;
  /**
   * A dual-stack pod's address of the other family (`status.podIPs[1]`: at most one address per family,
   * the first equal to `podIP`). Policy reads `ip`; ip-family.ts `inFamily` views a pod in one family.
   */
  secondIp?: string;
  hostNetwork?: boolean;
  /**
   * Whether it can serve as a Service endpoint: false for a pod that is not Ready or is terminating, and for
   * a workload scaled to zero; absent when unknown (a template, a pod without status). Policy ignores it.
   */
  serving?: boolean;
}

/** Anything outside the pod network: an IP (known address) or a host name (address not known). */
export interface ExternalEndpoint {
  kind: 'external';
  ip?: string;
  host?: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export interface FlowQuery {
  from: Endpoint;
  to: Endpoint;
  /** The port on the destination (a Service's targetPort already resolved). */
  port: number;
  protocol: PolicyProtocol;
}
