// From NetworkPolicies to one pod's nftables table (pure), the way enforcing CNIs program a pod: an `inet`
// table in the pod's network namespace, `input` for ingress and `output` for egress, each accepting by
// default. A direction the pod is isolated in (src/policy decides which policies isolate it and which peers
// their rules select) gets: established/related and loopback accepted, one accept per rule × peer × port,
// then the mode's verdict for everything else. Peers are addresses: the IPs of the pods a selector
// matches (as the CNI knows them), or ipBlock CIDRs minus their `except`s. A pod that ClusterNetworkPolicy
// tiers select in a direction gets that direction in tiered chains instead (tier-rules.ts).
import type {
  CompiledPeer,
  CompiledPolicy,
  CompiledPort,
  CompiledRule,
} from '../../../src/policy/compile.js';
import type { PolicyEngine } from '../../../src/policy/engine.js';
import { matchPeer } from '../../../src/policy/peer-match.js';
import type { PodEndpoint, PolicyType } from '../../../src/policy/types.js';
import { addressMatch, podAddressMatches } from './family-matches.js';
import { tierPolicies, tierRules } from './tier-rules.js';

export type CniMode = 'enforcing' | 'reject' | 'none';

export const TABLE = 'flowprobe_fake_cni';

/** The last rules of an isolated chain: what a denied packet meets. */
function verdict(mode: CniMode): string[] {
  if (mode === 'reject') {
    // A TCP reset (busybox: "Connection refused" → Refused) for TCP; ICMP admin-prohibited ("No route
    // to host" → Unreachable) for everything else.
    return ['meta l4proto tcp reject with tcp reset', 'reject with icmpx type admin-prohibited'];
  }
  return ['drop'];
}

export interface PodRulesInput {
  pod: PodEndpoint & { ip: string };
  /** Every pod the CNI knows, with its IP and, dual-stack, its `secondIp` (the pod itself included). */
  pods: readonly (PodEndpoint & { ip: string })[];
  engine: PolicyEngine;
  mode: CniMode;
}

