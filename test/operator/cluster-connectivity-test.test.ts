// A ClusterConnectivityTest in the local FAKE cluster (harness.ts says what is real and what is fake): the
// operator runs as its ServiceAccount under deploy/rbac.yaml, with OwnerReferencesPermissionEnforcement on.
// Three of four namespaces carry `tenant: "true"`; maxNamespaces 2 probes the first two by name.
import { strict as assert } from 'node:assert';
import type { ClusterConnectivityTest, ClusterConnectivityTestStatus, Flow } from '../../src/api/types.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { isRunning, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import {
  clients,
  denyIngressToWeb,
  eventually,
  OPERATOR_USER,
  probePods,
  seedNamespace,
  useFakeCluster,
  watchPods,
  k8s,
} from './harness.js';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

const GROUP = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'clusterconnectivitytests' };
const TENANT = { tenant: 'true' };

/** Allowed unless the namespace denies ingress to web (tenant-a does). */
const toWeb: Flow = {
  name: 'client-to-web',
  from: { labels: { role: 'client' } },
  to: { podSelector: { matchLabels: { app: 'web' } } },
  port: 8080,
  expect: 'Allowed',
};
/** Copies a running `app: api-client` pod's labels: only tenant-b runs one. */
const fromApiClient: Flow = {
  name: 'api-client-to-web',
  from: { podSelector: { matchLabels: { app: 'api-client' } } },
  to: { podSelector: { matchLabels: { app: 'web' } } },
  port: 8080,
  expect: 'Allowed',
};

function cctest(name: string, flows: Flow[], maxNamespaces = 2): ClusterConnectivityTest {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ClusterConnectivityTest',
    metadata: { name },
    spec: { namespaceSelector: { matchLabels: TENANT }, maxNamespaces, timeoutSeconds: 2, flows },
  };
}

async function read(cluster: FakeCluster, name: string): Promise<ClusterConnectivityTest> {
  return (await clients(cluster).custom.getClusterCustomObject({
    ...GROUP,
    name,
  })) as ClusterConnectivityTest;
}

