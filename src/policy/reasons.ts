// Reasons as people read them: one line per direction, naming the policies that isolate each side and
// the rule (policy, direction, rule, peer, port) that admits the flow — or that none does.
import { formatRuleRef, type DirectionResult } from './direction.js';
import type { Endpoint } from './types.js';

export function endpointName(e: Endpoint): string {
  if (e.kind === 'pod') return `${e.namespace}/${e.name}`;
  return e.ip ?? e.host ?? 'an external address';
}

export function directionReason(r: DirectionResult, subject: Endpoint, other: Endpoint): string {
  const dir = r.direction.toLowerCase();
  const who = endpointName(subject);
  if (r.notApplicable !== undefined) return `${dir}: not subject to NetworkPolicy (${r.notApplicable})`;
  if (r.isolatedBy.length === 0) {
    const ns = subject.kind === 'pod' ? subject.namespace : '?';
    return `${dir}: open — no policy in ${ns} selects ${who} for ${r.direction}`;
  }
  const isolated = `isolated by ${r.isolatedBy.join(', ')}`;
  const [first] = r.admittedBy;
  if (r.decision === 'yes' && first !== undefined) {
    const more = r.admittedBy.length > 1 ? ` (and ${r.admittedBy.length - 1} more rule(s))` : '';
    return `${dir}: allowed by ${formatRuleRef(first)}${more}${ipBlockCaveat(first.ipBlock, other)}; ${isolated}`;
  }
  const [u] = r.undecided;
  if (r.decision === 'unknown' && u !== undefined) {
    const whose = r.direction === 'Egress' ? "the destination's" : "the source's";
    return `${dir}: unknown — ${formatRuleRef(u)} (ipBlock ${u.ipBlock ?? '?'}) would decide, but ${whose} address is not known (${isolated})`;
  }
  return `${dir}: denied — ${who} is ${isolated}, and no ${dir} rule admits ${endpointName(other)}`;
}

function ipBlockCaveat(cidr: string | undefined, other: Endpoint): string {
  if (cidr === undefined || other.kind !== 'pod') return '';
  return ` (ipBlock ${cidr} matched the pod's IP; some CNIs, Cilium among them, never match pods by ipBlock)`;
}
