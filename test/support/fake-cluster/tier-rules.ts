// The FAKE CNI's ClusterNetworkPolicy tiers (pure): a pod selected by Admin or Baseline policies in a
// direction gets its chain in three parts, in the API's order (network-policy-api site-src/api-overview.md:
// Admin tier, then NetworkPolicy, then Baseline tier, then allow), as nftables chains:
//
//   output (base)     established/related and loopback accept; Admin rules by priority, first match wins:
//                     Accept → accept, Deny → the mode's verdict, Pass → goto np_output; then goto np_output
//   np_output         the pod's NetworkPolicy rules and verdict where NetworkPolicy isolates it, else goto
//                     baseline_output
//   baseline_output   Baseline rules by priority (Accept / Deny); falling off the end returns to the base
//                     chain's policy: accept
//
// Peers become addresses as in nft-rules.ts: pods that `namespaces`/`pods` select (src/policy's own
// matcher), `networks` CIDRs. Experimental peers (`nodes`, `domainNames`) and unknown ones are not
// programmed: flowprobe predicts such flows Unknown, and this fake never enforces them. Same-priority
// policies keep the order src/policy sorts them in (the API leaves it undefined). Like the rest of this CNI
// it enforces flowprobe's own reading of the API, so it proves plumbing, not the engine.
import { addressMatch, cidrMatches, podAddressMatches } from './family-matches.js';
import type {
  CompiledClusterPeer,
  CompiledClusterPolicy,
  CompiledClusterRule,
} from '../../../src/policy/cluster-compile.js';
import { selectsPod } from '../../../src/policy/cluster-match.js';
import type { ClusterPort, ClusterTier } from '../../../src/policy/cluster-types.js';
import type { PodEndpoint, PolicyType } from '../../../src/policy/types.js';
import type { PodRulesInput } from './nft-rules.js';

type PodWithIp = PodEndpoint & { ip: string };

/** The policies of `tier` that select the pod in `dir`, by priority (none for a pod no policy selects). */
export function tierPolicies(
  input: PodRulesInput,
  tier: ClusterTier,
  dir: PolicyType,
): readonly CompiledClusterPolicy[] {
  return input.engine.cluster.selecting(input.pod, tier, dir);
}

/**
 * One tier's rules for the pod, each line `<match> <statement>`: `verdict` is what a Deny does, `pass` what a
 * Pass does (`goto np_…` in the Admin tier; `return` in Baseline, which falls through to allow).
 */
export function tierRules(
  input: PodRulesInput,
  tier: ClusterTier,
  dir: PolicyType,
  verdict: readonly string[],
  pass: string,
): string[] {
  const out: string[] = [];
  for (const policy of tierPolicies(input, tier, dir)) {
    const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
    for (const rule of rules) {
      const comment = `comment "${policy.key} ${dir.toLowerCase()} ${rule.label}"`;
      const statements = rule.action === 'Accept' ? ['accept'] : rule.action === 'Pass' ? [pass] : verdict;
      for (const match of ruleMatches(input, dir, rule))
        for (const s of statements) out.push([match, s, comment].filter((x) => x !== '').join(' '));
    }
  }
  return out;
}

/** A rule's peers (OR) × ports (OR) as nft matches. */
function ruleMatches(input: PodRulesInput, dir: PolicyType, rule: CompiledClusterRule): string[] {
  const addr = dir === 'Ingress' ? 'saddr' : 'daddr';
  const out: string[] = [];
  for (const peer of rule.peers) {
    for (const target of peerTargets(input, peer, addr)) {
      for (const port of portMatches(input, dir, rule.ports, target.pods)) {
        out.push([port.destination ? '' : target.match, port.text].filter((s) => s !== '').join(' '));
      }
    }
  }
  return out;
}

/** A peer's matches, one per address family it has addresses in (family-matches.ts: the table is inet). */
function peerTargets(
  input: PodRulesInput,
  peer: CompiledClusterPeer,
  addr: 'saddr' | 'daddr',
): { match: string; pods?: PodWithIp[] }[] {
  if (peer.kind === 'pods') {
    const pods = input.pods.filter((p) => selectsPod(peer.select, p, input.engine.namespaceLabels));
    return podAddressMatches(pods, addr).map((match) => ({ match, pods }));
  }
  if (peer.kind === 'networks') return cidrMatches(peer.networks, addr).map((match) => ({ match }));
  return [];
}

/**
 * Port matches (`''` = any). A named port is the destination pod's container port of that name, whatever
 * its protocol: the pod itself for ingress, each peer pod for egress (then the match names that pod's
 * address too); a `networks` peer has no pods, so a named port there matches nothing.
 */
function portMatches(
  input: PodRulesInput,
  dir: PolicyType,
  ports: ClusterPort[] | null,
  peerPods: PodWithIp[] | undefined,
): { text: string; destination?: true }[] {
  if (ports === null) return [{ text: '' }];
  const out: { text: string; destination?: true }[] = [];
  for (const p of ports) {
    if (p.namedPort !== undefined) {
      const dests = dir === 'Ingress' ? [input.pod] : (peerPods ?? []);
      for (const dest of dests) {
        for (const cp of dest.ports.filter((c) => c.name === p.namedPort)) {
          const proto = (cp.protocol ?? 'TCP').toLowerCase();
          const text = `${proto} dport ${cp.containerPort}`;
          if (dir === 'Ingress') out.push({ text });
          else
            for (const ip of [dest.ip, dest.secondIp].filter((a): a is string => a !== undefined))
              out.push({ text: `${addressMatch(ip, 'daddr')} ${text}`, destination: true });
        }
      }
      continue;
    }
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    if (p.port === undefined) out.push({ text: `meta l4proto ${proto}` });
    else {
      const end = p.endPort ?? p.port;
      out.push({ text: `${proto} dport ${end === p.port ? p.port : `${p.port}-${end}`}` });
    }
  }
  return out;
}
