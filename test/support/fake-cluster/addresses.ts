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

/** At most this many FAKE nodes: 10.252.0.0/16 in /18 quarters, the last quarter for the links between them. */
export const MAX_NODES = 3;

/** One FAKE node: its name, its address on its own bridge (the pods' gateway, their hostIP) and pod subnet. */
export interface FakeNode {
  name: string;
  /** 1-based. */
  index: number;
  ip: string;
  /** The pod subnet's prefix length: /16 for a cluster of one node (as before nodes came), else /18. */
  prefix: number;
  /** The subnet, e.g. 10.252.64.0/18. */
  cidr: string;
  /** The node's address on the link between nodes (multi-node only). */
  linkIp: string;
  /** Dual-stack: the node's IPv6 address on its bridge (the pods' IPv6 gateway) and its /64. */
  ip6: string;
  cidr6: string;
  /** Dual-stack, multi-node: the node's IPv6 address on the link between nodes. */
  linkIp6: string;
}

/**
 * The nodes of a cluster of `count`: fake-node-1 keeps 10.252.0.1 (and the resolver 10.252.0.10); node k
 * gets 10.252.(64·(k-1)).0/18; the links between nodes use 10.252.192.k/24.
 */
export function fakeNodes(count: number): FakeNode[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES)
    throw new Error(`FAKE cluster: nodes must be 1 to ${MAX_NODES}, not ${count}`);
  const prefix = count === 1 ? POD_PREFIX : 18;
  return Array.from({ length: count }, (_, i) => {
    const base = `10.252.${64 * i}`;
    return {
      name: `fake-node-${i + 1}`,
      index: i + 1,
      ip: `${base}.1`,
      prefix,
      cidr: `${base}.0/${prefix}`,
      linkIp: `10.252.192.${i + 1}`,
      // IPv6 (dual-stack): node k's pods in fd00:252:0:(k-1)::/64, so node 1 keeps fd00:252::/64.
      ip6: `${ipv6Base(i + 1)}1`,
      cidr6: `${ipv6Base(i + 1)}/${POD_PREFIX6}`,
      linkIp6: `fd00:252:0:ff::${i + 1}`,
    };
  });
}

/** Hands out pod addresses in one node's subnet, from its x.1.1 upwards; never reused within a run. */
export class PodAddresses {
  private next: number;
  private readonly end: number;

  /** Default: fake-node-1 of a one-node cluster (10.252.1.1 to 10.252.255.254). */
  constructor(node: Pick<FakeNode, 'ip' | 'prefix'> = { ip: NODE_IP, prefix: POD_PREFIX }) {
    const third = Number(node.ip.split('.')[2] ?? 0);
    this.next = (third + 1) * 256 + 1;
    this.end = (third + 2 ** (24 - node.prefix)) * 256 - 1;
  }

  allocate(): string {
    const n = this.next++;
    if (n >= this.end) throw new Error("FAKE IPAM: the node's pod range is exhausted");
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

/** The IPv6 prefix of node `index`'s pods, up to its `::`: fd00:252:: for node 1, fd00:252:0:1:: for node 2. */
function ipv6Base(index: number): string {
  return index === 1 ? 'fd00:252::' : `fd00:252:0:${(index - 1).toString(16)}::`;
}

/**
 * A pod's IPv6 address, derived from its IPv4 one (10.252.X.Y → fd00:252::X:Y on node 1, fd00:252:0:1::X:Y
 * on node 2), so it is unique too and lies in its node's /64.
 */
export function ipv6For(ipv4: string, nodeIndex = 1): string {
  const [, , x = '0', y = '0'] = ipv4.split('.');
  return `${ipv6Base(nodeIndex)}${Number(x).toString(16)}:${Number(y).toString(16)}`;
}