/** The `nft -f` script that replaces the pod's table atomically (add, flush, define in one transaction). */
export function podRuleset(input: PodRulesInput): string {
  const chain = (name: string, hook: string, dir: PolicyType): string[] => {
    if (input.mode !== 'none' && tiered(input, dir)) return tieredChains(input, name, hook, dir);
    const isolating = input.mode === 'none' ? [] : input.engine.isolating(input.pod, dir);
    const rules = isolating.length === 0 ? [] : isolatedChain(input, dir, isolating);
    return block(`chain ${name}`, [`type filter hook ${hook} priority 0; policy accept;`, ...rules]);
  };
  return [
    `add table inet ${TABLE}`,
    `flush table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    ...chain('input', 'input', 'Ingress'),
    ...chain('output', 'output', 'Egress'),
    '}',
    '',
  ].join('\n');
}

function block(head: string, lines: readonly string[]): string[] {
  return [`  ${head} {`, ...lines.map((r) => `    ${r}`), '  }'];
}

function tiered(input: PodRulesInput, dir: PolicyType): boolean {
  return tierPolicies(input, 'Admin', dir).length > 0 || tierPolicies(input, 'Baseline', dir).length > 0;
}

/** Admin tier in the base chain, then NetworkPolicy, then Baseline (tier-rules.ts). */
function tieredChains(input: PodRulesInput, name: string, hook: string, dir: PolicyType): string[] {
  const iface = dir === 'Ingress' ? 'iif' : 'oif';
  const np = `np_${name}`;
  const baseline = `baseline_${name}`;
  const isolating = input.engine.isolating(input.pod, dir);
  return [
    ...block(`chain ${name}`, [
      `type filter hook ${hook} priority 0; policy accept;`,
      ...preamble(iface),
      ...tierRules(input, 'Admin', dir, verdict(input.mode), `goto ${np}`),
      `goto ${np}`,
    ]),
    ...block(
      `chain ${np}`,
      isolating.length === 0
        ? [`goto ${baseline}`]
        : [...policyAccepts(input, dir, isolating), ...verdict(input.mode)],
    ),
    ...block(`chain ${baseline}`, tierRules(input, 'Baseline', dir, verdict(input.mode), 'return')),
  ];
}

/**
 * What every isolated chain accepts first: replies, loopback, and IPv6 neighbour and router discovery.
 * Linux conntrack leaves ND/RS/RA untracked, never `established,related` (net/netfilter/
 * nf_conntrack_proto_icmpv6.c, `noct_valid_new` in nf_conntrack_icmpv6_error), and real CNIs filter in
 * the host, not the pod's own neighbour discovery: without this an allowed IPv6 flow under a port-limited
 * or isolating policy would be Blocked only in the FAKE.
 */
function preamble(iface: 'iif' | 'oif'): string[] {
  return [
    'ct state established,related accept',
    `${iface} lo accept`,
    'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept',
  ];
}

function isolatedChain(input: PodRulesInput, dir: PolicyType, policies: readonly CompiledPolicy[]): string[] {
  const iface = dir === 'Ingress' ? 'iif' : 'oif';
  return [...preamble(iface), ...policyAccepts(input, dir, policies), ...verdict(input.mode)];
}

function policyAccepts(input: PodRulesInput, dir: PolicyType, policies: readonly CompiledPolicy[]): string[] {
  const out: string[] = [];
  for (const policy of policies) {
    const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
    for (const rule of rules) out.push(...ruleAccepts(input, dir, policy, rule));
  }
  return out;
}

/** One rule: its peers (OR) × its ports (OR), each an accept. */
function ruleAccepts(
  input: PodRulesInput,
  dir: PolicyType,
  policy: CompiledPolicy,
  rule: CompiledRule,
): string[] {
  const addr = dir === 'Ingress' ? 'saddr' : 'daddr';
  const comment = `comment "${policy.key} ${dir.toLowerCase()}[${rule.index}]"`;
  const peers: { match: string; pods?: (PodEndpoint & { ip: string })[] }[] =
    rule.peers === null
      ? [{ match: '', pods: [...input.pods] }]
      : rule.peers.flatMap((peer) => peerMatches(input, policy, peer, addr));
  const out: string[] = [];
  for (const peer of peers) {
    for (const port of portMatches(input, dir, rule.ports, peer.pods)) {
      // A named egress port already names its destination pod's address, which the peer set holds.
      const match = port.destination ? '' : peer.match;
      out.push([match, port.text, 'accept', comment].filter((s) => s !== '').join(' '));
    }
  }
  return out;
}

function peerMatches(
  input: PodRulesInput,
  policy: CompiledPolicy,
  peer: CompiledPeer,
  addr: 'saddr' | 'daddr',
): { match: string; pods?: (PodEndpoint & { ip: string })[] }[] {
  if (peer.ipBlock !== undefined) {
    const family = peer.ipBlock.cidr.family === 4 ? 'ip' : 'ip6';
    const cidr = peer.ipBlock.cidr.text;
    const except = peer.ipBlock.except.map((e) => e.text);
    const not = except.length === 0 ? '' : ` ${family} ${addr} != { ${except.join(', ')} }`;
    return [{ match: `${family} ${addr} ${cidr}${not}` }];
  }
  const pods = input.pods.filter(
    (p) => matchPeer(peer, policy.namespace, p, input.engine.namespaceLabels) === 'yes',
  );
  // Both families of dual-stack pods (family-matches.ts: the table is inet).
  return podAddressMatches(pods, addr).map((match) => ({ match, pods }));
}

/**
 * The port matches of a rule (`''` = any port). A named port resolves against the destination pod: the
 * isolated pod itself for ingress, each peer pod for egress (an egress rule with a named port therefore
 * becomes one accept per peer pod, matching daddr and port together).
 */
function portMatches(
  input: PodRulesInput,
  dir: PolicyType,
  ports: CompiledPort[] | null,
  peerPods: (PodEndpoint & { ip: string })[] | undefined,
): { text: string; destination?: true }[] {
  if (ports === null) return [{ text: '' }];
  const out: { text: string; destination?: true }[] = [];
  for (const p of ports) {
    const proto = p.protocol.toLowerCase();
    if (p.port === undefined) out.push({ text: `meta l4proto ${proto}` });
    else if (typeof p.port === 'number') {
      const range = p.endPort !== undefined && p.endPort !== p.port ? `${p.port}-${p.endPort}` : `${p.port}`;
      out.push({ text: `${proto} dport ${range}` });
    } else if (dir === 'Ingress') {
      const n = namedPort(input.pod, p.port, p.protocol);
      if (n !== undefined) out.push({ text: `${proto} dport ${n}` });
    } else {
      for (const dest of peerPods ?? []) {
        const n = namedPort(dest, p.port, p.protocol);
        if (n === undefined) continue;
        for (const ip of [dest.ip, dest.secondIp].filter((a): a is string => a !== undefined))
          out.push({ text: `${addressMatch(ip, 'daddr')} ${proto} dport ${n}`, destination: true });
      }
    }
  }
  return out;
}

function namedPort(pod: PodEndpoint, name: string, protocol: string): number | undefined {
  return pod.ports.find((cp) => cp.name === name && (cp.protocol ?? 'TCP') === protocol)?.containerPort;
}
