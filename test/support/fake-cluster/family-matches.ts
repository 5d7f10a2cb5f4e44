// nft address matches per address family. The FAKE CNI's tables are `inet` (nft-rules.ts): they see IPv4
// and IPv6 alike, so an isolated chain's final verdict applies to both, and an accept must name each
// family's addresses with its own selector (`ip saddr` never matches an IPv6 packet, `ip6 saddr` never an
// IPv4 one). Without the ip6 accepts a dual-stack pod's allowed IPv6 traffic would be dropped.
import type { Cidr } from '../../../src/policy/cidr.js';
import type { PodEndpoint } from '../../../src/policy/types.js';

type Addr = 'saddr' | 'daddr';

/** Every address of the pods (both families of a dual-stack pod), as one match per family. */
export function podAddressMatches(pods: readonly PodEndpoint[], addr: Addr): string[] {
  const all = pods.flatMap((p) => [p.ip, p.secondIp].filter((ip): ip is string => ip !== undefined));
  return byFamily(all, addr);
}

/** One address, as the match of its family. */
export function addressMatch(ip: string, addr: Addr): string {
  return `${ip.includes(':') ? 'ip6' : 'ip'} ${addr} ${ip}`;
}

/** CIDRs of both families, one match per family. */
export function cidrMatches(cidrs: readonly Cidr[], addr: Addr): string[] {
  return byFamily(
    cidrs.map((c) => c.text),
    addr,
  );
}

function byFamily(items: readonly string[], addr: Addr): string[] {
  const v4 = items.filter((i) => !i.includes(':'));
  const v6 = items.filter((i) => i.includes(':'));
  return [
    ...(v4.length === 0 ? [] : [`ip ${addr} { ${v4.join(', ')} }`]),
    ...(v6.length === 0 ? [] : [`ip6 ${addr} { ${v6.join(', ')} }`]),
  ];
}
