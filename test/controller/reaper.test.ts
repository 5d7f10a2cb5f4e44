import { strict as assert } from 'node:assert';
import { stalePods } from '../../src/controller/reaper.js';
import type { PodObject } from '../../src/kube/objects.js';

function pod(
  name: string,
  labels: Record<string, string>,
  deleting = false,
  ownerKind = 'ConnectivityTest',
): PodObject {
  const ownerReferences = [{ apiVersion: 'x/v1', kind: ownerKind, name: 't', uid: 'u', controller: true }];
  const deletion = deleting ? { deletionTimestamp: '2026-11-24T10:00:00Z' } : {};
  return { metadata: { name, namespace: 'prod', labels, ownerReferences, ...deletion } };
}

const ours = (runId: string) => ({ app: 'web', 'flowprobe.dev/run-id': runId });
/** A probe pod of an earlier release: it also overwrote the borrowed managed-by label. */
const former = (runId: string) => ({ ...ours(runId), 'app.kubernetes.io/managed-by': 'flowprobe' });

describe('finding leftover probe pods', () => {
  it('picks probe pods of runs not in flight, and leaves everything else alone', () => {
    const pods = [
      pod('current', ours('1-aaaa')),
      pod('old-run', ours('1-bbbb')),
      pod('former-release', former('1-dddd')),
      pod('workload', { app: 'web' }),
      pod('helm-workload', { app: 'web', 'app.kubernetes.io/managed-by': 'Helm' }),
      pod('already-going', ours('1-cccc'), true),
    ];
    assert.deepEqual(
      stalePods(pods, new Set(['1-aaaa'])).map((p) => p.metadata.name),
      ['old-run', 'former-release'],
    );
  });

  it('leaves alone the probe pods of flowprobe run, which a ConfigMap controls', () => {
    assert.deepEqual(stalePods([pod('ci', ours('run-1234'), false, 'ConfigMap')], new Set()), []);
  });

  it('after a restart, with nothing in flight, every probe pod is stale', () => {
    assert.equal(stalePods([pod('a', ours('1-x')), pod('b', ours('2-y'))], new Set()).length, 2);
  });
});
