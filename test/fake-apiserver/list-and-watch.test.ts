/**
 * LIST and WATCH as kube-apiserver serves them (https://kubernetes.io/docs/reference/using-api/api-concepts/):
 * selectors, resourceVersion semantics, pagination, event streams, bookmarks, timeouts and 410 Expired.
 */

import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  k8s,
  mergePatch,
  openWatch,
  startWithFixtures,
  statusOf,
  type Clients,
} from './harness.js';

const PODS = '/api/v1/namespaces/default/pods';

function pod(name: string, labels: Record<string, string> = {}, nodeName?: string): k8s.V1Pod {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
  };
}

describe('FakeApiServer: list and watch', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  async function names(labelSelector?: string, fieldSelector?: string): Promise<string[]> {
    const list = await c.core.listNamespacedPod({ namespace: 'default', labelSelector, fieldSelector });
    return list.items.map((p) => p.metadata!.name!);
  }

  describe('label selectors (apimachinery/pkg/labels/selector.go)', () => {
    beforeEach(async () => {
      await c.core.createNamespacedPod({
        namespace: 'default',
        body: pod('web', { app: 'web', tier: 'front', rank: '5' }),
      });
      await c.core.createNamespacedPod({
        namespace: 'default',
        body: pod('api', { app: 'api', tier: 'back', rank: '1' }),
      });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('bare') });
    });

    const cases: [string, string[]][] = [
      ['app=web', ['web']],
      ['app==web', ['web']],
      // `!=` and `notin` also select objects that do not have the label at all.
      ['app!=web', ['api', 'bare']],
      ['app in (web,api)', ['api', 'web']],
      ['app notin (web)', ['api', 'bare']],
      ['tier', ['api', 'web']],
      ['!tier', ['bare']],
      ['app=web,tier=back', []],
      ['app in (web, api),tier!=front', ['api']],
      // Gt/Lt compare integer label values; objects without the label never match.
      ['rank>2', ['web']],
      ['rank<2', ['api']],
    ];
    for (const [selector, expected] of cases) {
      it(`selects ${JSON.stringify(expected)} with "${selector}"`, async () => {
        assert.deepEqual((await names(selector)).sort(), expected);
      });
    }

    for (const bad of ['app in web', 'app in ()', 'Bad Key=x', 'app=bad value']) {
      it(`answers the unparsable selector "${bad}" with 400 BadRequest`, async () => {
        const status = await statusOf(
          c.core.listNamespacedPod({ namespace: 'default', labelSelector: bad }),
          400,
        );
        assert.equal(status.reason, 'BadRequest');
      });
    }
  });

  describe('field selectors', () => {
    beforeEach(async () => {
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a', {}, 'node-1') });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
      await c.core.patchNamespacedPodStatus(
        { namespace: 'default', name: 'b', body: { status: { phase: 'Running' } } },
        mergePatch,
      );
    });

    it('selects by metadata.name, spec.nodeName and status.phase, with = and !=', async () => {
      assert.deepEqual(await names(undefined, 'metadata.name=a'), ['a']);
      assert.deepEqual(await names(undefined, 'spec.nodeName=node-1'), ['a']);
      assert.deepEqual(await names(undefined, 'status.phase=Running'), ['b']);
      assert.deepEqual(await names(undefined, 'status.phase!=Running,metadata.namespace=default'), ['a']);
    });

    // Pod field selectors are a fixed set (pkg/registry/core/pod/strategy.go); others are refused.
    it('refuses a field the resource does not index with 400 BadRequest', async () => {
      const status = await statusOf(
        c.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'spec.hostname=x' }),
        400,
      );
      assert.equal(status.message, 'field label not supported: spec.hostname');
    });

    it('refuses a custom resource field selector other than metadata.name/namespace with 400', async () => {
      const call = c.custom.listNamespacedCustomObject({
        group: 'fixtures.flowprobe.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'probes',
        fieldSelector: 'spec.port=80',
      });
      const status = await statusOf(call, 400);
      assert.equal(
        status.message,
        '"spec.port" is not a known field selector: only "metadata.name", "metadata.namespace"',
      );
    });
  });

  describe('resourceVersion on list', () => {
    it('returns the current resourceVersion in the list metadata', async () => {
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      const list = await c.core.listNamespacedPod({ namespace: 'default' });
      assert.equal(list.metadata!.resourceVersion, String(server.resourceVersion()));
    });

    it('lists the state at an exact resourceVersion, and 410 Expired once it is compacted', async () => {
      const first = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
      const rv = first.metadata!.resourceVersion!;
      const exact = await c.core.listNamespacedPod({
        namespace: 'default',
        resourceVersion: rv,
        resourceVersionMatch: 'Exact',
      });
      assert.deepEqual(
        exact.items.map((p) => p.metadata!.name),
        ['a'],
      );
      server.compact();
      const status = await statusOf(
        c.core.listNamespacedPod({
          namespace: 'default',
          resourceVersion: rv,
          resourceVersionMatch: 'Exact',
        }),
        410,
      );
      assert.equal(status.reason, 'Expired');
    });

    // A NotOlderThan resourceVersion the server has not reached: kube waits, then 504 "Too large resource version".
    it('answers a list at a future resourceVersion with 504 Timeout', async () => {
      const future = String(server.resourceVersion() + 1000);
      const status = await statusOf(
        c.core.listNamespacedPod({ namespace: 'default', resourceVersion: future }),
        504,
      );
      assert.equal(status.reason, 'Timeout');
    });

    it('pages with limit and continue over one consistent snapshot', async () => {
      for (const name of ['a', 'b', 'c'])
        await c.core.createNamespacedPod({ namespace: 'default', body: pod(name) });
      const page1 = await c.core.listNamespacedPod({ namespace: 'default', limit: 2 });
      assert.deepEqual(
        page1.items.map((p) => p.metadata!.name),
        ['a', 'b'],
      );
      assert.equal(page1.metadata!.remainingItemCount, 1);
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('d') });
      const page2 = await c.core.listNamespacedPod({
        namespace: 'default',
        limit: 2,
        _continue: page1.metadata!._continue!,
      });
      assert.deepEqual(
        page2.items.map((p) => p.metadata!.name),
        ['c'],
      );
      assert.equal(page2.metadata!._continue, undefined);
    });
  });

  describe('watch', () => {
    it('streams ADDED, MODIFIED and DELETED after the resourceVersion it starts from, in order', async () => {
      const start = await c.core.listNamespacedPod({ namespace: 'default' });
      const w = await openWatch(c.kc, PODS, { resourceVersion: start.metadata!.resourceVersion });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      await c.core.patchNamespacedPod(
        { namespace: 'default', name: 'a', body: { metadata: { labels: { x: '1' } } } },
        mergePatch,
      );
      await c.core.deleteNamespacedPod({ namespace: 'default', name: 'a' });
      const events = await w.until((e) => e.length === 3);
      w.stop();
      assert.deepEqual(
        events.map((e) => e.type),
        ['ADDED', 'MODIFIED', 'DELETED'],
      );
      const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
      assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!);
    });

    it('replays history when started from an older resourceVersion', async () => {
      const created = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      await c.core.patchNamespacedPod(
        { namespace: 'default', name: 'a', body: { metadata: { labels: { x: '1' } } } },
        mergePatch,
      );
      const w = await openWatch(c.kc, PODS, { resourceVersion: created.metadata!.resourceVersion });
      const events = await w.until((e) => e.length === 1);
      w.stop();
      assert.equal(events[0]!.type, 'MODIFIED');
    });

    // "Get State and Start at Most Recent": without a resourceVersion, synthetic ADDED events come first.
    it('starts with synthetic ADDED events for existing objects when no resourceVersion is given', async () => {
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      const w = await openWatch(c.kc, PODS, {});
      const events = await w.until((e) => e.length === 1);
      w.stop();
      assert.equal(events[0]!.type, 'ADDED');
    });

    // Watch cache filtering: an object that stops matching the selector is DELETED for that watcher.
    it('sends DELETED when an object stops matching the watch label selector, ADDED when it starts', async () => {
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a', { app: 'web' }) });
      const w = await openWatch(c.kc, PODS, {
        resourceVersion: String(server.resourceVersion()),
        labelSelector: 'app=web',
      });
      await c.core.patchNamespacedPod(
        { namespace: 'default', name: 'a', body: { metadata: { labels: { app: 'api' } } } },
        mergePatch,
      );
      await c.core.patchNamespacedPod(
        { namespace: 'default', name: 'a', body: { metadata: { labels: { app: 'web' } } } },
        mergePatch,
      );
      const events = await w.until((e) => e.length === 2);
      w.stop();
      assert.deepEqual(
        events.map((e) => e.type),
        ['DELETED', 'ADDED'],
      );
    });

    it('sends BOOKMARK events with the current resourceVersion when allowWatchBookmarks is set', async () => {
      const w = await openWatch(c.kc, PODS, {
        resourceVersion: String(server.resourceVersion()),
        allowWatchBookmarks: true,
      });
      await c.core.createNamespacedServiceAccount({
        namespace: 'default',
        body: { metadata: { name: 'elsewhere' } },
      });
      server.sendBookmarks();
      const events = await w.until((e) => e.length === 1);
      w.stop();
      assert.equal(events[0]!.type, 'BOOKMARK');
      assert.equal(events[0]!.object.metadata.resourceVersion, String(server.resourceVersion()));
    });

    // KEP-3157 watch-list: initial ADDED events, then a BOOKMARK annotated k8s.io/initial-events-end.
    it('ends the initial events with an annotated BOOKMARK when sendInitialEvents is set', async () => {
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      const w = await openWatch(c.kc, PODS, {
        sendInitialEvents: true,
        allowWatchBookmarks: true,
        resourceVersionMatch: 'NotOlderThan',
      });
      const events = await w.until((e) => e.length === 2);
      w.stop();
      assert.deepEqual(
        events.map((e) => e.type),
        ['ADDED', 'BOOKMARK'],
      );
      assert.deepEqual(events[1]!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    });

    it('ends the watch after timeoutSeconds', async () => {
      const w = await openWatch(c.kc, PODS, {
        resourceVersion: String(server.resourceVersion()),
        timeoutSeconds: 1,
      });
      assert.equal(await w.ended, null);
      assert.equal(server.openWatchCount(), 0);
    });

    // The watch cache answers a compacted resourceVersion with HTTP 200 and one ERROR event holding a
    // 410 Expired Status ("too old resource version"), then ends the stream.
    it('answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
      const created = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      await c.core.deleteNamespacedPod({ namespace: 'default', name: 'a' });
      server.compact();
      const w = await openWatch(c.kc, PODS, { resourceVersion: created.metadata!.resourceVersion });
      const events = await w.until((e) => e.length === 1);
      await w.ended;
      assert.equal(events[0]!.type, 'ERROR');
      assert.equal(events[0]!.object.code, 410);
      assert.equal(events[0]!.object.reason, 'Expired');
      assert.match(events[0]!.object.message!, /^too old resource version: \d+ \(\d+\)$/);
    });
  });
});
