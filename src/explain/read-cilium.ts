// CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy from a manifest: `spec` and/or `specs`, each rule
// with exactly one of endpointSelector and nodeSelector (nodeSelector only in the clusterwide kind), and
// its sections counted (cilium/cilium pkg/policy/api/rule.go, cnp_types.go Parse and Rule.Sanitize).
import type { CiliumPolicy, CiliumRule, OutOfModelRef } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';
import { readSelector } from './read-selector.js';

export function readCilium(obj: Json, ref: OutOfModelRef, p: Problems): CiliumPolicy {
  const rules: CiliumRule[] = [];
  const spec = p.record(obj.spec, 'spec');
  if (spec !== undefined) rules.push(readRule(spec, 'spec', ref, p));
  const specs = p.array(obj.specs, 'specs');
  (specs ?? []).forEach((s, i) => {
    const r = p.record(s, `specs[${i}]`);
    if (r !== undefined) rules.push(readRule(r, `specs[${i}]`, ref, p));
  });
  if (spec === undefined && specs === undefined) p.add('spec', 'spec or specs is required');
  return { ...ref, project: 'Cilium', rules };
}

function readRule(r: Json, path: string, ref: OutOfModelRef, p: Problems): CiliumRule {
  const endpointSelector = readSelector(r.endpointSelector, `${path}.endpointSelector`, p);
  const nodeSelector = readSelector(r.nodeSelector, `${path}.nodeSelector`, p);
  const count = (field: string) => (p.array(r[field], `${path}.${field}`) ?? []).length;
  const rule: CiliumRule = {
    ingress: count('ingress'),
    ingressDeny: count('ingressDeny'),
    egress: count('egress'),
    egressDeny: count('egressDeny'),
    defaultDeny: readDefaultDeny(r.enableDefaultDeny, `${path}.enableDefaultDeny`, p),
  };
  if (endpointSelector !== undefined && nodeSelector !== undefined)
    p.add(path, 'endpointSelector and nodeSelector are mutually exclusive');
  if (nodeSelector !== undefined && ref.namespace !== undefined)
    p.add(`${path}.nodeSelector`, 'only a CiliumClusterwideNetworkPolicy may select nodes');
  // Neither selector: Cilium rejects the rule; read as "every endpoint in scope" so it still counts.
  if (endpointSelector === undefined && nodeSelector === undefined)
    p.add(path, 'endpointSelector or nodeSelector is required');
  if (nodeSelector !== undefined && endpointSelector === undefined) rule.nodeSelector = nodeSelector;
  else rule.endpointSelector = endpointSelector ?? {};
  return rule;
}

function readDefaultDeny(v: unknown, path: string, p: Problems): CiliumRule['defaultDeny'] {
  const r = p.record(v, path);
  const out: CiliumRule['defaultDeny'] = {};
  for (const dir of ['ingress', 'egress'] as const) {
    const b = r?.[dir];
    if (typeof b === 'boolean') out[dir] = b;
    else if (b !== undefined && b !== null) p.add(`${path}.${dir}`, 'must be true or false');
  }
  return out;
}
