/**
 * Metadata-only reads (meta.k8s.io/v1 PartialObjectMetadata), as client-go's metadata client and
 * `kubectl get --raw` make them: `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
 * on a list, `as=PartialObjectMetadata` on a get or a watch. kube-apiserver answers them for every resource,
 * custom ones included, with the metadata alone (apiserver pkg/endpoints/handlers/response.go
 * `asPartialObjectMetadata`, `asPartialObjectMetadataList`), and 406 NotAcceptable for the wrong form.
 */
import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import { startWithFixtures } from './harness.js';

const AS_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const AS_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface Partial {
  kind: string;
  apiVersion: string;
  metadata: { name?: string; resourceVersion?: string; continue?: string };
  items?: Partial[];
  spec?: unknown;
}

describe('FakeApiServer: metadata-only responses (PartialObjectMetadata)', () => {
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await startWithFixtures();
  });
  afterEach(() => server.stop());

  const get = (path: string, accept: string, signal?: AbortSignal) =>
    fetch(`${server.url}${path}`, {
      headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}`, Accept: accept },
      ...(signal ? { signal } : {}),
    });

  it('lists CRDs as a PartialObjectMetadataList, paged, each item its metadata alone', async () => {
    const res = await get(`${CRDS}?limit=1`, AS_LIST);
    assert.equal(res.status, 200);
    const list = (await res.json()) as Partial;
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.ok(list.metadata.resourceVersion && list.metadata.continue, 'resourceVersion and continue');
    assert.equal(list.items?.length, 1);
    const item = (list.items ?? [])[0];
    assert.ok(item);
    assert.equal(item.kind, 'PartialObjectMetadata');
    assert.equal(item.apiVersion, 'meta.k8s.io/v1');
    assert.match(item.metadata.name ?? '', /\./);
    assert.equal(item.spec, undefined, 'no spec, no schema');
  });

  it('gets one CRD as PartialObjectMetadata', async () => {
    const list = (await (await get(CRDS, AS_LIST)).json()) as Partial;
    const name = list.items?.[0]?.metadata.name ?? '';
    const obj = (await (await get(`${CRDS}/${name}`, AS_OBJECT)).json()) as Partial;
    assert.deepEqual([obj.kind, obj.metadata.name, obj.spec], ['PartialObjectMetadata', name, undefined]);
  });

  it('answers 406 NotAcceptable for the object form on a list and the list form on a get', async () => {
    const list = await get(CRDS, AS_OBJECT);
    assert.equal(list.status, 406);
    assert.equal(((await list.json()) as { reason: string }).reason, 'NotAcceptable');
    const name = ((await (await get(CRDS, AS_LIST)).json()) as Partial).items?.[0]?.metadata.name ?? '';
    assert.equal((await get(`${CRDS}/${name}`, AS_LIST)).status, 406);
  });

  it('watches as PartialObjectMetadata events', async () => {
    const list = (await (await get(CRDS, AS_LIST)).json()) as Partial;
    const [first] = list.items ?? [];
    const controller = new AbortController();
    const rv = list.metadata.resourceVersion ?? '';
    const res = await get(`${CRDS}?watch=true&resourceVersion=${rv}`, AS_OBJECT, controller.signal);
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    // Any change of the CRD makes an event: a label.
    const patch = await fetch(`${server.url}${CRDS}/${first?.metadata.name ?? ''}`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${server.tokenFor('system:admin')}`,
        'Content-Type': 'application/merge-patch+json',
      },
      body: JSON.stringify({ metadata: { labels: { touched: 'yes' } } }),
    });
    assert.equal(patch.status, 200);
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('\n')) {
      const { value } = (await reader.read()) as { value?: Uint8Array };
      text += decoder.decode(value);
    }
    controller.abort();
    const event = JSON.parse(text.slice(0, text.indexOf('\n'))) as { type: string; object: Partial };
    assert.equal(event.type, 'MODIFIED');
    assert.equal(event.object.kind, 'PartialObjectMetadata');
    assert.equal(event.object.spec, undefined);
  });
});
