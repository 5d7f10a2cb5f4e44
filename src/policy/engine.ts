// The NetworkPolicy evaluator: compile a cluster's policies and namespaces once, then predict flows.
//
// A flow is allowed iff the source's egress side AND the destination's ingress side both allow it
// (Kubernetes docs: "both the egress policy on the source pod and the ingress policy on the destination
// pod need to allow the connection"). A side that is not a pod network endpoint (an external address, a
// hostNetwork pod) is not subject to NetworkPolicy and allows everything; so for a destination outside
// the cluster only the source's egress counts.
import type { Prediction } from '../api/types.js';
import type { Cidr } from './cidr.js';
import { ClusterIndex } from './cluster-index.js';
import type { ClusterPolicy } from './cluster-types.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluateDirection, type DirectionResult, type FlowSide } from './direction.js';
import { EndpointClasses } from './endpoint-class.js';
import { IsolationIndex } from './isolation.js';
import type { Labels } from './label-selector.js';
import { directionReason } from './reasons.js';
import { evaluateTiers } from './tiers.js';
import { triAnd } from './tri.js';
import type {
  Endpoint,
  FlowQuery,
  NamespaceInfo,
  NetworkPolicy,
  PodEndpoint,
  PolicyProtocol,
  PolicyType,
} from './types.js';

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

export interface EngineOptions {
  /**
   * Reuse what one side of a flow comes to for every flow between endpoints of the same classes
   * (endpoint-class.ts). Default true; false evaluates every side afresh, which tests compare against.
   */
  memoize?: boolean;
  /** How many sides are kept for reuse before the caches start afresh (default MAX_KNOWN_SIDES). */
  maxKnownSides?: number;
}

/** A side as evaluated once for its classes; `np` is set when its tier reason quotes the NetworkPolicy's. */
interface KnownSide {
  result: DirectionResult;
  np?: DirectionResult;
}

/**
 * Stands in a shared tier reason for the NetworkPolicy reason, which names the pods of one flow. No
 * Kubernetes name or label holds a NUL.
 */
const NP_TEXT = '\0np\0';

const PROTOCOLS: readonly PolicyProtocol[] = ['TCP', 'UDP', 'SCTP'];
/** Sides kept for reuse (a few hundred bytes each) before the caches start afresh. */
export const MAX_KNOWN_SIDES = 200_000;

export class PolicyEngine {
  readonly policies: readonly CompiledPolicy[];
  private readonly isolation: IsolationIndex;
  /** The cluster-scoped policies, by tier and priority. */
  readonly cluster: ClusterIndex;
  private readonly nsLabels = new Map<string, Labels>();
  private classes: EndpointClasses | undefined;
  /** The CIDR bounds classes are made from (kept to start the caches afresh). */
  private readonly cidrs: Cidr[] = [];
  /** By subject class and direction, then the other end's class, then destination class, port, protocol. */
  private readonly known = new Map<number, Map<number, Map<number, KnownSide>>>();
  private knownCount = 0;
  private readonly maxKnownSides: number;

