import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CLUSTER_CRD_FILE } from '../../src/api/crd-yaml.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { clientsFor, k8s } from '../fake-apiserver/harness.js';
import type { ClusterFlowResult } from '../../src/api/types.js';
import { verdictEvents } from '../../src/controller/verdict-events.js';
import { withNamespaces } from '../../src/verdict/cluster-status.js';
import { statusAfterRun } from '../../src/verdict/status.js';

const result = (namespace: string, verdict: ClusterFlowResult['verdict']): ClusterFlowResult => ({
  namespace,
  flow: 'no-metadata',
  expected: 'Denied',
  outcome: verdict === 'Pass' ? 'Blocked' : 'Connected',
  detail: '',
  verdict,
  predicted: 'Denied',
  diagnosis: verdict === 'Pass' ? 'as expected' : 'expected Denied, observed Connected',
});

describe("a ClusterConnectivityTest's status", () => {
  const run = (time: string, results: ClusterFlowResult[], previous?: ReturnType<typeof statusAfterRun>) =>
    statusAfterRun(previous, { generation: 1, runId: time, time, results });

  it('keeps each namespace’s result apart: one flow, two namespaces, two transition times', () => {
    const first = run('2026-12-01T10:00:00Z', [result('a', 'Pass'), result('b', 'Pass')]);
    const second = run('2026-12-01T11:00:00Z', [result('a', 'Pass'), result('b', 'Fail')], first);
    assert.deepEqual(
      second.results?.map((r) => [(r as ClusterFlowResult).namespace, r.lastTransitionTime]),
      [
        ['a', '2026-12-01T10:00:00Z'],
        ['b', '2026-12-01T11:00:00Z'],
      ],
    );
    assert.equal(second.conditions?.find((c) => c.type === 'Passing')?.message, 'drift in b/no-metadata');
  });

  it('raises a drift event naming only the namespace that drifted', () => {
    const events = verdictEvents(
      [result('a', 'Pass'), result('b', 'Pass')],
      [result('a', 'Pass'), result('b', 'Fail')],
    );
    assert.deepEqual(
      events.map((e) => [e.reason, e.note]),
      [['DriftDetected', 'b/no-metadata: expected Denied, observed Connected']],
    );
  });

  it('says which namespaces were probed, and that sampling left some out', () => {
    const status = withNamespaces(
      run('2026-12-01T10:00:00Z', [result('a', 'Pass')]),
      { matched: 3, probed: ['a'], sampled: true },
      'probed 1 of 3 matching namespaces',
      1,
      '2026-12-01T10:00:00Z',
    );
    assert.deepEqual(status.namespaces, { matched: 3, probed: ['a'] });
    const sampled = status.conditions?.find((c) => c.type === 'NamespacesSampled');
    assert.deepEqual([sampled?.status, sampled?.reason], ['True', 'MoreNamespacesThanMax']);
  });

  it('does not call a run that matched no namespace a pass', () => {
    const status = withNamespaces(
      run('2026-12-01T10:00:00Z', []),
      { matched: 0, probed: [], sampled: false },
      'probed all 0 matching namespaces: none',
      1,
      '2026-12-01T10:00:00Z',
    );
    const passing = status.conditions?.find((c) => c.type === 'Passing');
    assert.deepEqual([passing?.status, passing?.reason], ['Unknown', 'NoMatchingNamespaces']);
  });
});

// The CRD holds a condition message to 32,768 characters (status-schema.ts, as metav1.Condition): a message
// naming every one of 1,000 drifting results would make the API server refuse the whole status (422), and the
// run's results would be lost exactly when a CNI stops enforcing.
describe("a ClusterConnectivityTest's status with 1,000 drifting results, written to the FAKE API server", () => {
  let server: FakeApiServer;
  const GROUP = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'clusterconnectivitytests' };
  const long = (prefix: string, i: number) => `${prefix}-${String(i).padStart(3, '0')}-${'x'.repeat(50)}`;
  before(async () => {
    const crd = parse(
      await readFile(new URL(`../../${CLUSTER_CRD_FILE}`, import.meta.url), 'utf8'),
    ) as KubeObject;
    server = await FakeApiServer.start({ objects: [crd] });
  });
  after(() => server.stop());

  it('is accepted, its Passing message naming the first drifting results and how many more', async () => {
    const flows = Array.from({ length: 10 }, (_, i) => ({
      name: long('f', i),
      from: { labels: { app: 'a' } },
      to: { ip: '169.254.169.254' },
      port: 80,
      expect: 'Denied' as const,
    }));
    const { custom } = clientsFor(server);
    await custom.createClusterCustomObject({
      ...GROUP,
      body: {
        apiVersion: 'flowprobe.dev/v1alpha1',
        kind: 'ClusterConnectivityTest',
        metadata: { name: 'wide' },
        spec: { namespaceSelector: {}, maxNamespaces: 100, flows },
      },
    });
    const results = Array.from({ length: 100 }, (_, n) =>
      flows.map((f) => ({ ...result(long('tenant', n), 'Fail'), flow: f.name })),
    ).flat();
    const status = statusAfterRun(undefined, {
      generation: 1,
      runId: '1-a',
      time: '2026-12-01T10:00:00Z',
      results,
    });
    const written = (await custom.patchClusterCustomObjectStatus(
      { ...GROUP, name: 'wide', body: { status } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    )) as { status: typeof status };
    assert.equal(written.status.results?.length, 1_000);
    const passing = written.status.conditions?.find((c) => c.type === 'Passing');
    assert.match(passing?.message ?? '', /^drift in tenant-000-x+\/f-000-x+, .* and \d+ more$/);
    const named = (passing?.message.match(/tenant-/g) ?? []).length;
    assert.equal(Number(/and (\d+) more$/.exec(passing?.message ?? '')?.[1]), 1_000 - named);
  });
});