/** Polls until the status holds, bounded (the operator's output is the event). */
async function statusWhere(
  cluster: FakeCluster,
  name: string,
  holds: (s: ClusterConnectivityTestStatus) => boolean,
  timeoutMs = 90_000,
): Promise<ClusterConnectivityTestStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await read(cluster, name)).status;
    if (status !== undefined && holds(status)) return status;
    if (Date.now() > deadline) throw new Error(`the status of ${name} never held: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const resultIn = (s: ClusterConnectivityTestStatus, namespace: string, flow: string) =>
  s.results?.find((r) => r.namespace === namespace && r.flow === flow);

describe('a ClusterConnectivityTest in a local FAKE cluster with an enforcing CNI', function () {
  this.timeout(240_000);
  const env = useFakeCluster('enforcing', ['operator-a']);
  let cluster: FakeCluster;
  let status: ClusterConnectivityTestStatus;
  let probes: { pods: k8s.V1Pod[]; stop: () => void }[] = [];

  before(async () => {
    cluster = env.cluster;
    const { core } = clients(cluster);
    await seedNamespace(cluster, 'tenant-a', [denyIngressToWeb]);
    await seedNamespace(cluster, 'tenant-b', []);
    await seedNamespace(cluster, 'tenant-c', []);
    await seedNamespace(cluster, 'other', []);
    for (const ns of ['tenant-a', 'tenant-b', 'tenant-c'])
      await core.patchNamespace({ name: ns, body: { metadata: { labels: TENANT } } }, mergePatch);
    await core.createNamespacedPod({
      namespace: 'tenant-b',
      body: workloadPod('api-client', { app: 'api-client' }),
    });
    await waitForPod(core, 'tenant-b', 'api-client', 'Running', isRunning);
    probes = await Promise.all(
      ['tenant-a', 'tenant-b', 'tenant-c', 'other'].map((ns) =>
        watchPods(cluster, ns, 'flowprobe.dev/run-id'),
      ),
    );
    await clients(cluster).custom.createClusterCustomObject({
      ...GROUP,
      body: cctest('tenants', [toWeb, fromApiClient]),
    });
    status = await statusWhere(cluster, 'tenants', (s) => (s.results?.length ?? 0) === 4);
  });
  after(() => {
    for (const p of probes) p.stop();
  });

  it('probes exactly the first 2 of the 3 matching namespaces, and says so in status and a condition', () => {
    assert.deepEqual(status.namespaces, { matched: 3, probed: ['tenant-a', 'tenant-b'] });
    const sampled = status.conditions?.find((c) => c.type === 'NamespacesSampled');
    assert.deepEqual([sampled?.status, sampled?.reason], ['True', 'MoreNamespacesThanMax']);
    assert.match(sampled?.message ?? '', /probed 2 of 3 matching namespaces \(maxNamespaces 2/);
    assert.deepEqual([...new Set(status.results?.map((r) => r.namespace))].sort(), ['tenant-a', 'tenant-b']);
  });

  it('runs each flow as a ConnectivityTest in that namespace would: its policies decide its results', () => {
    const a = resultIn(status, 'tenant-a', 'client-to-web');
    const b = resultIn(status, 'tenant-b', 'client-to-web');
    assert.deepEqual([a?.outcome, a?.verdict, a?.predicted], ['Blocked', 'Fail', 'Denied'], a?.diagnosis);
    assert.deepEqual([b?.outcome, b?.verdict], ['Connected', 'Pass'], b?.diagnosis);
    assert.equal(status.summary?.failed, 1);
    assert.match(
      status.conditions?.find((c) => c.type === 'Passing')?.message ?? '',
      /tenant-a\/client-to-web/,
    );
  });

  it('says in that namespace’s result when an identity cannot be placed there, and probes it where it can', () => {
    const a = resultIn(status, 'tenant-a', 'api-client-to-web');
    const b = resultIn(status, 'tenant-b', 'api-client-to-web');
    assert.equal(a?.verdict, 'Error');
    assert.match(a.diagnosis, /no running pod in tenant-a matches the source selector/);
    assert.deepEqual([b?.outcome, b?.verdict], ['Connected', 'Pass'], b?.diagnosis);
  });

  it('creates its probe pods only in the probed namespaces, controlled by the ClusterConnectivityTest', () => {
    const [a, b, c, other] = probes.map((p) => p.pods);
    assert.ok((a?.length ?? 0) > 0 && (b?.length ?? 0) > 0, 'probe pods in tenant-a and tenant-b');
    assert.deepEqual([c?.length, other?.length], [0, 0]);
    const owner = b?.[0]?.metadata?.ownerReferences?.[0];
    assert.deepEqual(
      [owner?.kind, owner?.name, owner?.controller],
      ['ClusterConnectivityTest', 'tenants', true],
    );
  });

  it('writes its events to the default namespace, regarding the cluster-scoped test', async () => {
    const { items } = await clients(cluster).events.listNamespacedEvent({ namespace: 'default' });
    const ours = items.filter((e) => e.regarding?.kind === 'ClusterConnectivityTest');
    assert.ok(
      ours.some((e) => e.reason === 'NamespacesSampled'),
      JSON.stringify(ours.map((e) => e.reason)),
    );
    assert.ok(ours.some((e) => e.reason === 'DriftDetected' && /tenant-a\/client-to-web/.test(e.note ?? '')));
  });

  it('keeps metric series per probed namespace under test="ClusterConnectivityTest/NAME"', async () => {
    const [op] = env.operators;
    const passing = await op!.metric('flowprobe_flow_passing{');
    const ours = passing.filter((l) => l.includes('test="ClusterConnectivityTest/tenants"'));
    assert.ok(
      ours.some((l) => l.includes('namespace="tenant-a"') && l.endsWith(' 0')),
      ours.join('\n'),
    );
    assert.ok(
      ours.some((l) => l.includes('namespace="tenant-b"') && l.endsWith(' 1')),
      ours.join('\n'),
    );
  });

  // No interval and nothing left to retry: only the namespaces' labels moving can start this run.
  it('re-plans (within 30 s of its last run) when namespace labels change the matching set, and drops the series of the namespace it left', async () => {
    const { core, custom } = clients(cluster);
    const label = (name: string, blue: boolean) =>
      core.patchNamespace(
        { name, body: { metadata: { labels: { zone: blue ? 'blue' : null } } } },
        mergePatch,
      );
    await label('other', true);
    await label('tenant-c', true);
    const zones: ClusterConnectivityTest = {
      ...cctest('zones', [toWeb], 10),
      spec: { namespaceSelector: { matchLabels: { zone: 'blue' } }, timeoutSeconds: 2, flows: [toWeb] },
    };
    await custom.createClusterCustomObject({ ...GROUP, body: zones });
    const first = await statusWhere(cluster, 'zones', (s) => (s.results?.length ?? 0) === 2);
    assert.deepEqual(first.namespaces, { matched: 2, probed: ['other', 'tenant-c'] });
    assert.equal(first.conditions?.find((c) => c.type === 'NamespacesSampled')?.status, 'False');
    await label('other', false);
    await label('tenant-b', true);
    const after = await statusWhere(
      cluster,
      'zones',
      (s) => s.namespaces?.probed.join() === 'tenant-b,tenant-c',
    );
    assert.deepEqual(
      after.results?.map((r) => `${r.namespace}/${r.flow} ${r.verdict}`),
      ['tenant-b/client-to-web Pass', 'tenant-c/client-to-web Pass'],
    );
    const [op] = env.operators;
    await eventually(async () => {
      const series = (await op!.metric('flowprobe_flow_passing{')).filter((l) =>
        l.includes('test="ClusterConnectivityTest/zones"'),
      );
      return series.length === 2 && !series.some((l) => l.includes('namespace="other"'));
    }, 'the series of other to go');
  });

  // The probe in tenant-a stays in flight for a whole timeout (its policy drops the traffic), far longer than
  // the wait below: only garbage collection of the deleted owner can take the pods in time, not the run.
  it('deleting it takes its probe pods with it while a probe is still in flight', async () => {
    const slow: Flow = { ...toWeb, name: 'slow', timeoutSeconds: 60, expect: 'Denied' };
    await clients(cluster).custom.createClusterCustomObject({
      ...GROUP,
      body: cctest('short-lived', [slow], 1),
    });
    const owned = async () =>
      (await probePods(cluster, 'tenant-a')).filter((p) =>
        p.metadata?.ownerReferences?.some((o) => o.name === 'short-lived'),
      );
    await eventually(
      async () => (await owned()).some((p) => p.status?.phase === 'Running'),
      'a running probe pod of short-lived',
    );
    await clients(cluster).custom.deleteClusterCustomObject({ ...GROUP, name: 'short-lived' });
    await eventually(async () => (await owned()).length === 0, 'its probe pods to go', 15_000);
  });

  // A run covers every probed namespace; one namespace's retryable failure must not end it while the others'
  // probe pods still run (their run id would leave the in-flight set: the reaper would take them as stale,
  // and the retry would start a second run beside them).
  it('keeps a run whole when one namespace fails: no second run while the other namespaces still probe', async () => {
    const slow: Flow = { ...toWeb, name: 'slow', timeoutSeconds: 4, expect: 'Denied' };
    const live = new Map<string, string>();
    let most = 0;
    const req = await new k8s.Watch(cluster.kubeConfig()).watch(
      '/api/v1/namespaces/tenant-a/pods',
      { labelSelector: 'flowprobe.dev/run-id' },
      (type, pod: k8s.V1Pod) => {
        if (!pod.metadata?.ownerReferences?.some((o) => o.name === 'whole')) return;
        const name = pod.metadata.name ?? '';
        if (type === 'DELETED' || pod.metadata.deletionTimestamp) live.delete(name);
        else live.set(name, pod.metadata.labels?.['flowprobe.dev/run-id'] ?? '');
        most = Math.max(most, new Set(live.values()).size);
      },
      () => undefined,
    );
    try {
      cluster.server.faults.failNext({ verb: 'create', resource: 'pods', namespace: 'tenant-c', code: 500 });
      await clients(cluster).custom.createClusterCustomObject({ ...GROUP, body: cctest('whole', [slow], 3) });
      const done = await statusWhere(cluster, 'whole', (s) => (s.results?.length ?? 0) === 3);
      assert.equal(resultIn(done, 'tenant-a', 'slow')?.verdict, 'Pass');
      assert.equal(most, 1, 'probe pods of two runs of one test in tenant-a at once');
    } finally {
      req.abort();
      await clients(cluster).custom.deleteClusterCustomObject({ ...GROUP, name: 'whole' });
    }
  });

  // OwnerReferencesPermissionEnforcement asks about a cluster-scoped owner's finalizers at the cluster scope
  // (gc_admission.go); the shipped ClusterRole's grant answers it.
  it("needed no permission beyond the shipped RBAC, also for its probe pods' blockOwnerDeletion", () => {
    const checks = cluster.server
      .usage(OPERATOR_USER)
      .filter((u) => u.resource === 'clusterconnectivitytests' && u.subresource === 'finalizers');
    assert.deepEqual(
      [...new Set(checks.map((u) => `${u.verb} ${u.namespace} ${String(u.allowed)}`))],
      ['update  true'],
    );
    assert.deepEqual(cluster.server.rbacReport(OPERATOR_USER).denied, []);
    assert.deepEqual(cluster.errors, []);
  });
});
