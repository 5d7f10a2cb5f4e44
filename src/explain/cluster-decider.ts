// Which cluster-scoped policy (Admin or Baseline tier) decides a flow, for the verdict's diagnosis. Many
// CNIs enforce NetworkPolicy but not ClusterNetworkPolicy / AdminNetworkPolicy (flannel and kindnet do
// neither tier; Cilium only with its flag; Calico only from 3.32), so a flow such a policy denies that
// connects says nothing about NetworkPolicy enforcement — and one it accepts that is blocked may be a
// NetworkPolicy the CNI applied because it ignored the Admin tier.
import type { Prediction } from '../api/types.js';
import type { DirectionResult, TierHit } from '../policy/index.js';
import type { TargetPrediction } from './combine.js';
import type { DnsCheck } from './dns.js';

export interface ClusterDecider {
  /** The policy with its kind, tier and priority, e.g. `ClusterNetworkPolicy cnp/x (Admin, priority 5)`. */
  policy: string;
  /** The policy's kind: what the CNI must implement for the prediction to hold. */
  kind: string;
  action: 'Deny' | 'Accept';
}

/**
 * Denied: a cluster Deny decides every denying side of every target (a side NetworkPolicy denies would make
 * the NetworkPolicy diagnosis true too, so then none is returned). Allowed: an Admin Accept decides a side
 * (a Baseline Accept only repeats the default allow, so a CNI ignoring it changes nothing).
 */
export function clusterDecider(
  predicted: Prediction,
  preds: readonly TargetPrediction[],
  dns: DnsCheck | undefined,
): ClusterDecider | undefined {
  const sides = preds.flatMap((t) => [t.prediction.egress, t.prediction.ingress]);
  if (predicted === 'Denied') {
    if (dns?.decision === 'no' || preds.length === 0) return undefined;
    const denying = sides.filter((s) => s.decision === 'no');
    const hits = denying.map((s) => decidingHit(s, 'Deny'));
    const [first] = hits;
    return first && hits.every((h) => h !== undefined) ? describe(first, 'Deny') : undefined;
  }
  if (predicted === 'Allowed') {
    const hit = sides.map((s) => decidingHit(s, 'Accept')).find((h) => h?.tier === 'Admin');
    return hit && describe(hit, 'Accept');
  }
  return undefined;
}

function decidingHit(side: DirectionResult, action: 'Deny' | 'Accept'): TierHit | undefined {
  const t = side.tiers;
  if (t === undefined || (t.decidedBy !== 'Admin' && t.decidedBy !== 'Baseline')) return undefined;
  return t.hit?.rule.action === action ? t.hit : undefined;
}

function describe(hit: TierHit, action: 'Deny' | 'Accept'): ClusterDecider {
  const { kind, priority } = hit.policy.source;
  const order = kind === 'BaselineAdminNetworkPolicy' ? '' : `, priority ${priority}`;
  return { policy: `${kind} ${hit.policy.key} (${hit.tier}${order})`, kind, action };
}
