// One sentence that combines expectation, observation and prediction (DESIGN.md, "diagnosis"). It names
// the field's failure mode where the facts point at one: a CNI that does not enforce NetworkPolicy, a
// default-deny egress that forgot DNS, a policy that admits (or denies) what the test did not expect. Where
// a policy flowprobe does not model may decide the flow (a Cilium, Calico or Antrea policy), it never
// blames the CNI: the observation may come from that policy.
import type { Expectation, Prediction, RefusedMeaning, Verdict } from '../api/types.js';
import {
  LAG_REMEDY,
  lastAttemptSincePodStartMs,
  lateArrival,
  shortOfLagBound,
  type ProbeTiming,
} from './enforcement-lag.js';
import { diagnoseCluster } from './cluster-diagnosis.js';
import { observedAccess, type Observation } from './observation.js';
import { UDP_NO_REJECTION } from './verdict.js';

export interface PredictionInput {
  predicted: Prediction;
  /** The policies' main reason: the rule that admits the flow, or the isolation nothing lifts. */
  reason?: string;
  /** False when the source is isolated for egress and no rule lets it reach DNS; unknown when absent. */
  dnsEgressAllowed?: boolean;
  /** The Admin-tier rule that denies DNS (before any NetworkPolicy), when that is why it is not allowed. */
  dnsDeniedBy?: string;
  /** Policies outside flowprobe's model that may select the flow's source (egress) or destination (ingress). */
  outOfModel?: readonly OutOfModelDecider[];
  /** The Admin or Baseline policy that decides the prediction, which a CNI may not implement. */
  clusterDecider?: ClusterDecider;
}

/** e.g. `{ policy: 'ClusterNetworkPolicy cnp/x (Admin, priority 5)', kind: 'ClusterNetworkPolicy', … }`. */
export interface ClusterDecider {
  policy: string;
  kind: string;
  action: 'Deny' | 'Accept';
}

/** A policy flowprobe does not model, e.g. `CiliumNetworkPolicy prod/l7-api`, and the side it may select. */
export interface OutOfModelDecider {
  object: string;
  side: 'source' | 'destination';
  direction: 'egress' | 'ingress';
}

export interface DiagnosisInput {
  expected: Expectation;
  observation: Observation;
  verdict: Verdict;
  prediction: PredictionInput;
  refusedMeans: RefusedMeaning;
  /** The probe's own words (the tool's message, or why the pod never ran), shown for an Error outcome. */
  message?: string;
  /** When the attempts happened: tells a late enforcer from one that ignores policy (enforcement-lag.ts). */
  timing?: ProbeTiming;
}

export function diagnose(input: DiagnosisInput): string {
  const { observation } = input;
  if (observation.outcome === 'Error') {
    const words = input.message ? `: ${input.message}` : '';
    return `the probe could not run (${observation.detail})${words}`;
  }
  if (input.verdict === 'Flaky') {
    const late = input.timing && lateArrival(input.timing, input.refusedMeans);
    if (late) {
      return `attempts never agreed (first: ${observed(late.first)}, last: ${observed(late.last)}): a policy reached the new probe pod while it probed (${LAG_REMEDY})`;
    }
    return `attempts never agreed (last: ${observed(observation)}): a policy may still be being applied, or the path is unstable`;
  }
  if (observation.outcome === 'DNSFailure') return diagnoseDns(input);
  if (observation.detail === UDP_NO_REJECTION) return diagnoseSilentUdp(input);
  const access = observedAccess(observation.outcome, input.refusedMeans);
  const holds = access === input.expected;
  const deciders = input.prediction.outOfModel ?? [];
  if (deciders.length > 0) return diagnoseOutOfModel(input, holds, deciders);
  const cluster = input.prediction.clusterDecider && access && diagnoseClusterInput(input, access);
  if (cluster) return withReason(cluster, input.prediction);
  const sentence = holds ? diagnoseHeld(input) : diagnoseDrift(input);
  return withReason(sentence, input.prediction);
}

function diagnoseSilentUdp({ expected, prediction }: DiagnosisInput): string {
  const policies = prediction.predicted === 'Unknown' ? '' : `; the policies say ${prediction.predicted}`;
  return expected === 'Allowed'
    ? `no rejection: consistent with Allowed, but UDP without a reply cannot prove delivery${policies}`
    : `nothing was learned: UDP without a reply looks the same open or dropped; only a rejection proves anything${policies}`;
}

function diagnoseDns({ expected, observation, prediction }: DiagnosisInput): string {
  const cause = dnsCause(observation.detail, prediction.dnsEgressAllowed, prediction.dnsDeniedBy);
  return expected === 'Allowed'
    ? `the name did not resolve: ${cause}`
    : `nothing was learned about the target, the name did not resolve: ${cause}`;
}

function dnsCause(detail: string, dnsEgressAllowed: boolean | undefined, deniedBy?: string): string {
  if (detail === 'nxdomain') return 'the resolver says it does not exist (NXDOMAIN); check the name';
  if (dnsEgressAllowed === false && deniedBy !== undefined) {
    return `egress to DNS is denied by ${deniedBy}, before any NetworkPolicy: no NetworkPolicy can allow it`;
  }
  if (dnsEgressAllowed === false) {
    return 'egress to DNS is not allowed; allow UDP and TCP 53 to kube-dns';
  }
  if (detail === 'resolver-timeout')
    return 'the resolver never answered, which usually means egress to DNS is blocked';
  return `the resolver failed (${detail})`;
}

