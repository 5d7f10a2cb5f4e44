// Which of the loaded objects are ConnectivityTests, and the two input mistakes every command refuses the
// same way: no ConnectivityTest at all (a mistyped CI path must not pass green), and one test declared twice
// (kubectl would keep only the last; which one the user meant is unknowable).
import { GROUP, KIND } from '../api/types.js';
import type { SourcedObject } from './kube-object.js';
import { isClusterConnectivityTest } from './cluster-connectivity-tests.js';
import { ManifestError } from './manifest-error.js';

/** Any version of our kind: a wrong version is a problem to report, another group's kind is not ours. */
export function isConnectivityTest({ object }: SourcedObject): boolean {
  return object.kind === KIND && object.apiVersion.startsWith(`${GROUP}/`);
}

/**
 * The ConnectivityTests among `objects`. Throws ManifestError when there is none, or when two share a
 * namespace and name (a test without a namespace is in `default`, as kubectl applies it).
 */
export function connectivityTests(objects: SourcedObject[], paths: string[]): SourcedObject[] {
  const tests = objects.filter(isConnectivityTest);
  // ClusterConnectivityTests alone are input enough (cluster-connectivity-tests.ts reads them).
  if (tests.length === 0 && !objects.some(isClusterConnectivityTest)) {
    throw new ManifestError(paths.join(', '), `no ${KIND} found (${plural(objects.length)} read)`);
  }
  const seen = new Map<string, SourcedObject>();
  for (const test of tests) {
    if (typeof test.object.metadata?.name !== 'string') continue; // validation reports the missing name
    const key = qualifiedName(test);
    const first = seen.get(key);
    if (first) {
      throw new ManifestError(
        test.file,
        `${KIND} ${key} is declared twice (first in ${first.file}, document ${first.index + 1})`,
        { document: test.index },
      );
    }
    seen.set(key, test);
  }
  return tests;
}

function qualifiedName({ object }: SourcedObject): string {
  const { name, namespace } = object.metadata ?? {};
  return `${typeof namespace === 'string' ? namespace : 'default'}/${String(name)}`;
}

function plural(n: number): string {
  return n === 1 ? '1 object' : `${n} objects`;
}
