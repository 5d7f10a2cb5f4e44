// The operator as the image runs it: the bundle of scripts/bundle.ts, started with the environment the
// Deployment sets (deploy/deployment.yaml: the literal env values of the operator container, and its memory
// limit where the downward API would put it, from which the operator sizes its heap). Both are read from
// the files that ship, so a change to either shows in the figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { bundle } from '../../scripts/bundle.js';

const DEPLOYMENT = fileURLToPath(new URL('../../deploy/deployment.yaml', import.meta.url));

interface Container {
  name: string;
  env?: {
    name: string;
    value?: string;
    valueFrom?: { resourceFieldRef?: { resource: string } };
  }[];
  resources?: { limits?: Record<string, string> };
}

/**
 * The operator container's env: the literal values, and `limits.memory` from the downward API in bytes, as
 * the kubelet fills it (other fields are the API's to fill, and left out).
 */
export function deployedEnv(): Record<string, string> {
  const container = operatorContainer();
  const limit = container.resources?.limits?.memory;
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    if (e.valueFrom?.resourceFieldRef?.resource === 'limits.memory' && limit !== undefined)
      env[e.name] = String(quantityBytes(limit));
  }
  return env;
}

function operatorContainer(): Container {
  const deployment = parse(readFileSync(DEPLOYMENT, 'utf8')) as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'operator');
  if (!container) throw new Error(`${DEPLOYMENT}: no container named operator`);
  return container;
}

/** A Kubernetes memory quantity in bytes: `256Mi`, `1Gi`, `500M`, `1048576`. */
function quantityBytes(quantity: string): number {
  const m = /^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T|)$/.exec(quantity);
  if (!m) throw new Error(`${DEPLOYMENT}: cannot read the quantity ${quantity}`);
  const unit = m[2];
  const power = {
    '': 1,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(m[1]) * power[unit as keyof typeof power];
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
