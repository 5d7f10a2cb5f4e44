/**
 * Paginated lists and list/watch option checks as kube-apiserver serves them, through the real client:
 * - pages and continue tokens: apiserver pkg/storage/etcd3/store.go `GetList` (one snapshot at the first
 *   page's resourceVersion; remainingItemCount only without selectors; a compacted token answers 410 with the
 *   "inconsistent continue" message and a fresh token, `handleCompactedErrorForPaging`), pkg/storage/continue.go;
 * - option checks: apimachinery pkg/apis/meta/internalversion/validation/validation.go (`ValidateListOptions`,
 *   `validateWatchOptions`), answered by endpoints/handlers/get.go as 422 on `ListOptions.meta.k8s.io`;
 * - streaming lists (KEP-3157): cacher.go sends the current state as ADDED, then a BOOKMARK annotated
 *   `k8s.io/initial-events-end`; a server with the WatchList gate off (1.33's default) refuses the watch.
 */

import assert from 'node:assert/strict';
import type { FakeApiServer, KubeObject } from '../support/fake-apiserver/index.js';
import { clientsFor, mergePatch, openWatch, startWithFixtures, statusOf, type Clients } from './harness.js';

const PODS = '/api/v1/namespaces/default/pods';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function pod(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

/** pod-0000 ... : names that sort as they are numbered, as etcd keys do. */
function podName(i: number): string {
  return `pod-${String(i).padStart(4, '0')}`;
}

async function createPods(
  server: FakeApiServer,
  count: number,
  labels?: (i: number) => Record<string, string>,
) {
  for (let i = 0; i < count; i++) await server.create(pod(podName(i), labels?.(i)));
}

interface RawAnswer {
  status: number;
  body: { message?: string; reason?: string; details?: { causes?: { field: string }[] } };
}

/** A GET as any client sends it; for the option checks that the typed client cannot express. */
async function rawGet(server: FakeApiServer, pathAndQuery: string): Promise<RawAnswer> {
  const response = await fetch(server.url + pathAndQuery, {
    headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}` },
  });
  return { status: response.status, body: (await response.json()) as RawAnswer['body'] };
}

describe('FakeApiServer: paginated lists', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures({ compactionIntervalMs: 0 });
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  it('serves 1,200 pods in pages of 500 over the first page’s snapshot, counting what remains', async () => {
    await createPods(server, 1200);
    const page1 = await c.core.listNamespacedPod({ namespace: 'default', limit: 500 });
    // Changes after the first page do not show on later pages: they read the first page's snapshot.
    await c.core.deleteNamespacedPod({ namespace: 'default', name: podName(1199) });
    await server.create(pod('pod-9999'));
    const page2 = await c.core.listNamespacedPod({
      namespace: 'default',
      limit: 500,
      _continue: page1.metadata!._continue!,
    });
    const page3 = await c.core.listNamespacedPod({
      namespace: 'default',
      limit: 500,
      _continue: page2.metadata!._continue!,
    });
    assert.deepEqual(
      [page1, page2, page3].map((p) => p.items.length),
      [500, 500, 200],
    );
    assert.deepEqual(
      [page1, page2, page3].map((p) => p.metadata!.remainingItemCount),
      [700, 200, undefined],
    );
    assert.equal(page3.metadata!._continue, undefined);
    const rvs = new Set([page1, page2, page3].map((p) => p.metadata!.resourceVersion));
    assert.equal(rvs.size, 1, 'every page reports the first page’s resourceVersion');
    const names = [page1, page2, page3].flatMap((p) => p.items.map((i) => i.metadata!.name!));
    assert.deepEqual(
      names,
      Array.from({ length: 1200 }, (_, i) => podName(i)),
    );
  });

  it('leaves remainingItemCount out when a selector filters the pages', async () => {
    await createPods(server, 10, (i) => ({ parity: i % 2 === 0 ? 'even' : 'odd' }));
    const page = await c.core.listNamespacedPod({
      namespace: 'default',
      limit: 2,
      labelSelector: 'parity=even',
    });
    assert.deepEqual(
      page.items.map((p) => p.metadata!.name),
      [podName(0), podName(2)],
    );
    assert.ok(page.metadata!._continue);
    assert.equal(page.metadata!.remainingItemCount, undefined);
  });

  it('answers a continue token whose resourceVersion was compacted with 410 Expired and an inconsistent token', async () => {
    await createPods(server, 5);
    const page1 = await c.core.listNamespacedPod({ namespace: 'default', limit: 2 });
    await c.core.deleteNamespacedPod({ namespace: 'default', name: podName(3) });
    await server.create(pod('pod-9999'));
    server.compact();
    const status = await statusOf(
      c.core.listNamespacedPod({ namespace: 'default', limit: 2, _continue: page1.metadata!._continue! }),
      410,
    );
    assert.equal(status.reason, 'Expired');
    assert.equal(status.message, INCONSISTENT_CONTINUE);
    const next = (status as unknown as { metadata: { continue?: string } }).metadata.continue;
    assert.ok(next, 'the Status carries a token to go on with');
    // That token continues after the same key, at the latest state: the changes show, inconsistently.
    const rest = await c.core.listNamespacedPod({ namespace: 'default', _continue: next });
    assert.deepEqual(
      rest.items.map((p) => p.metadata!.name),
      [podName(2), podName(4), 'pod-9999'],
    );
    assert.equal(rest.metadata!.resourceVersion, String(server.resourceVersion()));
  });

  it('refuses a continue token together with a resourceVersion (400)', async () => {
    await createPods(server, 3);
    const page1 = await c.core.listNamespacedPod({ namespace: 'default', limit: 1 });
    const status = await statusOf(
      c.core.listNamespacedPod({
        namespace: 'default',
        limit: 1,
        _continue: page1.metadata!._continue!,
        resourceVersion: page1.metadata!.resourceVersion!,
      }),
      400,
    );
    assert.equal(status.message, 'specifying resource version is not allowed when using continue');
  });

  it('refuses a continue token it did not issue (400)', async () => {
    const status = await statusOf(
      c.core.listNamespacedPod({ namespace: 'default', limit: 1, _continue: 'bm90LWEtdG9rZW4' }),
      400,
    );
    assert.match(status.message, /^invalid continue token: continue key is not valid/);
  });
});

describe('FakeApiServer: list and watch option checks (422 ListOptions)', () => {
  let server: FakeApiServer;

  afterEach(() => server.stop());

  const cases: [string, string, string][] = [
    [
      'a list with resourceVersionMatch but no resourceVersion',
      `${PODS}?resourceVersionMatch=NotOlderThan`,
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      'a list with resourceVersionMatch=Exact at "0"',
      `${PODS}?resourceVersion=0&resourceVersionMatch=Exact`,
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [
      'a list with sendInitialEvents',
      `${PODS}?sendInitialEvents=true`,
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ],
    [
      'a streaming watch without resourceVersionMatch=NotOlderThan',
      `${PODS}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    ],
    [
      'a watch with resourceVersionMatch but no sendInitialEvents',
      `${PODS}?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan`,
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
  ];
  for (const [what, path, cause] of cases) {
    it(`answers ${what} with 422`, async () => {
      server = await startWithFixtures();
      const answer = await rawGet(server, path);
      assert.equal(answer.status, 422);
      assert.equal(answer.body.reason, 'Invalid');
      assert.equal(answer.body.message, `ListOptions.meta.k8s.io "" is invalid: ${cause}`);
    });
  }

  // kube-apiserver 1.33 ships WatchList off: this 422 is what tells a client to list in pages instead.
  it('refuses a streaming watch when the WatchList feature gate is off', async () => {
    server = await startWithFixtures({ watchList: false });
    const answer = await rawGet(
      server,
      `${PODS}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(answer.status, 422);
    assert.equal(
      answer.body.message,
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
    );
  });

  it('streams the current state, not history, when a streaming watch names a resourceVersion', async () => {
    server = await startWithFixtures();
    const c = clientsFor(server);
    const created = await server.create(pod('a'));
    // History after that resourceVersion holds a MODIFIED; a streaming list sends the state instead.
    await c.core.patchNamespacedPod(
      { namespace: 'default', name: 'a', body: { metadata: { labels: { x: '1' } } } },
      mergePatch,
    );
    const w = await openWatch(c.kc, PODS, {
      sendInitialEvents: true,
      allowWatchBookmarks: true,
      resourceVersionMatch: 'NotOlderThan',
      resourceVersion: created.metadata.resourceVersion,
    });
    const events = await w.until((e) => e.some((x) => x.type === 'BOOKMARK'));
    w.stop();
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'a'],
        ['BOOKMARK', undefined],
      ],
    );
    assert.deepEqual(events[1]!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  });
});
