// The operator's caches on a cluster of 1,200 pods, against the FAKE API server paging as kube-apiserver does
// (apiserver pkg/storage/etcd3/store.go `GetList`: `limit` + `continue` over the first page's snapshot; a
// continue token whose resourceVersion was compacted answers 410 Expired). client-go's reflector lists in
// pages of 500 (tools/pager/pager.go `defaultPageSize`), waits for the last page before the informer counts as
// synced, and watches from the list's resourceVersion (tools/cache/reflector.go). What is asserted is what a
// user sees: the requests the server got, the cache's content, and readiness.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { KubeCluster } from '../../src/kube/index.js';
import { FakeApiServer, type KubeObject, type LoggedRequest } from '../support/fake-apiserver/index.js';

const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

const PODS = 1200;

function podName(i: number): string {
  return `pod-${String(i).padStart(4, '0')}`;
}

function pod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'prod', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 8080 }] }] },
  };
}

/** Resolves once `check` holds (an observable outcome, bounded in time). */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the caches list a large cluster in pages', function () {
  this.timeout(30_000);
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let watchErrors: string[];
  let apiErrors: string[];
  let core: CoreV1Api;

  beforeEach(async () => {
    // Compaction only when a test asks for it.
    server = await FakeApiServer.start({ namespaces: ['prod'], objects: [CRD], compactionIntervalMs: 0 });
    for (let i = 0; i < PODS; i++) await server.create(pod(podName(i)));
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    core = kc.makeApiClient(CoreV1Api);
    watchErrors = [];
    apiErrors = [];
    cluster = new KubeCluster(kc, {
      onWatchError: (kind, err) => watchErrors.push(`${kind}: ${String(err)}`),
      onApiError: (verb, err) => apiErrors.push(`${verb}: ${String(err)}`),
    });
  });

  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  const podLists = (): LoggedRequest[] => server.requests({ verb: 'list', resource: 'pods' });
  const podNames = (): string[] =>
    cluster.pods
      .list()
      .map((p) => p.metadata.name)
      .sort();

  it('lists 1,200 pods in three pages of 500 and watches from the first page’s resourceVersion', async () => {
    const listedAt = String(server.resourceVersion());
    await cluster.startCaches();
    const pages = podLists();
    assert.deepEqual(
      pages.map((p) => p.query.limit),
      ['500', '500', '500'],
    );
    assert.equal(pages[0]!.query.continue, undefined);
    assert.ok(pages[1]!.query.continue && pages[2]!.query.continue, 'pages 2 and 3 carry continue tokens');
    for (const resource of ['connectivitytests', 'namespaces', 'services', 'networkpolicies'])
      assert.deepEqual(
        server.requests({ verb: 'list', resource }).map((r) => r.query.limit),
        ['500'],
        resource,
      );
    assert.equal(cluster.pods.list().length, PODS);
    const [watch] = server.requests({ verb: 'watch', resource: 'pods' });
    assert.equal(watch?.query.resourceVersion, listedAt);
    await server.create(pod('pod-after'));
    await until(() => cluster.pods.get('pod-after', 'prod') !== undefined, 'the watch to deliver pod-after');
  });

  it('is not synced, and serves no pods, until the last page has arrived', async () => {
    // Slow pages leave a window between the last page's request and its answer.
    server.faults.addLatency(500, { verb: 'list', resource: 'pods' });
    const started = cluster.startCaches();
    await until(() => podLists().length === 3, 'the third page to be requested');
    assert.equal(cluster.synced, false);
    assert.equal(cluster.connected, false);
    assert.equal(cluster.pods.list().length, 0);
    await started;
    assert.equal(cluster.synced, true);
    assert.equal(cluster.pods.list().length, PODS);
  });

  it('starts the list over when a continue token expires mid-list, and ends complete and current', async () => {
    server.faults.addLatency(300, { verb: 'list', resource: 'pods' });
    const started = cluster.startCaches();
    await until(() => podLists().length === 2, 'the second page to be requested');
    // While page 2 is on its way: one pod of page 1 goes, one joins at the end, history is compacted — the
    // first page's snapshot is gone, so page 2 answers 410 Expired.
    await core.deleteNamespacedPod({ namespace: 'prod', name: podName(0) });
    await server.create(pod(podName(PODS)));
    server.compact();
    await started;
    const pages = podLists();
    assert.equal(pages.length, 5, 'page 1, the expired page 2, then pages 1-3 again');
    assert.equal(pages[2]!.query.continue, undefined, 'the list started over from the first page');
    assert.equal(cluster.synced, true, 'the first start synced: no failed attempt, no back-off');
    assert.deepEqual(watchErrors, []);
    // The 410 is an API error like any other failed call: counted, not hidden.
    assert.equal(apiErrors.length, 1);
    assert.match(apiErrors[0]!, /^list: .*too old to display a consistent list result/);
    const expected = Array.from({ length: PODS }, (_, i) => podName(i + 1));
    assert.deepEqual(podNames(), expected);
    const [watch] = server.requests({ verb: 'watch', resource: 'pods' });
    assert.equal(watch?.query.resourceVersion, String(server.resourceVersion()));
  });
});

// CRDs carry their whole OpenAPI schema (often 100-500 KB each: prometheus-operator, Istio, Crossplane), and
// a page is read as one string before trimCrd cuts it: 500 of them would be a page beyond the operator's
// capped heap. client-go lets a lister pick its page size (tools/pager/pager.go `PageSize`); the CRD watch
// asks for small pages.
describe('the CRD watch lists CRDs in small pages', function () {
  this.timeout(30_000);
  let server: FakeApiServer;
  let cluster: KubeCluster;

  /** The flowprobe CRD renamed into group `example<i>.com`: a CRD of the same (real) schema size. */
  function otherCrd(i: number): KubeObject {
    const spec = CRD.spec as { names: Record<string, unknown> };
    const group = `example${i}.com`;
    return {
      ...CRD,
      metadata: { name: `things.${group}` },
      spec: { ...spec, group, names: { ...spec.names, plural: 'things', singular: 'thing', shortNames: [] } },
    };
  }

  beforeEach(async () => {
    const crds = Array.from({ length: 59 }, (_, i) => otherCrd(i));
    server = await FakeApiServer.start({ namespaces: ['prod'], objects: [CRD, ...crds] });
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    cluster = new KubeCluster(kc);
  });

  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  it('lists 60 CRDs in pages of 25 objects, so that no page holds hundreds of schemas', async () => {
    await cluster.startCaches();
    const pages = server.requests({ verb: 'list', resource: 'customresourcedefinitions' });
    assert.deepEqual(
      pages.map((p) => p.query.limit),
      ['25', '25', '25'],
    );
    assert.equal(cluster.synced, true);
  });

  // A CRD's schema is most of it, and nothing here reads it: the CRD watch asks for metadata alone, as
  // client-go's metadata informer does (k8s.io/client-go/metadata: `as=PartialObjectMetadataList` on a list,
  // `as=PartialObjectMetadata` on a watch), and finds the group in the name `<plural>.<group>`.
  it('lists and watches CRDs as metadata only', async () => {
    await cluster.startCaches();
    const [list] = server.requests({ verb: 'list', resource: 'customresourcedefinitions' });
    assert.match(list?.accept ?? '', /as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1/);
    const watches = () => server.requests({ verb: 'watch', resource: 'customresourcedefinitions' });
    await until(() => watches().length > 0, 'the CRD watch');
    const [watch] = watches();
    assert.match(watch?.accept ?? '', /as=PartialObjectMetadata;g=meta\.k8s\.io;v=v1/);
  });
});
