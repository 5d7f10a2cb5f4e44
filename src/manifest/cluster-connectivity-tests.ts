// ClusterConnectivityTests among loaded manifests, and the ConnectivityTests they stand for over the
// namespaces the manifests declare (pure): `explain` predicts those, as the operator would probe them.
import { DEFAULT_MAX_NAMESPACES } from '../api/cluster-schema.js';
import { CLUSTER_KIND, GROUP, KIND, type ClusterConnectivityTest } from '../api/types.js';
import { namespacedInstance } from '../plan/cluster-instances.js';
import { chooseNamespaces, type NamespaceCandidate, type NamespaceChoice } from '../plan/namespace-choice.js';
import type { KubeObject, SourcedObject } from './kube-object.js';
import { instanceClash, type DeclaredAt } from './instance-clash.js';
import { ManifestError } from './manifest-error.js';

/** Any version of our cluster kind (a wrong version is the validator's to report). */
export function isClusterConnectivityTest({ object }: SourcedObject): boolean {
  return object.kind === CLUSTER_KIND && object.apiVersion.startsWith(`${GROUP}/`);
}

/** The ClusterConnectivityTests among `objects`; throws ManifestError when one name is declared twice. */
export function clusterConnectivityTests(objects: readonly SourcedObject[]): SourcedObject[] {
  const tests = objects.filter(isClusterConnectivityTest);
  const seen = new Map<string, SourcedObject>();
  for (const test of tests) {
    const name = test.object.metadata?.name;
    if (typeof name !== 'string') continue; // validation reports the missing name
    const first = seen.get(name);
    if (first)
      throw new ManifestError(
        test.file,
        `${CLUSTER_KIND} ${name} is declared twice (first in ${first.file}, document ${first.index + 1})`,
        { document: test.index },
      );
    seen.set(name, test);
  }
  return tests;
}

/**
 * The namespaces the manifests declare: every Namespace object (with its labels), and every namespace an
 * object names or defaults to (`default`, as kubectl applies it) without labels.
 */
export function manifestNamespaces(objects: readonly SourcedObject[]): NamespaceCandidate[] {
  const declared = new Map<string, NamespaceCandidate>();
  for (const { object } of objects) {
    if (isClusterConnectivityTest({ file: '', index: 0, object })) continue;
    const name = object.metadata?.name;
    if (object.kind === 'Namespace' && object.apiVersion === 'v1' && typeof name === 'string')
      declared.set(name, { name, ...(object.metadata?.labels ? { labels: object.metadata.labels } : {}) });
  }
  for (const { object } of objects) {
    if (object.kind === 'Namespace' || isClusterConnectivityTest({ file: '', index: 0, object })) continue;
    const namespace = object.metadata?.namespace ?? 'default';
    if (!declared.has(namespace)) declared.set(namespace, { name: namespace });
  }
  return [...declared.values()];
}

export interface Expansion {
  file: string;
  name: string;
  choice: NamespaceChoice;
  maxNamespaces: number;
}

/**
 * `objects` with each (valid) ClusterConnectivityTest replaced by the ConnectivityTests it stands for in
 * the namespaces it would probe, each from the same file and document; and which namespaces those were.
 * Throws ManifestError when one would share its namespace and name with a ConnectivityTest there
 * (instance-clash.ts).
 */
export function expandClusterTests(objects: readonly SourcedObject[]): {
  objects: SourcedObject[];
  expansions: Expansion[];
} {
  const namespaces = manifestNamespaces(objects);
  const declared = declaredTests(objects);
  const expansions: Expansion[] = [];
  const expanded = objects.flatMap((sourced) => {
    if (!isClusterConnectivityTest(sourced)) return [sourced];
    const test = sourced.object as unknown as ClusterConnectivityTest;
    const maxNamespaces = test.spec.maxNamespaces ?? DEFAULT_MAX_NAMESPACES;
    const choice = chooseNamespaces(namespaces, test.spec.namespaceSelector, maxNamespaces);
    const name = test.metadata.name ?? '';
    expansions.push({ file: sourced.file, name, choice, maxNamespaces });
    for (const ns of choice.probed) {
      const clash = instanceClash({ name, file: sourced.file }, ns, declared);
      if (clash !== undefined) throw new ManifestError(sourced.file, clash, { document: sourced.index });
    }
    return choice.probed.map((ns) => ({
      ...sourced,
      object: namespacedInstance(test, ns) as unknown as KubeObject,
    }));
  });
  return { objects: expanded, expansions };
}

/** The ConnectivityTests among `objects` by `namespace/name` (no namespace: `default`, as kubectl applies). */
function declaredTests(objects: readonly SourcedObject[]): Map<string, DeclaredAt> {
  const tests = new Map<string, DeclaredAt>();
  for (const { file, object } of objects) {
    const name = object.metadata?.name;
    if (object.kind !== KIND || !object.apiVersion.startsWith(`${GROUP}/`) || typeof name !== 'string')
      continue;
    tests.set(`${object.metadata?.namespace ?? 'default'}/${name}`, { name, file });
  }
  return tests;
}
