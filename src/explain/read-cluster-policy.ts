// Cluster-scoped policies of the network-policy-api from manifests into the engine's one model,
// checking what the CRD schemas would reject (network-policy-api commit 0eec1b0e,
// apis/v1alpha2/clusternetworkpolicy_types.go, apis/v1alpha1/*_types.go), so the engine never sees a
// shape Kubernetes would not store:
//   policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy   tier Admin|Baseline, priority, Accept|Deny|Pass
//   policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy     priority, Allow|Deny|Pass
//   policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy  named "default", Allow|Deny
// v1alpha1's Allow becomes the model's Accept (the same final allow).
import type {
  ClusterAction,
  ClusterPeer,
  ClusterPolicy,
  ClusterPolicyKind,
  ClusterRule,
  ClusterSubject,
  NamespacedPodSelector,
} from '../policy/index.js';
import { CidrParseError, parseCidr } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';
import { exactlyOne, readProtocols, readV1alpha1Ports } from './read-cluster-ports.js';
import { readSelector } from './read-selector.js';

const GROUP = 'policy.networking.k8s.io';

/** The kind this object is, when it is one of the three explain reads; undefined otherwise. */
export function clusterPolicyKind(kind: string, apiVersion: string): ClusterPolicyKind | undefined {
  if (kind === 'ClusterNetworkPolicy' && apiVersion === `${GROUP}/v1alpha2`) return kind;
  if (
    (kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy') &&
    apiVersion === `${GROUP}/v1alpha1`
  )
    return kind;
  return undefined;
}

interface Version {
  kind: ClusterPolicyKind;
  /** Rules per direction: 25 in v1alpha2, 100 in v1alpha1. */
  maxItems: number;
  actions: Record<string, ClusterAction>;
  egressPeers: readonly string[];
}

const VERSIONS: Record<ClusterPolicyKind, Version> = {
  ClusterNetworkPolicy: {
    kind: 'ClusterNetworkPolicy',
    maxItems: 25,
    actions: { Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' },
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  },
  AdminNetworkPolicy: {
    kind: 'AdminNetworkPolicy',
    maxItems: 100,
    actions: { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' },
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  },
  BaselineAdminNetworkPolicy: {
    kind: 'BaselineAdminNetworkPolicy',
    maxItems: 100,
    actions: { Allow: 'Accept', Deny: 'Deny' },
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
  },
};

export function readClusterPolicy(
  obj: Json,
  kind: ClusterPolicyKind,
  name: string,
  p: Problems,
): ClusterPolicy {
  const v = VERSIONS[kind];
  const spec = p.record(obj.spec, 'spec') ?? {};
  if (obj.spec === undefined) p.add('spec', 'is required');
  const out: ClusterPolicy = {
    kind,
    name,
    tier: kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline',
    priority: 0,
    subject: readSubject(spec.subject, kind, p),
    ingress: readRules(spec.ingress, 'ingress', v, p),
    egress: readRules(spec.egress, 'egress', v, p),
  };
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default')
    p.add(
      'metadata.name',
      'Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    );
  if (kind === 'ClusterNetworkPolicy') {
    const tier = p.string(spec.tier, 'spec.tier');
    if (tier === 'Admin' || tier === 'Baseline') out.tier = tier;
    else p.add('spec.tier', 'is required: Admin or Baseline');
  }
  if (kind !== 'BaselineAdminNetworkPolicy') {
    const priority = p.int(spec.priority, 'spec.priority');
    if (priority === undefined) p.add('spec.priority', 'is required');
    else if (priority < 0 || priority > 1000) p.add('spec.priority', 'must be between 0 and 1000');
    else out.priority = priority;
  }
  return out;
}

function readSubject(v: unknown, kind: ClusterPolicyKind, p: Problems): ClusterSubject {
  const path = 'spec.subject';
  if (v === undefined || v === null) {
    p.add(path, 'is required');
    return { namespaces: {} };
  }
  const r = p.record(v, path) ?? {};
  const set = exactlyOne(r, ['namespaces', 'pods'], path, p);
  if (set === 'pods') return { pods: readNamespacedPod(r.pods, `${path}.pods`, kind, p) };
  return { namespaces: readSelector(r.namespaces, `${path}.namespaces`, p) ?? {} };
}

/** v1alpha2 NamespacedPod: namespaceSelector optional ({}), podSelector required; v1alpha1: both required. */
function readNamespacedPod(
  v: unknown,
  path: string,
  kind: ClusterPolicyKind,
  p: Problems,
): NamespacedPodSelector {
  const r = p.record(v, path) ?? {};
  const namespaceSelector = readSelector(r.namespaceSelector, `${path}.namespaceSelector`, p);
  const podSelector = readSelector(r.podSelector, `${path}.podSelector`, p);
  if (namespaceSelector === undefined && kind !== 'ClusterNetworkPolicy')
    p.add(`${path}.namespaceSelector`, 'is required (use {} for every namespace)');
  if (podSelector === undefined) p.add(`${path}.podSelector`, 'is required (use {} for every pod)');
  return { namespaceSelector: namespaceSelector ?? {}, podSelector: podSelector ?? {} };
}

function readRules(v: unknown, dir: 'ingress' | 'egress', version: Version, p: Problems): ClusterRule[] {
  const path = `spec.${dir}`;
  const list = p.array(v, path) ?? [];
  if (list.length > version.maxItems) p.add(path, `must have at most ${version.maxItems} rules`);
  return list.map((x, i) => readRule(x, `${path}[${i}]`, dir, version, p));
}

function readRule(
  v: unknown,
  path: string,
  dir: 'ingress' | 'egress',
  version: Version,
  p: Problems,
): ClusterRule {
  const r = p.record(v, path) ?? {};
  const actionText = p.string(r.action, `${path}.action`);
  const action = actionText === undefined ? undefined : version.actions[actionText];
  if (action === undefined)
    p.add(`${path}.action`, `must be one of ${Object.keys(version.actions).join(', ')}`);
  const rule: ClusterRule = { action: action ?? 'Deny', peers: [] };
  const name = p.string(r.name, `${path}.name`);
  if (name !== undefined) {
    if (name.length > 100) p.add(`${path}.name`, 'may have at most 100 characters');
    rule.name = name;
  }
  const field = dir === 'ingress' ? 'from' : 'to';
  const peers = p.array(r[field], `${path}.${field}`);
  if (peers === undefined || peers.length === 0) p.add(`${path}.${field}`, 'must have at least 1 peer');
  else if (peers.length > version.maxItems)
    p.add(`${path}.${field}`, `must have at most ${version.maxItems} peers`);
  const kinds = dir === 'ingress' ? ['namespaces', 'pods'] : version.egressPeers;
  rule.peers = (peers ?? []).map((x, i) => readPeer(x, `${path}.${field}[${i}]`, kinds, version.kind, p));
  const ports =
    version.kind === 'ClusterNetworkPolicy'
      ? readProtocols(r.protocols, `${path}.protocols`, p)
      : readV1alpha1Ports(r.ports, `${path}.ports`, p);
  if (ports !== undefined) {
    rule.ports = ports;
    // The CRD's CEL rule: "networks/nodes/domainNames peer cannot be set with namedPorts".
    if (
      ports.some((x) => x.namedPort !== undefined) &&
      rule.peers.some((x) => x.namespaces === undefined && x.pods === undefined)
    )
      p.add(
        path,
        'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
      );
  }
  return rule;
}

function readPeer(
  v: unknown,
  path: string,
  kinds: readonly string[],
  kind: ClusterPolicyKind,
  p: Problems,
): ClusterPeer {
  const r = p.record(v, path) ?? {};
  const set = exactlyOne(r, kinds, path, p);
  switch (set) {
    case 'namespaces':
      return { namespaces: readSelector(r.namespaces, `${path}.namespaces`, p) ?? {} };
    case 'pods':
      return { pods: readNamespacedPod(r.pods, `${path}.pods`, kind, p) };
    case 'nodes':
      return { nodes: readSelector(r.nodes, `${path}.nodes`, p) ?? {} };
    case 'networks':
      return { networks: readList(r.networks, `${path}.networks`, p, checkCidr) };
    case 'domainNames':
      return { domainNames: readList(r.domainNames, `${path}.domainNames`, p, checkDomainName) };
    default:
      return {};
  }
}

function readList(
  v: unknown,
  path: string,
  p: Problems,
  check: (text: string, path: string, p: Problems) => void,
): string[] {
  const list = p.array(v, path) ?? [];
  if (list.length === 0) p.add(path, 'must have at least 1 item');
  if (list.length > 25) p.add(path, 'must have at most 25 items');
  return list.flatMap((x, i) => {
    const text = p.string(x, `${path}[${i}]`);
    if (text === undefined) return [];
    check(text, `${path}[${i}]`, p);
    return [text];
  });
}

function checkCidr(text: string, path: string, p: Problems): void {
  try {
    parseCidr(text);
  } catch (err) {
    if (!(err instanceof CidrParseError)) throw err;
    p.add(path, `Invalid CIDR format provided: ${err.message}`);
  }
}

/** The DomainName pattern of the API (copied as written, `A-z` ranges included). */
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

function checkDomainName(text: string, path: string, p: Problems): void {
  if (!DOMAIN_NAME.test(text)) p.add(path, 'must be a domain name, optionally starting with "*."');
}
