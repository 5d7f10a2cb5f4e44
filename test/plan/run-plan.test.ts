import { strict as assert } from 'node:assert';
import type { Flow } from '../../src/api/types.js';
import type { LivePod } from '../../src/plan/live-pod.js';
import { planRun } from '../../src/plan/run-plan.js';

function pod(name: string, labels: Record<string, string>, extra: Partial<LivePod> = {}): LivePod {
  return {
    namespace: 'production',
    name,
    labels,
    phase: 'Running',
    podIP: `10.0.0.${name.length}`,
    deleting: false,
    hostNetwork: false,
    ...extra,
  };
}

const pods: LivePod[] = [
  pod('web-2', { app: 'web-frontend', pod: '2' }),
  pod('web-1', { app: 'web-frontend', pod: '1' }, { serviceAccountName: 'web' }),
  pod('api-1', { app: 'api-backend' }, { podIP: '10.244.1.7' }),
  pod('api-0', { app: 'api-backend' }, { phase: 'Pending', podIP: undefined }),
  pod('probe-x', { app: 'web-frontend', 'flowprobe.dev/run-id': '1-abcd' }),
  pod('helm-1', { app: 'helm-api', 'app.kubernetes.io/managed-by': 'Helm' }),
];

function flow(name: string, over: Partial<Flow>): Flow {
  return {
    name,
    from: { labels: { app: 'web-frontend' } },
    to: { ip: '10.9.9.9' },
    port: 8080,
    expect: 'Allowed',
    ...over,
  };
}

function plan(flows: Flow[]) {
  return planRun({ namespace: 'production', spec: { timeoutSeconds: 3, flows }, pods });
}

describe('planning a run', () => {
  it('groups flows by identity: one probe pod per distinct label set, not per flow', () => {
    const p = plan([
      flow('a', {}),
      flow('b', { port: 9090 }),
      flow('c', { from: { labels: { app: 'monitoring' } } }),
    ]);
    assert.deepEqual(
      p.identities.map((i) => [i.name, i.probes.map((x) => x.flow.name)]),
      [
        ['web-frontend', ['a', 'b']],
        ['monitoring', ['c']],
      ],
    );
  });

  it('copies the labels and service account of a running source pod, chosen by name, never of a probe pod', () => {
    const p = plan([flow('a', { from: { podSelector: { matchLabels: { app: 'web-frontend' } } } })]);
    const [identity] = p.identities;
    assert.deepEqual(identity?.labels, { app: 'web-frontend', pod: '1' });
    assert.equal(identity.serviceAccountName, 'web');
  });

  it("borrows a pod that another tool manages (managed-by: Helm): only a run id marks flowprobe's pods", () => {
    const p = plan([flow('a', { from: { podSelector: { matchLabels: { app: 'helm-api' } } } })]);
    assert.deepEqual(p.identities[0]?.labels, { app: 'helm-api', 'app.kubernetes.io/managed-by': 'Helm' });
  });

  it('gives an explicit identity the service account it names, and one probe pod per label set and account', () => {
    const p = plan([
      flow('a', { from: { labels: { app: 'x' }, serviceAccountName: 'api' } }),
      flow('b', { from: { labels: { app: 'x' } } }),
    ]);
    assert.deepEqual(
      p.identities.map((i) => [i.serviceAccountName, i.probes.map((x) => x.flow.name)]),
      [
        ['api', ['a']],
        [undefined, ['b']],
      ],
    );
  });

  it('reports a flow whose source has no running pod instead of dropping it', () => {
    const p = plan([flow('a', { from: { podSelector: { matchLabels: { app: 'nobody' } } } })]);
    assert.deepEqual(p.identities, []);
    assert.match(p.unplanned[0]?.reason ?? '', /no running pod in production matches the source/);
  });

  it('probes a running target pod by its IP, skipping pods without one', () => {
    const p = plan([flow('a', { to: { podSelector: { matchLabels: { app: 'api-backend' } } } })]);
    assert.equal(p.identities[0]?.probes[0]?.target, '10.244.1.7:8080');
  });

  it('probes a Service by its cluster DNS name, so a missing DNS allow shows', () => {
    const p = plan([flow('a', { to: { service: 'api-backend', namespace: 'other' } })]);
    assert.equal(p.identities[0]?.probes[0]?.spec.host, 'api-backend.other.svc.cluster.local');
  });

  it('turns the flow into the probe kind: TCP connect, UDP, or HTTP with its path', () => {
    const p = plan([
      flow('tcp', {}),
      flow('udp', { protocol: 'UDP', port: 53 }),
      flow('http', { http: { path: '/healthz' } }),
    ]);
    assert.deepEqual(
      p.identities[0]?.probes.map((x) => [x.spec.kind, x.spec.path]),
      [
        ['tcp', undefined],
        ['udp', undefined],
        ['http', '/healthz'],
      ],
    );
  });

  it('turns a DNS check into a question to the target over its protocol: dns (UDP), dnstcp (TCP)', () => {
    const name = 'kubernetes.default.svc.cluster.local';
    const p = plan([
      flow('udp', { protocol: 'UDP', port: 53, dns: { name } }),
      flow('tcp', { protocol: 'TCP', port: 53, dns: { name } }),
      flow('pods', { to: { podSelector: { matchLabels: { app: 'api-backend' } } }, port: 53, dns: { name } }),
    ]);
    assert.deepEqual(
      p.identities[0]?.probes.map((x) => [x.spec.kind, x.spec.host, x.spec.port, x.spec.name]),
      [
        ['dns', '10.9.9.9', 53, name],
        ['dnstcp', '10.9.9.9', 53, name],
        ['dnstcp', '10.244.1.7', 53, name],
      ],
    );
  });

  it("takes the flow's timeout over the test's", () => {
    const p = plan([flow('a', {}), flow('b', { timeoutSeconds: 5 })]);
    assert.deepEqual(
      p.identities[0]?.probes.map((x) => x.spec.timeoutSeconds),
      [3, 5],
    );
  });

  it("refuses an explicit identity that uses flowprobe's own label prefix", () => {
    const p = plan([flow('a', { from: { labels: { 'flowprobe.dev/run-id': 'forged' } } })]);
    assert.match(p.unplanned[0]?.reason ?? '', /reserved for flowprobe/);
  });
});
