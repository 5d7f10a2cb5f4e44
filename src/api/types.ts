// The ConnectivityTest resource as TypeScript sees it. The field names of a flow and of status.results[]
// are a public contract (dashboards, CI scripts, `kubectl get -o jsonpath` read them): rename nothing here
// without a new API version.

export const GROUP = 'flowprobe.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'ConnectivityTest';
export const PLURAL = 'connectivitytests';
/** Label keys flowprobe marks its probe pods with; an identity (`from.labels`) may not set them. */
export const RESERVED_LABEL_PREFIX = `${GROUP}/`;

export type Protocol = 'TCP' | 'UDP';
export type Expectation = 'Allowed' | 'Denied';
/**
 * What a TCP reset (outcome `Refused`) proves. `Allowed` (the default): the packet reached the host and
 * nothing listened, so the path is open. `Denied`: the cluster's enforcer answers a denied connection with
 * a reset instead of dropping it (e.g. a policy engine's "reject" action), so a reset counts as denied.
 */
export type RefusedMeaning = 'Allowed' | 'Denied';

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Who the probe pretends to be. Always in the test's own namespace (the security model). */
export interface FlowSource {
  /** Copy the labels of a running pod that matches. */
  podSelector?: LabelSelector;
  /** Or use this explicit label set. */
  labels?: Record<string, string>;
  /**
   * With `labels`: the service account the probe runs as (without a token); default `default`. With a
   * podSelector the probe runs as the matched pod's service account.
   */
  serviceAccountName?: string;
}

/** Exactly one kind of target. */
export interface FlowTarget {
  podSelector?: LabelSelector;
  /** Namespace of a podSelector or service target; default: the test's namespace. */
  namespace?: string;
  service?: string;
  host?: string;
  ip?: string;
}

export interface HttpCheck {
  /** Request path, starting with `/`; default `/`. Any response status counts as Connected. */
  path?: string;
}

export interface Flow {
  name: string;
  from: FlowSource;
  to: FlowTarget;
  port: number;
  protocol?: Protocol;
  http?: HttpCheck;
  expect: Expectation;
  /** Overrides spec.timeoutSeconds for this flow. */
  timeoutSeconds?: number;
  /** Probe only this family of a dual-stack target; absent: each family the target has. */
  ipFamily?: IpFamily;
}

export type IpFamily = 'IPv4' | 'IPv6';

export interface ConnectivityTestSpec {
  /** Always 0 (defaulted): the scale the disruption controller reads for probe pods (scale.ts). */
  replicas?: 0;
  /** Re-run period as a Go duration (`30s`, `5m`, `1h30m`); absent: run once per spec change. */
  interval?: string;
  /** Per-probe timeout; default 3 (busybox-probe.md: 2 s or more, 3 s is safer). */
  timeoutSeconds?: number;
  /**
   * How long a probe pod waits after it starts before its first attempt (once per pod), so that a CNI
   * that programs a new pod's rules late has done so; default 3.
   */
  startupGraceSeconds?: number;
  suspend?: boolean;
  /** See RefusedMeaning; default `Allowed`. */
  refusedMeans?: RefusedMeaning;
  flows: Flow[];
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
}

export type Outcome = 'Connected' | 'Refused' | 'Blocked' | 'Unreachable' | 'DNSFailure' | 'Error';
export type Verdict = 'Pass' | 'Fail' | 'Flaky' | 'Error';
export type Prediction = 'Allowed' | 'Denied' | 'Unknown';

export interface FlowResult {
  flow: string;
  expected: Expectation;
  outcome: Outcome;
  detail: string;
  verdict: Verdict;
  predicted: Prediction;
  diagnosis: string;
  target?: string;
  httpStatus?: number;
  durationMs?: number;
  attempts?: number;
  lastTransitionTime?: string;
  /** The family probed, when the flow names one (a single-family result). */
  ipFamily?: IpFamily;
  /** A flow probed in each family of a dual-stack target: every family's result (family-results.ts). */
  families?: FamilyResult[];
}

/** One address family's result of a flow probed in both. */
export interface FamilyResult {
  ipFamily: IpFamily;
  /** The address dialled, e.g. `[fd00:10:244::7]:8080`. */
  target?: string;
  outcome: Outcome;
  detail: string;
  verdict: Verdict;
  predicted: Prediction;
  diagnosis: string;
  httpStatus?: number;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export interface ConnectivityTestStatus {
  observedGeneration?: number;
  lastRunTime?: string;
  runId?: string;
  summary?: { flows: number; passed: number; failed: number; errors: number };
  conditions?: Condition[];
  results?: FlowResult[];
}

export interface ConnectivityTest {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: ObjectMeta;
  spec: ConnectivityTestSpec;
  status?: ConnectivityTestStatus;
}
