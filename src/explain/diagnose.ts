// Names the field failure mode behind a flow's prediction, where it can be recognized (DESIGN.md, "The
// problems it exists for"): missing DNS egress, selectors ORed instead of ANDed, a policy that selects
// nothing, a direction left open by policyTypes, an address explain cannot know — and what the
// cluster-scoped tiers add (diagnose-tiers.ts).
import type { Expectation, Prediction } from '../api/types.js';
import { cidrContains, parseCidr, parseIp, type PolicyPrediction, type RuleRef } from '../policy/index.js';
import { tierDiagnosis } from './diagnose-tiers.js';
import type { DnsCheck } from './dns.js';
import { orPeerMessage, type OrPeerRule, type PolicyFinding } from './findings.js';
import type { TargetPrediction } from './combine.js';

export interface DiagnoseInput {
  expected: Expectation;
  predicted: Prediction;
  targets: readonly TargetPrediction[];
  dns?: DnsCheck;
  /** Namespaces of the source and the targets: their policies' findings may explain the flow. */
  namespaces: ReadonlySet<string>;
  findings: readonly PolicyFinding[];
  orRules: ReadonlyMap<string, readonly OrPeerRule[]>;
}

export function diagnose(input: DiagnoseInput): string[] {
  const out: string[] = [];
  if (input.dns?.decision === 'no') {
    // DESIGN.md verdicts: a DNS failure fails an Allowed expectation and proves nothing for a Denied one.
    const effect =
      input.expected === 'Allowed'
        ? 'so names will not resolve'
        : 'so a probe would fail on the name and learn nothing about the target';
    // An Admin-tier Deny comes before any NetworkPolicy: allowing DNS in a NetworkPolicy would not help.
    const admin = input.dns.adminDeny;
    out.push(
      admin === undefined
        ? `missing DNS egress: egress to DNS is not allowed, ${effect} — allow UDP and TCP 53 to kube-system k8s-app=kube-dns`
        : `missing DNS egress: ${admin.replace(/^\[Admin\] /, '')} denies DNS before any NetworkPolicy is consulted, ${effect} — no NetworkPolicy can allow it; only a change to that ClusterNetworkPolicy can`,
    );
  }
  const predictions = input.targets.map((t) => t.prediction);
  if (input.expected === 'Denied' && input.predicted === 'Allowed') {
    out.push(...orPeersThatAdmit(predictions, input.orRules));
    out.push(...ipBlocksThatAdmit(input.targets));
    out.push(...openSides(predictions));
    out.push(...relevantFindings(input, /policyTypes omits|matches no pod/));
  }
  if (input.expected === 'Allowed' && input.predicted === 'Denied')
    out.push(...relevantFindings(input, /matches no pod|policyTypes omits/));
  out.push(...tierDiagnosis(input.expected, input.predicted, predictions));
  if (
    input.predicted === 'Unknown' &&
    predictions.some((p) => p.egress.undecided.length > 0 || p.ingress.undecided.length > 0)
  ) {
    out.push(
      'address unknown: an ipBlock decides this flow but the address is not in the manifests (give to.ip, or a pod with status.podIP)',
    );
  }
  return [...new Set(out)];
}

function orPeersThatAdmit(
  preds: readonly PolicyPrediction[],
  orRules: ReadonlyMap<string, readonly OrPeerRule[]>,
): string[] {
  const refs: RuleRef[] = preds.flatMap((p) => [...p.egress.admittedBy, ...p.ingress.admittedBy]);
  return refs.flatMap((ref) => {
    const hit = (orRules.get(ref.policy) ?? []).find(
      (r) =>
        r.direction === ref.direction &&
        r.rule === ref.rule &&
        ref.peer !== undefined &&
        r.peers.includes(ref.peer),
    );
    return hit === undefined
      ? []
      : [
          `selectors ORed, not ANDed: ${ref.policy} ${orPeerMessage(hit.direction, hit.rule)} — peer ${String(ref.peer)} admits this flow`,
        ];
  });
}

const LINK_LOCAL = parseCidr('169.254.0.0/16');

function ipBlocksThatAdmit(targets: readonly TargetPrediction[]): string[] {
  return targets.flatMap(({ target, prediction }) => {
    const to = target.endpoint;
    if (to.kind !== 'external' || to.ip === undefined) return [];
    const ip = parseIp(to.ip);
    const linkLocal =
      ip !== undefined && cidrContains(LINK_LOCAL, ip)
        ? ' (link-local, the cloud metadata range: add 169.254.0.0/16 to except)'
        : '';
    return prediction.egress.admittedBy
      .filter((ref) => ref.ipBlock !== undefined)
      .map(
        (ref) =>
          `external egress too wide: ipBlock ${ref.ipBlock ?? ''} of ${ref.policy} egress rule ${ref.rule} admits ${to.ip ?? ''} — its except list does not carve it out${linkLocal}`,
      );
  });
}

function openSides(preds: readonly PolicyPrediction[]): string[] {
  const out: string[] = [];
  for (const p of preds) {
    if (
      p.egress.tiers === undefined &&
      p.ingress.tiers === undefined &&
      p.egress.notApplicable === undefined &&
      p.egress.isolatedBy.length === 0 &&
      p.ingress.isolatedBy.length === 0 &&
      p.ingress.notApplicable === undefined
    ) {
      out.push(
        'direction left open: neither the source is isolated for egress nor the destination for ingress — no policy applies to this flow at all',
      );
    }
  }
  return out;
}

/** The kinds of finding a flow's diagnosis may quote. */
const FLOW_FINDINGS = /policyTypes omits|matches no pod/;

/**
 * The findings `diagnose` may quote, picked once for every flow: a cluster's findings are many, and
 * all but these kinds would be tested against every flow in vain.
 */
export function findingsForFlows(findings: readonly PolicyFinding[]): PolicyFinding[] {
  return findings.filter((f) => FLOW_FINDINGS.test(f.message));
}

function relevantFindings(input: DiagnoseInput, kinds: RegExp): string[] {
  return input.findings
    .filter((f) => input.namespaces.has(f.policy.split('/')[0] ?? '') && kinds.test(f.message))
    .map(
      (f) =>
        `${/matches no pod/.test(f.message) ? 'policy selects nothing' : 'direction left open'}: ${f.policy} ${f.message}`,
    );
}
