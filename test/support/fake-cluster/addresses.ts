// The FAKE cluster's addresses. Everything lives inside network namespaces this run creates (the "node"
// namespace and one per pod), so the same private range can be reused by parallel runs without colliding:
// nothing here is ever configured in the root namespace.

/** The pod network: one bridge in the node namespace, every pod on it. */
export const POD_CIDR = '10.252.0.0/16';
export const POD_PREFIX = 16;
/** The node's address on the bridge: the pods' gateway and their `status.hostIP`. */
export const NODE_IP = '10.252.0.1';
/** The FAKE resolver pod's fixed address (a real cluster points pods at the kube-dns Service IP). */
export const RESOLVER_IP = '10.252.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
export const NODE_NAME = 'fake-node-1';

/** Hands out pod addresses 10.252.1.1 upwards; an address is never reused within a run. */
export class PodAddresses {
  private next = 256 + 1;

  allocate(): string {
    const n = this.next++;
    if (n >= 65535) throw new Error('FAKE IPAM: the pod range 10.252.0.0/16 is exhausted');
    if (n % 256 === 0 || n % 256 === 255) return this.allocate();
    return `10.252.${Math.floor(n / 256)}.${n % 256}`;
  }
}

/** A per-run id that prefixes every namespace, interface and file name (short: interface names ≤ 15). */
export function runId(): string {
  return `fc${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

// IPv6, in the dual-stack mode (FakeCluster.start({ ipFamilies: ['IPv4', 'IPv6'] })): a ULA prefix that
// exists only inside this run's namespaces, like the IPv4 range.
export const POD_CIDR6 = 'fd00:252::/64';
export const POD_PREFIX6 = 64;
/** The node's IPv6 address on the bridge: the pods' IPv6 gateway. */
export const NODE_IP6 = 'fd00:252::1';

export type IpFamily = 'IPv4' | 'IPv6';

/** A pod's IPv6 address, derived from its IPv4 one (10.252.X.Y → fd00:252::X:Y), so it is unique too. */
export function ipv6For(ipv4: string): string {
  const [, , x = '0', y = '0'] = ipv4.split('.');
  return `fd00:252::${Number(x).toString(16)}:${Number(y).toString(16)}`;
}
