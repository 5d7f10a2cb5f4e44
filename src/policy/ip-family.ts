// Address families of a dual-stack cluster. A connection uses one family end to end, so a flow is
// predicted in one family: each pod is seen with its address of that family (a pod has at most one per
// family: `status.podIPs`), and an ipBlock or `networks` CIDR of the other family never matches it
// (cidr.ts; the NetworkPolicy API reference: "ipBlock ... a particular CIDR", and IPv4 and IPv6 CIDRs are
// distinct ranges; kube-network-policies and Calico compare within one family).
import type { IpFamily } from '../api/types.js';
import type { Endpoint } from './types.js';

export type { IpFamily };

export function familyOf(ip: string): IpFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The endpoint's address in `family`, if it has one there. */
export function addressIn(e: Endpoint, family: IpFamily): string | undefined {
  if (e.ip !== undefined && familyOf(e.ip) === family) return e.ip;
  if (e.kind === 'pod' && e.secondIp !== undefined && familyOf(e.secondIp) === family) return e.secondIp;
  return undefined;
}

/**
 * The endpoint as a connection of `family` sees it: the same object when its `ip` is already of that
 * family; otherwise a view whose `ip` is its address of that family (none: no `ip`, so an ipBlock answers
 * "unknown" rather than matching the other family's address). A view inherits everything else from the
 * endpoint itself (Object.create), which keeps a CompactPod's getters working without copying it.
 */
export function inFamily<E extends Endpoint>(e: E, family: IpFamily): E {
  if (e.ip === undefined || familyOf(e.ip) === family) return e;
  const ip = addressIn(e, family);
  return Object.create(e, { ip: { value: ip, enumerable: true } }) as E;
}

/**
 * A pod status's `podIPs[1].ip` when it is of the other family than `podIP` (a dual-stack pod), read
 * from wire JSON or a manifest (anything not shaped so is ignored).
 */
export function secondPodIp(status: { podIP?: unknown; podIPs?: unknown } | undefined): string | undefined {
  const primary = status?.podIP;
  const ips = status?.podIPs;
  if (typeof primary !== 'string' || !Array.isArray(ips)) return undefined;
  const second: unknown = (ips[1] as { ip?: unknown } | undefined)?.ip;
  if (typeof second !== 'string' || familyOf(second) === familyOf(primary)) return undefined;
  return second;
}
