// One direction of a flow: the egress side at the source, or the ingress side at the destination.
// If the pod is isolated for that direction, the flow must be admitted by at least one rule of at least
// one isolating policy — policies are additive (Kubernetes docs: "they do not conflict"), so every rule
// is consulted and every admitting rule is reported.
import type { CompiledPolicy, CompiledRule } from './compile.js';
import { matchPeer, type NamespaceLabels } from './peer-match.js';
import { matchPorts } from './port-match.js';
import type { TierTrace } from './tiers.js';
import type { Tri } from './tri.js';
import type { Endpoint, PolicyProtocol, PolicyType } from './types.js';

/** A rule (and the peer and port in it) that admits a flow, or would if an unknown address matched. */
export interface RuleRef {
  policy: string;
  direction: 'ingress' | 'egress';
  rule: number;
  /** Index into the rule's from/to; undefined when the rule has none (all peers). */
  peer?: number;
  /** `port 8080`, `any port`, ... */
  port: string;
  /** The peer is an ipBlock (its CIDR), which matters for how much to trust a pod match. */
  ipBlock?: string;
}

export interface DirectionResult {
  direction: PolicyType;
  /** Set when NetworkPolicy does not apply to this side at all (external, hostNetwork). */
  notApplicable?: string;
  /** Keys of the policies isolating the pod in this direction; empty: not isolated. */
  isolatedBy: string[];
  decision: Tri;
  admittedBy: RuleRef[];
  /** Rules whose ports match and whose peer hinges on an address nobody knows. */
  undecided: RuleRef[];
  /**
   * Set when a cluster-scoped policy (Admin or Baseline tier) selects this side: which tier decides and
   * why. `decision` is then the tiers' answer, and the NetworkPolicy fields above are filled only when the
   * evaluation reached the NetworkPolicy tier.
   */
  tiers?: TierTrace;
}

export interface FlowSide {
  other: Endpoint;
  dest: Endpoint;
  port: number;
  protocol: PolicyProtocol;
  nsLabels: NamespaceLabels;
}

export function evaluateDirection(
  policies: CompiledPolicy[],
  direction: PolicyType,
  side: FlowSide,
): DirectionResult {
  const result: DirectionResult = {
    direction,
    isolatedBy: policies.map((p) => p.key),
    decision: 'yes',
    admittedBy: [],
    undecided: [],
  };
  if (policies.length === 0) return result;
  for (const policy of policies) {
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    for (const rule of rules) evaluateRule(policy, rule, side, result);
  }
  result.decision = result.admittedBy.length > 0 ? 'yes' : result.undecided.length > 0 ? 'unknown' : 'no';
  return result;
}

function evaluateRule(
  policy: CompiledPolicy,
  rule: CompiledRule,
  side: FlowSide,
  into: DirectionResult,
): void {
  // Ports first: cheap, never unknown, and a port mismatch settles the rule whatever the peer.
  const port = matchPorts(rule.ports, side.dest, side.port, side.protocol);
  if (port === undefined) return;
  const ref = (peer?: number): RuleRef => {
    const r: RuleRef = {
      policy: policy.key,
      direction: into.direction === 'Ingress' ? 'ingress' : 'egress',
      rule: rule.index,
      port: port.label,
    };
    if (peer !== undefined) r.peer = peer;
    const block = peer === undefined ? undefined : rule.peers?.[peer]?.ipBlock;
    if (block !== undefined) r.ipBlock = block.cidr.text;
    return r;
  };
  if (rule.peers === null) {
    into.admittedBy.push(ref());
    return;
  }
  let unknownAt: number | undefined;
  for (const peer of rule.peers) {
    const m: Tri = matchPeer(peer, policy.namespace, side.other, side.nsLabels);
    if (m === 'yes') {
      into.admittedBy.push(ref(peer.index));
      return;
    }
    if (m === 'unknown') unknownAt ??= peer.index;
  }
  if (unknownAt !== undefined) into.undecided.push(ref(unknownAt));
}

export function formatRuleRef(r: RuleRef): string {
  const peer = r.peer === undefined ? 'any peer' : `peer ${r.peer}`;
  return `${r.policy} ${r.direction} rule ${r.rule}, ${peer}, ${r.port}`;
}
