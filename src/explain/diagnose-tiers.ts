// The failure modes the cluster-scoped tiers add to a flow's diagnosis (src/policy/tiers.ts): an Admin
// Deny that no NetworkPolicy can reopen, an Admin Accept that no NetworkPolicy can close, a Baseline Deny
// that a NetworkPolicy overrides, a Pass that nothing below decides, and the Unknowns the API or the
// manifests leave open.
import type { Expectation, Prediction } from '../api/types.js';
import { formatHit, type DirectionResult, type PolicyPrediction } from '../policy/index.js';

export function tierDiagnosis(
  expected: Expectation,
  predicted: Prediction,
  predictions: readonly PolicyPrediction[],
): string[] {
  const sides = predictions.flatMap((p) => [p.egress, p.ingress]).filter((s) => s.tiers !== undefined);
  if (expected === 'Allowed' && predicted === 'Denied') return sides.flatMap(adminDeny);
  if (expected === 'Denied' && predicted === 'Allowed') return sides.flatMap(unexpectedAllow);
  if (predicted === 'Unknown') {
    // An ipBlock that hinges on the same unknown address is already named by diagnose.ts.
    const npUnknown = predictions.some(
      (p) => p.egress.undecided.length > 0 || p.ingress.undecided.length > 0,
    );
    return sides.flatMap(undecided).filter((line) => !(npUnknown && line.startsWith('address unknown:')));
  }
  return [];
}

function adminDeny(s: DirectionResult): string[] {
  const hit = s.tiers?.hit;
  if (s.decision !== 'no' || hit === undefined || hit.tier !== 'Admin') return [];
  const h = formatHit(hit).replace(/^\[Admin\] /, '');
  return [
    `admin deny: ${h} denies this flow before any NetworkPolicy is consulted, so no NetworkPolicy can allow it — only a change to ${hit.policy.key} (or an Accept/Pass of higher precedence) can`,
  ];
}

function unexpectedAllow(s: DirectionResult): string[] {
  const t = s.tiers;
  if (t === undefined) return [];
  const out: string[] = [];
  if (t.decidedBy === 'Admin' && t.hit !== undefined) {
    out.push(
      `admin accept: ${formatHit(t.hit)} admits this flow before any NetworkPolicy is consulted, so no NetworkPolicy can deny it`,
    );
  }
  if (t.overriddenBaseline !== undefined) {
    out.push(
      `baseline overridden: ${formatHit(t.overriddenBaseline)} would deny this flow, but ${s.isolatedBy.join(', ')} isolates the ${s.direction === 'Ingress' ? 'destination' : 'source'} for ${s.direction}, and a NetworkPolicy always decides before the Baseline tier`,
    );
  }
  if (t.decidedBy === 'default' && t.pass !== undefined) {
    out.push(
      `pass falls through: ${formatHit(t.pass)} hands the flow on, but no NetworkPolicy and no Baseline policy decides it, so it is allowed by default`,
    );
  }
  return out;
}

function undecided(s: DirectionResult): string[] {
  const t = s.tiers;
  if (t === undefined || s.decision !== 'unknown') return [];
  if (t.undefinedOrder !== undefined) return [`undefined order: ${t.undefinedOrder}`];
  const why = t.uncertain?.why;
  if (why === undefined) return [];
  if (/address is not known/.test(why))
    return [
      'address unknown: a networks peer decides this flow but the address is not in the manifests (give to.ip, or a pod with status.podIP)',
    ];
  return [`not modelled: ${t.uncertain === undefined ? '' : formatHit(t.uncertain)} — ${why}`];
}
