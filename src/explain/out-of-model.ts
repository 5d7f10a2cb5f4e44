// The layer after the NetworkPolicy prediction (DESIGN.md, "Policy model"): where a CNI-specific policy
// may select the flow's source for egress or its destination for ingress, that object may allow or deny
// what NetworkPolicy alone says, so the prediction is Unknown and names it. What NetworkPolicy alone
// says stays in the reasons. Claims this layer can no longer stand behind are dropped: with the source's
// egress possibly decided elsewhere, "egress to DNS is not allowed" is not known either.
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

export function withOutOfModel(e: FlowExplanation, hits: readonly OutOfModelHit[]): FlowExplanation {
  if (hits.length === 0) return e;
  const reasons = hits.map(outOfModelReason);
  const sourceEgress = hits.some((h) => h.side === 'source');
  const { dnsAllowed: _dropped, ...rest } = e;
  return {
    ...rest,
    ...(sourceEgress || e.dnsAllowed === undefined ? {} : { dnsAllowed: e.dnsAllowed }),
    predicted: 'Unknown',
    agrees: null,
    reasons: [...reasons, `NetworkPolicy alone would predict ${e.predicted}:`, ...e.reasons],
    diagnosis: [
      ...reasons.map((r) => `${OUT_OF_MODEL}: ${r}`),
      ...e.diagnosis.filter((d) => !(sourceEgress && d.startsWith('missing DNS egress:'))),
    ],
    outOfModel: hits.map((h) => ({ object: outOfModelName(h.policy), side: h.side, direction: h.direction })),
  };
}

/** Findings: every out-of-model object read, and the staged ones as not enforced. */
export function outOfModelFindings(
  policies: readonly OutOfModelRef[],
  staged: readonly OutOfModelRef[],
): PolicyFinding[] {
  return [
    ...policies.map((p) => ({
      policy: outOfModelName(p),
      message:
        'not modelled: flowprobe only detects which pods it may select, and predicts the flows of those pods (in its directions) as Unknown',
    })),
    ...staged.map((p) => ({
      policy: outOfModelName(p),
      message: 'staged: Calico reports what it would do but does not enforce it, so predictions ignore it',
    })),
  ];
}
