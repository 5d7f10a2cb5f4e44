// How coverage names what a rule selects: its peers and ports as written, short enough for one line.
import { describeSelector } from '../policy/label-selector.js';
import type { ClusterPort } from '../policy/cluster-types.js';
import type { NetworkPolicyPeer, NetworkPolicyPort } from '../policy/types.js';

export function describePeer(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock !== undefined) {
    const except = peer.ipBlock.except ?? [];
    return `ipBlock ${peer.ipBlock.cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`;
  }
  const parts: string[] = [];
  if (peer.namespaceSelector !== undefined)
    parts.push(`namespaceSelector {${describeSelector(peer.namespaceSelector)}}`);
  if (peer.podSelector !== undefined) parts.push(`podSelector {${describeSelector(peer.podSelector)}}`);
  return parts.join(' ') || '{}';
}

export function describePorts(ports: readonly NetworkPolicyPort[] | undefined): string {
  if (ports === undefined || ports.length === 0) return 'any port';
  return ports
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      if (p.port === undefined) return `${proto} any port`;
      return p.endPort !== undefined ? `${proto} ${p.port}-${p.endPort}` : `${proto} ${p.port}`;
    })
    .join(', ');
}

export function describeClusterPorts(ports: readonly ClusterPort[] | null): string {
  if (ports === null) return 'any port';
  return ports
    .map((p) => {
      if (p.namedPort !== undefined) return `port ${p.namedPort}`;
      const proto = p.protocol ?? 'TCP';
      if (p.port === undefined) return `${proto} any port`;
      return p.endPort !== undefined ? `${proto} ${p.port}-${p.endPort}` : `${proto} ${p.port}`;
    })
    .join(', ');
}
