// networking.k8s.io/v1 NetworkPolicy from a manifest into the engine's narrow shape, checking what the
// API server's validation would (so the engine never sees a shape Kubernetes would not store).
import { CidrParseError, parseCidr } from '../policy/index.js';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  PolicyType,
} from '../policy/index.js';
import type { Json, Problems } from './narrow.js';
import { readSelector } from './read-selector.js';

export function readNetworkPolicy(obj: Json, namespace: string, name: string, p: Problems): NetworkPolicy {
  const spec = p.record(obj.spec, 'spec') ?? {};
  const podSelector = readSelector(spec.podSelector, 'spec.podSelector', p);
  if (podSelector === undefined) p.add('spec.podSelector', 'is required (use {} to select every pod)');
  const out: NetworkPolicySpec = { podSelector: podSelector ?? {} };
  const types = p.array(spec.policyTypes, 'spec.policyTypes');
  if (types !== undefined) {
    out.policyTypes = types.flatMap((t, i): PolicyType[] => {
      if (t === 'Ingress' || t === 'Egress') return [t];
      p.add(`spec.policyTypes[${i}]`, 'must be Ingress or Egress');
      return [];
    });
  }
  const ingress = p.array(spec.ingress, 'spec.ingress');
  if (ingress !== undefined)
    out.ingress = ingress.map((r, i) => readRule(r, `spec.ingress[${i}]`, 'from', p));
  const egress = p.array(spec.egress, 'spec.egress');
  if (egress !== undefined) out.egress = egress.map((r, i) => readRule(r, `spec.egress[${i}]`, 'to', p));
  return { namespace, name, spec: out };
}

function readRule(
  v: unknown,
  path: string,
  field: 'from' | 'to',
  p: Problems,
): { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] } {
  const r = p.record(v, path) ?? {};
  const rule: { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] } = {};
  const peers = p.array(r[field], `${path}.${field}`);
  if (peers !== undefined) rule[field] = peers.map((x, i) => readPeer(x, `${path}.${field}[${i}]`, p));
  const ports = p.array(r.ports, `${path}.ports`);
  if (ports !== undefined) rule.ports = ports.map((x, i) => readPort(x, `${path}.ports[${i}]`, p));
  return rule;
}

function readPeer(v: unknown, path: string, p: Problems): NetworkPolicyPeer {
  const r = p.record(v, path) ?? {};
  const peer: NetworkPolicyPeer = {};
  const pods = readSelector(r.podSelector, `${path}.podSelector`, p);
  const namespaces = readSelector(r.namespaceSelector, `${path}.namespaceSelector`, p);
  if (pods !== undefined) peer.podSelector = pods;
  if (namespaces !== undefined) peer.namespaceSelector = namespaces;
  const block = p.record(r.ipBlock, `${path}.ipBlock`);
  if (block !== undefined) {
    const cidr = p.string(block.cidr, `${path}.ipBlock.cidr`);
    if (cidr === undefined) p.add(`${path}.ipBlock.cidr`, 'is required');
    else checkCidr(cidr, `${path}.ipBlock.cidr`, p);
    const except = (p.array(block.except, `${path}.ipBlock.except`) ?? []).map((e, i) => {
      const text = p.string(e, `${path}.ipBlock.except[${i}]`) ?? '';
      checkCidr(text, `${path}.ipBlock.except[${i}]`, p);
      return text;
    });
    peer.ipBlock = { cidr: cidr ?? '', except };
    if (pods !== undefined || namespaces !== undefined)
      p.add(path, 'ipBlock cannot be combined with a selector');
  }
  if (block === undefined && pods === undefined && namespaces === undefined)
    p.add(path, 'must set podSelector, namespaceSelector or ipBlock');
  return peer;
}

function checkCidr(text: string, path: string, p: Problems): void {
  try {
    parseCidr(text);
  } catch (err) {
    if (!(err instanceof CidrParseError)) throw err;
    p.add(path, err.message);
  }
}

function readPort(v: unknown, path: string, p: Problems): NetworkPolicyPort {
  const r = p.record(v, path) ?? {};
  const port: NetworkPolicyPort = {};
  const protocol = p.protocol(r.protocol, `${path}.protocol`);
  const number = p.intOrString(r.port, `${path}.port`);
  const endPort = p.int(r.endPort, `${path}.endPort`);
  if (protocol !== undefined) port.protocol = protocol;
  if (number !== undefined) port.port = number;
  if (endPort !== undefined) {
    if (typeof number !== 'number') p.add(`${path}.endPort`, 'requires a numeric port');
    else if (endPort < number) p.add(`${path}.endPort`, 'must not be less than port');
    port.endPort = endPort;
  }
  return port;
}
