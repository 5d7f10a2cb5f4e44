/**
 * LIST responses streamed item by item, as kube-apiserver 1.33+ encodes them (KEP-5116, "Streaming
 * encoding for LIST responses", beta and on by default in 1.33; kubernetes.io/blog/2025/05/09/
 * kubernetes-v1-33-streaming-list-responses): the body is sent chunked, without a Content-Length, and
 * never held whole. That is what lets the FAKE serve a list larger than one V8 string (100,000 real pods:
 * ~700 MB), as the scale benchmark needs; before, one JSON.stringify of such a list threw.
 */
import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import { clientsFor, startWithFixtures, type Clients } from './harness.js';

describe('FakeApiServer: LIST responses are streamed, as kube-apiserver 1.33 encodes them', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
    for (const name of ['a', 'b', 'c'])
      await c.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      });
  });
  afterEach(() => server.stop());

  async function raw(path: string): Promise<Response> {
    const headers = { authorization: `Bearer ${server.tokenFor('system:admin')}` };
    return fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
  }

  it('sends a list chunked, without a Content-Length, as the same JSON a client reads', async () => {
    const res = await raw('/api/v1/namespaces/default/pods');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const body = (await res.json()) as {
      kind: string;
      metadata: { resourceVersion: string };
      items: unknown[];
    };
    assert.equal(body.kind, 'PodList');
    const listed = await c.core.listNamespacedPod({ namespace: 'default' });
    assert.deepEqual(
      body.items.map((p) => (p as { metadata: { name: string } }).metadata.name),
      listed.items.map((p) => p.metadata?.name),
    );
    assert.equal(body.metadata.resourceVersion, listed.metadata?.resourceVersion);
  });

  it('streams an empty list and a page with its continue token as well-formed JSON', async () => {
    const empty = (await (await raw('/api/v1/namespaces/kube-public/pods')).json()) as { items: unknown[] };
    assert.deepEqual(empty.items, []);
    const page = await c.core.listNamespacedPod({ namespace: 'default', limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata);
    assert.ok(page.metadata._continue, 'a first page carries a continue token');
    assert.equal(page.metadata.remainingItemCount, 1);
  });
});
