// Service flows in the local FAKE cluster, through its FAKE kube-proxy (test/support/fake-cluster/README.md):
// a Service flow that a NetworkPolicy denies is Blocked like a flow to the pods, and a Service without ready
// endpoints is named as the cause instead of DNS or policy. kube-proxy rejects a connection to a Service
// port without endpoints (kubernetes pkg/proxy/nftables/proxier.go: `no-endpoint-services` →
// `reject-chain`; iptables mode: REJECT "... has no endpoints"), so the probe sees Refused — which alone
// would read as "the path is open, nothing listens" and pass an Allowed flow; a headless Service without
// ready endpoints has no DNS record (NXDOMAIN), which alone reads as "check the name".
import { strict as assert } from 'node:assert';
import type { Flow, FlowResult } from '../../src/api/types.js';
import { workloadPod } from '../fake-cluster/helpers.js';
import {
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  seedNamespace,
  statusFor,
  useFakeCluster,
} from './harness.js';

function serviceFlow(name: string, service: string, expect: 'Allowed' | 'Denied'): Flow {
  return { name, from: { labels: { role: 'client' } }, to: { service }, port: 80, expect };
}

const webService = (name: string, app: string, headless = false) => ({
  metadata: { name },
  spec: {
    selector: { app },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    ...(headless ? { clusterIP: 'None' } : {}),
  },
});

describe('Service flows in a local FAKE cluster with a FAKE kube-proxy', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);
  let results: Map<string, FlowResult>;

  before(async () => {
    const { cluster } = env;
    const { core } = clients(cluster);
    await seedNamespace(cluster, 'svc-denied', [denyIngressToWeb]);
    await core.createNamespacedService({ namespace: 'svc-denied', body: webService('web', 'web') });
    await core.createNamespace({ body: { metadata: { name: 'svc-idle' } } });
    // A pod the Service selects that never becomes Ready: its readiness gate is never set.
    const idle = workloadPod(
      'idle',
      { app: 'idle' },
      { readinessGates: [{ conditionType: 'example.com/go' }] },
    );
    await core.createNamespacedPod({ namespace: 'svc-idle', body: idle });
    await core.createNamespacedService({ namespace: 'svc-idle', body: webService('idle', 'idle') });
    await core.createNamespacedService({
      namespace: 'svc-idle',
      body: webService('idle-headless', 'idle', true),
    });
    await createTest(
      cluster,
      connectivityTest('svc-denied', 'service', [serviceFlow('client-not-to-web', 'web', 'Denied')]),
    );
    await createTest(
      cluster,
      connectivityTest('svc-idle', 'service', [
        serviceFlow('client-to-idle', 'idle', 'Allowed'),
        serviceFlow('client-not-to-idle', 'idle', 'Denied'),
        serviceFlow('client-to-idle-headless', 'idle-headless', 'Allowed'),
      ]),
    );
    const statuses = await Promise.all([
      statusFor(cluster, 'svc-denied', 'service'),
      statusFor(cluster, 'svc-idle', 'service'),
    ]);
    results = new Map(statuses.flatMap((s) => s.results ?? []).map((r) => [r.flow, r]));
  });

  const get = (flow: string): FlowResult => {
    const r = results.get(flow);
    assert.ok(r, `no result for ${flow}`);
    return r;
  };

  it('blocks a Service flow that a NetworkPolicy on its pods denies, and passes the Denied expectation', () => {
    const r = get('client-not-to-web');
    assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Blocked', 'Denied', 'Pass'], r.diagnosis);
  });

  it('fails an Allowed flow to a Service without ready endpoints and names that, not DNS or policy', () => {
    const r = get('client-to-idle');
    assert.deepEqual([r.outcome, r.verdict], ['Refused', 'Fail'], r.diagnosis);
    assert.match(
      r.diagnosis,
      /service svc-idle\/idle has no ready endpoints: 1 pod matches its selector and it is not ready/,
    );
    assert.doesNotMatch(r.diagnosis, /nothing listens|NXDOMAIN|CNI/);
  });

  it('calls a Denied flow to a Service without ready endpoints an Error: nothing was learned', () => {
    const r = get('client-not-to-idle');
    assert.deepEqual([r.outcome, r.verdict], ['Refused', 'Error'], r.diagnosis);
    assert.match(r.diagnosis, /^nothing was learned: service svc-idle\/idle has no ready endpoints/);
  });

  it('does not send the user to check the name when a headless Service has no ready endpoints', () => {
    const r = get('client-to-idle-headless');
    assert.deepEqual([r.outcome, r.detail, r.verdict], ['DNSFailure', 'nxdomain', 'Fail'], r.diagnosis);
    assert.match(r.diagnosis, /service svc-idle\/idle-headless has no ready endpoints/);
    assert.doesNotMatch(r.diagnosis, /check the name/);
  });

  it('met no errors in the FAKE cluster', () => {
    assert.deepEqual(env.cluster.errors, []);
  });
});
