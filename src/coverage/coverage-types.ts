// The coverage report's shape: a contract like explain's JSON (`flowprobe explain --coverage -o json` prints
// it as `coverage`), kept free of engine types so that a renderer (HTML, a dashboard exporter) can read it
// without importing the policy engine.
import type { ClusterAction, ClusterPolicyKind, ClusterTier } from '../policy/cluster-types.js';

/** How many of the items at least one declared flow exercises. */
export interface CoverageCount {
  exercised: number;
  total: number;
}

export interface CoverageSummary {
  /** NetworkPolicy rules and cluster-scoped (Admin/Baseline tier) rules. */
  rules: CoverageCount;
  /** The peers (`from`/`to` entries) of NetworkPolicy rules; a rule without any counts as one "any peer". */
  peers: CoverageCount;
  /** Each direction a NetworkPolicy isolates: exercised when a declared flow is denied there. */
  isolations: CoverageCount;
  workloads: {
    total: number;
    /** Workloads some NetworkPolicy isolates for ingress (resp. egress). */
    isolatedIngress: number;
    isolatedEgress: number;
    /** Workloads that a declared flow reaches as its source or one of its targets. */
    tested: number;
  };
}

/** One `from`/`to` entry of a NetworkPolicy rule. */
export interface PeerCoverage {
  /** The index in the rule's `from`/`to`; null for a rule without any (every peer). */
  peer: number | null;
  /** e.g. `namespaceSelector {team=a} podSelector {app=web}`, `ipBlock 0.0.0.0/0 except 10.0.0.0/8`. */
  description: string;
  exercised: boolean;
}

export type CoveragePolicyKind = 'NetworkPolicy' | ClusterPolicyKind;

/** One ingress or egress rule of a NetworkPolicy or of a cluster-scoped policy. */
export interface RuleCoverage {
  kind: CoveragePolicyKind;
  /** The policy's namespace; null for a cluster-scoped policy. */
  namespace: string | null;
  policy: string;
  /** Set for cluster-scoped policies: the tier the rule acts in. */
  tier?: ClusterTier;
  direction: 'ingress' | 'egress';
  /** The rule's index in the policy's ingress/egress list. */
  rule: number;
  /** A cluster-scoped rule's name, where it has one. */
  name?: string;
  /** A cluster-scoped rule's action (NetworkPolicy rules only allow). */
  action?: ClusterAction;
  /** The rule's ports as written, e.g. `TCP 8080, UDP 53`; `any port` when it has none. */
  ports: string;
  exercised: boolean;
  /** NetworkPolicy rules: each peer. Cluster-scoped rules are covered as a whole: empty. */
  peers: PeerCoverage[];
  /** The declared flows (`namespace/test/flow`) that exercise it, in the order explained. */
  exercisedBy: string[];
}

/** A direction a NetworkPolicy isolates: what it denies when no rule admits a flow. */
export interface IsolationCoverage {
  namespace: string;
  policy: string;
  direction: 'ingress' | 'egress';
  exercised: boolean;
  /** The declared flows it denies (with the other policies isolating the same pods). */
  exercisedBy: string[];
}

export interface WorkloadCoverage {
  namespace: string;
  /** As explain names it: `deployment/api`, a bare pod's name; the operator names pods by their labels. */
  name: string;
  /** Whether some NetworkPolicy isolates it in each direction. */
  isolated: { ingress: boolean; egress: boolean };
  /** One sentence per open direction: who could reach it, or what it could reach. Empty when isolated. */
  exposure: string[];
  /** The declared flows (`namespace/test/flow`) that reach it as source or target. Empty: untested. */
  testedBy: string[];
}

export interface CoverageReport {
  summary: CoverageSummary;
  rules: RuleCoverage[];
  isolations: IsolationCoverage[];
  workloads: WorkloadCoverage[];
}

/** A namespace's figures, as the operator's metrics export them (cluster-scoped rules under ''). */
export interface NamespaceCoverage {
  namespace: string;
  rules: number;
  rulesExercised: number;
  workloads: number;
  isolatedIngress: number;
  isolatedEgress: number;
  tested: number;
}
