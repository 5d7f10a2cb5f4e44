/**
 * The operator and the policy kinds beyond NetworkPolicy, in the FAKE cluster under the shipped RBAC
 * (deploy/rbac.yaml): it watches a kind only once the API server serves it — here the CRDs are created while
 * the operator runs, as a platform team installs them — and its role grants exactly what that takes.
 */
import { strict as assert } from 'node:assert';
import { POLICY_KINDS } from '../../src/kube/policy-kinds.js';
import { policyCrd, policyCrds } from '../support/policy-crds.js';
import {
  allowFrontendToWeb,
  connectivityTest,
  createTest,
  eventually,
  flow,
  OPERATOR_USER,
  seedNamespace,
  statusFor,
  useFakeCluster,
} from './harness.js';

describe('operator: extra policy kinds, as the cluster comes to serve them', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing', ['op-extra']);
  // Calico's projectcalico.org/v3 would take the place of crd.projectcalico.org/v1 (src/kube/policy-kinds.ts);
  // leaving it out lets this suite walk the v1 grants. test/kube/extra-policies.test.ts walks v3.
  const kinds = POLICY_KINDS.filter((k) => k.group !== 'projectcalico.org');

  const used = (verb: string, group: string, resource: string) =>
    env.cluster.server
      .usage(OPERATOR_USER)
      .some((u) => u.verb === verb && u.group === group && u.resource === resource && u.allowed);

  it('watches no policy kind while none is served, and is ready', async () => {
    assert.deepEqual(
      kinds.filter((k) => used('list', k.group, k.plural)).map((k) => k.plural),
      [],
    );
    const ready = await fetch(`${env.operators[0]!.url()}/readyz`);
    assert.equal(ready.status, 200);
  });

  it('lists and watches each kind once its CRD is created, under the shipped RBAC, denied nothing', async () => {
    for (const crd of policyCrds().filter((c) => (c.spec as { group: string }).group !== 'projectcalico.org'))
      await env.cluster.server.create(crd);
    await eventually(
      () =>
        Promise.resolve(
          kinds.every((k) => used('list', k.group, k.plural) && used('watch', k.group, k.plural)),
        ),
      'a list and a watch of every served policy kind',
    );
    assert.deepEqual(env.cluster.server.rbacReport(OPERATOR_USER).denied, []);
    const ready = await fetch(`${env.operators[0]!.url()}/readyz`);
    assert.equal(ready.status, 200);
  });
});

// The Admin tier is evaluated before NetworkPolicy (network-policy-api site-src/api-overview.md): an Admin
// Deny blocks a path a namespace's NetworkPolicy allows. The FAKE CNI enforces the tiers with src/policy
// (test/support/fake-cluster/tier-rules.ts), so this proves the plumbing: the operator watches the
// ClusterNetworkPolicy and its prediction agrees with what the probe met.
describe('operator: an Admin-tier ClusterNetworkPolicy Deny over a NetworkPolicy allow', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['op-admin']);

  it('observes the flow Blocked and predicts it Denied', async () => {
    const cluster = env.cluster;
    await cluster.server.create(policyCrd('policy.networking.k8s.io', 'clusternetworkpolicies'));
    await seedNamespace(cluster, 'shop', [allowFrontendToWeb]);
    await cluster.server.create({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'freeze-web' },
      spec: {
        tier: 'Admin',
        priority: 5,
        subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } },
        ingress: [
          {
            name: 'freeze',
            action: 'Deny',
            from: [{ namespaces: {} }],
            protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
          },
        ],
      },
    });
    await cluster.cni.sync();
    await createTest(
      cluster,
      connectivityTest('shop', 'frozen', [flow('frontend-to-web', 'frontend', 'Denied')]),
    );
    const status = await statusFor(cluster, 'shop', 'frozen', 1, 90_000, (s) =>
      (s.results ?? []).every((r) => r.predicted === 'Denied'),
    );
    const [result] = status.results ?? [];
    assert.deepEqual(
      [result?.outcome, result?.verdict, result?.predicted],
      ['Blocked', 'Pass', 'Denied'],
      JSON.stringify(result),
    );
  });
});
