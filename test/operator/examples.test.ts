// The seed scenarios of examples/ end to end in the local FAKE cluster (see harness.ts): the manifests as a
// user would apply them -> the FAKE workload controller's pods -> the operator's probe pods -> real busybox
// outcomes under the enforcing FAKE CNI (and the FAKE kube-proxy for Service flows) -> status. Flows to
// addresses outside the cluster (to.ip / to.host) are never dialled: only addresses inside network
// namespaces the tests create may carry traffic on this machine. examples/platform/'s flows to the metadata
// address and to NodeLocal DNSCache run in a second cluster whose FAKE kubelet answers probes from its
// declared outcome table, without any network.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import type {
  ClusterConnectivityTestStatus,
  ConnectivityTest,
  ConnectivityTestStatus,
  FlowResult,
} from '../../src/api/types.js';
import { loadManifests } from '../../src/manifest/load.js';
import type { KubeObject } from '../support/fake-apiserver/index.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { policyCrd } from '../support/policy-crds.js';
import { statusFor, useFakeCluster } from './harness.js';

const dirOf = (d: string) => fileURLToPath(new URL(`../../examples/${d}/`, import.meta.url));
/**
 * examples/platform/ applies ClusterNetworkPolicies: the cluster must serve their CRD first (a platform team
 * installs it from network-policy-api; the fixture is v0.2.0's), and the FAKE CNI enforces them in tiers.
 */
const EXAMPLES = ['kube-system', 'monitoring', 'production', 'platform'].map(dirOf);
const external = (f: { to: { ip?: string; host?: string } }) =>
  f.to.ip !== undefined || f.to.host !== undefined;

/** The test with only the flows `keep` selects. */
function someFlows(test: ConnectivityTest, keep: (f: ConnectivityTest['spec']['flows'][number]) => boolean) {
  return { ...test, spec: { ...test.spec, flows: test.spec.flows.filter(keep) } };
}

async function applyExamples(
  cluster: FakeCluster,
  dirs: string[],
  flows: (f: ConnectivityTest['spec']['flows'][number]) => boolean,
): Promise<void> {
  await cluster.server.create(policyCrd('policy.networking.k8s.io', 'clusternetworkpolicies'));
  const objects = (await loadManifests(dirs)).map((o) => o.object);
  // kube-system's kube-dns is played by the FAKE resolver, which policies select by the same labels.
  const applied = objects.filter((o) => o.metadata?.namespace !== 'kube-system');
  const namespaces = applied.filter((o) => o.kind === 'Namespace');
  const isTest = (x: { kind: string }) =>
    x.kind === 'ConnectivityTest' || x.kind === 'ClusterConnectivityTest';
  for (const o of [...namespaces, ...applied.filter((x) => x.kind !== 'Namespace' && !isTest(x))]) {
    await cluster.server.create(o as KubeObject);
  }
  for (const o of applied.filter(isTest)) {
    const test = someFlows(o as unknown as ConnectivityTest, flows);
    // A test none of whose flows this suite may run is not applied (a test needs one flow).
    if (test.spec.flows.length > 0) await cluster.server.create(test);
  }
}

