// The e2e fixtures (e2e/fixtures/*.yaml) read as Kubernetes objects, and created through the API in file
// order: namespaces, workloads and Services, NetworkPolicies, then the ConnectivityTests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  KubernetesObjectApi,
  loadYaml,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixtureObjects(file: string): KubernetesObject[] {
  return fixtureObjectsIn(FIXTURES_DIR, file);
}

/** The objects of one fixture file of another directory (e2e/cluster-policies/). */
export function fixtureObjectsIn(dir: string, file: string): KubernetesObject[] {
  const text = readFileSync(join(dir, file), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/**
 * Creates each object; one that exists already (a re-run against the same kind cluster) is kept.
 *
 * KubernetesObjectApi serializes a built-in kind through its generated model, whose field names are not
 * always the wire's (a NetworkPolicy rule's `from` is `_from`), so a plain object from YAML would lose its
 * `from` without a word and admit every source. loadYaml turns the wire JSON into the model first, as
 * client-node's own YAML loading does (test/e2e-support/create-fixtures.test.ts).
 */
export async function createAll(kc: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    try {
      await client.create(loadYaml<KubernetesObject>(JSON.stringify(object)));
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 409)) throw err;
    }
  }
}
