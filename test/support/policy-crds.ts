// The CRDs of the policy kinds flowprobe reads beyond NetworkPolicy, for the FAKE API server
// (test/fixtures/policy-crds/README.md says which are verbatim and which trimmed, and where each is from).
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './fake-apiserver/index.js';

const DIR = new URL('../fixtures/policy-crds/', import.meta.url);

/** Every fixture CRD, or those of the given groups. */
export function policyCrds(groups?: readonly string[]): KubeObject[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) =>
      parseAllDocuments(readFileSync(new URL(f, DIR), 'utf8')).map((d) => d.toJS() as KubeObject | null),
    )
    .filter((crd): crd is KubeObject => crd !== null)
    .filter((crd) => !groups || groups.includes((crd.spec as { group: string }).group));
}

/** The CRD that serves `plural` of `group`. */
export function policyCrd(group: string, plural: string): KubeObject {
  const crd = policyCrds([group]).find((c) => c.metadata.name === `${plural}.${group}`);
  if (!crd) throw new Error(`no fixture CRD for ${plural}.${group}`);
  return crd;
}
