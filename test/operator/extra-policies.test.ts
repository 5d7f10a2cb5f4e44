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
  denyIngressToWeb,
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

// A Cilium cluster: allow policies of every kind are a union, so a CiliumNetworkPolicy that admits every
// endpoint of the namespace to `web` opens what the NetworkPolicy deny-web closes (docs.cilium.io,
// security/policy/language: "a connection is allowed if any rule allows it"; README "Cilium, Calico and
// Antrea"). flowprobe does not model Cilium's rules, only which pods they select: the destination here.
// The FAKE CNI does not enforce CiliumNetworkPolicy at all; it runs in mode `none` (nothing enforced, as
// flannel), which yields the observation a real Cilium would give for this flow: Connected. Before the
// out-of-model layer the operator predicted Denied from NetworkPolicy alone and said "the CNI is not
// enforcing NetworkPolicy" — false on a Cilium cluster, where the CiliumNetworkPolicy explains it.
describe('operator: a CiliumNetworkPolicy selects the destination of a flow NetworkPolicy alone denies', function () {
  this.timeout(180_000);
  const env = useFakeCluster('none', ['op-cilium']);

  it('predicts Unknown, names the CiliumNetworkPolicy, and never says the CNI is not enforcing NetworkPolicy', async () => {
    const cluster = env.cluster;
    for (const crd of policyCrds(['cilium.io'])) await cluster.server.create(crd);
    await seedNamespace(cluster, 'mesh', [denyIngressToWeb]);
    await cluster.server.create({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'web-from-namespace', namespace: 'mesh' },
      spec: {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [{}] }],
      },
    });
    // The operator predicts from its caches: wait until it has listed the kind (it holds the object then).
    const listed = () =>
      env.cluster.server
        .usage(OPERATOR_USER)
        .some((u) => u.verb === 'list' && u.resource === 'ciliumnetworkpolicies' && u.allowed);
    await eventually(() => Promise.resolve(listed()), 'a list of CiliumNetworkPolicies');
    await createTest(
      cluster,
      connectivityTest('mesh', 'kept-out', [flow('other-to-web', 'other', 'Denied')]),
    );
    const status = await statusFor(cluster, 'mesh', 'kept-out');
    const [r] = status.results ?? [];
    assert.ok(r, JSON.stringify(status));
    assert.deepEqual(
      [r.outcome, r.verdict, r.predicted],
      ['Connected', 'Fail', 'Unknown'],
      JSON.stringify(r),
    );
    assert.match(
      r.diagnosis,
      /CiliumNetworkPolicy mesh\/web-from-namespace \(it may select the destination, ingress\)/,
    );
    const said = [r.diagnosis, ...(status.conditions ?? []).map((c) => `${c.reason}: ${c.message}`)];
    for (const text of said) assert.doesNotMatch(text, /not enforcing/);
  });
});
