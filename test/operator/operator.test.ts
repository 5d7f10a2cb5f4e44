// The operator end to end in the local FAKE cluster (see harness.ts for what is real and what is fake).
import { strict as assert } from 'node:assert';
import { POLICY_KINDS } from '../../src/kube/policy-kinds.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import {
  allowFrontendToWeb,
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  OPERATOR_USER,
  OperatorUnderTest,
  probePods,
  seedNamespace,
  useFakeCluster,
  statusFor,
} from './harness.js';

describe('the operator in a local FAKE cluster with an enforcing CNI', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator-a', 'operator-b'], true);
  let cluster: FakeCluster;
  before(async () => {
    cluster = env.cluster;
    await seedNamespace(cluster, 'prod', [denyIngressToWeb, allowFrontendToWeb]);
  });

  it('probes the seed flows for real and writes verdicts, predictions and conditions to the status', async () => {
    await createTest(
      cluster,
      connectivityTest('prod', 'baseline', [
        flow('frontend-to-web', 'frontend', 'Allowed'),
        flow('other-to-web', 'other', 'Denied'),
      ]),
    );
    const status = await statusFor(cluster, 'prod', 'baseline');
    const byFlow = Object.fromEntries((status.results ?? []).map((r) => [r.flow, r]));
    const [allowed, denied] = [byFlow['frontend-to-web'], byFlow['other-to-web']];
    assert.ok(allowed && denied, JSON.stringify(status.results));
    assert.deepEqual([allowed.outcome, allowed.verdict, allowed.predicted], ['Connected', 'Pass', 'Allowed']);
    assert.deepEqual([denied.outcome, denied.verdict, denied.predicted], ['Blocked', 'Pass', 'Denied']);
    assert.deepEqual(status.summary, { flows: 2, passed: 2, failed: 0, errors: 0 });
    assert.equal(status.conditions?.find((c) => c.type === 'Passing')?.reason, 'AllFlowsAsExpected');
  });

  it('reports drift with a diagnosis and a DriftDetected event', async () => {
    await createTest(
      cluster,
      connectivityTest('prod', 'drift', [flow('other-may-reach-web', 'other', 'Allowed')]),
    );
    const status = await statusFor(cluster, 'prod', 'drift');
    const [r] = status.results ?? [];
    assert.ok(r);
    assert.equal(r.verdict, 'Fail');
    assert.match(r.diagnosis, /^expected Allowed, observed Blocked: the NetworkPolicies deny it/);
    assert.equal(status.conditions?.find((c) => c.type === 'Passing')?.reason, 'Drift');
    await eventually(async () => {
      const events = await clients(cluster).events.listNamespacedEvent({ namespace: 'prod' });
      return events.items.some((e) => e.reason === 'DriftDetected' && e.regarding?.name === 'drift');
    }, 'a DriftDetected event');
  });

  it('deletes every probe pod once its results are read', async () => {
    await eventually(async () => (await probePods(cluster, 'prod')).length === 0, 'no probe pods left');
  });

  it('re-runs when the spec changes and moves observedGeneration', async () => {
    const { custom } = clients(cluster);
    await custom.patchNamespacedCustomObject(
      {
        group: 'flowprobe.dev',
        version: 'v1alpha1',
        namespace: 'prod',
        plural: 'connectivitytests',
        name: 'drift',
        body: { spec: { flows: [flow('other-kept-out', 'other', 'Denied')] } },
      },
      (await import('../support/fake-cluster/kube-client.js')).setHeaderOptions(
        'Content-Type',
        'application/merge-patch+json',
      ),
    );
    const status = await statusFor(cluster, 'prod', 'drift', 2);
    assert.deepEqual(
      status.results?.map((r) => [r.flow, r.verdict]),
      [['other-kept-out', 'Pass']],
    );
  });

  it('lets only the leader probe: one replica holds the lease, the other records no runs', async () => {
    const [a, b] = env.operators as [OperatorUnderTest, OperatorUnderTest];
    const leading = [await a.metric('flowprobe_leader '), await b.metric('flowprobe_leader ')].map((m) =>
      m[0]?.endsWith(' 1'),
    );
    assert.deepEqual([...leading].sort(), [false, true]);
    const follower = leading[0] ? b : a;
    const runs = (await follower.metric('flowprobe_runs_total{')).filter((l) => !l.endsWith(' 0'));
    assert.deepEqual(runs, []);
  });

  // kubernetes plugin/pkg/admission/gc/gc_admission.go: blockOwnerDeletion: true on a probe pod needs
  // `update` on connectivitytests/finalizers; without it the API server refuses every probe pod (403).
  it("passes OwnerReferencesPermissionEnforcement: the finalizers grant allows its probe pods' blockOwnerDeletion", () => {
    const checks = cluster.server
      .usage(OPERATOR_USER)
      .filter((u) => u.resource === 'connectivitytests' && u.subresource === 'finalizers');
    assert.deepEqual(
      [...new Set(checks.map((u) => `${u.verb} ${String(u.allowed)}`))],
      ['update true'],
      'the admission plugin checked the probe pods, and RBAC allowed each check',
    );
  });

  it('needed no permission beyond the shipped RBAC, and used every grant it ships', () => {
    const report = cluster.server.rbacReport(OPERATOR_USER);
    assert.deepEqual(report.denied, []);
    // Some grants are used only on paths this suite does not walk: a fresh read after a status conflict
    // (walked in faults.test.ts), an event series (a repeated event; unit-tested in events.test.ts), and the
    // policy kinds beyond NetworkPolicy, watched only where served (extra-policies.test.ts).
    const elsewhere = [
      'get flowprobe.dev/connectivitytests',
      'patch events.k8s.io/events',
      // ClusterConnectivityTests' writes (cluster-connectivity-test.test.ts walks them).
      'get flowprobe.dev/clusterconnectivitytests',
      'patch flowprobe.dev/clusterconnectivitytests/status',
      'update flowprobe.dev/clusterconnectivitytests/finalizers',
      ...POLICY_KINDS.flatMap((k) => [`list ${k.group}/${k.plural}`, `watch ${k.group}/${k.plural}`]),
      // Only Calico's API server consults these (its own per-tier check of a policy list, deploy/rbac.yaml);
      // the FAKE API server is Kubernetes' and never asks for them.
      ...CALICO_TIER_GRANTS,
    ];
    const unused = report.unused.map((g) => `${g.verb} ${g.group ? `${g.group}/` : ''}${g.resource}`);
    assert.deepEqual(
      unused.filter((g) => !elsewhere.includes(g)),
      [],
    );
  });
});

const CALICO_TIER_GRANTS = [
  'get projectcalico.org/tiers',
  ...[
    'networkpolicies',
    'globalnetworkpolicies',
    'stagednetworkpolicies',
    'stagedglobalnetworkpolicies',
  ].flatMap((r) => [`list projectcalico.org/tier.${r}`, `watch projectcalico.org/tier.${r}`]),
];
