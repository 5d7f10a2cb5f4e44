// The flow's identity: always in the test's own namespace (DESIGN.md, security model). With `labels`
// it is a probe pod carrying exactly those labels (its IP is not known); with `podSelector` it is a
// pod or workload matching it — the probe would copy that pod's labels. The prediction is for that pod
// (its IP, where known, decides ipBlock rules that match pod IPs; a probe pod gets an IP of its own).
import type { FlowSource } from '../api/types.js';
import { describeSelector, type PodEndpoint } from '../policy/index.js';
import { describePods, type PodFinder } from './pod-finder.js';

export type ResolvedSource = { endpoint: PodEndpoint; notes: string[] } | { problem: string };

export function resolveSource(namespace: string, from: FlowSource, finder: PodFinder): ResolvedSource {
  if (from.labels !== undefined) {
    const text = Object.entries(from.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return {
      endpoint: { kind: 'pod', namespace, name: `probe{${text}}`, labels: from.labels, ports: [] },
      notes: [],
    };
  }
  const selector = from.podSelector ?? {};
  const matches = finder.matching(namespace, selector);
  const [first] = matches;
  if (first === undefined) {
    return {
      problem: `no pod or workload in ${namespace} matches the source ${describePods(namespace, selector)}: nothing to predict for`,
    };
  }
  const distinct = new Set(matches.map((m) => JSON.stringify(Object.entries(m.labels).sort())));
  const notes =
    distinct.size > 1
      ? [
          `${matches.length} pods with different labels match the source; predicted for ${namespace}/${first.name}`,
        ]
      : [];
  if (first.hostNetwork === true) {
    // The probe borrows the labels, not the host network: it is an ordinary pod with an IP of its own.
    notes.push(
      `${namespace}/${first.name} uses the host network; predicted for a pod-network probe with its labels`,
    );
    const endpoint: PodEndpoint = {
      kind: 'pod',
      namespace,
      name: `probe{${describeSelector(selector)}}`,
      labels: first.labels,
      ports: [],
    };
    return { endpoint, notes };
  }
  return { endpoint: first, notes };
}

/** resolveSource, remembered per (namespace, from): tests repeat identities across many flows. */
export class SourceResolver {
  private readonly cache = new Map<string, Map<string, ResolvedSource>>();

  constructor(private readonly finder: PodFinder) {}

  resolve(namespace: string, from: FlowSource): ResolvedSource {
    let inNamespace = this.cache.get(namespace);
    if (inNamespace === undefined) {
      inNamespace = new Map();
      this.cache.set(namespace, inNamespace);
    }
    const key = JSON.stringify(from);
    let hit = inNamespace.get(key);
    if (hit === undefined) {
      hit = resolveSource(namespace, from, this.finder);
      inNamespace.set(key, hit);
    }
    return hit;
  }

  /** The namespace's pods changed: its sources are resolved again (sources never leave their namespace). */
  forget(namespace: string): void {
    this.cache.delete(namespace);
  }
}
