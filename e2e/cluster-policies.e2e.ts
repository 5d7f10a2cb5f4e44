/**
 * A platform team's ClusterNetworkPolicies on a cluster (e2e/cluster-policies/): an Admin-tier Deny of the
 * metadata address, Baseline-tier isolation between two tenants, and one tenant's NetworkPolicy that opens
 * a path the Baseline tier would deny (Baseline is evaluated after NetworkPolicy; network-policy-api
 * site-src/api-overview.md). The operator's status must show, flow by flow, what the probe met and what the
 * tiers predict. Runs where the CNI enforces the tiers: kind with kube-network-policies (`cnp`, e2e/setup.sh)
 * or the FAKE local cluster's enforcing CNI; elsewhere it skips and says why. The FAKE local cluster never
 * sends traffic to the metadata address: there `flowprobe explain` predicts that flow from the manifests.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { FlowResult } from '../src/api/types.js';
import { policyCrd } from '../test/support/policy-crds.js';
import { runCli } from '../test/support/run-cli.js';
import { chooseProvider, type E2eCluster } from './providers/index.js';
import { waitForReadyPods, waitForRun } from './support/cluster-reads.js';
import { createAll, fixtureObjectsIn } from './support/fixtures.js';

const DIR = fileURLToPath(new URL('cluster-policies/', import.meta.url));
const READY_MS = 180_000;
const RUN_MS = 240_000;

describe('e2e: ClusterNetworkPolicy tiers on a cluster', function () {
  this.timeout(RUN_MS + 60_000);
  let cluster: E2eCluster | undefined;
  const given = (): E2eCluster => {
    assert.ok(cluster, 'no cluster');
    return cluster;
  };

  before(async function () {
    const chosen = await chooseProvider();
    if ('skip' in chosen) {
      console.log(`      skipped: ${chosen.skip}`);
      this.skip();
    }
    cluster = chosen.cluster;
    if (!cluster.clusterPolicies) {
      console.log(`      skipped: ${cluster.description} does not enforce ClusterNetworkPolicy`);
      this.skip();
    }
    console.log(`      cluster: ${cluster.description}`);
    await applyScenario(cluster);
  });

  after(async () => {
    await cluster?.stop();
  });

  const result = async (namespace: string, test: string, flow: string): Promise<FlowResult> => {
    const run = await waitForRun(given().kubeConfig(), namespace, test, RUN_MS);
    const found = run.status?.results?.find((r) => r.flow === flow);
    assert.ok(found, `${namespace}/${test}/${flow}: ${JSON.stringify(run.status)}`);
    return found;
  };

  it('lets tenant-a reach tenant-b, whose own NetworkPolicy opens what the Baseline tier denies', async () => {
    const r = await result('tenant-a', 'tenants', 'a-to-b-opened-by-b');
    assert.deepEqual(
      [r.outcome, r.verdict, r.predicted],
      ['Connected', 'Pass', 'Allowed'],
      JSON.stringify(r),
    );
  });

  it('keeps tenant-b out of tenant-a: the Baseline Deny, predicted Denied', async () => {
    const r = await result('tenant-b', 'tenants', 'b-to-a-isolated');
    assert.ok(['Blocked', 'Unreachable'].includes(r.outcome), JSON.stringify(r));
    assert.deepEqual([r.verdict, r.predicted], ['Pass', 'Denied'], JSON.stringify(r));
  });

  it('denies the metadata address by the Admin tier: probed on a real cluster, predicted from manifests on the FAKE one', async () => {
    if (given().externalTargets) {
      const r = await result('tenant-a', 'metadata', 'no-metadata');
      assert.ok(['Blocked', 'Unreachable'].includes(r.outcome), JSON.stringify(r));
      assert.deepEqual([r.verdict, r.predicted], ['Pass', 'Denied'], JSON.stringify(r));
      return;
    }
    const explained = await runCli(['explain', '-f', DIR, '-o', 'json']);
    assert.equal(explained.code, 0, explained.stderr);
    const rows = (JSON.parse(explained.stdout) as { results: (FlowResult & { reasons: string[] })[] })
      .results;
    const r = rows.find((x) => x.flow === 'no-metadata');
    assert.equal(r?.predicted, 'Denied', JSON.stringify(r));
    assert.match(
      r.reasons.join('\n'),
      /\[Admin\] cnp\/deny-metadata egress rule 'block' \(priority 5\) Deny/,
    );
  });
});

/** The CRD where the provider lacks it (the FAKE cluster; setup.sh installs it on kind), then the objects. */
async function applyScenario(cluster: E2eCluster): Promise<void> {
  const kc = cluster.kubeConfig();
  if (!(await servesClusterNetworkPolicies(kc))) {
    const crd = policyCrd('policy.networking.k8s.io', 'clusternetworkpolicies');
    await createAll(kc, [crd as Parameters<typeof createAll>[1][number]]);
  }
  await createAll(kc, [
    ...fixtureObjectsIn(DIR, '00-namespaces.yaml'),
    ...fixtureObjectsIn(DIR, '10-workloads.yaml'),
    ...fixtureObjectsIn(DIR, '20-cluster-policies.yaml'),
  ]);
  await waitForReadyPods(kc, 'tenant-a', undefined, READY_MS);
  await waitForReadyPods(kc, 'tenant-b', undefined, READY_MS);
  await createAll(kc, [
    ...fixtureObjectsIn(DIR, '30-connectivity-tests.yaml'),
    ...(cluster.externalTargets ? fixtureObjectsIn(join(DIR, 'metadata'), '40-metadata-test.yaml') : []),
  ]);
}

async function servesClusterNetworkPolicies(kc: KubeConfig): Promise<boolean> {
  try {
    await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: 'policy.networking.k8s.io',
      version: 'v1alpha2',
      plural: 'clusternetworkpolicies',
    });
    return true;
  } catch {
    return false;
  }
}
