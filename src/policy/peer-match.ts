// NetworkPolicyPeer matching against the other end of a flow (the source for ingress rules, the
// destination for egress rules). Semantics from the Kubernetes docs ("Behavior of to and from selectors"):
// - podSelector alone: pods in the policy's own namespace; namespaceSelector alone: all pods in the
//   selected namespaces ({} = every namespace); both in ONE peer: pods matching podSelector in the
//   selected namespaces (AND).
// - ipBlock: addresses in cidr and in none of `except`. The docs intend it for cluster-external IPs, but
//   whether a pod's IP matches is left to the implementation; Calico, Antrea and kube-router (as most
//   do) match pod IPs, so this engine does too where the pod's IP is known (Cilium does not: see the
//   reason text in reasons.ts). An address that is not known makes the peer `unknown`, never a guess.
// - hostNetwork pods: the docs leave NetworkPolicy for them undefined; "in the most common case"
//   selectors ignore them and their traffic is treated as the node IP's. So selectors never match
//   them; an ipBlock can, via their (node) IP.
import { cidrContains, parseIp, type IpAddress } from './cidr.js';
import type { CompiledIpBlock, CompiledPeer } from './compile.js';
import type { Labels } from './label-selector.js';
import { triOf, type Tri } from './tri.js';
import type { Endpoint } from './types.js';

export type NamespaceLabels = (namespace: string) => Labels;

export function matchPeer(
  peer: CompiledPeer,
  policyNamespace: string,
  other: Endpoint,
  nsLabels: NamespaceLabels,
): Tri {
  if (peer.ipBlock !== undefined) return matchIpBlock(peer.ipBlock, other);
  if (peer.pods === undefined && peer.namespaces === undefined) return 'no'; // `{}`: rejected by the API.
  if (other.kind !== 'pod' || other.hostNetwork === true) return 'no';
  if (!namespaceSelected(peer, policyNamespace, other.namespace, nsLabels)) return 'no';
  return triOf(peer.pods === undefined || peer.pods(other.labels));
}

function namespaceSelected(
  peer: CompiledPeer,
  policyNamespace: string,
  ns: string,
  nsLabels: NamespaceLabels,
): boolean {
  if (peer.namespaces === undefined) return ns === policyNamespace;
  let hit = peer.nsCache.get(ns);
  if (hit === undefined) {
    hit = peer.namespaces(nsLabels(ns));
    peer.nsCache.set(ns, hit);
  }
  return hit;
}

function matchIpBlock(block: CompiledIpBlock, other: Endpoint): Tri {
  const ip = addressOf(other);
  if (ip === undefined) return 'unknown';
  if (!cidrContains(block.cidr, ip)) return 'no';
  return triOf(!block.except.some((e) => cidrContains(e, ip)));
}

/** Parsed once per endpoint object: a pod is the other end of many flows. */
const parsed = new WeakMap<Endpoint, IpAddress | null>();

export function addressOf(e: Endpoint): IpAddress | undefined {
  if (e.ip === undefined) return undefined;
  let ip = parsed.get(e);
  if (ip === undefined) {
    ip = parseIp(e.ip) ?? null;
    parsed.set(e, ip);
  }
  return ip ?? undefined;
}
