// Calico NetworkPolicy / GlobalNetworkPolicy from a manifest (projectcalico.org/v3, or the same spec
// stored as crd.projectcalico.org/v1): selectors as text, types defaulted as Calico does, and whether it
// applies to forwarded traffic (preDNAT and doNotTrack require applyOnForward). See
// src/policy/out-of-model/calico.ts for the sources.
import { calicoTypes, type CalicoPolicy, type OutOfModelRef } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';

export function readCalico(obj: Json, ref: OutOfModelRef, p: Problems): CalicoPolicy {
  const spec = p.record(obj.spec, 'spec') ?? {};
  const ingress = p.array(spec.ingress, 'spec.ingress') ?? [];
  const egress = p.array(spec.egress, 'spec.egress') ?? [];
  const given = p.array(spec.types, 'spec.types');
  const types = (given ?? []).flatMap((t, i): ('Ingress' | 'Egress')[] => {
    if (t === 'Ingress' || t === 'Egress') return [t];
    p.add(`spec.types[${i}]`, 'must be Ingress or Egress');
    return [];
  });
  const policy: CalicoPolicy = {
    ...ref,
    project: 'Calico',
    selector: p.string(spec.selector, 'spec.selector') ?? '',
    types:
      given === undefined || given.length === 0 ? calicoTypes(ingress.length > 0, egress.length > 0) : types,
    applyOnForward: ['applyOnForward', 'preDNAT', 'doNotTrack'].some((f) => flag(spec[f], `spec.${f}`, p)),
  };
  const sa = p.string(spec.serviceAccountSelector, 'spec.serviceAccountSelector');
  if (sa !== undefined) policy.serviceAccountSelector = sa;
  const nsSelector = p.string(spec.namespaceSelector, 'spec.namespaceSelector');
  if (nsSelector !== undefined && ref.namespace !== undefined)
    p.add('spec.namespaceSelector', 'only a GlobalNetworkPolicy has a namespaceSelector');
  else if (nsSelector !== undefined) policy.namespaceSelector = nsSelector;
  return policy;
}

function flag(v: unknown, path: string, p: Problems): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  p.add(path, 'must be true or false');
  return true;
}
