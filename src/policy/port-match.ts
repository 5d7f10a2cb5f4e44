// NetworkPolicyPort matching. A rule's ports are OR'ed; no ports means all ports. Protocol defaults to
// TCP. A named port is resolved against the DESTINATION pod's container ports — also in egress rules,
// where the destination is the peer (API reference, NetworkPolicyPort.port) — and a destination that
// declares no such name (or is not a pod) does not match it. `endPort` widens a numeric port to a range.
import type { CompiledPort } from './compile.js';
import type { Endpoint, PolicyProtocol } from './types.js';

export interface PortMatch {
  /** Index into the rule's ports; undefined when the rule has no ports (all ports). */
  index?: number;
  /** How reasons show it: `port 8080`, `port metrics (9090)`, `ports 8000-8100/UDP`, `any port`. */
  label: string;
}

export function matchPorts(
  ports: CompiledPort[] | null,
  dest: Endpoint,
  port: number,
  protocol: PolicyProtocol,
): PortMatch | undefined {
  if (ports === null) return { label: 'any port' };
  for (const p of ports) {
    if (p.protocol === protocol && portMatches(p, dest, port))
      return { index: p.index, label: portLabel(p, port) };
  }
  return undefined;
}

function portMatches(p: CompiledPort, dest: Endpoint, port: number): boolean {
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
  if (dest.kind !== 'pod') return false;
  const name = p.port;
  return dest.ports.some(
    (cp) => cp.name === name && cp.containerPort === port && (cp.protocol ?? 'TCP') === p.protocol,
  );
}

function portLabel(p: CompiledPort, port: number): string {
  const proto = p.protocol === 'TCP' ? '' : `/${p.protocol}`;
  if (p.port === undefined) return `any port${proto}`;
  if (typeof p.port === 'string') return `port ${p.port} (${port})${proto}`;
  if (p.endPort !== undefined && p.endPort !== p.port) return `ports ${p.port}-${p.endPort}${proto}`;
  return `port ${p.port}${proto}`;
}