/** The observation agrees with the expectation. Say whether the policies agree too. */
function diagnoseHeld({ expected, observation, prediction, timing }: DiagnosisInput): string {
  const seen = observed(observation);
  const listening =
    observation.outcome === 'Refused' && expected === 'Allowed' ? '; nothing listens on the port' : '';
  if (prediction.predicted === 'Unknown' || prediction.predicted === expected) {
    return `as expected: ${seen}${listening}`;
  }
  if (observation.outcome === 'Refused' && expected === 'Allowed') return refusedButDenied(seen);
  return expected === 'Allowed'
    ? `${seen} as expected, but the policies deny it: ${notEnforcing(timing)}`
    : `${seen} as expected, but the policies allow it: something other than NetworkPolicy denies it`;
}

/** The observation contradicts the expectation. The prediction says whose fault it is. */
function diagnoseDrift({ expected, observation, prediction, timing }: DiagnosisInput): string {
  const seen = `expected ${expected}, observed ${observation.outcome}`;
  if (expected === 'Denied') {
    if (prediction.predicted === 'Denied' && observation.outcome === 'Refused') return rejectingCni(seen);
    if (prediction.predicted === 'Denied') return `${seen}, policies deny it: ${notEnforcing(timing)}`;
    if (prediction.predicted === 'Allowed') return `${seen}: the NetworkPolicies allow it`;
    return `${seen}: the flow is open and the policies' verdict is unknown`;
  }
  if (prediction.predicted === 'Denied') return `${seen}: the NetworkPolicies deny it`;
  if (prediction.predicted === 'Allowed') {
    return `${seen}, policies allow it: something else denies it (a policy not yet applied, a CNI-specific policy or a firewall)`;
  }
  return `${seen}: the path is closed and the policies' verdict is unknown`;
}

function diagnoseClusterInput(input: DiagnosisInput, access: Expectation): string | undefined {
  const { expected, observation, prediction, timing } = input;
  if (prediction.clusterDecider === undefined) return undefined;
  const c = {
    expected,
    access,
    connected: observation.outcome === 'Connected',
    seen: observed(observation),
    drift: `expected ${expected}, observed ${observation.outcome}`,
    ...(timing ? { timing } : {}),
  };
  return diagnoseCluster(c, prediction.clusterDecider);
}

/** A policy flowprobe does not model may decide the flow: whatever was observed may be its doing. */
function diagnoseOutOfModel(
  { expected, observation }: DiagnosisInput,
  holds: boolean,
  deciders: readonly OutOfModelDecider[],
): string {
  const who = deciders.map((d) => `${d.object} (it may select the ${d.side}, ${d.direction})`).join(' or ');
  if (holds) {
    const listening =
      observation.outcome === 'Refused' && expected === 'Allowed' ? '; nothing listens on the port' : '';
    return `as expected: ${observed(observation)}${listening} (the prediction is Unknown: ${who} may decide this flow, and flowprobe does not model it)`;
  }
  return `expected ${expected}, observed ${observation.outcome}: the observation may come from ${who}, which flowprobe does not model`;
}

/**
 * A reset where the policies deny the flow: the packet met the policy, not a closed port. kube-router
 * rejects denied connections by default, Calico when configured to, Cilium with --policy-deny-response
 * (shared/reference/real-cluster.md, "Policy enforcers") — so this is an enforcing CNI, not a missing one.
 */
function rejectingCni(seen: string): string {
  return `${seen}, policies deny it: the CNI appears to reject denied connections with resets; if it does, set spec.refusedMeans: Denied`;
}

/** An allowed flow refused while the policies deny it: a rejecting CNI, or no enforcement and no listener. */
function refusedButDenied(seen: string): string {
  return `${seen}, but the policies deny it: the CNI may reject denied connections with resets (then set spec.refusedMeans: Denied), or it does not enforce NetworkPolicy and nothing listens on the port`;
}

/** Blames the CNI only when the attempts outlasted the lag real enforcers show (enforcement-lag.ts). */
function notEnforcing(timing: ProbeTiming | undefined): string {
  if (timing && shortOfLagBound(timing)) {
    return `the policy may not have reached the new probe pod yet (${LAG_REMEDY})`;
  }
  const since = timing && lastAttemptSincePodStartMs(timing);
  if (since === undefined) return 'the CNI is not enforcing NetworkPolicy';
  // Past the bound a lag is less likely than no enforcement, but not ruled out: name both, with the
  // evidence and the one setting that tells them apart (README runbook).
  const seconds = (since / 1000).toFixed(1);
  return (
    `the CNI is not enforcing NetworkPolicy, or enforces it more than ${seconds} s after a pod starts ` +
    `(the flow was still open ${seconds} s after the probe pod started; a longer startupGraceSeconds tells which)`
  );
}

function observed(observation: Pick<Observation, 'outcome' | 'detail' | 'httpStatus'>): string {
  switch (observation.outcome) {
    case 'Connected':
      // A DNS check's reply (src/probe/classify.ts): say what answered, NXDOMAIN included.
      if (observation.detail.startsWith('answer '))
        return `the resolver answered (${observation.detail.slice(7)})`;
      return observation.httpStatus === undefined
        ? 'connected'
        : `connected (HTTP ${observation.httpStatus})`;
    case 'Refused':
      return 'refused (the host answered with a reset)';
    case 'Blocked':
      return 'timed out (packets dropped)';
    case 'Unreachable':
      return 'rejected on the path (ICMP unreachable)';
    case 'DNSFailure':
      return `name resolution failed (${observation.detail})`;
    case 'Error':
      return `probe error (${observation.detail})`;
  }
}

function withReason(sentence: string, prediction: PredictionInput): string {
  return prediction.reason ? `${sentence} (${prediction.reason})` : sentence;
}
