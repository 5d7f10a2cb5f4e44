// Predictions from the operator's caches: the cluster's snapshot is built once, then kept up to date —
// a pod change re-reads its namespace's pods alone, a policy change compiles the policies again over the
// pods already indexed — and every change shows in the next prediction.
import { strict as assert } from 'node:assert';
import type { ConnectivityTest } from '../../src/api/types.js';
import type { PodSource } from '../../src/kube/cached-pods.js';
import type { PodObject, WireObject } from '../../src/kube/objects.js';
import { Predictor, snapshotInput, type ClusterObjects } from '../../src/run/predict.js';
import { FakePodCache } from '../support/fake-pod-cache.js';
import { WEB_TO_API } from '../support/web-to-api.js';

const test = WEB_TO_API;

const ns: WireObject = { metadata: { name: 'prod' } };
const api = (labels: Record<string, string>, name = 'api-1', namespace = 'prod'): PodObject => ({
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] },
  status: { phase: 'Running', podIP: '10.1.0.7' },
});
const denyAll: WireObject = {
  metadata: { name: 'deny-all', namespace: 'prod' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};

function cluster(pods: PodSource, policies: WireObject[] = []): ClusterObjects {
  return { namespaces: [ns], pods, services: [], policies };
}

const predicted = (p: Predictor, c: ClusterObjects) => p.predict(test, c).get('web-to-api')?.predicted;

/** The source, counting what is read of it. */
function counted(source: PodSource) {
  const reads = { all: 0, namespaces: [] as string[] };
  const counting: PodSource = {
    all: () => {
      reads.all += 1;
      return source.all();
    },
    podsIn: (namespace) => {
      reads.namespaces.push(namespace);
      return source.podsIn(namespace);
    },
    get version() {
      return source.version;
    },
    changedSince: (version) => source.changedSince(version),
    get compactedThrough() {
      return source.compactedThrough;
    },
  };
  return { reads, counting };
}

describe('predicting from the caches', () => {
  it('reuses the snapshot while nothing changed', () => {
    const p = new Predictor();
    const cache = new FakePodCache([api({ app: 'api' })]);
    assert.equal(predicted(p, cluster(cache.source)), 'Allowed');
    // New lists of the same objects, as the caches hand out on every run.
    assert.equal(predicted(p, cluster(cache.source)), 'Allowed');
    assert.equal(predicted(p, cluster(cache.source)), 'Allowed');
    assert.deepEqual([p.snapshotsBuilt, p.policyRebuilds, p.namespacesReread], [1, 1, 0]);
  });

  it('sees a new policy, a relabelled pod and a deleted pod in the next prediction', () => {
    const p = new Predictor();
    const cache = new FakePodCache([api({ app: 'api' })]);
    assert.equal(predicted(p, cluster(cache.source)), 'Allowed');
    assert.equal(predicted(p, cluster(cache.source, [denyAll])), 'Denied');
    cache.apply(api({ app: 'other' }));
    assert.equal(predicted(p, cluster(cache.source, [denyAll])), 'Unknown');
    cache.apply(api({ app: 'api' }, 'api-2'));
    assert.equal(predicted(p, cluster(cache.source, [denyAll])), 'Denied');
    cache.remove('prod', 'api-2');
    assert.equal(predicted(p, cluster(cache.source, [denyAll])), 'Unknown');
    assert.equal(p.snapshotsBuilt, 1, 'every pod was read once');
  });

  it('re-reads only the namespace whose pod changed, among many', () => {
    const pods = Array.from({ length: 50 }, (_, i) => api({ app: 'api' }, `api-${i}`, `team-${i}`));
    const cache = new FakePodCache([...pods, api({ app: 'other' })]);
    const { reads, counting } = counted(cache.source);
    const p = new Predictor();
    assert.equal(predicted(p, cluster(counting)), 'Unknown', 'no pod of prod matches app=api yet');
    cache.apply(api({ app: 'api' }));
    assert.equal(predicted(p, cluster(counting)), 'Allowed');
    cache.apply(api({ app: 'api', version: '2' }, 'api-7', 'team-7'));
    assert.equal(predicted(p, cluster(counting)), 'Allowed');
    assert.equal(reads.all, 1);
    assert.deepEqual(reads.namespaces, ['prod', 'team-7']);
  });

  it('compiles a changed policy over the pods it has, without reading them again', () => {
    const cache = new FakePodCache([api({ app: 'api' })]);
    const { reads, counting } = counted(cache.source);
    const p = new Predictor();
    assert.equal(predicted(p, cluster(counting)), 'Allowed');
    assert.equal(predicted(p, cluster(counting, [denyAll])), 'Denied');
    assert.deepEqual([reads.all, reads.namespaces.length, p.policyRebuilds], [1, 0, 2]);
  });

  it('leaves the snapshot alone while only probe pods change', () => {
    const cache = new FakePodCache([api({ app: 'api' })]);
    const p = new Predictor();
    assert.equal(predicted(p, cluster(cache.source)), 'Allowed');
    const probe = api({ app: 'api', 'flowprobe.dev/run-id': 'r1' }, 'probe-1');
    cache.apply(probe);
    cache.apply({ ...probe, status: { phase: 'Succeeded' } });
    cache.remove('prod', 'probe-1');
    assert.equal(predicted(p, cluster(cache.source, [denyAll])), 'Denied');
    assert.deepEqual([p.snapshotsBuilt, p.namespacesReread], [1, 0]);
  });

  it('predicts nothing for an invalid test', () => {
    const invalid = { ...test, spec: { flows: [] } } as unknown as ConnectivityTest;
    const cache = new FakePodCache([api({ app: 'api' })]);
    assert.equal(new Predictor().predict(invalid, cluster(cache.source)).size, 0);
  });
});

// The operator caches the policy kinds beyond NetworkPolicy where the cluster serves them (src/kube) and
// hands them over raw; the snapshot reads them by apiVersion and kind, as it reads manifests.
describe('predicting with the extra policy kinds the cluster serves', () => {
  const cnp: WireObject = {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'deny-metadata' },
    spec: { tier: 'Admin', priority: 5, subject: { namespaces: {} }, egress: [] },
  };
  const calico: WireObject = {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'default.l7', namespace: 'prod' },
    spec: { selector: "app == 'api'" },
  };

  it('hands each to the snapshot as it is, apiVersion and kind included: a Calico NetworkPolicy stays Calico', () => {
    const input = snapshotInput({
      namespaces: [ns],
      services: [],
      policies: [],
      extraPolicies: [cnp, calico],
    });
    const extra = input.map((s) => s.object).filter((o) => o.kind !== 'Namespace');
    assert.deepEqual(extra, [cnp, calico]);
  });

  it('leaves out an object that lost its apiVersion or kind: it could be read as the wrong kind', () => {
    const bare = { metadata: { name: 'x', namespace: 'prod' }, spec: {} } as WireObject;
    const input = snapshotInput({ namespaces: [ns], services: [], policies: [], extraPolicies: [bare] });
    assert.deepEqual(
      input.map((s) => s.object.kind),
      ['Namespace'],
    );
  });

  it('compiles the policies again when one comes or goes, and reuses them while they are the same', () => {
    const p = new Predictor();
    const cache = new FakePodCache([api({ app: 'api' })]);
    predicted(p, cluster(cache.source));
    predicted(p, { ...cluster(cache.source), extraPolicies: [cnp] });
    predicted(p, { ...cluster(cache.source), extraPolicies: [cnp] });
    predicted(p, cluster(cache.source));
    assert.deepEqual([p.snapshotsBuilt, p.policyRebuilds], [1, 3]);
  });

  it('predicts as before where none is served', () => {
    const p = new Predictor();
    const cache = new FakePodCache([api({ app: 'api' })]);
    assert.equal(predicted(p, { ...cluster(cache.source, [denyAll]), extraPolicies: [] }), 'Denied');
  });
});
