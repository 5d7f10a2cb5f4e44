// The operator under faults, in the local FAKE cluster (see harness.ts): API errors and dropped watches
// during runs, a conflicting status write, a deleted test, a non-enforcing CNI, and a crash mid-run.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import {
  allowFrontendToWeb,
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  k8s,
  OPERATOR_USER,
  OperatorUnderTest,
  probePods,
  readTest,
  seedNamespace,
  useFakeCluster,
  statusFor,
} from './harness.js';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const testApi = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'connectivitytests' };

describe('the operator under faults, in a local FAKE cluster', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);

  it('retries a run whose probe pod the API server refused, and writes its results', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'api-errors', [denyIngressToWeb, allowFrontendToWeb]);
    cluster.server.faults.failNext({
      verb: 'create',
      resource: 'pods',
      namespace: 'api-errors',
      times: 2,
      code: 500,
    });
    await createTest(cluster, connectivityTest('api-errors', 't', [flow('frontend', 'frontend', 'Allowed')]));
    const status = await statusFor(cluster, 'api-errors', 't');
    assert.equal(status.results?.[0]?.verdict, 'Pass');
    assert.ok(
      (await env.operators[0]!.metric('flowprobe_api_errors_total{verb="create"}')).some(
        (l) => !l.endsWith(' 0'),
      ),
    );
  });

  it('keeps both a concurrent label change and its results when the status write conflicts', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'conflict', [denyIngressToWeb, allowFrontendToWeb]);
    await createTest(cluster, connectivityTest('conflict', 't', [flow('frontend', 'frontend', 'Allowed')]));
    await eventually(async () => (await probePods(cluster, 'conflict')).length > 0, 'a probe pod');
    await clients(cluster).custom.patchNamespacedCustomObject(
      { ...testApi, namespace: 'conflict', name: 't', body: { metadata: { labels: { team: 'net' } } } },
      mergePatch,
    );
    const status = await statusFor(cluster, 'conflict', 't');
    assert.equal(status.results?.[0]?.verdict, 'Pass');
    assert.deepEqual((await readTest(cluster, 'conflict', 't')).metadata.labels, { team: 'net' });
  });

  it('finishes a run whose watches were dropped in the middle', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'dropped', [denyIngressToWeb, allowFrontendToWeb]);
    await createTest(cluster, connectivityTest('dropped', 't', [flow('other', 'other', 'Denied')]));
    await eventually(async () => (await probePods(cluster, 'dropped')).length > 0, 'a probe pod');
    cluster.server.faults.closeWatches();
    const status = await statusFor(cluster, 'dropped', 't');
    assert.equal(status.results?.[0]?.outcome, 'Blocked');
  });

  it('removes the probe pods of a test deleted mid-run', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'deleted', [denyIngressToWeb]);
    await createTest(cluster, connectivityTest('deleted', 't', [flow('other', 'other', 'Denied')]));
    await eventually(async () => (await probePods(cluster, 'deleted')).length > 0, 'a probe pod');
    await clients(cluster).custom.deleteNamespacedCustomObject({
      ...testApi,
      namespace: 'deleted',
      name: 't',
    });
    await eventually(async () => (await probePods(cluster, 'deleted')).length === 0, 'no probe pods left');
  });

  it('was refused nothing by the shipped RBAC through all of it', () => {
    const { cluster } = env;
    assert.deepEqual(cluster.server.rbacReport(OPERATOR_USER).denied, []);
  });
});

describe('the operator with a CNI that does not enforce NetworkPolicy (FAKE cluster, mode none)', function () {
  this.timeout(120_000);
  const env = useFakeCluster('none', ['operator']);

  it('fails a flow the policies deny but the network lets through, and says the CNI is not enforcing', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'prod', [denyIngressToWeb]);
    await createTest(cluster, connectivityTest('prod', 't', [flow('other-kept-out', 'other', 'Denied')]));
    const [r] = (await statusFor(cluster, 'prod', 't')).results ?? [];
    assert.ok(r);
    assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Connected', 'Denied', 'Fail']);
    assert.match(
      r.diagnosis,
      /expected Denied, observed Connected, policies deny it: the CNI is not enforcing NetworkPolicy/,
    );
  });
});

describe('the operator restarted mid-run (FAKE cluster)', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing');

  it('leaves no probe pod behind and loses no result when killed while probing', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'prod', [denyIngressToWeb, allowFrontendToWeb]);
    const first = spawnOperator(cluster);
    await createTest(
      cluster,
      connectivityTest('prod', 't', [
        flow('frontend', 'frontend', 'Allowed'),
        flow('other', 'other', 'Denied'),
      ]),
    );
    await eventually(
      async () => (await probePods(cluster, 'prod')).length > 0,
      "the first operator's probe pods",
    );
    const orphans = (await probePods(cluster, 'prod')).map((p) => p.metadata?.name);
    first.kill('SIGKILL');
    const second = new OperatorUnderTest(cluster, 'second', false);
    await second.start();
    env.alsoStop(() => second.stop());
    const status = await statusFor(cluster, 'prod', 't');
    assert.deepEqual(
      status.results?.map((r) => [r.flow, r.verdict]),
      [
        ['frontend', 'Pass'],
        ['other', 'Pass'],
      ],
    );
    await eventually(async () => (await probePods(cluster, 'prod')).length === 0, 'no probe pods left');
    assert.ok(orphans.length > 0);
  });
});

/** The real CLI in a child process, so it can be killed without a chance to clean up. */
function spawnOperator(cluster: FakeCluster) {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-op-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, cluster.server.kubeconfig(OPERATOR_USER, 'flowprobe'));
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const args = [
    '--import',
    'tsx',
    main,
    'operator',
    '--kubeconfig',
    kubeconfig,
    '--no-leader-elect',
    '--metrics-addr',
    '127.0.0.1:0',
    '--log-level',
    'error',
  ];
  return spawn(process.execPath, args, { stdio: 'ignore' });
}
