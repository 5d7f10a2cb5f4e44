// CNI-specific policy objects that flowprobe detects but does not evaluate (DESIGN.md, "Policy model"):
// Cilium, Calico and Antrea policies. Their rules are not modelled; only whether an object MAY select a
// flow's source (for egress) or destination (for ingress) is decided, so that such a flow's prediction
// becomes an honest Unknown naming the object instead of a NetworkPolicy-only answer.
//
// These are narrow, normalized shapes; src/explain/read-out-of-model.ts reads raw manifests into them.
import type { LabelSelector } from '../types.js';

/** Where an object came from, as reasons and findings name it. */
export interface OutOfModelRef {
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

/** One Cilium rule (`spec`, or one entry of `specs`): exactly one of the two selectors is set. */
export interface CiliumRule {
  endpointSelector?: LabelSelector;
  /** CiliumClusterwideNetworkPolicy only: selects nodes (host firewall), never pod-network pods. */
  nodeSelector?: LabelSelector;
  /** How many rules of each section the rule has; "omitted or empty" means the section does not apply. */
  ingress: number;
  ingressDeny: number;
  egress: number;
  egressDeny: number;
  /** spec.enableDefaultDeny, where set explicitly. */
  defaultDeny: { ingress?: boolean; egress?: boolean };
}

export interface CiliumPolicy extends OutOfModelRef {
  project: 'Cilium';
  rules: CiliumRule[];
}

export interface CalicoPolicy extends OutOfModelRef {
  project: 'Calico';
  /** Calico's selector expression; empty means all(). */
  selector: string;
  /** GlobalNetworkPolicy only; empty or absent means every namespace (and non-namespaced endpoints). */
  namespaceSelector?: string;
  serviceAccountSelector?: string;
  /** The effective types (Calico's defaulting already applied by the reader: see calico.ts). */
  types: ('Ingress' | 'Egress')[];
  /** applyOnForward (required by preDNAT and doNotTrack): applies to traffic forwarded through hosts. */
  applyOnForward: boolean;
}

/** An Antrea appliedTo entry; each field is one way to select, and the API allows few combinations. */
export interface AntreaAppliedTo {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  externalEntitySelector?: LabelSelector;
  group?: string;
  serviceAccount?: { namespace?: string; name: string };
  service?: { namespace?: string; name: string };
  nodeSelector?: LabelSelector;
}

export interface AntreaRule {
  /** Rule-level appliedTo; the API sets it on every rule or on none (then the spec's applies). */
  appliedTo?: AntreaAppliedTo[];
}

export interface AntreaPolicy extends OutOfModelRef {
  project: 'Antrea';
  appliedTo?: AntreaAppliedTo[];
  ingress: AntreaRule[];
  egress: AntreaRule[];
}

export type OutOfModelPolicy = CiliumPolicy | CalicoPolicy | AntreaPolicy;

/**
 * Whether an object may select one side of a flow: 'yes' it selects it, 'unknown' it may (a selector
 * reads something flowprobe cannot know), 'no' it cannot. `why` explains an 'unknown'.
 */
export interface Selection {
  tri: 'yes' | 'no' | 'unknown';
  why?: string;
}

/** An object that may decide one side of a flow. */
export interface OutOfModelHit {
  policy: OutOfModelPolicy;
  side: 'source' | 'destination';
  direction: 'egress' | 'ingress';
  selection: Selection;
}
