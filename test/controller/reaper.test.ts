import { strict as assert } from 'node:assert';
import { stalePods } from '../../src/controller/reaper.js';
import type { PodObject } from '../../src/kube/objects.js';

const NOW = new Date('2026-12-01T12:00:00Z');

function pod(
  name: string,
  labels: Record<string, string>,
  deleting = false,
  ownerKind = 'ConnectivityTest',
  annotations: Record<string, string> = {},
): PodObject {
  const apiVersion = { ConfigMap: 'v1', Deployment: 'apps/v1' }[ownerKind] ?? 'flowprobe.dev/v1alpha1';
  const ownerReferences = [{ apiVersion, kind: ownerKind, name: 't', uid: 'u', controller: true }];
  const deletion = deleting ? { deletionTimestamp: '2026-11-24T10:00:00Z' } : {};
  return { metadata: { name, namespace: 'prod', labels, ownerReferences, annotations, ...deletion } };
}

const ours = (runId: string) => ({ app: 'web', 'flowprobe.dev/run-id': runId });
/** A probe pod of an earlier release: it also overwrote the borrowed managed-by label. */
const former = (runId: string) => ({ ...ours(runId), 'app.kubernetes.io/managed-by': 'flowprobe' });
/** A probe pod of `flowprobe run`: its temporary Deployment controls it, and it carries the run's deadline. */
const ciPod = (name: string, expiresAt: string, ownerKind = 'Deployment') =>
  pod(name, ours('run-1234'), false, ownerKind, { 'flowprobe.dev/expires-at': expiresAt });

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
      stalePods(pods, new Set(['1-aaaa']), NOW).map((p) => p.metadata.name),
      ['old-run', 'former-release'],
    );
  });

  it('picks the probe pods of a ClusterConnectivityTest run not in flight, as a ConnectivityTest’s', () => {
    const pods = [
      pod('cluster-current', ours('1-aaaa'), false, 'ClusterConnectivityTest'),
      pod('cluster-old-run', ours('1-bbbb'), false, 'ClusterConnectivityTest'),
    ];
    assert.deepEqual(
      stalePods(pods, new Set(['1-aaaa']), NOW).map((p) => p.metadata.name),
      ['cluster-old-run'],
    );
  });

  it('leaves alone the probe pods of a flowprobe run still within its deadline', () => {
    assert.deepEqual(stalePods([ciPod('ci', '2026-12-01T12:05:00Z')], new Set(), NOW), []);
  });

  it('picks the probe pods of a flowprobe run past its deadline: the CI job was killed', () => {
    const pods = [ciPod('killed', '2026-12-01T11:50:00Z'), ciPod('live', '2026-12-01T12:30:00Z')];
    assert.deepEqual(
      stalePods(pods, new Set(), NOW).map((p) => p.metadata.name),
      ['killed'],
    );
  });

  it('picks the probe pods of an earlier release past its deadline, whose run owned them by a ConfigMap', () => {
    const pods = [
      ciPod('killed', '2026-12-01T11:50:00Z', 'ConfigMap'),
      ciPod('live', '2026-12-01T12:30:00Z', 'ConfigMap'),
    ];
    assert.deepEqual(
      stalePods(pods, new Set(), NOW).map((p) => p.metadata.name),
      ['killed'],
    );
  });

  it('leaves alone a pod with a run id controlled by a Deployment of another API group', () => {
    const other = ciPod('other', '2026-12-01T11:50:00Z');
    other.metadata.ownerReferences = [
      { apiVersion: 'example.com/v1', kind: 'Deployment', name: 't', uid: 'u', controller: true },
    ];
    assert.deepEqual(stalePods([other], new Set(), NOW), []);
  });

  it("gives another machine's clock a minute: a deadline 30 s ago is not yet past", () => {
    assert.deepEqual(stalePods([ciPod('ci', '2026-12-01T11:59:30Z')], new Set(), NOW), []);
  });

  it('picks a flowprobe run pod without a deadline (an earlier release) only once it is a day old', () => {
    const old = pod('old', ours('run-1'), false, 'ConfigMap');
    old.metadata.creationTimestamp = '2026-11-30T11:00:00Z';
    const young = pod('young', ours('run-2'), false, 'ConfigMap');
    young.metadata.creationTimestamp = '2026-12-01T09:00:00Z';
    assert.deepEqual(
      stalePods([old, young], new Set(), NOW).map((p) => p.metadata.name),
      ['old'],
    );
  });

  it('after a restart, with nothing in flight, every probe pod is stale', () => {
    assert.equal(stalePods([pod('a', ours('1-x')), pod('b', ours('2-y'))], new Set(), NOW).length, 2);
  });
});
