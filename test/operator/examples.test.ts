// The seed scenarios of examples/ end to end in the local FAKE cluster (see harness.ts): the manifests as a
// user would apply them -> the FAKE workload controller's pods -> the operator's probe pods -> real busybox
// outcomes under the enforcing FAKE CNI (and the FAKE kube-proxy for Service flows) -> status. Flows to
// addresses outside the cluster (to.ip / to.host) are left out on purpose: only addresses inside network
// namespaces the tests create may carry traffic on this machine, so they are never dialled.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import type { ConnectivityTest, ConnectivityTestStatus, FlowResult } from '../../src/api/types.js';
import { loadManifests } from '../../src/manifest/load.js';
import type { KubeObject } from '../support/fake-apiserver/index.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { statusFor, useFakeCluster } from './harness.js';

/**
 * examples/platform/ is left out: its ClusterNetworkPolicies need the network-policy-api CRDs, which this
 * cluster's FAKE API server does not serve here, and a CNI that enforces them.
 */
const EXAMPLES = ['kube-system', 'monitoring', 'production'].map((d) =>
  fileURLToPath(new URL(`../../examples/${d}/`, import.meta.url)),
);
/** The example flows this cluster can probe (see the header for why the others are left out). */
function inClusterFlows(test: ConnectivityTest): ConnectivityTest {
  const flows = test.spec.flows.filter((f) => !f.to.ip && !f.to.host);
  return { ...test, spec: { ...test.spec, flows } };
}

async function applyExamples(cluster: FakeCluster): Promise<void> {
  const objects = (await loadManifests(EXAMPLES)).map((o) => o.object);
  // kube-system's kube-dns is played by the FAKE resolver, which policies select by the same labels.
  const applied = objects.filter((o) => o.metadata?.namespace !== 'kube-system');
  const namespaces = applied.filter((o) => o.kind === 'Namespace');
  for (const o of [
    ...namespaces,
    ...applied.filter((x) => x.kind !== 'Namespace' && x.kind !== 'ConnectivityTest'),
  ]) {
    await cluster.server.create(o as KubeObject);
  }
  for (const o of applied.filter((x) => x.kind === 'ConnectivityTest')) {
    await cluster.server.create(inClusterFlows(o as unknown as ConnectivityTest) as unknown as KubeObject);
  }
}

describe('the seed scenarios of examples/ in a local FAKE cluster (enforcing CNI)', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);
  let results: Map<string, FlowResult>;

  before(async () => {
    const { cluster } = env;
    await applyExamples(cluster);
    // Workloads and tests are applied together, so the first run may find no running pods yet; the
    // operator comes back for those flows, and this waits for the run that probed them all.
    const probed = (s: ConnectivityTestStatus) => (s.results ?? []).every((r) => r.detail !== 'not-planned');
    const statuses = await Promise.all([
      statusFor(cluster, 'production', 'api-baseline', 1, 120_000, probed),
      statusFor(cluster, 'monitoring', 'scrape-paths', 1, 120_000, probed),
    ]);
    results = new Map(statuses.flatMap((s) => s.results ?? []).map((r) => [r.flow, r]));
  });

  const get = (flow: string): FlowResult => {
    const r = results.get(flow);
    assert.ok(r, `no result for ${flow}`);
    return r;
  };

  it('passes what the policies allow and the network carries: frontend to api, api to postgres, the scrape', () => {
    for (const flow of ['frontend-to-api', 'api-to-postgres', 'prometheus-scrapes-api']) {
      assert.deepEqual([flow, get(flow).outcome, get(flow).verdict], [flow, 'Connected', 'Pass']);
    }
  });

  it('passes the Service flow whose port differs from its target port: frontend to the api Service (80 → http)', () => {
    const r = get('frontend-to-api-service');
    assert.deepEqual(
      [r.outcome, r.httpStatus, r.predicted, r.verdict],
      ['Connected', 200, 'Allowed', 'Pass'],
    );
  });

  it('passes what the default deny drops: the frontend cannot reach postgres', () => {
    assert.deepEqual(
      [get('frontend-not-to-postgres').outcome, get('frontend-not-to-postgres').verdict],
      ['Blocked', 'Pass'],
    );
  });

  it('mistake 1: the OR peer lets grafana scrape the api, and the diagnosis says the policies allow it', () => {
    const r = get('grafana-cannot-scrape-api');
    assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Connected', 'Allowed', 'Fail']);
    assert.match(r.diagnosis, /the NetworkPolicies allow it \(selectors ORed, not ANDed/);
  });

  it('mistake 2: monitoring forgot DNS, so the scrape by name fails to resolve, and the diagnosis says so', () => {
    const r = get('prometheus-scrapes-api-by-name');
    assert.deepEqual([r.outcome, r.detail, r.verdict], ['DNSFailure', 'resolver-timeout', 'Fail']);
    assert.match(r.diagnosis, /egress to DNS is not allowed/);
  });

  it('calls a denied flow that could not even resolve its name an Error: nothing was learned', () => {
    const r = get('prometheus-not-to-postgres');
    assert.deepEqual([r.outcome, r.verdict], ['DNSFailure', 'Error']);
  });
});
