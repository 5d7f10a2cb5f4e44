// The operator's gateway (src/kube) against the FAKE API server of test/support, through the real client.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { KubeApiError, KubeCluster, type CompactPod, type PodObject } from '../../src/kube/index.js';
import { FakeApiServer, selfSignedCert, type KubeObject } from '../support/fake-apiserver/index.js';

const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

const test = (name: string): KubeObject => ({
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name, namespace: 'prod' },
  spec: {
    flows: [
      { name: 'a', from: { labels: { app: 'web' } }, to: { ip: '10.0.0.1' }, port: 80, expect: 'Allowed' },
    ],
  },
});

const probePod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'prod', labels: { 'flowprobe.dev/run-id': '1-abcd' } },
  spec: { containers: [{ name: 'probe', image: 'busybox:1.37.0', command: ['sh', '-c', 'true'] }] },
});

/** Resolves once `check` holds, polling the caches (an observable outcome, bounded in time). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the cluster gateway against the fake API server', () => {
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let changes: string[];
  let apiErrors: string[];

  beforeEach(async () => {
    server = await FakeApiServer.start({ namespaces: ['prod'], objects: [CRD, test('existing')] });
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    changes = [];
    apiErrors = [];
    cluster = new KubeCluster(kc, {
      onChange: (kind, type, obj) => changes.push(`${kind} ${type} ${obj.metadata.name}`),
      onApiError: (verb) => apiErrors.push(verb),
      onWatchError: () => undefined,
      requestTimeoutMs: 1000,
    });
    await cluster.startCaches();
  });

  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  it('is synced once every cache has listed, and serves what it listed', () => {
    assert.equal(cluster.synced, true);
    assert.equal(cluster.tests.get('existing', 'prod')?.spec.flows[0]?.name, 'a');
    assert.ok(cluster.namespaces.get('prod'), 'the namespace cache holds prod');
  });

  it('caches NetworkPolicies in their wire form, listed or watched: a peer list stays under `from`', async () => {
    const policy = (name: string): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: 'prod' },
      spec: {
        podSelector: {},
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }],
      },
    });
    await server.create(policy('watched'));
    await until(() => cluster.policies.get('watched', 'prod') !== undefined, 'the watched policy');
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    const fresh = new KubeCluster(kc, { kinds: ['NetworkPolicy'] }); // its first list holds the policy
    await fresh.startCaches();
    try {
      for (const [how, gateway] of [
        ['watched', cluster],
        ['listed', fresh],
      ] as const) {
        const spec = gateway.policies.get('watched', 'prod')?.spec as { ingress: Record<string, unknown>[] };
        assert.deepEqual(Object.keys(spec.ingress[0] ?? {}), ['from'], how);
      }
    } finally {
      await fresh.stopCaches();
    }
  });

  it('keeps workload pods compact and probe pods whole, says which namespaces changed, and resumes its watch from a compact pod', async () => {
    const workload: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'prod', labels: { app: 'api' } },
      spec: {
        containers: [{ name: 'api', image: 'example/api:1', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    };
    const seen = cluster.podSource.version;
    await server.create(probePod('probe-1'));
    await server.create(workload);
    await until(() => cluster.pods.get('api-1', 'prod') !== undefined, 'both pods in the cache');
    const api = cluster.pods.get('api-1', 'prod') as unknown as CompactPod;
    assert.deepEqual([api.labels, api.ports], [{ app: 'api' }, [{ name: 'http', containerPort: 8080 }]]);
    assert.equal('spec' in api, false, 'a workload pod keeps no spec');
    assert.ok(
      (cluster.pods.get('probe-1', 'prod') as PodObject | undefined)?.spec,
      'a probe pod is kept whole',
    );
    assert.deepEqual(cluster.podSource.changedSince(seen), ['prod']);
    assert.equal(cluster.podSource.version, seen + 1, 'the probe pod is not a change to predictions');
    // client-node's ListWatch reopens a closed watch from the resourceVersion of the last object it saw
    // (dist/cache.js `watchHandler`): a compact pod must carry it, or every reconnect would relist.
    const lists = server.requests({ verb: 'list', resource: 'pods' }).length;
    const watches = server.requests({ verb: 'watch', resource: 'pods' }).length;
    server.faults.closeWatches();
    await until(
      () => server.requests({ verb: 'watch', resource: 'pods' }).length > watches,
      'a new pod watch',
    );
    assert.equal(server.requests({ verb: 'list', resource: 'pods' }).length, lists, 'no relist');
    const [reopened] = server.requests({ verb: 'watch', resource: 'pods' }).slice(watches);
    assert.equal(
      reopened?.query.resourceVersion,
      api.resourceVersion,
      'resumed from api-1, the last pod seen',
    );
  });

  it('sees changes through its watches', async () => {
    await server.create(test('new'));
    await until(() => cluster.tests.get('new', 'prod') !== undefined, 'the new test in the cache');
    assert.ok(changes.includes('ConnectivityTest add new'));
  });

  it('recovers from a dropped watch and from a compacted history by relisting', async () => {
    server.faults.closeWatches();
    server.faults.compact();
    await server.create(test('after-compaction'));
    await until(
      () => cluster.tests.get('after-compaction', 'prod') !== undefined,
      'the test created after compaction',
      10_000,
    );
  });

  it('creates, reads the log of, and deletes a pod; deleting a gone pod is not an error', async () => {
    const pod = await cluster.createPod('prod', probePod('probe-1'));
    assert.equal(pod.metadata.name, 'probe-1');
    server.setPodLog('prod', 'probe-1', 'probe', 'FLOWPROBE1-END|0\n');
    assert.equal(await cluster.podLog('prod', 'probe-1', 'probe'), 'FLOWPROBE1-END|0\n');
    await cluster.deletePod('prod', 'probe-1');
    await cluster.deletePod('prod', 'probe-1');
  });

  it('writes status through the status subresource and answers a stale resourceVersion with a conflict', async () => {
    const fresh = await cluster.getTest('prod', 'existing');
    assert.ok(fresh);
    const ref = {
      namespace: 'prod',
      name: 'existing',
      resourceVersion: fresh.metadata.resourceVersion ?? '',
    };
    const written = await cluster.patchTestStatus(ref, {
      observedGeneration: 1,
      lastRunTime: '2026-11-24T10:00:00Z',
    });
    assert.equal(written.status?.observedGeneration, 1);
    await assert.rejects(
      cluster.patchTestStatus(ref, { observedGeneration: 2 }),
      (err: unknown) => err instanceof KubeApiError && err.conflict && err.retryable,
    );
    assert.ok(apiErrors.includes('patch'));
  });

  it('says a test is gone with undefined, not an error', async () => {
    assert.equal(await cluster.getTest('prod', 'nope'), undefined);
  });

  it('writes events with MicroTime and continues their series', async () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'existing.abc', namespace: 'prod' },
      eventTime: '2026-11-24T10:00:00.123000Z',
      reportingController: 'flowprobe.dev/operator',
      reportingInstance: 'op-0',
      action: 'Probe',
      reason: 'DriftDetected',
      note: 'a drifted',
      type: 'Warning',
      regarding: {
        apiVersion: 'flowprobe.dev/v1alpha1',
        kind: 'ConnectivityTest',
        namespace: 'prod',
        name: 'existing',
      },
    };
    await cluster.createEvent('prod', event);
    await assert.rejects(
      cluster.createEvent('prod', event),
      (err: unknown) => err instanceof KubeApiError && err.alreadyExists,
    );
    const patched = await cluster.patchEvent('prod', 'existing.abc', {
      series: { count: 2, lastObservedTime: '2026-11-24T10:01:00.000000Z' },
    });
    assert.equal((patched.series as { count: number }).count, 2);
  });

  it('creates and replaces a lease with microsecond times, refusing a stale replace', async () => {
    const now = new Date('2026-11-24T10:00:00.123Z');
    const created = await cluster.writeLease({
      name: 'op',
      namespace: 'prod',
      holder: 'a',
      leaseDurationSeconds: 15,
      acquireTime: now,
      renewTime: now,
      transitions: 0,
    });
    assert.equal(created.holder, 'a');
    assert.equal(created.renewTime?.toISOString(), now.toISOString());
    const renewed = await cluster.writeLease({ ...created, renewTime: new Date(now.getTime() + 2000) });
    assert.notEqual(renewed.resourceVersion, created.resourceVersion);
    await assert.rejects(
      cluster.writeLease({ ...created, holder: 'b' }),
      (err: unknown) => err instanceof KubeApiError && err.conflict,
    );
    assert.equal((await cluster.readLease('prod', 'op'))?.holder, 'a');
  });

  it('gives up on a request the server does not answer in time', async () => {
    server.faults.addLatency(5000);
    await assert.rejects(
      cluster.getTest('prod', 'existing'),
      (err: unknown) => err instanceof KubeApiError && err.code === 0,
    );
    server.faults.clear();
  });
});

// client-node 2.0 builds a new connection pool for every call; src/kube keeps the first one. Without that,
// each of these calls would open its own connection (and, over TLS, pay a full handshake).
describe('the cluster gateway reuses its connections', () => {
  for (const transport of ['TLS', 'plain HTTP'] as const) {
    it(`makes 20 calls over ${transport} on at most 2 new connections`, async () => {
      const server = await FakeApiServer.start({
        namespaces: ['prod'],
        objects: [CRD, test('existing')],
        ...(transport === 'TLS' ? { tls: selfSignedCert() } : {}),
      });
      const kc = new KubeConfig();
      kc.loadFromString(server.kubeconfig());
      const cluster = new KubeCluster(kc, { kinds: [], requestTimeoutMs: 5000 });
      try {
        const before = server.connectionsAccepted;
        for (let i = 0; i < 20; i++) assert.ok(await cluster.getTest('prod', 'existing'));
        assert.ok(
          server.connectionsAccepted - before <= 2,
          `${server.connectionsAccepted - before} connections`,
        );
      } finally {
        await cluster.stopCaches();
        await server.stop();
      }
    });
  }
});
