// A cluster-scoped policy compiled once: selectors become predicates, CIDRs numbers. Flows then match
// against these without re-parsing (network-policy-api commit 0eec1b0e, see cluster-types.ts).
import { CidrParseError, parseCidr, type Cidr } from './cidr.js';
import type { ClusterAction, ClusterPeer, ClusterPolicy, ClusterPort, ClusterRule } from './cluster-types.js';
import { PolicyInputError } from './errors.js';
import { compileSelector, type LabelMatcher } from './label-selector.js';
import type { LabelSelector } from './types.js';

/** How reasons and findings name a policy: `cnp/NAME`, `anp/NAME`, `banp/NAME` (the API's short names). */
export function clusterPolicyKey(p: Pick<ClusterPolicy, 'kind' | 'name'>): string {
  const short = p.kind === 'ClusterNetworkPolicy' ? 'cnp' : p.kind === 'AdminNetworkPolicy' ? 'anp' : 'banp';
  return `${short}/${p.name}`;
}

export interface CompiledNamespacedPods {
  namespaces: LabelMatcher;
  pods: LabelMatcher;
  /** Per namespace name, whether `namespaces` selects it: namespaces are few, lookups many. */
  nsCache: Map<string, boolean>;
}

export type CompiledClusterPeer =
  | { index: number; kind: 'pods'; select: CompiledNamespacedPods }
  /** `seen`: per endpoint with a known address, whether a CIDR holds it (CIDR math on bigints is slow). */
  | { index: number; kind: 'networks'; networks: Cidr[]; seen: WeakMap<object, boolean> }
  | { index: number; kind: 'nodes' | 'domainNames'; text: string }
  /** No field this version knows: the API says to "fail closed" (see peer-match in cluster-match.ts). */
  | { index: number; kind: 'unrecognized' };

export interface CompiledClusterRule {
  index: number;
  /** `'name'` or `rule N`, as reasons show it. */
  label: string;
  action: ClusterAction;
  peers: CompiledClusterPeer[];
  /** null: every port and protocol. */
  ports: ClusterPort[] | null;
}

export interface CompiledClusterPolicy {
  key: string;
  source: ClusterPolicy;
  /** v1alpha2 and v1alpha1 policies are ordered within their own API only (see tier-eval.ts). */
  family: 'v1alpha2' | 'v1alpha1';
  subject: CompiledNamespacedPods;
  ingress: CompiledClusterRule[];
  egress: CompiledClusterRule[];
}

const ALL = {} as const;

export function compileClusterPolicy(policy: ClusterPolicy): CompiledClusterPolicy {
  const key = clusterPolicyKey(policy);
  const at = (path: string) => ({ object: key, path });
  const subject =
    policy.subject.pods !== undefined
      ? namespacedPods(
          policy.subject.pods.namespaceSelector,
          policy.subject.pods.podSelector,
          at('spec.subject.pods'),
        )
      : namespacedPods(policy.subject.namespaces ?? ALL, ALL, at('spec.subject.namespaces'));
  return {
    key,
    source: policy,
    family: policy.kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1',
    subject,
    ingress: policy.ingress.map((r, i) => compileRule(r, i, key, `spec.ingress[${i}].from`)),
    egress: policy.egress.map((r, i) => compileRule(r, i, key, `spec.egress[${i}].to`)),
  };
}

function namespacedPods(
  namespaces: LabelSelector,
  pods: LabelSelector,
  at: { object: string; path: string },
): CompiledNamespacedPods {
  return {
    namespaces: compileSelector(namespaces, { ...at, path: `${at.path}.namespaceSelector` }),
    pods: compileSelector(pods, { ...at, path: `${at.path}.podSelector` }),
    nsCache: new Map(),
  };
}

function compileRule(rule: ClusterRule, index: number, object: string, path: string): CompiledClusterRule {
  return {
    index,
    label: rule.name !== undefined && rule.name !== '' ? `'${rule.name}'` : `${index}`,
    action: rule.action,
    peers: rule.peers.map((p, j) => compilePeer(p, j, { object, path: `${path}[${j}]` })),
    ports: rule.ports === undefined || rule.ports.length === 0 ? null : rule.ports,
  };
}

function compilePeer(
  peer: ClusterPeer,
  index: number,
  at: { object: string; path: string },
): CompiledClusterPeer {
  if (peer.pods !== undefined) {
    return {
      index,
      kind: 'pods',
      select: namespacedPods(peer.pods.namespaceSelector, peer.pods.podSelector, {
        ...at,
        path: `${at.path}.pods`,
      }),
    };
  }
  if (peer.namespaces !== undefined) {
    return {
      index,
      kind: 'pods',
      select: namespacedPods(peer.namespaces, ALL, { ...at, path: `${at.path}.namespaces` }),
    };
  }
  if (peer.networks !== undefined) {
    const networks = peer.networks.map((text, i) => {
      try {
        return parseCidr(text);
      } catch (err) {
        if (!(err instanceof CidrParseError)) throw err;
        throw new PolicyInputError(at.object, `${at.path}.networks[${i}]`, err.message, { cause: err });
      }
    });
    return { index, kind: 'networks', networks, seen: new WeakMap() };
  }
  if (peer.nodes !== undefined) return { index, kind: 'nodes', text: 'nodes' };
  if (peer.domainNames !== undefined) {
    return { index, kind: 'domainNames', text: `domainNames ${peer.domainNames.join(', ')}` };
  }
  return { index, kind: 'unrecognized' };
}
