/**
 * Fault injection, and what the real client's informer does with each fault: failures of single requests
 * (500, 429 with Retry-After), watches closed early, and history compacted so that a resumed watch gets
 * 410 Expired and the informer relists (client-node cache.ts; api-concepts "Efficient detection of changes").
 */

import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  eventually,
  k8s,
  rejection,
  startWithFixtures,
  statusOf,
  type Clients,
} from './harness.js';

function pod(name: string): k8s.V1Pod {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('FakeApiServer: fault injection', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  it('fails the next N matching requests with 500 InternalError, then serves normally', async () => {
    server.faults.failNext({ verb: 'list', resource: 'pods', times: 2 });
    const status = await statusOf(c.core.listNamespacedPod({ namespace: 'default' }), 500);
    assert.equal(status.reason, 'InternalError');
    await statusOf(c.core.listNamespacedPod({ namespace: 'default' }), 500);
    await c.core.listNamespacedPod({ namespace: 'default' });
  });

  it('throttles with 429 TooManyRequests and a Retry-After header', async () => {
    server.faults.failNext({ verb: 'create', resource: 'pods', code: 429, retryAfterSeconds: 3 });
    const error = await rejection(c.core.createNamespacedPod({ namespace: 'default', body: pod('a') }));
    assert.ok(error instanceof k8s.ApiException);
    assert.equal(error.code, 429);
    assert.equal(error.headers['retry-after'], '3');
    assert.equal(
      (JSON.parse(error.body as string) as { details: { retryAfterSeconds: number } }).details
        .retryAfterSeconds,
      3,
    );
  });

  it('matches faults by verb and resource only', async () => {
    server.faults.failNext({ verb: 'create', resource: 'pods' });
    await c.core.listNamespacedPod({ namespace: 'default' });
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'sa' } } });
    await statusOf(c.core.createNamespacedPod({ namespace: 'default', body: pod('a') }), 500);
  });

  it('fails the discovery of one group version with 503, as an unavailable aggregated API answers', async () => {
    // kube-aggregator pkg/apiserver/handler_proxy.go answers 503 ServiceUnavailable for an APIService whose
    // backing server is down; /apis still lists the group version.
    server.faults.failNext({ path: '/apis/apps/v1', code: 503 });
    const get = (path: string) =>
      fetch(`${server.url}${path}`, {
        headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}` },
      });
    assert.equal((await get('/apis')).status, 200);
    const failed = await get('/apis/apps/v1');
    assert.equal(failed.status, 503);
    assert.equal(((await failed.json()) as { reason: string }).reason, 'ServiceUnavailable');
    assert.equal((await get('/apis/apps/v1')).status, 200, 'only the next one fails');
  });

  it('adds latency to matching requests', async () => {
    server.faults.addLatency(150, { verb: 'list', resource: 'pods' });
    const start = Date.now();
    await c.core.listNamespacedPod({ namespace: 'default' });
    assert.ok(Date.now() - start >= 140);
  });

  describe('an informer under watch faults', () => {
    let informer: k8s.Informer<k8s.V1Pod> & k8s.ObjectCache<k8s.V1Pod>;
    let lists = 0;

    beforeEach(async () => {
      lists = 0;
      informer = k8s.makeInformer(c.kc, '/api/v1/namespaces/default/pods', () => {
        lists++;
        return c.core.listNamespacedPod({ namespace: 'default' });
      });
      informer.on('error', () => undefined);
      await informer.start();
    });
    afterEach(() => informer.stop());

    const cached = (): string[] =>
      informer
        .list('default')
        .map((p) => p.metadata!.name!)
        .sort();
    const has = (names: string[]) => () =>
      Promise.resolve(JSON.stringify(cached()) === JSON.stringify(names) ? true : undefined);
    const watching = (): Promise<true | undefined> =>
      Promise.resolve(server.openWatchCount() === 1 ? true : undefined);

    it('resumes from its last resourceVersion after the server closes its watch', async () => {
      await eventually(watching);
      server.faults.closeWatches();
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      await eventually(has(['a']));
      assert.equal(lists, 1);
    });

    it('relists after 410 Expired when its resourceVersion was compacted while disconnected', async () => {
      await eventually(watching);
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('gone') });
      await eventually(has(['gone']));
      server.faults.addLatency(50, { verb: 'watch', resource: 'pods' });
      server.faults.closeWatches();
      await c.core.deleteNamespacedPod({ namespace: 'default', name: 'gone' });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('new') });
      server.faults.compact();
      await eventually(has(['new']), 5000);
      assert.equal(lists, 2);
    });
  });
});
