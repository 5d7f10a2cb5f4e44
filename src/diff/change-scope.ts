// Which identities a change of manifests can have touched, so that the undeclared scan predicts only the
// paths that may differ instead of every identity × workload × port of a large cluster.
//
// A path passes the source's egress side and the destination's ingress side (src/policy/engine.ts), and a
// CNI-specific policy that may select the source (egress) or the destination (ingress) makes it Unknown
// (predict-path.ts). What a side reads:
// - which NetworkPolicies, cluster-wide policies (ClusterNetworkPolicy, Admin/BaselineAdminNetworkPolicy)
//   and CNI-specific policies select its pod: the pod's namespace, labels, and its namespace's labels;
// - their rules, matched against the other end: its labels, its namespace's labels (a namespaceSelector
//   reads only the labels of the namespace the other end is in, peer-match.ts and cluster-match.ts), its
//   address and the destination's named ports.
// So a path can change only if
// - a policy of any of the three kinds that selects its source (for egress) or its destination (for
//   ingress) changed, on either side;
// - the labels of its source's or its destination's namespace changed (the subject's own selection, or the
//   other end as a namespaceSelector sees it);
// - its source or destination workload changed with the same labels (ports, addresses).
// test/diff/change-scope.test.ts checks that the narrowed scan finds what predicting every path finds.
import type { PolicyType } from '../policy/index.js';
import type { DiffSide } from './diff-side.js';
import { compare, type IdentityGroup } from './identity-groups.js';

export interface ChangeScope {
  /** Every path may have changed: predict all (what tests compare the narrowed scan against). */
  all: boolean;
  /** Identities whose egress may differ, by group key. */
  sources: ReadonlySet<string>;
  /** Workloads whose ingress may differ, by group key. */
  destinations: ReadonlySet<string>;
  /**
   * Identities that changed as the other end of a path sees them (their namespace's labels, their
   * addresses or ports): the egress toward them and the ingress from them may differ. Each is in
   * `sources` and `destinations` as well.
   */
  others: ReadonlySet<string>;
}

/** Which directions of a group a changed policy (of one side) selects. */
type SelectedBy = (side: DiffSide, group: IdentityGroup) => Iterable<PolicyType>;

export function changeScope(base: DiffSide, head: DiffSide): ChangeScope {
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const others = new Set<string>();
  const namespaces = changedNamespaces(base, head);
  const selectors = [networkPolicies(base, head), clusterPolicies(base, head), outOfModel(base, head)];
  for (const side of [base, head]) {
    for (const group of side.groups.values()) {
      if (namespaces.has(group.namespace)) {
        for (const set of [sources, destinations, others]) set.add(group.key);
        continue;
      }
      for (const selected of selectors) {
        for (const direction of selected(side, group))
          (direction === 'Egress' ? sources : destinations).add(group.key);
      }
    }
  }
  for (const [key, group] of head.groups) {
    const was = base.groups.get(key);
    if (was !== undefined && was.fingerprint !== group.fingerprint)
      for (const set of [sources, destinations, others]) set.add(key);
  }
  return { all: false, sources, destinations, others };
}

/** Namespaces whose labels (as selectors see them: the engine's, with the name label) differ. */
function changedNamespaces(base: DiffSide, head: DiffSide): Set<string> {
  const names = new Set([...base.snapshot.namespaces, ...head.snapshot.namespaces].map((n) => n.name));
  const labels = (side: DiffSide, ns: string) =>
    JSON.stringify(Object.entries(side.engine.namespaceLabels(ns)).sort(([a], [b]) => compare(a, b)));
  return new Set([...names].filter((ns) => labels(base, ns) !== labels(head, ns)));
}

/** NetworkPolicies that changed: they select pods of their own namespace by labels, per policyTypes. */
function networkPolicies(base: DiffSide, head: DiffSide): SelectedBy {
  const changed = changedOf(
    base,
    head,
    (s) => s.engine.policies,
    (p) => p.source,
  );
  return function* (side, group) {
    for (const policy of changed(side)) {
      if (policy.namespace !== group.namespace || !policy.selects(group.representative.labels)) continue;
      yield* policy.types;
    }
  };
}

/**
 * Cluster-wide policies that changed, through the engine's own selection. Within a tier, equal priorities
 * keep the written order: when the unchanged ones come in another order, all count as changed.
 */
function clusterPolicies(base: DiffSide, head: DiffSide): SelectedBy {
  const all = (s: DiffSide) => s.engine.cluster.policies;
  let changed = changedOf(base, head, all, (p) => p.source);
  const kept = (s: DiffSide) => all(s).filter((p) => !changed(s).has(p));
  const order = (s: DiffSide) => JSON.stringify(kept(s).map((p) => p.source));
  if (order(base) !== order(head)) changed = (s) => new Set(all(s));
  return function* (side, group) {
    const mine = changed(side);
    if (mine.size === 0) return;
    for (const direction of ['Egress', 'Ingress'] as const) {
      const selecting = (['Admin', 'Baseline'] as const).flatMap((tier) =>
        side.engine.cluster.selecting(group.representative, tier, direction),
      );
      if (selecting.some((p) => mine.has(p))) yield direction;
    }
  };
}

/** CNI-specific policies that changed, through the index predict-path.ts asks. */
function outOfModel(base: DiffSide, head: DiffSide): SelectedBy {
  const changed = changedOf(
    base,
    head,
    (s) => s.outOfModel.policies,
    (p) => p,
  );
  return function* (side, group) {
    const mine = changed(side);
    if (mine.size === 0) return;
    const pod = group.representative;
    for (const hit of side.outOfModel.hits(pod, pod)) {
      if (mine.has(hit.policy)) yield hit.side === 'source' ? 'Egress' : 'Ingress';
    }
  };
}

/** Each side's items whose content the other side does not have (changed, added or removed). */
function changedOf<T>(
  base: DiffSide,
  head: DiffSide,
  items: (side: DiffSide) => readonly T[],
  content: (item: T) => unknown,
): (side: DiffSide) => ReadonlySet<T> {
  const texts = (side: DiffSide) => new Set(items(side).map((i) => JSON.stringify(content(i))));
  const [baseTexts, headTexts] = [texts(base), texts(head)];
  const only = (side: DiffSide, other: Set<string>) =>
    new Set(items(side).filter((i) => !other.has(JSON.stringify(content(i)))));
  const [baseChanged, headChanged] = [only(base, headTexts), only(head, baseTexts)];
  return (side) => (side === base ? baseChanged : headChanged);
}