describe('the seed scenarios of examples/ in a local FAKE cluster (enforcing CNI)', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);
  let results: Map<string, FlowResult>;

  before(async () => {
    const { cluster } = env;
    await applyExamples(cluster, EXAMPLES, (f) => !external(f));
    // Workloads and tests are applied together, so the first run may find no running pods yet; the
    // operator comes back for those flows, and this waits for the run that probed them all.
    const probed = (s: ConnectivityTestStatus) => (s.results ?? []).every((r) => r.detail !== 'not-planned');
    const statuses = await Promise.all([
      statusFor(cluster, 'production', 'api-baseline', 1, 120_000, probed),
      statusFor(cluster, 'monitoring', 'scrape-paths', 1, 120_000, probed),
      statusFor(cluster, 'shop', 'tenant-guardrails', 1, 120_000, probed),
      statusFor(cluster, 'billing', 'tenant-guardrails', 1, 120_000, probed),
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

  it("platform: billing's NetworkPolicy opens the storefront's path through the Baseline isolation", () => {
    const r = get('storefront-to-invoices');
    assert.deepEqual(
      [r.outcome, r.predicted, r.verdict],
      ['Connected', 'Allowed', 'Pass'],
      JSON.stringify(r),
    );
  });

  it('platform: the Baseline tier keeps billing out of the shop, and the prediction says Denied', () => {
    const r = get('invoices-not-to-storefront');
    assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Blocked', 'Denied', 'Pass'], JSON.stringify(r));
  });
});

/**
 * examples/platform/'s flows to link-local addresses, which nothing here may dial: the FAKE kubelet prints
 * what a cluster that enforces the Admin deny (kube-network-policies drops; e2e/ runs it on kind) would show
 * — TCP times out; a dropped UDP datagram reads as "open", since busybox nc cannot tell it from delivery
 * (shared reference/busybox-probe.md, "UDP") — while the operator predicts from the ClusterNetworkPolicies.
 */
describe('examples/platform: flows to the metadata address and NodeLocal DNSCache (declared outcomes, no network)', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator'], false, 0, 'declared');
  let results: Map<string, FlowResult>;

  before(async () => {
    const { cluster } = env;
    cluster.outcomes = {
      'tcp://169.254.169.254:80': 'Blocked',
      'tcp://169.254.169.254:443': 'Blocked',
      'udp://169.254.20.10:53': 'Connected',
    };
    await applyExamples(cluster, [dirOf('platform')], external);
    const probed = (s: ConnectivityTestStatus) => (s.results ?? []).every((r) => r.detail !== 'not-planned');
    const statuses = await Promise.all(
      ['shop', 'billing'].map((ns) => statusFor(cluster, ns, 'tenant-guardrails', 1, 120_000, probed)),
    );
    results = new Map(statuses.flatMap((s) => s.results ?? []).map((r) => [r.flow, r]));
  });

  const get = (flow: string): FlowResult => {
    const r = results.get(flow);
    assert.ok(r, `no result for ${flow}`);
    return r;
  };

  it('passes the metadata flows the Admin deny blocks, predicted Denied (by the Admin tier: nothing else denies them)', () => {
    for (const flow of ['storefront-no-metadata', 'invoices-no-metadata-https']) {
      const r = get(flow);
      assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Blocked', 'Denied', 'Pass'], JSON.stringify(r));
    }
  });

  it('the ClusterConnectivityTest passes its metadata flow in each tenant namespace, predicted Denied', async () => {
    const { cluster } = env;
    const status = await clusterStatus(cluster, 'tenants-no-metadata', (s) => s.results?.length === 2);
    assert.deepEqual(status.namespaces, { matched: 2, probed: ['billing', 'shop'] }, JSON.stringify(status));
    assert.deepEqual(
      (status.results ?? []).map((r) => [r.namespace, r.flow, r.outcome, r.predicted, r.verdict]),
      [
        ['billing', 'no-metadata', 'Blocked', 'Denied', 'Pass'],
        ['shop', 'no-metadata', 'Blocked', 'Denied', 'Pass'],
      ],
    );
  });

  it('mistake 4: NodeLocal DNSCache is predicted Denied by the too-wide Admin deny, which the UDP probe cannot see', () => {
    const r = get('storefront-resolves-via-node-local-dns');
    assert.deepEqual(
      [r.outcome, r.detail, r.predicted],
      ['Connected', 'udp-no-rejection', 'Denied'],
      JSON.stringify(r),
    );
    assert.match(r.diagnosis, /UDP without a reply cannot prove delivery; the policies say Denied/);
  });
});

/** Polls a ClusterConnectivityTest's status until it holds (bounded). */
async function clusterStatus(
  cluster: FakeCluster,
  name: string,
  holds: (s: ClusterConnectivityTestStatus) => boolean,
): Promise<ClusterConnectivityTestStatus> {
  for (const deadline = Date.now() + 60_000; ;) {
    const read = cluster.server.get('flowprobe.dev/v1alpha1', 'ClusterConnectivityTest', '', name);
    const status = (read as { status?: ClusterConnectivityTestStatus } | undefined)?.status;
    if (status && holds(status)) return status;
    if (Date.now() > deadline) throw new Error(`the status of ${name} never held: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
