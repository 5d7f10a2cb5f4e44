// The operator as the image runs it: the bundle of scripts/bundle.ts, started with the environment the
// Deployment sets (deploy/deployment.yaml: the literal env values of the operator container, such as
// NODE_OPTIONS). Both are read from the files that ship, so a change to either shows in the figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { bundle } from '../../scripts/bundle.js';

const DEPLOYMENT = fileURLToPath(new URL('../../deploy/deployment.yaml', import.meta.url));

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
}

/** The operator container's env entries with a literal value (values from fields are the API's to fill). */
export function deployedEnv(): Record<string, string> {
  const deployment = parse(readFileSync(DEPLOYMENT, 'utf8')) as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'operator');
  if (!container) throw new Error(`${DEPLOYMENT}: no container named operator`);
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/** Builds the image's bundle into a temporary directory; `remove` deletes it. */
export async function buildShippedBundle(): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-bundle-'));
  const file = join(dir, 'flowprobe.mjs');
  await bundle(file);
  return {
    file,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
