// Which namespaces a ClusterConnectivityTest probes (pure): those its namespaceSelector matches, at most
// maxNamespaces of them, the first by name. By name, so that the choice is the same on every run and for
// every reader (operator, `flowprobe run`, `flowprobe explain`), and a user can predict it from
// `kubectl get ns`; status.namespaces says how many matched and which were probed.
import type { LabelSelector } from '../api/types.js';
import { compileSelector } from '../policy/index.js';

/**
 * The label the API server sets on every namespace to its name (kube-apiserver ≥ 1.21, the
 * NamespaceDefaultLabelName feature: https://kubernetes.io/docs/reference/labels-annotations-taints/
 * #kubernetes-io-metadata-name). Manifests read by `explain` may lack it; it is added so that a selector on
 * it matches there as in a cluster.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamespaceCandidate {
  name: string;
  labels?: Record<string, string>;
  /** A namespace being deleted refuses new pods (NamespaceLifecycle): never probed. */
  terminating?: boolean;
}

export interface NamespaceChoice {
  /** How many namespaces the selector matched (terminating ones excluded). */
  matched: number;
  /** The namespaces probed, sorted by name. */
  probed: string[];
  /** True when more matched than maxNamespaces allows. */
  sampled: boolean;
}

export function chooseNamespaces(
  candidates: readonly NamespaceCandidate[],
  selector: LabelSelector,
  maxNamespaces: number,
): NamespaceChoice {
  const matches = compileSelector(selector, { object: 'ClusterConnectivityTest', path: 'namespaceSelector' });
  const names = candidates
    .filter((ns) => !ns.terminating && matches({ ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name }))
    .map((ns) => ns.name)
    .sort();
  const unique = [...new Set(names)];
  return {
    matched: unique.length,
    probed: unique.slice(0, maxNamespaces),
    sampled: unique.length > maxNamespaces,
  };
}

/** One line for a condition or an event: how many matched, which were probed, and why not all. */
export function describeChoice(choice: NamespaceChoice, maxNamespaces: number): string {
  const probed = choice.probed.join(', ') || 'none';
  if (!choice.sampled) return `probed all ${choice.matched} matching namespaces: ${probed}`;
  return (
    `probed ${choice.probed.length} of ${choice.matched} matching namespaces (maxNamespaces ${maxNamespaces}, ` +
    `the first by name): ${probed}`
  );
}
