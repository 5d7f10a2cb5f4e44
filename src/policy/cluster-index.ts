// The cluster-scoped policies compiled once, by tier and priority, and for each pod the ones whose
// subject selects it in a direction (cached per pod: a pod is the source or target of many flows).
// A policy without rules in a direction does not affect it ("CNPs with no egress rules do not affect
// egress traffic", network-policy-api commit 0eec1b0e).
import { compileClusterPolicy, type CompiledClusterPolicy } from './cluster-compile.js';
import { selectsPod } from './cluster-match.js';
import type { ClusterPolicy, ClusterTier } from './cluster-types.js';
import type { NamespaceLabels } from './peer-match.js';
import type { PodEndpoint, PolicyType } from './types.js';

type Selecting = Record<ClusterTier, Record<PolicyType, CompiledClusterPolicy[]>>;

export class ClusterIndex {
  /** Sorted by priority (stable: written order among equals). */
  readonly policies: readonly CompiledClusterPolicy[];
  private readonly cache = new WeakMap<PodEndpoint, Selecting>();

  constructor(
    policies: readonly ClusterPolicy[],
    private readonly nsLabels: NamespaceLabels,
  ) {
    this.policies = policies.map(compileClusterPolicy).sort((a, b) => a.source.priority - b.source.priority);
  }

  get empty(): boolean {
    return this.policies.length === 0;
  }

  /** The policies of `tier` that select the pod and have rules for `direction`, by priority. */
  selecting(pod: PodEndpoint, tier: ClusterTier, direction: PolicyType): readonly CompiledClusterPolicy[] {
    let entry = this.cache.get(pod);
    if (entry === undefined) {
      entry = { Admin: { Ingress: [], Egress: [] }, Baseline: { Ingress: [], Egress: [] } };
      for (const p of this.policies) {
        if (!selectsPod(p.subject, pod, this.nsLabels)) continue;
        if (p.ingress.length > 0) entry[p.source.tier].Ingress.push(p);
        if (p.egress.length > 0) entry[p.source.tier].Egress.push(p);
      }
      this.cache.set(pod, entry);
    }
    return entry[tier][direction];
  }
}
