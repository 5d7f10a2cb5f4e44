// "Never silent" (DESIGN.md), end to end in the local FAKE cluster (see harness.ts): whatever keeps a flow
// or a test from running shows on the resource, as an event and in metrics; a test deleted mid-run is not
// an error; readiness follows the caches.
import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus } from '../../src/api/types.js';
import {
  allowFrontendToWeb,
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  probePods,
  readTest,
  seedNamespace,
  statusFor,
  useFakeCluster,
  type OperatorUnderTest,
} from './harness.js';
import { policyCrd } from '../support/policy-crds.js';

const testApi = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'connectivitytests' };

/** A label-key prefix the CRD's pattern admits but kube-apiserver refuses: longer than 253 characters. */
const LONG_PREFIX = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(60)).join('.');

async function apiErrors(op: OperatorUnderTest): Promise<number> {
  const lines = await op.metric('flowprobe_api_errors_total{');
  return lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function warningReasons(ns: string, cluster: Parameters<typeof clients>[0]): Promise<string[]> {
  const list = await clients(cluster).events.listNamespacedEvent({ namespace: ns });
  return list.items.filter((e) => e.type === 'Warning').map((e) => e.reason ?? '');
}

function condition(status: ConnectivityTestStatus | undefined, type: string) {
  return status?.conditions?.find((c) => c.type === type);
}

describe('the operator never goes silent, in a local FAKE cluster', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);

  // kube-apiserver refuses a label value over 63 characters and a key prefix over 253
  // (apimachinery pkg/util/validation IsValidLabelValue, IsQualifiedName); the FAKE API server does too
  // (metadata-validation.ts). Before, either made every probe pod of the test a 422 and no run completed.
  it('runs a test whose name is too long for a label, and reports a flow whose labels the API server refuses as its Error', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'hostile', [denyIngressToWeb, allowFrontendToWeb]);
    const name = `a-test-whose-name-is-longer-than-a-label-value-may-be.${'x'.repeat(40)}`;
    const refused = { ...flow('refused', 'x', 'Allowed'), from: { labels: { [`${LONG_PREFIX}/x`]: 'y' } } };
    await createTest(
      cluster,
      connectivityTest('hostile', name, [flow('frontend', 'frontend', 'Allowed'), refused]),
    );
    const status = await statusFor(cluster, 'hostile', name);
    assert.deepEqual(
      status.results?.map((r) => [r.flow, r.verdict, r.detail]),
      [
        ['frontend', 'Pass', 'tcp-open'],
        ['refused', 'Error', 'cannot-probe'],
      ],
    );
    const [, refusedResult] = status.results ?? [];
    assert.match(refusedResult?.diagnosis ?? '', /prefix must be a DNS subdomain of at most 253/);
  });

  it('shows a run that cannot complete as Ready=False RunFailed, a Warning event and a metric, and recovers', async () => {
    const { cluster } = env;
    const op = env.operators[0]!;
    await seedNamespace(cluster, 'run-failed', [denyIngressToWeb, allowFrontendToWeb]);
    cluster.server.faults.failNext({
      verb: 'create',
      resource: 'pods',
      namespace: 'run-failed',
      times: 1000,
      code: 503,
    });
    await createTest(cluster, connectivityTest('run-failed', 't', [flow('frontend', 'frontend', 'Allowed')]));
    await eventually(
      async () =>
        condition((await readTest(cluster, 'run-failed', 't')).status, 'Ready')?.reason === 'RunFailed',
      'Ready=False with reason RunFailed',
    );
    const ready = condition((await readTest(cluster, 'run-failed', 't')).status, 'Ready');
    assert.ok(ready);
    assert.equal(ready.status, 'False');
    assert.match(ready.message, /the run could not complete: create pods: .*unable to handle the request/);
    await eventually(
      async () => (await warningReasons('run-failed', cluster)).includes('RunFailed'),
      'a RunFailed Warning event',
    );
    assert.ok(
      (await op.metric('flowprobe_run_failures_total{namespace="run-failed"')).some((l) => !l.endsWith(' 0')),
    );
    assert.ok(
      (await op.metric('flowprobe_test_last_attempt_timestamp_seconds{namespace="run-failed"')).length === 1,
    );
    cluster.server.faults.clear();
    const status = await statusFor(cluster, 'run-failed', 't', 1, 60_000);
    assert.equal(status.results?.[0]?.verdict, 'Pass');
    assert.equal(condition(status, 'Ready')?.status, 'True');
  });

  it('turns /readyz false while a cache cannot watch, counts the watch failures, and turns it true again', async () => {
    const { cluster } = env;
    const op = env.operators[0]!;
    const url = op.url();
    const readyz = async () => (await fetch(`${url}/readyz`)).status;
    assert.equal(await readyz(), 200);
    const before = await op.metric('flowprobe_api_errors_total{verb="watch"}');
    // Only the operator watches ConnectivityTests, so the FAKE kubelet and CNI keep working meanwhile.
    cluster.server.faults.failNext({ verb: 'watch', resource: 'connectivitytests', times: 1000, code: 503 });
    cluster.server.faults.closeWatches();
    await eventually(async () => (await readyz()) === 503, '/readyz 503');
    assert.notDeepEqual(await op.metric('flowprobe_api_errors_total{verb="watch"}'), before);
    cluster.server.faults.clear();
    await eventually(async () => (await readyz()) === 200, '/readyz 200 again', 60_000);
  });

  // An aggregated API down or /apis failing leaves the served policy kinds unknown (client-go's
  // ErrGroupDiscoveryFailed, discovery/discovery_client.go): predictions would ignore Cilium/Calico/
  // ClusterNetworkPolicy objects, so the operator must not say ready, and must say why.
  it('turns /readyz false, naming the discovery, while discovery of the policy kinds fails, and true again', async () => {
    const { cluster } = env;
    const op = env.operators[0]!;
    const readyz = async () => {
      const res = await fetch(`${op.url()}/readyz`);
      return `${res.status} ${await res.text()}`;
    };
    await eventually(async () => (await readyz()).startsWith('200'), '/readyz 200');
    const before = await apiErrors(op);
    cluster.server.faults.failNext({ path: '/apis', times: 1000, code: 503 });
    // A CRD of a policy group makes the operator discover again.
    await cluster.server.create(policyCrd('cilium.io', 'ciliumnetworkpolicies'));
    await eventually(async () => /^503 .*GET \/apis\b/.test(await readyz()), '/readyz 503 naming /apis');
    assert.ok((await apiErrors(op)) > before, 'the failed discovery is counted');
    cluster.server.faults.clear();
    await eventually(async () => (await readyz()).startsWith('200'), '/readyz 200 again', 60_000);
  });
});

describe('a test deleted mid-run, in a local FAKE cluster', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing', ['operator']);

  it('is neither a warning nor an API error: its status write finds it gone, its pods are already gone', async () => {
    const { cluster } = env;
    const op = env.operators[0]!;
    await seedNamespace(cluster, 'gone', [denyIngressToWeb]);
    const errorsBefore = await apiErrors(op);
    await createTest(cluster, connectivityTest('gone', 't', [flow('other', 'other', 'Denied')]));
    await eventually(async () => (await probePods(cluster, 'gone')).length > 0, 'a probe pod');
    await clients(cluster).custom.deleteNamespacedCustomObject({ ...testApi, namespace: 'gone', name: 't' });
    // The run in flight ends, then the delete is reconciled: the test's series go.
    await eventually(
      async () => (await op.metric('flowprobe_runs_total{namespace="gone"')).length === 0,
      'the run to end and the test to be forgotten',
    );
    assert.equal(await apiErrors(op), errorsBefore);
    assert.deepEqual(await warningReasons('gone', cluster), []);
  });
});
