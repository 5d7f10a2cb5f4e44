// Matching one cluster-scoped policy against one side of a flow (network-policy-api commit 0eec1b0e,
// apis/v1alpha2/clusternetworkpolicy_types.go; see cluster-types.ts):
// - subject: pods in the selected namespaces (and matching the pod selector); host-network pods never
//   ("host-networked pods are not included in subject selection").
// - peers `namespaces` / `pods`: likewise, never host-network pods; `networks`: by address, pod IPs
//   included; an address nobody knows makes the peer `unknown`, never a guess.
//   One exception: a pod (or a workload's template) whose address is not known still cannot be in a
//   link-local or loopback range — pod addresses are routed between nodes, and those ranges are never
//   forwarded (RFC 3927 §2.7, RFC 1122 §3.2.1.3) — so a rule for the metadata address 169.254.169.254
//   does not make every flow to a template Unknown.
// - `nodes`: selects node addresses. A pod on the pod network never has one, so it cannot match such a
//   pod; for anything else (a host-network pod, an outside address) flowprobe cannot tell: `unknown`.
// - `domainNames`: matches what a name resolves to, which manifests do not say: `unknown`.
// - a peer with no field this version knows: "fail closed" — an Accept rule matches nothing, a Deny or
//   Pass rule matches everything (ClusterNetworkPolicyEgressPeer doc).
import { cidrContains, parseCidr, type Cidr } from './cidr.js';
import type { CompiledClusterPeer, CompiledClusterRule, CompiledNamespacedPods } from './cluster-compile.js';
import type { ClusterAction, ClusterPort } from './cluster-types.js';
import { addressOf, type NamespaceLabels } from './peer-match.js';
import type { Tri } from './tri.js';
import type { Endpoint, PodEndpoint, PolicyProtocol } from './types.js';

export function selectsPod(s: CompiledNamespacedPods, pod: PodEndpoint, nsLabels: NamespaceLabels): boolean {
  if (pod.hostNetwork === true) return false;
  return namespaceSelected(s, pod.namespace, nsLabels) && s.pods(pod.labels);
}

function namespaceSelected(s: CompiledNamespacedPods, ns: string, nsLabels: NamespaceLabels): boolean {
  let hit = s.nsCache.get(ns);
  if (hit === undefined) {
    hit = s.namespaces(nsLabels(ns));
    s.nsCache.set(ns, hit);
  }
  return hit;
}

export interface RuleMatch {
  match: Tri;
  /** How the rule's ports matched, for reasons: `port 8080`, `any port`. */
  port: string;
  /** With `unknown`: why flowprobe cannot tell. */
  why?: string;
}

export interface ClusterFlowSide {
  /** The other end: the destination for egress rules, the source for ingress rules. */
  other: Endpoint;
  dest: Endpoint;
  port: number;
  protocol: PolicyProtocol;
  nsLabels: NamespaceLabels;
}

export function matchClusterRule(rule: CompiledClusterRule, side: ClusterFlowSide): RuleMatch | undefined {
  const port = matchClusterPorts(rule.ports, side.dest, side.port, side.protocol);
  if (port === undefined) return undefined;
  let why: string | undefined;
  for (const peer of rule.peers) {
    const m = matchClusterPeer(peer, rule.action, side);
    if (m.match === 'yes') return { match: 'yes', port };
    if (m.match === 'unknown') why ??= m.why;
  }
  return why === undefined ? { match: 'no', port } : { match: 'unknown', port, why };
}

const YES = { match: 'yes' } as const;
const NO = { match: 'no' } as const;

function matchClusterPeer(
  peer: CompiledClusterPeer,
  action: ClusterAction,
  side: ClusterFlowSide,
): { match: Tri; why?: string } {
  const { other } = side;
  switch (peer.kind) {
    case 'pods':
      return other.kind === 'pod' && selectsPod(peer.select, other, side.nsLabels) ? YES : NO;
    case 'networks': {
      const known = peer.seen.get(other);
      if (known !== undefined) return known ? YES : NO;
      const ip = addressOf(other);
      if (ip !== undefined) {
        const hit = peer.networks.some((c) => cidrContains(c, ip));
        peer.seen.set(other, hit);
        return hit ? YES : NO;
      }
      if (other.kind === 'pod' && peer.networks.every(neverAPodAddress)) return NO;
      return { match: 'unknown', why: `networks peer ${peer.index}: the address is not known` };
    }
    case 'nodes':
      if (other.kind === 'pod' && other.hostNetwork !== true) return NO;
      return {
        match: 'unknown',
        why: `experimental nodes peer ${peer.index}: flowprobe does not model node addresses`,
      };
    case 'domainNames':
      return { match: 'unknown', why: `experimental ${peer.text}: flowprobe does not resolve names` };
    case 'unrecognized':
      return action === 'Accept' ? NO : YES;
  }
}

/** A rule's ports are ORed; none means all. Undefined: no entry matches. */
export function matchClusterPorts(
  ports: ClusterPort[] | null,
  dest: Endpoint,
  port: number,
  protocol: PolicyProtocol,
): string | undefined {
  if (ports === null) return 'any port';
  for (const p of ports) {
    const label = matchPort(p, dest, port, protocol);
    if (label !== undefined) return label;
  }
  return undefined;
}

function matchPort(
  p: ClusterPort,
  dest: Endpoint,
  port: number,
  protocol: PolicyProtocol,
): string | undefined {
  const proto = protocol === 'TCP' ? '' : `/${protocol}`;
  if (p.namedPort !== undefined) {
    // The named container port of the destination pod, whatever its protocol; nothing outside the pods.
    if (dest.kind !== 'pod') return undefined;
    const hit = dest.ports.some(
      (cp) => cp.name === p.namedPort && cp.containerPort === port && (cp.protocol ?? 'TCP') === protocol,
    );
    return hit ? `port ${p.namedPort} (${port})${proto}` : undefined;
  }
  if ((p.protocol ?? 'TCP') !== protocol) return undefined;
  if (p.port === undefined) return `any port${proto}`;
  const end = p.endPort ?? p.port;
  if (port < p.port || port > end) return undefined;
  return end === p.port ? `port ${p.port}${proto}` : `ports ${p.port}-${end}${proto}`;
}

/** Ranges no pod address is ever in (see the header): link-local and loopback, IPv4 and IPv6. */
const NEVER_POD = ['169.254.0.0/16', '127.0.0.0/8', 'fe80::/10', '::1/128'].map(parseCidr);

function neverAPodAddress(c: Cidr): boolean {
  return NEVER_POD.some(
    (r) =>
      r.family === c.family &&
      r.prefix <= c.prefix &&
      cidrContains(r, { family: c.family, value: c.network }),
  );
}
