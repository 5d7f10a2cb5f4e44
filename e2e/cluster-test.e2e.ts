/**
 * A ClusterConnectivityTest on a cluster (e2e/cluster-test/): "no namespace labelled as a tenant reaches the
 * metadata-like endpoint", from three tenant namespaces with maxNamespaces 2. The status must name the two
 * namespaces probed, carry one result per namespace, and, where the CNI enforces NetworkPolicy, pass them;
 * where it does not (flannel, the FAKE cluster's `none`), fail them with the diagnosis that says so. The
 * endpoint is a pod of the cluster (the FAKE local cluster never dials 169.254.169.254), so the scenario
 * runs on every provider.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnectivityTest } from '../src/api/types.js';
import { chooseProvider, type E2eCluster } from './providers/index.js';
import { waitForReadyPods } from './support/cluster-reads.js';
import { createAll, fixtureObjectsIn } from './support/fixtures.js';
import { pollUntil } from './support/poll.js';

const DIR = fileURLToPath(new URL('cluster-test/', import.meta.url));
const NAME = 'e2e-tenants-no-metadata';
const READY_MS = 180_000;
const RUN_MS = 240_000;

describe('e2e: a ClusterConnectivityTest over the tenant namespaces', function () {
  this.timeout(READY_MS + RUN_MS + 60_000);
  let cluster: E2eCluster | undefined;
  let test: ClusterConnectivityTest;
  let enforced = false;

  before(async function () {
    const chosen = await chooseProvider();
    if ('skip' in chosen) {
      console.log(`      skipped: ${chosen.skip}`);
      this.skip();
    }
    cluster = chosen.cluster;
    enforced = cluster.enforcement === 'enforced';
    console.log(`      cluster: ${cluster.description}`);
    const kc = cluster.kubeConfig();
    await createAll(kc, [
      ...fixtureObjectsIn(DIR, '00-namespaces.yaml'),
      ...fixtureObjectsIn(DIR, '10-workloads.yaml'),
      ...fixtureObjectsIn(DIR, '20-network-policies.yaml'),
    ]);
    await waitForReadyPods(kc, 'cct-infra', undefined, READY_MS);
    await createAll(kc, fixtureObjectsIn(DIR, '30-cluster-connectivity-test.yaml'));
    test = await waitForClusterRun(kc, NAME, RUN_MS);
  });

  after(async () => {
    await cluster?.stop();
  });

  it('probes the first two of the three tenant namespaces, and says which', () => {
    const sampled = test.status?.conditions?.find((c) => c.type === 'NamespacesSampled');
    assert.deepEqual(test.status?.namespaces, { matched: 3, probed: ['cct-tenant-a', 'cct-tenant-b'] });
    assert.equal(sampled?.status, 'True', JSON.stringify(sampled));
  });

  it('gives one result per probed namespace: Denied where NetworkPolicy is enforced, a CNI diagnosis where not', () => {
    const results = test.status?.results ?? [];
    assert.deepEqual(
      results.map((r) => r.namespace),
      ['cct-tenant-a', 'cct-tenant-b'],
    );
    for (const r of results) {
      assert.equal(r.predicted, 'Denied', JSON.stringify(r));
      if (enforced) {
        assert.ok(['Blocked', 'Unreachable', 'Refused'].includes(r.outcome), JSON.stringify(r));
        assert.equal(r.verdict, 'Pass', JSON.stringify(r));
      } else {
        assert.deepEqual([r.outcome, r.verdict], ['Connected', 'Fail'], JSON.stringify(r));
        assert.match(r.diagnosis, /the CNI is not enforcing NetworkPolicy/);
      }
    }
  });
});

/** A completed run of the current generation: Ready, one result per flow and probed namespace. */
function waitForClusterRun(
  kc: KubeConfig,
  name: string,
  timeoutMs: number,
): Promise<ClusterConnectivityTest> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return pollUntil(
    `a completed run of ClusterConnectivityTest ${name}`,
    () =>
      custom.getClusterCustomObject({
        group: 'flowprobe.dev',
        version: 'v1alpha1',
        plural: 'clusterconnectivitytests',
        name,
      }) as Promise<ClusterConnectivityTest>,
    (t) => {
      const s = t.status;
      const ready = s?.conditions?.find((c) => c.type === 'Ready');
      const probed = s?.namespaces?.probed.length ?? 0;
      return (
        s !== undefined &&
        s.observedGeneration === t.metadata.generation &&
        ready?.status === 'True' &&
        probed > 0 &&
        s.results?.length === t.spec.flows.length * probed
      );
    },
    timeoutMs,
  );
}