  /** Throws PolicyInputError on a policy the API server would reject (bad CIDR, unknown operator). */
  constructor(input: ClusterPolicies, options: EngineOptions = {}) {
    for (const ns of input.namespaces ?? []) {
      this.nsLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
    }
    this.policies = input.policies.map(compilePolicy);
    this.isolation = new IsolationIndex(this.policies);
    const memoize = options.memoize ?? true;
    this.maxKnownSides = options.maxKnownSides ?? MAX_KNOWN_SIDES;
    this.cluster = new ClusterIndex(input.clusterPolicies ?? [], this.namespaceLabels, memoize);
    if (memoize) {
      this.cidrs = [...ipBlockCidrs(this.policies), ...this.cluster.networks()];
      this.classes = new EndpointClasses(this.cidrs);
    }
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

  /**
   * One side of predict(), without its reason line: the source's egress or the destination's ingress. For
   * callers that need only decisions of many flows, reuse a side they know to be the same elsewhere, or
   * skip the other once this one denies (flowprobe diff's scan, src/diff/predict-path.ts).
   */
  decideSide(q: FlowQuery, direction: PolicyType): DirectionResult {
    const base = { dest: q.to, port: q.port, protocol: q.protocol, nsLabels: this.namespaceLabels };
    return direction === 'Egress'
      ? this.side(q.from, 'Egress', { ...base, other: q.to })
      : this.side(q.to, 'Ingress', { ...base, other: q.from });
  }

  private side(subject: Endpoint, direction: PolicyType, side: FlowSide): DirectionResult {
    if (subject.kind !== 'pod' || subject.hostNetwork === true) {
      const notApplicable = notSubjectToPolicy(subject, direction);
      return { direction, notApplicable, isolatedBy: [], decision: 'yes', admittedBy: [], undecided: [] };
    }
    if (this.classes === undefined || !portKey(side.port)) {
      return this.evaluate(subject, direction, side, npTextOf(subject, side));
    }
    // The operator keeps one engine while its policies stay the same, and pods of every rollout bring new
    // label sets (pod-template-hash): past a bound the caches start afresh instead of growing for ever.
    if (this.knownCount >= this.maxKnownSides) {
      this.known.clear();
      this.knownCount = 0;
      this.classes = new EndpointClasses(this.cidrs);
    }
    const known = this.knownSide(this.classes, subject, direction, side);
    const { result, np } = known;
    if (np === undefined || result.tiers === undefined) return result;
    const reason = result.tiers.reason.replaceAll(NP_TEXT, npTextOf(subject, side)(np));
    return { ...result, tiers: { ...result.tiers, reason } };
  }

  /** The side as evaluated for the classes of its endpoints, port and protocol: nested maps of numbers. */
  private knownSide(
    c: EndpointClasses,
    subject: PodEndpoint,
    direction: PolicyType,
    side: FlowSide,
  ): KnownSide {
    const bySubject = c.subjectId(subject) * 2 + (direction === 'Ingress' ? 1 : 0);
    const byPort = (c.destId(side.dest) * 65536 + side.port) * 4 + PROTOCOLS.indexOf(side.protocol);
    let byOther = this.known.get(bySubject);
    if (byOther === undefined)
      this.known.set(bySubject, (byOther = new Map<number, Map<number, KnownSide>>()));
    let byFlow = byOther.get(c.otherId(side.other));
    if (byFlow === undefined) byOther.set(c.otherId(side.other), (byFlow = new Map<number, KnownSide>()));
    let known = byFlow.get(byPort);
    if (known === undefined) {
      byFlow.set(byPort, (known = this.evaluateShared(subject, direction, side)));
      this.knownCount += 1;
    }
    return known;
  }

  /** A side for every flow between endpoints of its classes: the NetworkPolicy reason left as NP_TEXT. */
  private evaluateShared(subject: PodEndpoint, direction: PolicyType, side: FlowSide): KnownSide {
    let np: DirectionResult | undefined;
    const result = this.evaluate(subject, direction, side, (r) => {
      np = r;
      return NP_TEXT;
    });
    return np === undefined ? { result } : { result, np };
  }

  private evaluate(
    subject: PodEndpoint,
    direction: PolicyType,
    side: FlowSide,
    npText: (r: DirectionResult) => string,
  ): DirectionResult {
    const isolating = this.isolating(subject, direction);
    const networkPolicy = () => evaluateDirection([...isolating], direction, side);
    if (this.cluster.empty) return networkPolicy();
    const admin = this.cluster.selecting(subject, 'Admin', direction);
    const baseline = this.cluster.selecting(subject, 'Baseline', direction);
    if (admin.length === 0 && baseline.length === 0) return networkPolicy();
    const isolated = isolating.length > 0;
    return evaluateTiers({ direction, admin, baseline, side, isolated, networkPolicy, npText });
  }
}

/** Ports a cache key can hold (every valid one); anything else is evaluated afresh. */
function portKey(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

/** Every CIDR of an ipBlock, its excepts included. */
function ipBlockCidrs(policies: readonly CompiledPolicy[]): Cidr[] {
  const rules = policies.flatMap((p) => [...p.ingress, ...p.egress]);
  return rules.flatMap((r) =>
    (r.peers ?? []).flatMap((p) => (p.ipBlock === undefined ? [] : [p.ipBlock.cidr, ...p.ipBlock.except])),
  );
}

/** The NetworkPolicy reason line of a side as a tier reason quotes it: without its `egress: ` prefix. */
function npTextOf(subject: PodEndpoint, side: FlowSide): (r: DirectionResult) => string {
  return (r) => directionReason(r, subject, side.other).slice(r.direction.length + 2);
}

function notSubjectToPolicy(e: Endpoint, direction: PolicyType): string {
  const role = direction === 'Egress' ? 'source' : 'destination';
  return e.kind !== 'pod' ? `the ${role} is outside the cluster` : `the ${role} uses the host network`;
}
