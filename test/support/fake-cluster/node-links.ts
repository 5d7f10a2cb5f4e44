// The links between FAKE nodes (a cluster of two or more): a "fabric" network namespace with a bridge
// stands for the network between machines; each node namespace has a veth on it (10.252.192.K/24), IPv4
// forwarding on, and a route to every other node's pod subnet via that node. A packet from a pod to a pod
// on another node is therefore routed twice (its node, then the other node), as across a real cluster's
// nodes, and a fault in one node's namespace (breakForwarding) touches only what crosses that node.
//
//   RUN-fab:    bridge RUNfb, veths RUNfK (one per node)
//   RUN-nodeK:  RUNuK 10.252.192.K/24 on the fabric; 10.252.(64·(J-1)).0/18 via 10.252.192.J for J ≠ K
//
// Dual-stack: the fabric carries IPv6 too (RUNuK also fd00:252:0:ff::K/64, IPv6 forwarding on, every other
// node's pod /64 via its fabric address), so a pod reaches a pod on another node in either family.
//
// Nothing is ever configured in the root namespace.
import { run, runSyncQuietly } from '../netlab/exec.js';
import type { Tools } from '../netlab/prereqs.js';
import type { NodeNetwork } from './node-network.js';

/** The nft table a node fault lives in, in the node's namespace (never a pod's). */
const FAULT_TABLE = 'flowprobe_fake_node_fault';

export class NodeLinks {
  private created = false;

  constructor(
    private readonly tools: Tools,
    private readonly runId: string,
    private readonly nodes: readonly NodeNetwork[],
  ) {}

  get fabricNamespace(): string {
    return `${this.runId}-fab`;
  }

  private ip(...args: string[]): Promise<string> {
    return run(this.tools.ip, args);
  }

  private uplink(node: NodeNetwork): string {
    return `${this.runId}u${node.node.index}`;
  }

  async create(): Promise<void> {
    const fab = this.fabricNamespace;
    const bridge = `${this.runId}fb`;
    this.created = true;
    await this.ip('netns', 'add', fab);
    await this.ip('-n', fab, 'link', 'add', bridge, 'type', 'bridge');
    await this.ip('-n', fab, 'link', 'set', bridge, 'up');
    for (const node of this.nodes) {
      const k = node.node.index;
      const outer = `${this.runId}f${k}`;
      const up = this.uplink(node);
      await this.ip(
        'link',
        'add',
        up,
        'netns',
        node.nodeNamespace,
        'type',
        'veth',
        'peer',
        'name',
        outer,
        'netns',
        fab,
      );
      await this.ip('-n', fab, 'link', 'set', outer, 'master', bridge, 'up');
      await this.ip('-n', node.nodeNamespace, 'addr', 'add', `${node.node.linkIp}/24`, 'dev', up);
      await this.ip('-n', node.nodeNamespace, 'link', 'set', up, 'up');
      await this.sysctl(node.nodeNamespace, 'net.ipv4.ip_forward=1');
      if (node.dualStack) await this.createIpv6(node, up);
    }
    for (const node of this.nodes) {
      for (const other of this.nodes) {
        if (other === node) continue;
        await this.ip('-n', node.nodeNamespace, 'route', 'add', other.node.cidr, 'via', other.node.linkIp);
        if (node.dualStack && other.dualStack) {
          const ns = node.nodeNamespace;
          await this.ip('-n', ns, '-6', 'route', 'add', other.node.cidr6, 'via', other.node.linkIp6);
        }
      }
    }
  }

  private async createIpv6(node: NodeNetwork, up: string): Promise<void> {
    await this.ip('-n', node.nodeNamespace, 'addr', 'add', `${node.node.linkIp6}/64`, 'dev', up, 'nodad');
    await this.sysctl(node.nodeNamespace, 'net.ipv6.conf.all.forwarding=1');
  }

  private sysctl(netns: string, setting: string): Promise<string> {
    return run(this.tools.ip, ['netns', 'exec', netns, this.tools.busybox, 'sysctl', '-w', setting]);
  }

  /**
   * Drops everything a node forwards between its pods and the other nodes (both ways), as a node whose
   * CNI data path broke: its pods still reach each other, nothing crosses to or from another node.
   */
  async breakForwarding(node: NodeNetwork): Promise<void> {
    const br = node.bridge;
    const up = this.uplink(node);
    const script = [
      `add table inet ${FAULT_TABLE}`,
      `flush table inet ${FAULT_TABLE}`,
      `table inet ${FAULT_TABLE} {`,
      '  chain forward {',
      '    type filter hook forward priority 0; policy accept;',
      `    iifname "${br}" oifname "${up}" drop`,
      `    iifname "${up}" oifname "${br}" drop`,
      '  }',
      '}',
      '',
    ].join('\n');
    await run(this.tools.ip, ['netns', 'exec', node.nodeNamespace, this.tools.nft, '-f', '-'], script);
  }

  async repairForwarding(node: NodeNetwork): Promise<void> {
    await run(this.tools.ip, [
      'netns',
      'exec',
      node.nodeNamespace,
      this.tools.nft,
      'delete',
      'table',
      'inet',
      FAULT_TABLE,
    ]);
  }

  /** Removes the fabric (the node namespaces, and their uplinks with them, are NodeNetwork's). */
  destroySync(): void {
    if (!this.created) return;
    runSyncQuietly(this.tools.ip, ['netns', 'del', this.fabricNamespace]);
    this.created = false;
  }
}
