// Which identities a change of manifests can have touched, so that the undeclared scan predicts only the
// paths that may differ instead of every identity × workload × port of a large cluster.
//
// A path passes the source's egress side and the destination's ingress side (src/policy/engine.ts). A side
// depends on the NetworkPolicies that select its pod, their rules (which read the other end's labels, its
// namespace's labels, its address and named ports), and the cluster-wide tiers. So when the namespaces'
// labels, the cluster-wide policies and the CNI-specific policies are equal on both sides, a path can change
// only if a NetworkPolicy that selects its source or its destination changed (on either side), or its
// source or destination changed with the same labels (ports, addresses). Otherwise everything may have.
import type { ClusterSnapshot } from '../explain/index.js';
import type { CompiledPolicy } from '../policy/index.js';
import type { DiffSide } from './diff-side.js';
import { compare } from './identity-groups.js';

export interface ChangeScope {
  /** Every path may have changed (namespace labels, cluster-wide or CNI-specific policies differ). */
  all: boolean;
  /** Identities whose egress may differ, by group key. */
  sources: ReadonlySet<string>;
  /** Workloads whose ingress may differ, by group key. */
  destinations: ReadonlySet<string>;
}

export function changeScope(base: DiffSide, head: DiffSide): ChangeScope {
  const sources = new Set<string>();
  const destinations = new Set<string>();
  if (globalPart(base.snapshot) !== globalPart(head.snapshot)) return { all: true, sources, destinations };
  const changed = changedPolicies(base, head);
  for (const side of [base, head]) {
    for (const group of side.groups.values()) {
      for (const policy of changed(side)) {
        if (policy.namespace !== group.namespace || !policy.selects(group.representative.labels)) continue;
        if (policy.types.has('Egress')) sources.add(group.key);
        if (policy.types.has('Ingress')) destinations.add(group.key);
      }
    }
  }
  for (const [key, group] of head.groups) {
    const was = base.groups.get(key);
    if (was !== undefined && was.fingerprint !== group.fingerprint) {
      sources.add(key);
      destinations.add(key);
    }
  }
  return { all: false, sources, destinations };
}

/** Each side's compiled policies that differ from (or are missing on) the other side. */
function changedPolicies(base: DiffSide, head: DiffSide): (side: DiffSide) => CompiledPolicy[] {
  const text = (side: DiffSide) =>
    new Map(side.engine.policies.map((p) => [p.key, JSON.stringify(p.source)]));
  const baseText = text(base);
  const headText = text(head);
  const differs = (p: CompiledPolicy, other: Map<string, string>) =>
    other.get(p.key) !== JSON.stringify(p.source);
  const baseChanged = base.engine.policies.filter((p) => differs(p, headText));
  const headChanged = head.engine.policies.filter((p) => differs(p, baseText));
  return (side) => (side === base ? baseChanged : headChanged);
}

/** What every path reads: namespace labels, the cluster-wide tiers, the CNI-specific policies. */
function globalPart(s: ClusterSnapshot): string {
  const sorted = (items: readonly unknown[]) => items.map((i) => JSON.stringify(i)).sort(compare);
  return JSON.stringify([sorted(s.namespaces), sorted(s.clusterPolicies), sorted(s.outOfModel)]);
}
