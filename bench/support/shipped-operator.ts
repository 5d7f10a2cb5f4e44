// The operator as the image runs it: the bundle of scripts/bundle.ts, started with the environment the
// Deployment sets (deploy/deployment.yaml: the literal env values of the operator container, and its memory
// limit where the downward API would put it, from which the operator sizes its heap). Both are read from
// the files that ship, so a change to either shows in the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../scripts/bundle.js';
import { operatorContainer, quantityBytes } from './shipped-launch.js';

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
