// Predictions from the operator's caches: the cluster's snapshot is built once per state of the caches
// (they hand out the same object until it changes), and every change shows in the next prediction.
import { strict as assert } from 'node:assert';
import type { ConnectivityTest } from '../../src/api/types.js';
import type { WireObject } from '../../src/kube/objects.js';
import { Predictor, snapshotInput, type ClusterObjects } from '../../src/run/predict.js';
import { WEB_TO_API } from '../support/web-to-api.js';

const test = WEB_TO_API;

const ns: WireObject = { metadata: { name: 'prod' } };
const api = (labels: Record<string, string>): WireObject => ({
  metadata: { name: 'api-1', namespace: 'prod', labels },
  spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] },
  status: { phase: 'Running', podIP: '10.1.0.7' },
});
const denyAll: WireObject = {
  metadata: { name: 'deny-all', namespace: 'prod' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};

function cluster(pods: WireObject[], policies: WireObject[] = []): ClusterObjects {
  return { namespaces: [ns], pods, services: [], policies };
}

const predicted = (p: Predictor, c: ClusterObjects) => p.predict(test, c).get('web-to-api')?.predicted;

describe('predicting from the caches', () => {
  it('reuses the snapshot while the cached objects are the same ones', () => {
    const p = new Predictor();
    const pod = api({ app: 'api' });
    assert.equal(predicted(p, cluster([pod])), 'Allowed');
    // New lists of the same objects, as the caches hand out on every run.
    assert.equal(predicted(p, cluster([pod])), 'Allowed');
    assert.equal(predicted(p, cluster([pod])), 'Allowed');
    assert.equal(p.snapshotsBuilt, 1);
  });

  it('sees a new policy, a relabelled pod and a deleted pod in the next prediction', () => {
    const p = new Predictor();
    const pod = api({ app: 'api' });
    assert.equal(predicted(p, cluster([pod])), 'Allowed');
    assert.equal(predicted(p, cluster([pod], [denyAll])), 'Denied');
    assert.equal(predicted(p, cluster([api({ app: 'other' })], [denyAll])), 'Unknown');
    assert.equal(predicted(p, cluster([], [denyAll])), 'Unknown');
    assert.equal(p.snapshotsBuilt, 4);
  });

  it('predicts nothing for an invalid test', () => {
    const invalid = { ...test, spec: { flows: [] } } as unknown as ConnectivityTest;
    assert.equal(new Predictor().predict(invalid, cluster([api({ app: 'api' })])).size, 0);
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
    const input = snapshotInput({ ...cluster([]), extraPolicies: [cnp, calico] });
    const extra = input.map((s) => s.object).filter((o) => o.kind !== 'Namespace');
    assert.deepEqual(extra, [cnp, calico]);
  });

  it('leaves out an object that lost its apiVersion or kind: it could be read as the wrong kind', () => {
    const bare = { metadata: { name: 'x', namespace: 'prod' }, spec: {} } as WireObject;
    const input = snapshotInput({ ...cluster([]), extraPolicies: [bare] });
    assert.deepEqual(
      input.map((s) => s.object.kind),
      ['Namespace'],
    );
  });

  it('builds a new snapshot when one comes or goes, and reuses it while they are the same', () => {
    const p = new Predictor();
    const pod = api({ app: 'api' });
    predicted(p, cluster([pod]));
    predicted(p, { ...cluster([pod]), extraPolicies: [cnp] });
    predicted(p, { ...cluster([pod]), extraPolicies: [cnp] });
    predicted(p, cluster([pod]));
    assert.equal(p.snapshotsBuilt, 3);
  });

  it('predicts as before where none is served', () => {
    const p = new Predictor();
    assert.equal(predicted(p, { ...cluster([api({ app: 'api' })], [denyAll]), extraPolicies: [] }), 'Denied');
  });
});
