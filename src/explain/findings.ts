// Policy mistakes that show without any flow (DESIGN.md problems 2 and 4): a podSelector that matches no
// pod, a direction whose rules are ignored because policyTypes omits it, and namespaceSelector and
// podSelector written as two peers (OR) where one peer (AND) was probably meant.
import {
  describeSelector,
  type CompiledPolicy,
  type NetworkPolicyPeer,
  type PodEndpoint,
} from '../policy/index.js';

export interface PolicyFinding {
  policy: string;
  message: string;
}

/** One policy's findings; only the first reads pods, and only those of the policy's namespace. */
export function findingsOf(
  p: CompiledPolicy,
  podsOf: (ns: string) => readonly PodEndpoint[],
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const spec = p.source.spec;
  if (!podsOf(p.namespace).some((pod) => p.selects(pod.labels))) {
    out.push({
      policy: p.key,
      message: `podSelector {${describeSelector(spec.podSelector)}} matches no pod in ${p.namespace}: the policy isolates nothing`,
    });
  }
  for (const dir of ['Ingress', 'Egress'] as const) {
    const rules = dir === 'Ingress' ? spec.ingress : spec.egress;
    if (!p.types.has(dir) && (rules ?? []).length > 0) {
      out.push({
        policy: p.key,
        message: `policyTypes omits ${dir}, so its ${dir.toLowerCase()} rules are ignored and ${dir.toLowerCase()} stays open`,
      });
    }
  }
  for (const ref of orPeerRules(p))
    out.push({ policy: p.key, message: orPeerMessage(ref.direction, ref.rule) });
  return out;
}

export interface OrPeerRule {
  direction: 'ingress' | 'egress';
  rule: number;
  /** Indices of the namespaceSelector-only and podSelector-only peers. */
  peers: number[];
}

/** Rules listing a namespaceSelector-only peer and a podSelector-only peer side by side. */
export function orPeerRules(p: CompiledPolicy): OrPeerRule[] {
  const out: OrPeerRule[] = [];
  const scan = (direction: 'ingress' | 'egress', peersOf: (NetworkPolicyPeer[] | undefined)[]) => {
    peersOf.forEach((peers, rule) => {
      const nsOnly = (peers ?? []).flatMap((x, i) =>
        x.namespaceSelector !== undefined && x.podSelector === undefined && x.ipBlock === undefined
          ? [i]
          : [],
      );
      const podOnly = (peers ?? []).flatMap((x, i) =>
        x.podSelector !== undefined && x.namespaceSelector === undefined && x.ipBlock === undefined
          ? [i]
          : [],
      );
      if (nsOnly.length > 0 && podOnly.length > 0)
        out.push({ direction, rule, peers: [...nsOnly, ...podOnly].sort() });
    });
  };
  scan(
    'ingress',
    (p.source.spec.ingress ?? []).map((r) => r.from),
  );
  scan(
    'egress',
    (p.source.spec.egress ?? []).map((r) => r.to),
  );
  return out;
}

export function orPeerMessage(direction: string, rule: number): string {
  return `${direction} rule ${rule} lists namespaceSelector and podSelector as two peers (OR): every pod of the selected namespaces is admitted; as one peer they would be ANDed`;
}
