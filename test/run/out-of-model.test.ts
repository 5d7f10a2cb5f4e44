// The operator's path for a flow that a CNI-specific policy may decide: prediction → flow results →
// re-prediction. The case: NetworkPolicy denies web → api, a CiliumNetworkPolicy on api (which
// flowprobe does not model) allows it, and the probe connects. Blaming the CNI would be a falsehood.
//
// The real Predictor, fed as the operator's caches feed it (test/support/connected-flow.ts).
import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../src/manifest/load.js';
import { connectedResult, PROD_API, repredicted } from '../support/connected-flow.js';

const objects: KubeObject[] = [
  ...PROD_API,
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-api', namespace: 'prod' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
  },
];

const ciliumAllow: KubeObject = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'l7-api', namespace: 'prod' },
  spec: {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
  },
};

const run = (extra: KubeObject[]) => connectedResult([...objects, ...extra]);

describe('a flow a CiliumNetworkPolicy may decide, through the operator’s results', () => {
  it('without the Cilium object the policies deny it, so a connection blames the CNI', () => {
    const r = run([]);
    assert.equal(r.predicted, 'Denied');
    assert.match(r.diagnosis, /the CNI is not enforcing NetworkPolicy/);
  });

  it('with it the result is Unknown and the diagnosis names the object, not the CNI', () => {
    const r = run([ciliumAllow]);
    assert.equal(r.verdict, 'Fail');
    assert.equal(r.predicted, 'Unknown');
    assert.equal(
      r.diagnosis,
      'expected Denied, observed Connected: the observation may come from CiliumNetworkPolicy prod/l7-api (it may select the destination, ingress), which flowprobe does not model',
    );
  });

  it('a re-prediction after the object appears changes the stored diagnosis, not the verdict', () => {
    const stored = run([]);
    const after = repredicted(stored, [...objects, ciliumAllow]);
    assert.equal(after.verdict, stored.verdict);
    assert.equal(after.predicted, 'Unknown');
    assert.match(after.diagnosis, /may come from CiliumNetworkPolicy prod\/l7-api/);
    assert.doesNotMatch(after.diagnosis, /CNI/);
  });
});
