// The cluster-scoped policies compiled once, by tier and priority, and for each pod the ones whose
// subject selects it in a direction (cached per pod: a pod is the source or target of many flows; and
// shared by the pods of one namespace with the same labels, which every subject selects alike).
// A policy without rules in a direction does not affect it ("CNPs with no egress rules do not affect
// egress traffic", network-policy-api commit 0eec1b0e).
import type { Cidr } from './cidr.js';
import { compileClusterPolicy, type CompiledClusterPolicy } from './cluster-compile.js';
import { selectsPod } from './cluster-match.js';
import type { ClusterPolicy, ClusterTier } from './cluster-types.js';
import { subjectKey } from './endpoint-class.js';
import type { NamespaceLabels } from './peer-match.js';
import type { PodEndpoint, PolicyType } from './types.js';

type Selecting = Record<ClusterTier, Record<PolicyType, CompiledClusterPolicy[]>>;

/** Label sets whose selection is kept for reuse (a few hundred bytes each). */
const MAX_SHARED_CLASSES = 50_000;

export class ClusterIndex {
  /** Sorted by priority (stable: written order among equals). */
  readonly policies: readonly CompiledClusterPolicy[];
  private readonly cache = new WeakMap<PodEndpoint, Selecting>();
  private readonly byClass = new Map<string, Selecting>();

  constructor(
    policies: readonly ClusterPolicy[],
    private readonly nsLabels: NamespaceLabels,
    /** false: select per pod, sharing nothing (what the shared selection is tested against). */
    private readonly shareByClass = true,
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
      if (this.shareByClass) {
        const key = subjectKey(pod);
        entry = this.byClass.get(key);
        if (entry === undefined) {
          // Every rollout brings pods a new label set (pod-template-hash) while the engine lives on:
          // past a bound the shared selections start afresh rather than grow for ever.
          if (this.byClass.size >= MAX_SHARED_CLASSES) this.byClass.clear();
          entry = this.select(pod);
          this.byClass.set(key, entry);
        }
      } else {
        entry = this.select(pod);
      }
      this.cache.set(pod, entry);
    }
    return entry[tier][direction];
  }

  /** Every CIDR of a `networks` peer: what a flow's address is matched against. */
  networks(): Cidr[] {
    const rules = this.policies.flatMap((p) => [...p.ingress, ...p.egress]);
    return rules.flatMap((r) => r.peers.flatMap((p) => (p.kind === 'networks' ? p.networks : [])));
  }

  private select(pod: PodEndpoint): Selecting {
    const entry: Selecting = { Admin: { Ingress: [], Egress: [] }, Baseline: { Ingress: [], Egress: [] } };
    for (const p of this.policies) {
      if (!selectsPod(p.subject, pod, this.nsLabels)) continue;
      if (p.ingress.length > 0) entry[p.source.tier].Ingress.push(p);
      if (p.egress.length > 0) entry[p.source.tier].Egress.push(p);
    }
    return entry;
  }
}
