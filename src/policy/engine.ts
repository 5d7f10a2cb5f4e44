// The NetworkPolicy evaluator: compile a cluster's policies and namespaces once, then predict flows.
//
// A flow is allowed iff the source's egress side AND the destination's ingress side both allow it
// (Kubernetes docs: "both the egress policy on the source pod and the ingress policy on the destination
// pod need to allow the connection"). A side that is not a pod network endpoint (an external address, a
// hostNetwork pod) is not subject to NetworkPolicy and allows everything; so for a destination outside
// the cluster only the source's egress counts.
import type { Prediction } from '../api/types.js';
import { ClusterIndex } from './cluster-index.js';
import type { ClusterPolicy } from './cluster-types.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluateDirection, type DirectionResult, type FlowSide } from './direction.js';
import { IsolationIndex } from './isolation.js';
import type { Labels } from './label-selector.js';
import { directionReason } from './reasons.js';
import { evaluateTiers } from './tiers.js';
import { triAnd } from './tri.js';
import type { Endpoint, FlowQuery, NamespaceInfo, NetworkPolicy, PolicyType } from './types.js';

/** Set by kube-apiserver on every namespace (docs, "Automatic labelling"); selectors may rely on it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface PolicyPrediction {
  predicted: Prediction;
  egress: DirectionResult;
  ingress: DirectionResult;
  /** One line per direction: who isolates it and which rule admits the flow, or that none does. */
  reasons: string[];
}

export interface ClusterPolicies {
  namespaces?: readonly NamespaceInfo[];
  policies: readonly NetworkPolicy[];
  /**
   * ClusterNetworkPolicy (Admin and Baseline tiers), AdminNetworkPolicy, BaselineAdminNetworkPolicy.
   * Without any, prediction is NetworkPolicy alone, exactly as before they existed.
   */
  clusterPolicies?: readonly ClusterPolicy[];
}

export class PolicyEngine {
  readonly policies: readonly CompiledPolicy[];
  private readonly isolation: IsolationIndex;
  /** The cluster-scoped policies, by tier and priority. */
  readonly cluster: ClusterIndex;
  private readonly nsLabels = new Map<string, Labels>();

  /** Throws PolicyInputError on a policy the API server would reject (bad CIDR, unknown operator). */
  constructor(input: ClusterPolicies) {
    for (const ns of input.namespaces ?? []) {
      this.nsLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
    }
    this.policies = input.policies.map(compilePolicy);
    this.isolation = new IsolationIndex(this.policies);
    this.cluster = new ClusterIndex(input.clusterPolicies ?? [], this.namespaceLabels);
  }

  /** A namespace's labels; one not given has only the label Kubernetes sets itself. */
  readonly namespaceLabels = (ns: string): Labels => {
    let labels = this.nsLabels.get(ns);
    if (labels === undefined) {
      labels = { [NAMESPACE_NAME_LABEL]: ns };
      this.nsLabels.set(ns, labels);
    }
    return labels;
  };

  /** The policies that isolate `endpoint` in `direction` (none for non-pods and hostNetwork pods). */
  isolating(endpoint: Endpoint, direction: PolicyType): readonly CompiledPolicy[] {
    if (endpoint.kind !== 'pod' || endpoint.hostNetwork === true) return [];
    return this.isolation.isolating(endpoint, direction);
  }

  policiesIn(namespace: string): readonly CompiledPolicy[] {
    return this.isolation.policiesIn(namespace);
  }

  predict(q: FlowQuery): PolicyPrediction {
    const base = { dest: q.to, port: q.port, protocol: q.protocol, nsLabels: this.namespaceLabels };
    const egress = this.side(q.from, 'Egress', { ...base, other: q.to });
    const ingress = this.side(q.to, 'Ingress', { ...base, other: q.from });
    const both = triAnd(egress.decision, ingress.decision);
    return {
      predicted: both === 'yes' ? 'Allowed' : both === 'no' ? 'Denied' : 'Unknown',
      egress,
      ingress,
      reasons: [
        egress.tiers?.reason ?? directionReason(egress, q.from, q.to),
        ingress.tiers?.reason ?? directionReason(ingress, q.to, q.from),
      ],
    };
  }

  private side(subject: Endpoint, direction: PolicyType, side: FlowSide): DirectionResult {
    const notApplicable = notSubjectToPolicy(subject, direction);
    if (notApplicable !== undefined) {
      return { direction, notApplicable, isolatedBy: [], decision: 'yes', admittedBy: [], undecided: [] };
    }
    const isolating = this.isolating(subject, direction);
    const networkPolicy = () => evaluateDirection([...isolating], direction, side);
    if (this.cluster.empty || subject.kind !== 'pod') return networkPolicy();
    const admin = this.cluster.selecting(subject, 'Admin', direction);
    const baseline = this.cluster.selecting(subject, 'Baseline', direction);
    if (admin.length === 0 && baseline.length === 0) return networkPolicy();
    const prefix = `${direction.toLowerCase()}: `;
    return evaluateTiers({
      direction,
      admin,
      baseline,
      side,
      isolated: isolating.length > 0,
      networkPolicy,
      npText: (r) => directionReason(r, subject, side.other).slice(prefix.length),
    });
  }
}

function notSubjectToPolicy(e: Endpoint, direction: PolicyType): string | undefined {
  const role = direction === 'Egress' ? 'source' : 'destination';
  if (e.kind !== 'pod') return `the ${role} is outside the cluster`;
  if (e.hostNetwork === true) return `the ${role} uses the host network`;
  return undefined;
}
