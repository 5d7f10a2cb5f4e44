/**
 * `flowprobe run -f` with a ClusterConnectivityTest, as a CI job runs it (a child process, the admin's
 * kubeconfig) against the local FAKE cluster (real busybox probes in network namespaces): the test stands
 * for one ConnectivityTest in each namespace of the cluster its selector chooses, as the operator runs it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FlowResult } from '../../src/api/types.js';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { createPolicy, startWeb } from '../fake-cluster/helpers.js';

const clusterTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ClusterConnectivityTest',
  metadata: { name: 'team-web' },
  spec: {
    timeoutSeconds: 2,
    namespaceSelector: { matchLabels: { team: 'x' } },
    flows: [
      {
        name: 'client-to-web',
        from: { labels: { role: 'client' } },
        to: { podSelector: { matchLabels: { app: 'web' } } },
        port: 8080,
        expect: 'Allowed',
      },
    ],
  },
};

describe('flowprobe run with a ClusterConnectivityTest', function () {
  this.timeout(180_000);
  let cluster: FakeCluster | undefined;
  let dir = '';
  let result: CliResult;

  before(async () => {
    cluster = await FakeCluster.start({ cni: 'enforcing' });
    const core = cluster.core();
    for (const [name, labels] of [
      ['t1', { team: 'x' }],
      ['t2', { team: 'x' }],
      ['t3', {}],
    ] as const) {
      await core.createNamespace({ body: { metadata: { name, labels } } });
      await startWeb(core, name);
    }
    await createPolicy(cluster, 't1', {
      metadata: { name: 'deny-web' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
    });
    await cluster.cni.sync();
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-run-cctest-'));
    writeFileSync(join(dir, 'kubeconfig'), cluster.server.kubeconfig(), { mode: 0o600 });
    writeFileSync(join(dir, 'tests.yaml'), stringify(clusterTest));
    result = await runCli([
      ...['run', '-f', join(dir, 'tests.yaml'), '-o', 'json'],
      ...['--kubeconfig', join(dir, 'kubeconfig'), '--timeout', '2m'],
    ]);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('probes each matching namespace as a ConnectivityTest there: t1 denies, t2 allows, t3 is not probed', () => {
    assert.equal(result.code, 1, `stderr: ${result.stderr}\nstdout: ${result.stdout}`);
    const rows = JSON.parse(result.stdout) as (FlowResult & { namespace: string; test: string })[];
    assert.deepEqual(
      rows.map((r) => [r.namespace, r.test, r.flow, r.outcome, r.verdict]),
      [
        ['t1', 'team-web', 'client-to-web', 'Blocked', 'Fail'],
        ['t2', 'team-web', 'client-to-web', 'Connected', 'Pass'],
      ],
    );
  });

  it('refuses, before probing, a ClusterConnectivityTest whose name a ConnectivityTest in a probed namespace has (exit 2)', async () => {
    const plain = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ConnectivityTest',
      metadata: { name: 'team-web', namespace: 't2' },
      spec: { flows: clusterTest.spec.flows },
    };
    writeFileSync(join(dir, 'plain.yaml'), stringify(plain));
    const clash = await runCli([
      ...['run', '-f', join(dir, 'tests.yaml'), '-f', join(dir, 'plain.yaml'), '-o', 'json'],
      ...['--kubeconfig', join(dir, 'kubeconfig'), '--timeout', '2m'],
    ]);
    assert.equal(clash.code, 2, `stderr: ${clash.stderr}\nstdout: ${clash.stdout}`);
    assert.match(
      clash.stderr,
      /ClusterConnectivityTest team-web \(.*tests\.yaml\) probes namespace t2, where ConnectivityTest t2\/team-web \(.*plain\.yaml\) has the same name/,
    );
    assert.equal(clash.stdout, '');
  });

  it('says on stderr which namespaces it chose', () => {
    assert.match(result.stderr, /ClusterConnectivityTest team-web: probed all 2 matching namespaces: t1, t2/);
  });
});
