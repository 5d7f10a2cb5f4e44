// One FAKE node's network: a "node" network namespace holding a bridge, and one network namespace per pod
// joined to the bridge by a veth pair. Nothing is configured in the root namespace; every name carries
// the run id, so parallel runs never collide, and removing the namespaces takes veths and nft tables along.
//
//   node namespace RUN-node:   bridge RUNbr, 10.252.0.1/16 (the pods' gateway, their hostIP)
//   pod namespace  RUN-pN:     eth0 10.252.X.Y/16 (veth peer RUNvN on the bridge), default via 10.252.0.1,
//                              /etc/netns/RUN-pN/resolv.conf -> the FAKE resolver
//
// In a cluster of several nodes (addresses.ts fakeNodes) node k ≥ 2 is RUN-nodeK with bridge RUNbrK and
// pods RUN-nKpN (veths RUNnKvN), each node on its own /18; node-links.ts routes between the nodes.
//
// Dual-stack (opt-in): each node's bridge also has its IPv6 gateway (fd00:252::1/64 on node 1,
// fd00:252:0:K-1::1/64 on node K: addresses.ts fakeNodes) and each pod an address in its node's /64
// (addresses.ts `ipv6For`), default route via that gateway; `nodad`, so the addresses are usable at once.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { run, runSyncQuietly } from '../netlab/exec.js';
import type { Tools } from '../netlab/prereqs.js';
import { CLUSTER_DOMAIN, fakeNodes, POD_PREFIX6, RESOLVER_IP, type FakeNode } from './addresses.js';

export interface PodNetwork {
  /** The pod's network namespace, for `ip netns exec`. */
  netns: string;
  ip: string;
  /** The pod's IPv6 address, in the dual-stack mode. */
  ip6?: string;
}

export class NodeNetwork {
  private count = 0;
  private readonly podNamespaces = new Set<string>();

  constructor(
    private readonly tools: Tools,
    readonly runId: string,
    readonly node: FakeNode = fakeNodes(1)[0] as FakeNode,
    /** Give the node and every pod an IPv6 address too (dual-stack). */
    readonly dualStack = false,
  ) {}

  /** Node 1 keeps the names it had before nodes came; node k adds k. */
  private get suffix(): string {
    return this.node.index === 1 ? '' : String(this.node.index);
  }

  get nodeNamespace(): string {
    return `${this.runId}-node${this.suffix}`;
  }

  get bridge(): string {
    return `${this.runId}br${this.suffix}`;
  }

  private ip(...args: string[]): Promise<string> {
    return run(this.tools.ip, args);
  }

  async create(): Promise<void> {
    const node = this.nodeNamespace;
    await this.ip('netns', 'add', node);
    await this.ip('-n', node, 'link', 'set', 'lo', 'up');
    await this.ip('-n', node, 'link', 'add', this.bridge, 'type', 'bridge');
    await this.ip('-n', node, 'addr', 'add', `${this.node.ip}/${this.node.prefix}`, 'dev', this.bridge);
    await this.ip('-n', node, 'link', 'set', this.bridge, 'up');
    if (this.dualStack) await this.createIpv6(node);
  }

  private async createIpv6(node: string): Promise<void> {
    await this.ip('-n', node, 'addr', 'add', `${this.node.ip6}/${POD_PREFIX6}`, 'dev', this.bridge, 'nodad');
  }

  /** The pod's IPv6 side; ICMPv6 errors are rate-limited per namespace like ICMP's. */
  private async addPodIpv6(netns: string, ip6: string): Promise<void> {
    await this.ip('-n', netns, 'addr', 'add', `${ip6}/${POD_PREFIX6}`, 'dev', 'eth0', 'nodad');
    await this.ip('-n', netns, 'route', 'add', 'default', 'via', this.node.ip6);
    const sysctl = [this.tools.busybox, 'sysctl', '-w', 'net.ipv6.icmp.ratelimit=0'];
    await run(this.tools.ip, ['netns', 'exec', netns, ...sysctl]);
  }

  /** A pod's namespace on the bridge, with `ip` and the cluster resolver in its resolv.conf. */
  async addPod(ip: string, podNamespace: string, ip6?: string): Promise<PodNetwork> {
    const n = ++this.count;
    const pods = this.node.index === 1 ? '' : `n${this.node.index}`;
    const netns = `${this.runId}-${pods}p${n}`;
    const outer = `${this.runId}${pods}v${n}`;
    this.podNamespaces.add(netns);
    await this.ip('netns', 'add', netns);
    await this.ip('-n', netns, 'link', 'set', 'lo', 'up');
    await this.ip(
      'link',
      'add',
      'eth0',
      'netns',
      netns,
      'type',
      'veth',
      'peer',
      'name',
      outer,
      'netns',
      this.nodeNamespace,
    );
    await this.ip('-n', this.nodeNamespace, 'link', 'set', outer, 'master', this.bridge, 'up');
    await this.ip('-n', netns, 'addr', 'add', `${ip}/${this.node.prefix}`, 'dev', 'eth0');
    await this.ip('-n', netns, 'link', 'set', 'eth0', 'up');
    await this.ip('-n', netns, 'route', 'add', 'default', 'via', this.node.ip);
    // Rejects are ICMP errors, rate-limited per namespace; probes send bursts, so lift the limit here.
    await run(this.tools.ip, [
      'netns',
      'exec',
      netns,
      this.tools.busybox,
      'sysctl',
      '-w',
      'net.ipv4.icmp_ratelimit=0',
    ]);
    mkdirSync(`/etc/netns/${netns}`, { recursive: true });
    if (ip6 !== undefined) await this.addPodIpv6(netns, ip6);
    writeFileSync(`/etc/netns/${netns}/resolv.conf`, resolvConf(podNamespace));
    return ip6 === undefined ? { netns, ip } : { netns, ip, ip6 };
  }

  async removePod(netns: string): Promise<void> {
    if (!this.podNamespaces.delete(netns)) return;
    try {
      await this.ip('netns', 'del', netns);
    } finally {
      rmSync(`/etc/netns/${netns}`, { recursive: true, force: true });
    }
  }

  /** Whether `ip netns` still lists the namespace (for tests of deletion). */
  async exists(netns: string): Promise<boolean> {
    const list = await this.ip('netns', 'list');
    return list.split('\n').some((line) => line.split(' ')[0] === netns);
  }

  /** Removes every namespace of this run; synchronous so it can run from an exit handler. */
  destroySync(): void {
    for (const netns of [...this.podNamespaces, this.nodeNamespace]) {
      runSyncQuietly(this.tools.ip, ['netns', 'del', netns]);
      rmSync(`/etc/netns/${netns}`, { recursive: true, force: true });
    }
    this.podNamespaces.clear();
  }
}

/** As kubelet writes it for dnsPolicy ClusterFirst (pkg/kubelet/network/dns). */
export function resolvConf(podNamespace: string): string {
  const search = [`${podNamespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  return `search ${search.join(' ')}\nnameserver ${RESOLVER_IP}\noptions ndots:5\n`;
}
