// The layer after the NetworkPolicy prediction (DESIGN.md, "Policy model"): where a CNI-specific policy
// may select the flow's source for egress or its destination for ingress, that object may allow or deny
// what NetworkPolicy alone says, so the prediction is Unknown and names it. What NetworkPolicy alone
// says stays in the reasons. Claims this layer can no longer stand behind are dropped: with the source's
// egress possibly decided elsewhere, "egress to DNS is not allowed" is not known either, and "no policy
// applies to this flow at all" is not true.
//
// A flow must pass both the source's egress and the destination's ingress, on every CNI: an object that may
// select only one side cannot reopen what the other side denies. So a Denied flow stays Denied when a side
// no such object selects denies it (e.g. an Admin-tier egress Deny on the source and a Cilium ingress
// policy on the destination); the reasons still name the object.
import {
  outOfModelName,
  outOfModelReason,
  type Endpoint,
  type OutOfModelHit,
  type OutOfModelIndex,
  type OutOfModelRef,
} from '../policy/index.js';
import type { FlowExplanation } from './explain-flow.js';
import type { PolicyFinding } from './findings.js';

/** The category of explain's diagnosis item. */
export const OUT_OF_MODEL = 'out-of-model policy';

/** An object that may decide a flow, as the operator's diagnosis names it (src/verdict/diagnosis.ts). */
export interface OutOfModelSide {
  /** e.g. `CiliumNetworkPolicy prod/l7-api`. */
  object: string;
  side: 'source' | 'destination';
  direction: 'egress' | 'ingress';
}

/** Every object that may decide the flow to any of its target endpoints, each side once. */
export function outOfModelHits(
  index: OutOfModelIndex | undefined,
  from: Endpoint,
  targets: readonly Endpoint[],
): OutOfModelHit[] {
  if (index === undefined) return [];
  const seen = new Map<string, OutOfModelHit>();
  for (const to of targets) {
    for (const hit of index.hits(from, to)) {
      const key = `${outOfModelName(hit.policy)} ${hit.side}`;
      if (!seen.has(key)) seen.set(key, hit);
    }
  }
  return [...seen.values()];
}

/** The side of a Denied flow that denies it where no out-of-model object selects that side. */
export type StandingDenial = 'source' | 'destination' | 'each target';

/**
 * `standing`: set when the flow is Denied on a side none of `hits` selects (explain-flow.ts decides); the
 * prediction then stands and only the reasons name the objects.
 */
export function withOutOfModel(
  e: FlowExplanation,
  hits: readonly OutOfModelHit[],
  standing?: StandingDenial,
): FlowExplanation {
  if (hits.length === 0) return e;
  const reasons = hits.map(outOfModelReason);
  if (standing !== undefined) {
    const side = standing === 'each target' ? 'a side of each target pod' : `the ${standing}`;
    const stands = `none of them can reopen what ${side} denies, on a side they do not select: the prediction stands`;
    return { ...e, reasons: [...reasons, stands, ...e.reasons] };
  }
  const sourceEgress = hits.some((h) => h.side === 'source');
  const { dnsAllowed: _dropped, dnsDeniedBy: _alsoDropped, ...rest } = e;
  const keepDns = !sourceEgress && e.dnsAllowed !== undefined;
  // Reasons with a tier chain came from the cluster tiers too, not from NetworkPolicy alone.
  const tiers = e.reasons.some((r) => /\[(Admin|Baseline)\]/.test(r));
  const modelled = tiers ? 'The cluster tiers and NetworkPolicy' : 'NetworkPolicy alone';
  return {
    ...rest,
    ...(keepDns ? { dnsAllowed: e.dnsAllowed } : {}),
    ...(keepDns && e.dnsDeniedBy !== undefined ? { dnsDeniedBy: e.dnsDeniedBy } : {}),
    predicted: 'Unknown',
    agrees: null,
    reasons: [...reasons, `${modelled} would predict ${e.predicted}:`, ...e.reasons],
    diagnosis: [
      ...reasons.map((r) => `${OUT_OF_MODEL}: ${r}`),
      ...e.diagnosis.filter(
        (d) =>
          !(sourceEgress && d.startsWith('missing DNS egress:')) &&
          !OUTCOME_CLAIMS.some((claim) => d.startsWith(claim)),
      ),
    ],
    outOfModel: hits.map((h) => ({ object: outOfModelName(h.policy), side: h.side, direction: h.direction })),
  };
}

/**
 * Diagnosis items (diagnose.ts, diagnose-tiers.ts) that claim how the flow ends — that no policy at all
 * applies, that an Admin rule settles it for good, that the default allows it — which an object that may
 * decide the same side makes unknown. What they say about the modelled tiers stays in the reasons.
 */
const OUTCOME_CLAIMS = [
  'direction left open: neither the source is isolated for egress nor the destination',
  'admin deny:',
  'admin accept:',
  'pass falls through:',
];

/** Findings: every out-of-model object read, and the staged ones as not enforced. */
export function outOfModelFindings(
  policies: readonly OutOfModelRef[],
  staged: readonly OutOfModelRef[],
): PolicyFinding[] {
  return [
    ...policies.map((p) => ({
      policy: outOfModelName(p),
      message:
        'not modelled: flowprobe only detects which pods it may select, and predicts the flows of those pods (in its directions) as Unknown, unless a side it does not select denies them',
    })),
    ...staged.map((p) => ({
      policy: outOfModelName(p),
      message: 'staged: Calico reports what it would do but does not enforce it, so predictions ignore it',
    })),
  ];
}
