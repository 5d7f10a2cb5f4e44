// Policy coverage as the operator exports it, in the local FAKE cluster (harness.ts says what is real): the
// gauges follow the namespace's policies, workloads and tests, and go when the namespace goes — the FAKE API
// server deletes a namespace's content before the namespace itself, as kube-apiserver's namespace controller
// does (kubernetes pkg/controller/namespace/deletion/namespaced_resources_deleter.go).
import { strict as assert } from 'node:assert';
import type { ClusterConnectivityTest } from '../../src/api/types.js';
import { workloadPod, waitForPod, isReadyPod } from '../fake-cluster/helpers.js';
import {
  allowFrontendToWeb,
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  seedNamespace,
  useFakeCluster,
  type OperatorUnderTest,
} from './harness.js';

const FAMILIES = [
  'flowprobe_policy_rules',
  'flowprobe_policy_rules_exercised',
  'flowprobe_workloads',
  'flowprobe_workloads_isolated',
  'flowprobe_workloads_tested',
];

/** The coverage series of one namespace, as `name{labels} value` lines, sorted. */
async function coverageOf(op: OperatorUnderTest, namespace: string): Promise<string[]> {
  const text = await op.operator.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((l) => FAMILIES.some((f) => l.startsWith(`${f}{`)) && l.includes(`namespace="${namespace}"`))
    .sort();
}

describe('policy coverage metrics in a local FAKE cluster (declared outcomes, no network)', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator'], false, 0, 'declared');

  it('exports rules exercised, workloads isolated and tested per namespace, and drops them when the namespace goes', async () => {
    const { cluster } = env;
    const [op] = env.operators;
    assert.ok(op);
    const { core } = clients(cluster);
    // web: isolated for ingress by deny-web, admitted from role=frontend on 8080 by allow-frontend's one rule;
    // db: no policy selects it, no flow names it.
    await seedNamespace(cluster, 'cov', [denyIngressToWeb, allowFrontendToWeb]);
    await core.createNamespacedPod({ namespace: 'cov', body: workloadPod('db', { app: 'db' }) });
    await waitForPod(core, 'cov', 'db', 'Ready', isReadyPod);
    cluster.outcomes = {};
    await createTest(
      cluster,
      connectivityTest('cov', 'web', [flow('frontend-to-web', 'frontend', 'Allowed')]),
    );
    const expected = [
      'flowprobe_policy_rules_exercised{namespace="cov"} 1',
      'flowprobe_policy_rules{namespace="cov"} 1',
      'flowprobe_workloads_isolated{namespace="cov",direction="egress"} 0',
      'flowprobe_workloads_isolated{namespace="cov",direction="ingress"} 1',
      'flowprobe_workloads_tested{namespace="cov"} 1',
      'flowprobe_workloads{namespace="cov"} 2',
    ];
    let seen: string[] = [];
    await eventually(
      async () => {
        seen = await coverageOf(op, 'cov');
        return JSON.stringify(seen) === JSON.stringify(expected);
      },
      `the coverage series of cov (last seen: ${JSON.stringify(seen)})`,
    ).catch((err: unknown) => {
      assert.deepEqual(seen, expected, String(err));
    });

    await core.deleteNamespace({ name: 'cov' });
    await eventually(async () => (await coverageOf(op, 'cov')).length === 0, 'the series of cov to go').catch(
      async (err: unknown) => {
        assert.deepEqual(await coverageOf(op, 'cov'), [], String(err));
      },
    );
  });

  it('counts a ClusterConnectivityTest in every namespace it probes, as explain --coverage does', async () => {
    const { cluster } = env;
    const [op] = env.operators;
    assert.ok(op);
    // Only a ClusterConnectivityTest names web here: its frontend flow exercises allow-frontend's rule.
    await seedNamespace(cluster, 'ccov', [denyIngressToWeb, allowFrontendToWeb]);
    cluster.outcomes = {};
    const body: ClusterConnectivityTest = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ClusterConnectivityTest',
      metadata: { name: 'tenants' },
      spec: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ccov' } },
        timeoutSeconds: 2,
        flows: [flow('frontend-to-web', 'frontend', 'Allowed')],
      },
    };
    await clients(cluster).custom.createClusterCustomObject({
      group: 'flowprobe.dev',
      version: 'v1alpha1',
      plural: 'clusterconnectivitytests',
      body,
    });
    const expected = [
      'flowprobe_policy_rules_exercised{namespace="ccov"} 1',
      'flowprobe_policy_rules{namespace="ccov"} 1',
      'flowprobe_workloads_isolated{namespace="ccov",direction="egress"} 0',
      'flowprobe_workloads_isolated{namespace="ccov",direction="ingress"} 1',
      'flowprobe_workloads_tested{namespace="ccov"} 1',
      'flowprobe_workloads{namespace="ccov"} 1',
    ];
    let seen: string[] = [];
    await eventually(
      async () => {
        seen = await coverageOf(op, 'ccov');
        return JSON.stringify(seen) === JSON.stringify(expected);
      },
      `the coverage series of ccov (last seen: ${JSON.stringify(seen)})`,
    ).catch((err: unknown) => {
      assert.deepEqual(seen, expected, String(err));
    });
  });
});
