// One tier (Admin or Baseline) for one side of a flow: the policies that select the side's pod, by
// priority (lower first), and in each the first matching rule in written order (network-policy-api commit
// 0eec1b0e, ClusterNetworkPolicySpec.priority, .ingress, .egress).
//
// The result is the set of outcomes the tier may have, not one guess: a rule whose match hinges on an
// address nobody knows (or an experimental peer) is a possibility and evaluation goes on past it, and two
// policies of one priority that both match are both possible — the API says "the implementation can apply
// any of the matching policies ... there is no way for the user to reliably determine which one".
//
// v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) and v1alpha2 (ClusterNetworkPolicy) are two
// APIs whose documents order policies only within themselves; how an implementation serving both would
// interleave them is not written anywhere. So each API version is evaluated on its own, and where both
// match a flow, either may come first (both outcomes are possible).
import type { CompiledClusterPolicy, CompiledClusterRule } from './cluster-compile.js';
import { matchClusterRule, type ClusterFlowSide } from './cluster-match.js';
import type { ClusterTier } from './cluster-types.js';
import type { PolicyType } from './types.js';

/** A rule that matches the flow (certainly, or only if something unknown does). */
export interface TierHit {
  tier: ClusterTier;
  policy: CompiledClusterPolicy;
  rule: CompiledClusterRule;
  direction: 'ingress' | 'egress';
  port: string;
  certain: boolean;
  /** With `certain: false`: why flowprobe cannot tell whether it matches. */
  why?: string;
}

/** `none`: no rule of the tier matched (the tier says nothing; evaluation goes on). */
export type TierPossibility = TierHit | 'none';

export interface TierOutcome {
  possible: TierPossibility[];
  /** Set when policies whose relative order the API leaves undefined match with different actions. */
  undefinedOrder?: string;
}

export function evaluateTier(
  tier: ClusterTier,
  policies: readonly CompiledClusterPolicy[],
  direction: PolicyType,
  side: ClusterFlowSide,
): TierOutcome {
  const [first] = policies;
  if (first === undefined) return { possible: ['none'] };
  if (policies.every((p) => p.family === first.family))
    return evaluateFamily(tier, policies, direction, side);
  const v2 = evaluateFamily(
    tier,
    policies.filter((p) => p.family === 'v1alpha2'),
    direction,
    side,
  );
  const v1 = evaluateFamily(
    tier,
    policies.filter((p) => p.family === 'v1alpha1'),
    direction,
    side,
  );
  const only = (o: TierOutcome) => o.possible.length === 1 && o.possible[0] === 'none';
  if (only(v1)) return v2;
  if (only(v2)) return v1;
  const hits = [...v2.possible, ...v1.possible].filter((p): p is TierHit => p !== 'none');
  const possible: TierPossibility[] = [...hits];
  if (v2.possible.includes('none') && v1.possible.includes('none')) possible.push('none');
  const undefinedOrder =
    v2.undefinedOrder ??
    v1.undefinedOrder ??
    (new Set(hits.map((h) => h.rule.action)).size > 1
      ? `${names(hits)} match in the ${tier} tier, but the API defines no order between ClusterNetworkPolicy and ${tier === 'Admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy'}`
      : undefined);
  return undefinedOrder === undefined ? { possible } : { possible, undefinedOrder };
}

function evaluateFamily(
  tier: ClusterTier,
  policies: readonly CompiledClusterPolicy[],
  direction: PolicyType,
  side: ClusterFlowSide,
): TierOutcome {
  const dir = direction === 'Ingress' ? 'ingress' : 'egress';
  const possible: TierPossibility[] = [];
  let undefinedOrder: string | undefined;
  // Policies arrive sorted by priority (ClusterIndex); each run of one priority is a group.
  for (let i = 0; i < policies.length;) {
    const priority = policies[i]?.source.priority ?? 0;
    let hits: TierHit[] | undefined;
    for (let p = policies[i]; p !== undefined && p.source.priority === priority; p = policies[++i]) {
      hits = policyHits(tier, p, dir, side, hits);
    }
    if (hits === undefined) continue;
    possible.push(...hits);
    if (
      hits.some((h) => h.policy !== hits[0]?.policy) &&
      hits.some((h) => h.rule.action !== hits[0]?.rule.action)
    ) {
      const both = hits.every((h) => h.certain) ? 'both match' : 'may both match';
      undefinedOrder ??= `${names(hits)} share priority ${priority} in the ${tier} tier and ${both} this flow; the API leaves their order undefined`;
    }
    if (hits.some((h) => h.certain)) return finish(possible, undefinedOrder);
  }
  possible.push('none');
  return finish(possible, undefinedOrder);
}

function finish(possible: TierPossibility[], undefinedOrder: string | undefined): TierOutcome {
  return undefinedOrder === undefined ? { possible } : { possible, undefinedOrder };
}

/** Adds the policy's first certainly matching rule, preceded by any rule that may match, to `into`. */
function policyHits(
  tier: ClusterTier,
  policy: CompiledClusterPolicy,
  dir: 'ingress' | 'egress',
  side: ClusterFlowSide,
  into: TierHit[] | undefined,
): TierHit[] | undefined {
  let out = into;
  for (const rule of policy[dir]) {
    const m = matchClusterRule(rule, side);
    if (m === undefined || m.match === 'no') continue;
    const hit: TierHit = { tier, policy, rule, direction: dir, port: m.port, certain: m.match === 'yes' };
    if (m.why !== undefined) hit.why = m.why;
    (out ??= []).push(hit);
    if (hit.certain) break;
  }
  return out;
}

function names(hits: readonly TierHit[]): string {
  return [...new Set(hits.map((h) => h.policy.key))].join(' and ');
}

/** `[Admin] cnp/deny-metadata egress rule 'block' (priority 5) Deny` — v1alpha1 policies say Allow. */
export function formatHit(h: TierHit): string {
  const action = h.rule.action === 'Accept' && h.policy.family === 'v1alpha1' ? 'Allow' : h.rule.action;
  const priority =
    h.policy.source.kind === 'BaselineAdminNetworkPolicy' ? '' : ` (priority ${h.policy.source.priority})`;
  return `[${h.tier}] ${h.policy.key} ${h.direction} rule ${h.rule.label}${priority} ${action}`;
}
