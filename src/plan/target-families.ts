// Which address families a flow's probe uses, and at which address (pure). A connection uses one family
// end to end, so on a dual-stack cluster a pod or Service target is really two targets: the flow is probed
// in each family its target has, or only in the family it names (`ipFamily`), and each probe dials that
// family's address directly: the pod's `status.podIPs` entry, the Service's `spec.clusterIPs` entry. An
// IPv4-only target keeps today's path (a Service by its DNS name, a pod by `podIP`). An IPv6-only target
// (an IPv6 single-stack cluster) is dialled at its IPv6 address as if the flow named IPv6: the probe
// resolves names to A records only (docs/busybox-ipv6.md), so its DNS name would never resolve.
import type { Flow, IpFamily } from '../api/types.js';
import { familyOf } from '../policy/ip-family.js';

export interface FamilyAddress {
  ipFamily: IpFamily;
  address: string;
}

/** Why a flow that names a family cannot be probed in it, or the addresses to probe (one per family). */
export type FamilyChoice = FamilyAddress[] | { reason: string; kind: 'waiting' | 'invalid' };

/**
 * `addresses`: the target's addresses (a pod's podIP and its second address, a Service's clusterIPs), in
 * the API's order. An empty result: an IPv4-only target or no knowledge of its addresses (the caller
 * probes as before).
 */
export function chooseFamilies(flow: Flow, what: string, addresses: readonly string[]): FamilyChoice {
  const byFamily = new Map<IpFamily, string>();
  for (const a of addresses) if (!byFamily.has(familyOf(a))) byFamily.set(familyOf(a), a);
  const named = flow.ipFamily;
  if (named === undefined) {
    const v6 = byFamily.get('IPv6');
    if (byFamily.size === 1 && v6 !== undefined) return [{ ipFamily: 'IPv6', address: v6 }];
    if (byFamily.size < 2) return [];
    return [...byFamily].map(([ipFamily, address]) => ({ ipFamily, address }));
  }
  const address = byFamily.get(named);
  if (address === undefined) return { reason: `${what} has no ${named} address`, kind: 'waiting' };
  return [{ ipFamily: named, address }];
}

/** The probe resolves host names to IPv4 addresses only (A records; docs/busybox-ipv6.md). */
export const HOST_IPV6_UNSUPPORTED =
  'the probe resolves host names to IPv4 addresses only: put the IPv6 address in to.ip, or use a Service';
