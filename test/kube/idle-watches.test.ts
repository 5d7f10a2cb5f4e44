// The operator's caches on a quiet cluster, against the FAKE API server behaving as kube-apiserver does
// over time: a BOOKMARK about once a minute on watches that ask for them (apiserver cacher.go
// `defaultBookmarkFrequency`), a watch ended at its `timeoutSeconds`, history compacted every 5 minutes up to
// the previous tick (apiserver storage/etcd3/compact.go), and other objects changing all the while (as
// kubelets renew their leases), so that a resourceVersion nobody refreshes ages out. client-go's reflector
// asks for bookmarks, reopens each watch after a random 5-10 minutes (`minWatchTimeout`) from the last
// resourceVersion it saw, and relists only on 410 (client-go tools/cache/reflector.go). Twelve minutes pass
// in a time lapse (test/support/time-lapse.ts) with the real periods of client-node, flowprobe and the
// server; the figures asserted are the requests the server saw.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { KubeCluster } from '../../src/kube/index.js';
import { FakeApiServer, type KubeObject, type LoggedRequest } from '../support/fake-apiserver/index.js';
import { policyCrd } from '../support/policy-crds.js';
import { TimeLapse } from '../support/time-lapse.js';

const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

const MINUTE = 60_000;
const QUIET_MS = 12 * MINUTE;
/** Twelve minutes in three seconds. */
const SPEEDUP = 240;
const RESOURCES = [
  'connectivitytests',
  'pods',
  'namespaces',
  'services',
  'networkpolicies',
  // The CRD watch that tells when to look for policy kinds again, and one such kind, served here.
  'customresourcedefinitions',
  'clusternetworkpolicies',
];

describe('the caches on a quiet cluster, over twelve minutes of real periods', () => {
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let changes: string[] = [];
  let watchErrors: string[];

  before(async function () {
    this.timeout(30_000);
    const lapse = TimeLapse.start(SPEEDUP);
    try {
      server = await FakeApiServer.start({
        namespaces: ['prod'],
        objects: [CRD, policyCrd('policy.networking.k8s.io', 'clusternetworkpolicies')],
      });
      const kc = new KubeConfig();
      kc.loadFromString(server.kubeconfig());
      watchErrors = [];
      cluster = new KubeCluster(kc, {
        onChange: (kind, type, obj) => changes.push(`${kind} ${type} ${obj.metadata.name}`),
        onWatchError: (kind, err) => watchErrors.push(`${kind}: ${String(err)}`),
      });
      await cluster.startCaches();
      changes = []; // what the lists brought in; from here on nothing changes in the watched kinds
      // Writes elsewhere move the cluster's resourceVersion on, as node leases do every 10 s.
      const churn = setInterval(() => {
        void server.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { generateName: 'lease-', namespace: 'prod' },
        });
      }, 10_000);
      await lapse.sleep(QUIET_MS);
      clearInterval(churn);
      await cluster.stopCaches();
    } finally {
      lapse.stop();
    }
  });

  after(() => server.stop());

  const requests = (verb: string, resource: string): LoggedRequest[] => server.requests({ verb, resource });

  it('lists each kind once: no relist while nothing changes', () => {
    for (const resource of RESOURCES) assert.equal(requests('list', resource).length, 1, resource);
  });

  it('reads discovery once, at start: no polling while nothing changes', () => {
    assert.deepEqual(server.nonResourceRequests(), ['/apis', '/apis/policy.networking.k8s.io/v1alpha2']);
  });

  it('reopens each watch every 5-10 minutes, not at every client inactivity timeout', () => {
    // 12 minutes: the first watch, and at most two reopenings; one more is allowed for a stalled machine.
    for (const resource of RESOURCES) {
      const watches = requests('watch', resource).length;
      assert.ok(watches >= 2 && watches <= 4, `${resource}: ${watches} watch requests`);
    }
  });

  it("resumes each reopened watch from a bookmark's resourceVersion, newer than the list's", () => {
    for (const resource of RESOURCES) {
      const [first, ...reopened] = requests('watch', resource).map((w) => Number(w.query.resourceVersion));
      for (const rv of reopened) assert.ok(rv > first!, `${resource}: reopened at ${rv}, listed at ${first}`);
    }
  });

  it('asks every watch for bookmarks and for a timeoutSeconds in [300, 600), as client-go', () => {
    for (const resource of RESOURCES) {
      for (const { query } of requests('watch', resource)) {
        assert.equal(query.allowWatchBookmarks, 'true', resource);
        const timeout = Number(query.timeoutSeconds);
        assert.ok(Number.isInteger(timeout) && timeout >= 300 && timeout < 600, `${resource}: ${timeout}`);
      }
    }
  });

  it('hands no bookmark to the caches as an object, and reports no watch error', () => {
    assert.deepEqual(changes, []);
    assert.deepEqual(watchErrors, []);
  });
});
