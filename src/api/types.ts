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

/**
 * A DNS check: ask the target a real DNS question (an A record) over the flow's protocol, instead of a bare
 * connect or UDP send. Any answer, whatever its rcode, proves the path (Connected, the rcode in detail).
 */
export interface DnsCheck {
  /** The name to ask about; asked fully qualified (no search list), a trailing dot is allowed. */
  name: string;
}

/**
 * Where a flow's probe runs relative to its target (README "Node placement"); absent: wherever the
 * scheduler puts it. SameNode/OtherNode need a pod or Service target; EachNode probes from every node.
 */
export type Placement = 'SameNode' | 'OtherNode' | 'EachNode';

export interface Flow {
  name: string;
  from: FlowSource;
  to: FlowTarget;
  port: number;
  protocol?: Protocol;
  http?: HttpCheck;
  dns?: DnsCheck;
  expect: Expectation;
  /** Overrides spec.timeoutSeconds for this flow. */
  timeoutSeconds?: number;
  placement?: Placement;
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
  /** The node the probe ran on (a flow with a placement). */
  node?: string;
  /** EachNode: one sub-result per node probed (and family); the flow's own fields are the worst of them. */
  nodes?: NodeResult[];
  /** EachNode: how many nodes there were when `nodes` is a sample of them (more than the cap). */
  nodesSampledFrom?: number;
  /** The family probed, when the flow names one (a single-family result). */
  ipFamily?: IpFamily;
  /** A flow probed in each family of a dual-stack target: every family's result (family-results.ts). */
  families?: FamilyResult[];
}

/**
 * One node's probe of an EachNode flow. A flow probed in both families has one entry per node and family,
 * each naming its family in `ipFamily` (family-results.ts).
 */
export interface NodeResult {
  node: string;
  outcome: Outcome;
  detail: string;
  verdict: Verdict;
  durationMs?: number;
  ipFamily?: IpFamily;
}

/**
 * One address family's result of a flow probed in both. A placed flow: the node of that family's worst
 * probe in `node` (EachNode: the worst over its nodes).
 */
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
  node?: string;
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

// The cluster-scoped ClusterConnectivityTest (cluster-schema.ts): the same flows, instantiated in each
// namespace its namespaceSelector matches (at most maxNamespaces of them, chosen deterministically).
export const CLUSTER_KIND = 'ClusterConnectivityTest';
export const CLUSTER_PLURAL = 'clusterconnectivitytests';

export interface ClusterConnectivityTestSpec extends ConnectivityTestSpec {
  /** The namespaces whose identities run the flows; `{}` selects every namespace. */
  namespaceSelector: LabelSelector;
  /** At most this many matching namespaces are probed per run; default 10. */
  maxNamespaces?: number;
}

/** A result of a ClusterConnectivityTest: a FlowResult that names the namespace it was probed from. */
export interface ClusterFlowResult extends FlowResult {
  namespace: string;
}

export interface ClusterConnectivityTestStatus extends Omit<ConnectivityTestStatus, 'results'> {
  /** How many namespaces the selector matched at the last run, and which were probed. */
  namespaces?: { matched: number; probed: string[] };
  results?: ClusterFlowResult[];
}

export interface ClusterConnectivityTest {
  apiVersion: typeof API_VERSION;
  kind: typeof CLUSTER_KIND;
  metadata: ObjectMeta;
  spec: ClusterConnectivityTestSpec;
  status?: ClusterConnectivityTestStatus;
}
