// Antrea ClusterNetworkPolicy / NetworkPolicy (crd.antrea.io v1beta1 and v1alpha1) from a manifest:
// `appliedTo` in the spec or on every rule, never both (antrea-io/antrea pkg/apis/crd/v1beta1/types.go,
// docs/antrea-network-policy.md). See src/policy/out-of-model/antrea.ts for what each entry selects.
import type { AntreaAppliedTo, AntreaPolicy, AntreaRule, OutOfModelRef } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';
import { readSelector } from './read-selector.js';

export function readAntrea(obj: Json, ref: OutOfModelRef, p: Problems): AntreaPolicy {
  const spec = p.record(obj.spec, 'spec') ?? {};
  const policy: AntreaPolicy = {
    ...ref,
    project: 'Antrea',
    ingress: readRules(spec.ingress, 'spec.ingress', p),
    egress: readRules(spec.egress, 'spec.egress', p),
  };
  const appliedTo = readAppliedTo(spec.appliedTo, 'spec.appliedTo', p);
  if (appliedTo !== undefined) policy.appliedTo = appliedTo;
  const perRule = [...policy.ingress, ...policy.egress].some((r) => r.appliedTo !== undefined);
  if (perRule && appliedTo !== undefined)
    p.add('spec.appliedTo', 'cannot be set together with appliedTo on the rules');
  if (!perRule && appliedTo === undefined)
    p.add('spec.appliedTo', 'is required (or appliedTo on every rule)');
  return policy;
}

function readRules(v: unknown, path: string, p: Problems): AntreaRule[] {
  return (p.array(v, path) ?? []).map((x, i) => {
    const r = p.record(x, `${path}[${i}]`) ?? {};
    const appliedTo = readAppliedTo(r.appliedTo, `${path}[${i}].appliedTo`, p);
    return appliedTo === undefined ? {} : { appliedTo };
  });
}

function readAppliedTo(v: unknown, path: string, p: Problems): AntreaAppliedTo[] | undefined {
  const list = p.array(v, path);
  if (list === undefined || list.length === 0) return undefined;
  return list.map((x, i) => readEntry(p.record(x, `${path}[${i}]`) ?? {}, `${path}[${i}]`, p));
}

function readEntry(r: Json, path: string, p: Problems): AntreaAppliedTo {
  const e: AntreaAppliedTo = {};
  for (const field of [
    'podSelector',
    'namespaceSelector',
    'externalEntitySelector',
    'nodeSelector',
  ] as const) {
    const sel = readSelector(r[field], `${path}.${field}`, p);
    if (sel !== undefined) e[field] = sel;
  }
  const group = p.string(r.group, `${path}.group`);
  if (group !== undefined) e.group = group;
  for (const field of ['serviceAccount', 'service'] as const) {
    const ref = p.record(r[field], `${path}.${field}`);
    if (ref === undefined) continue;
    const name = p.string(ref.name, `${path}.${field}.name`);
    const namespace = p.string(ref.namespace, `${path}.${field}.namespace`);
    if (name === undefined) p.add(`${path}.${field}.name`, 'is required');
    e[field] = { name: name ?? '', ...(namespace === undefined ? {} : { namespace }) };
  }
  if (Object.keys(e).length === 0) p.add(path, 'selects nothing');
  return e;
}
