// The operator's path for a flow an Admin-tier ClusterNetworkPolicy denies: prediction → flow results →
// re-prediction. A probe that connects anyway says the CNI may not implement ClusterNetworkPolicy (flannel
// and kindnet do not; Cilium only behind a flag; Calico from 3.32 — network-policy-api
// site-src/implementations.md): "the CNI is not enforcing NetworkPolicy" would be a confident wrong
// diagnosis on a cluster whose NetworkPolicies work.
//
// The real Predictor, fed as the operator's caches feed it (test/support/connected-flow.ts).
import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../src/manifest/load.js';
import { connectedResult, PROD_API, repredicted } from '../support/connected-flow.js';

const objects: KubeObject[] = [...PROD_API];

/** Admin tier: nothing may reach api (the destination's ingress). */
const freezeApi: KubeObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'freeze-api' },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
    ingress: [{ name: 'all', action: 'Deny', from: [{ namespaces: {} }] }],
  },
};

const denyApi: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-api', namespace: 'prod' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
};

const run = (extra: KubeObject[]) => connectedResult([...objects, ...extra]);

const NAMES_THE_CNP =
  /the ClusterNetworkPolicy cnp\/freeze-api \(Admin, priority 5\) denies it: the CNI may not implement ClusterNetworkPolicy/;

describe('a flow an Admin ClusterNetworkPolicy denies, through the operator’s results', () => {
  it('a connection says the CNI may not implement ClusterNetworkPolicy, not that it ignores NetworkPolicy', () => {
    const r = run([freezeApi]);
    assert.equal(r.predicted, 'Denied');
    assert.equal(r.verdict, 'Fail');
    assert.match(r.diagnosis, NAMES_THE_CNP);
    assert.doesNotMatch(r.diagnosis, /not enforcing NetworkPolicy/);
  });

  it('a NetworkPolicy that denies the same flow still blames NetworkPolicy enforcement', () => {
    assert.match(run([denyApi]).diagnosis, /the CNI is not enforcing NetworkPolicy/);
  });

  it('a re-prediction after the policy appears names it in the stored diagnosis', () => {
    const stored = run([]);
    const after = repredicted(stored, [...objects, freezeApi]);
    assert.equal(after.verdict, stored.verdict);
    assert.equal(after.predicted, 'Denied');
    assert.match(after.diagnosis, NAMES_THE_CNP);
  });
});
