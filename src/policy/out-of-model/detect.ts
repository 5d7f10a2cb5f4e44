// Which out-of-model objects may decide a flow: those that may select its source for egress or its
// destination for ingress (the same two sides NetworkPolicy has). Evaluated once per endpoint and
// direction and cached, as a pod is the source or destination of many flows.
import type { NamespaceLabels } from '../peer-match.js';
import type { Endpoint, PolicyType } from '../types.js';
import { antreaSelects } from './antrea.js';
import { calicoSelects } from './calico.js';
import { ciliumSelects } from './cilium.js';
import type { OutOfModelHit, OutOfModelPolicy, OutOfModelRef, Selection } from './types.js';

type SideHit = Omit<OutOfModelHit, 'side' | 'direction'>;

export class OutOfModelIndex {
  private readonly cache = {
    Egress: new WeakMap<Endpoint, SideHit[]>(),
    Ingress: new WeakMap<Endpoint, SideHit[]>(),
  };

  /** Cluster-scoped objects, and namespaced ones by namespace: those select in their own namespace only. */
  private readonly clusterScoped: OutOfModelPolicy[] = [];
  private readonly byNamespace = new Map<string, OutOfModelPolicy[]>();

  constructor(
    readonly policies: readonly OutOfModelPolicy[],
    private readonly nsLabels: NamespaceLabels,
  ) {
    for (const p of policies) {
      if (p.namespace === undefined) this.clusterScoped.push(p);
      else if (this.byNamespace.has(p.namespace)) this.byNamespace.get(p.namespace)?.push(p);
      else this.byNamespace.set(p.namespace, [p]);
    }
  }

  /** The objects that may select the source's egress or the destination's ingress, in that order. */
  hits(from: Endpoint, to: Endpoint): OutOfModelHit[] {
    if (this.policies.length === 0) return [];
    return [
      ...this.side(from, 'Egress').map((h): OutOfModelHit => ({ ...h, side: 'source', direction: 'egress' })),
      ...this.side(to, 'Ingress').map((h): OutOfModelHit => ({
        ...h,
        side: 'destination',
        direction: 'ingress',
      })),
    ];
  }

  private side(subject: Endpoint, direction: PolicyType): SideHit[] {
    const cache = this.cache[direction];
    let hits = cache.get(subject);
    if (hits === undefined) {
      const candidates =
        subject.kind === 'pod'
          ? [...(this.byNamespace.get(subject.namespace) ?? []), ...this.clusterScoped]
          : this.clusterScoped;
      hits = candidates.flatMap((policy) => {
        const selection = selects(policy, subject, direction, this.nsLabels);
        return selection.tri === 'no' ? [] : [{ policy, selection }];
      });
      cache.set(subject, hits);
    }
    return hits;
  }
}

export function selects(
  policy: OutOfModelPolicy,
  subject: Endpoint,
  direction: PolicyType,
  nsLabels: NamespaceLabels,
): Selection {
  switch (policy.project) {
    case 'Cilium':
      return ciliumSelects(policy, subject, direction, nsLabels);
    case 'Calico':
      return calicoSelects(policy, subject, direction, nsLabels);
    case 'Antrea':
      return antreaSelects(policy, subject, direction, nsLabels);
  }
}

/** `CiliumNetworkPolicy prod/l7-api`, `Calico GlobalNetworkPolicy deny-all`: kind names are not unique. */
export function outOfModelName(ref: OutOfModelRef & { project?: string }): string {
  const project = ref.project ?? projectOf(ref.apiVersion);
  const kind = ref.kind.startsWith(project) ? ref.kind : `${project} ${ref.kind}`;
  return `${kind} ${ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`}`;
}

function projectOf(apiVersion: string): string {
  if (apiVersion.startsWith('cilium.io/')) return 'Cilium';
  if (apiVersion.includes('projectcalico.org/')) return 'Calico';
  if (apiVersion.startsWith('crd.antrea.io/')) return 'Antrea';
  return apiVersion.split('/')[0] ?? apiVersion;
}

/** The reason a flow is Unknown: which object, which side, and why only "may". */
export function outOfModelReason(hit: OutOfModelHit): string {
  const why = hit.selection.why === undefined ? '' : ` (${hit.selection.why})`;
  return `${outOfModelName(hit.policy)} may select the ${hit.side} (${hit.direction})${why}; flowprobe does not model it`;
}
