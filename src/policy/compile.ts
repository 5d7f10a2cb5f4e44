// A NetworkPolicy compiled once: selectors become predicates, CIDRs become numbers, and the effective
// policyTypes are settled. Every flow then evaluates against these without re-parsing anything.
import { CidrParseError, parseCidr, type Cidr } from './cidr.js';
import { PolicyInputError } from './errors.js';
import { compileSelector, type LabelMatcher } from './label-selector.js';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PolicyProtocol,
  PolicyType,
} from './types.js';

export interface CompiledIpBlock {
  cidr: Cidr;
  except: Cidr[];
}

export interface CompiledPeer {
  index: number;
  source: NetworkPolicyPeer;
  /** Absent with no ipBlock: every pod of the selected namespaces. */
  pods?: LabelMatcher;
  /** Absent with no ipBlock: the policy's own namespace only (API reference, NetworkPolicyPeer). */
  namespaces?: LabelMatcher;
  ipBlock?: CompiledIpBlock;
  /** Per namespace name, whether `namespaces` selects it: namespaces are few, lookups many. */
  nsCache: Map<string, boolean>;
}

export interface CompiledPort {
  index: number;
  protocol: PolicyProtocol;
  port?: number | string;
  endPort?: number;
}

export interface CompiledRule {
  index: number;
  /** null: the rule has no from/to, which matches every source/destination. */
  peers: CompiledPeer[] | null;
  /** null: the rule has no ports, which matches every port. */
  ports: CompiledPort[] | null;
}

export interface CompiledPolicy {
  namespace: string;
  name: string;
  /** `namespace/name`, as reasons show it. */
  key: string;
  source: NetworkPolicy;
  selects: LabelMatcher;
  /** The effective policyTypes: a direction this policy isolates. */
  types: ReadonlySet<PolicyType>;
  ingress: CompiledRule[];
  egress: CompiledRule[];
}

/**
 * policyTypes defaulting (API reference, NetworkPolicySpec.policyTypes, and kube-apiserver's
 * SetDefaults_NetworkPolicySpec): when absent, Ingress always, plus Egress iff the spec has egress rules.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): Set<PolicyType> {
  const given = policy.spec.policyTypes;
  if (given !== undefined && given.length > 0) return new Set(given);
  const types = new Set<PolicyType>(['Ingress']);
  if ((policy.spec.egress ?? []).length > 0) types.add('Egress');
  return types;
}

export function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  const key = `${policy.namespace}/${policy.name}`;
  return {
    namespace: policy.namespace,
    name: policy.name,
    key,
    source: policy,
    selects: compileSelector(policy.spec.podSelector, { object: key, path: 'spec.podSelector' }),
    types: effectivePolicyTypes(policy),
    ingress: (policy.spec.ingress ?? []).map((r, i) => compileRule(r.from, r.ports, i, key, 'ingress')),
    egress: (policy.spec.egress ?? []).map((r, i) => compileRule(r.to, r.ports, i, key, 'egress')),
  };
}

/** Empty or absent from/to and ports mean "all" (API reference, NetworkPolicyIngressRule). */
function compileRule(
  peers: NetworkPolicyPeer[] | undefined,
  ports: NetworkPolicyPort[] | undefined,
  index: number,
  object: string,
  dir: 'ingress' | 'egress',
): CompiledRule {
  const path = `spec.${dir}[${index}].${dir === 'ingress' ? 'from' : 'to'}`;
  return {
    index,
    peers:
      peers === undefined || peers.length === 0
        ? null
        : peers.map((p, j) => compilePeer(p, j, { object, path: `${path}[${j}]` })),
    ports: ports === undefined || ports.length === 0 ? null : ports.map(compilePort),
  };
}

function compilePeer(
  peer: NetworkPolicyPeer,
  index: number,
  at: { object: string; path: string },
): CompiledPeer {
  const compiled: CompiledPeer = { index, source: peer, nsCache: new Map() };
  if (peer.ipBlock !== undefined) {
    // The API rejects ipBlock together with a selector; ipBlock alone decides such a peer here.
    const cidr = (text: string, path: string) => {
      try {
        return parseCidr(text);
      } catch (err) {
        if (!(err instanceof CidrParseError)) throw err;
        throw new PolicyInputError(at.object, `${at.path}.ipBlock.${path}`, err.message, { cause: err });
      }
    };
    compiled.ipBlock = {
      cidr: cidr(peer.ipBlock.cidr, 'cidr'),
      except: (peer.ipBlock.except ?? []).map((e, i) => cidr(e, `except[${i}]`)),
    };
    return compiled;
  }
  if (peer.podSelector !== undefined)
    compiled.pods = compileSelector(peer.podSelector, { ...at, path: `${at.path}.podSelector` });
  if (peer.namespaceSelector !== undefined) {
    compiled.namespaces = compileSelector(peer.namespaceSelector, {
      ...at,
      path: `${at.path}.namespaceSelector`,
    });
  }
  return compiled;
}

function compilePort(port: NetworkPolicyPort, index: number): CompiledPort {
  const compiled: CompiledPort = { index, protocol: port.protocol ?? 'TCP' };
  if (port.port !== undefined) compiled.port = port.port;
  if (port.endPort !== undefined) compiled.endPort = port.endPort;
  return compiled;
}
