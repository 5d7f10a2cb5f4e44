/**
 * Each FAKE CNI mode's effect on a REAL probe: probe pods run the command src/probe builds, with busybox,
 * in network namespaces whose nftables rules the FAKE CNI derived from NetworkPolicies; their logs are
 * read through pods/log and parsed with parseProbeLog. Needs root, ip, nft, dnsmasq and the official-image
 * busybox: skipped with the reason otherwise (failed with FLOWPROBE_REQUIRE_NETNS=1).
 *
 * Every scenario has its own namespace (or cluster), so all of them start in `before` and run at once;
 * each `it` awaits its own scenario.
 */
import assert from 'node:assert/strict';
import { FakeCluster, detectPrerequisites } from '../support/fake-cluster/index.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { attemptOutcomes, createNamespace, createPolicy, probeFrom, startWeb, type k8s } from './helpers.js';
import { started } from '../support/started.js';

const CLIENT = { role: 'client' };

const denyIngressToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};

const allowClientToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'allow-client' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      { _from: [{ podSelector: { matchLabels: CLIENT } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ],
  },
};

function egressOnlyToWeb(withDns: boolean): k8s.V1NetworkPolicy {
  const toWeb: k8s.V1NetworkPolicyEgressRule = {
    to: [{ podSelector: { matchLabels: { app: 'web' } } }],
    ports: [{ protocol: 'TCP', port: 8080 }],
  };
  const toDns: k8s.V1NetworkPolicyEgressRule = {
    to: [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
  return {
    metadata: { name: 'client-egress' },
    spec: {
      podSelector: { matchLabels: CLIENT },
      policyTypes: ['Egress'],
      egress: withDns ? [toWeb, toDns] : [toWeb],
    },
  };
}

/** Admits another role only: the client must stay blocked (the rule's peers must not be lost). */
const allowOnlyFrontendToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'allow-frontend-only' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      {
        _from: [{ podSelector: { matchLabels: { role: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
};

const denyAllEgressOfClient: k8s.V1NetworkPolicy = {
  metadata: { name: 'client-egress-deny' },
  spec: { podSelector: { matchLabels: CLIENT }, policyTypes: ['Egress'] },
};

/** A namespace with a ready `web` pod (and Service), the given policies, then one probe to web:8080 (UDP: 9000). */
async function scenario(
  cluster: FakeCluster,
  ns: string,
  policies: k8s.V1NetworkPolicy[],
  by: 'ip' | 'service' = 'ip',
  kind: 'tcp' | 'udp' = 'tcp',
): Promise<ProbeResult> {
  await createNamespace(cluster, ns);
  const ip = await startWeb(cluster.core(), ns);
  await cluster.core().createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } },
  });
  for (const p of policies) await createPolicy(cluster, ns, p);
  const host = by === 'ip' ? ip : `web.${ns}.svc.cluster.local`;
  const [result] = await probeFrom(cluster, ns, 'client', CLIENT, [
    { kind, host, port: kind === 'tcp' ? 8080 : 9000, timeoutSeconds: 2 },
  ]);
  assert.ok(result !== undefined);
  return result;
}

/** No policies: the resolver's names, each probed from one pod. */
async function names(cluster: FakeCluster, ns: string): Promise<ProbeResult[]> {
  await createNamespace(cluster, ns);
  const ip = await startWeb(cluster.core(), ns);
  await cluster.core().createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } },
  });
  const hosts = [
    `web.${ns}.svc.cluster.local`,
    `${ip.replaceAll('.', '-')}.${ns}.pod.cluster.local`,
    `missing.${ns}.svc.cluster.local`,
  ];
  return probeFrom(
    cluster,
    ns,
    'client',
    CLIENT,
    hosts.map((host) => ({ kind: 'tcp', host, port: 8080, timeoutSeconds: 2 })),
  );
}

describe('FakeCni: NetworkPolicies against real probes', function () {
  this.timeout(90_000);
  const clusters: FakeCluster[] = [];
  let results: Record<string, () => Promise<ProbeResult>> = {};
  let resolved: () => Promise<ProbeResult[]> = () => Promise.reject(new Error('not started'));

  before(async function () {
    const prereqs = detectPrerequisites();
    if (!prereqs.real) {
      console.log(
        `      skipped: FAKE CNI needs real network namespaces (missing: ${prereqs.missing.join('; ')})`,
      );
      this.skip();
    }
    const [enforcing, reject, none, lag] = await Promise.all([
      FakeCluster.start({ cni: 'enforcing' }),
      FakeCluster.start({ cni: 'reject' }),
      FakeCluster.start({ cni: 'none' }),
      FakeCluster.start({ cni: 'enforcing', lagMs: 1000 }),
    ]);
    clusters.push(enforcing, reject, none, lag);
    results = {
      denyEnforcing: started(() => scenario(enforcing, 'deny', [denyIngressToWeb])),
      allowEnforcing: started(() => scenario(enforcing, 'allow', [denyIngressToWeb, allowClientToWeb])),
      allowOtherEnforcing: started(() =>
        scenario(enforcing, 'allow-other', [denyIngressToWeb, allowOnlyFrontendToWeb]),
      ),
      dnsBlocked: started(() => scenario(enforcing, 'no-dns', [egressOnlyToWeb(false)], 'service')),
      dnsAllowed: started(() => scenario(enforcing, 'with-dns', [egressOnlyToWeb(true)], 'service')),
      denyReject: started(() => scenario(reject, 'deny', [denyIngressToWeb])),
      denyRejectUdp: started(() => scenario(reject, 'deny-udp', [denyIngressToWeb], 'ip', 'udp')),
      denyNone: started(() => scenario(none, 'deny', [denyIngressToWeb])),
      lagged: started(() => scenario(lag, 'lag', [denyAllEgressOfClient])),
    };
    resolved = started(() => names(none, 'names'));
  });

  after(async () => {
    await Promise.all(clusters.map((c) => c.stop()));
  });

  const outcome = async (key: string): Promise<ProbeResult> => {
    const run = results[key];
    assert.ok(run !== undefined);
    return run();
  };

  it('enforcing: a default-deny ingress policy on the server blocks the probe (dropped)', async () => {
    const r = await outcome('denyEnforcing');
    assert.equal(r.outcome, 'Blocked', r.message);
    assert.equal(r.settled, true);
  });

  it('enforcing: an ingress rule for the client’s labels lets the probe connect', async () => {
    const r = await outcome('allowEnforcing');
    assert.equal(r.outcome, 'Connected', r.message);
  });

  it('enforcing: an ingress rule for other labels keeps the client blocked', async () => {
    const r = await outcome('allowOtherEnforcing');
    assert.equal(r.outcome, 'Blocked', r.message);
  });

  it('enforcing: a default-deny egress without a DNS allow makes the Service name fail to resolve', async () => {
    const r = await outcome('dnsBlocked');
    assert.equal(r.outcome, 'DNSFailure', r.message);
    assert.equal(r.detail, 'resolver-timeout');
  });

  it('enforcing: the same egress policy with a DNS allow to kube-dns resolves the Service and connects', async () => {
    const r = await outcome('dnsAllowed');
    assert.equal(r.outcome, 'Connected', r.message);
  });

  it('reject: a default-deny ingress policy answers the probe with a TCP reset (Refused)', async () => {
    const r = await outcome('denyReject');
    assert.equal(r.outcome, 'Refused', r.message);
  });

  it('reject: the same policy answers a UDP probe with ICMP admin-prohibited (Unreachable)', async () => {
    const r = await outcome('denyRejectUdp');
    assert.equal(r.outcome, 'Unreachable', r.message);
  });

  it('none: policies are ignored, the probe connects despite a default-deny ingress policy', async () => {
    const r = await outcome('denyNone');
    assert.equal(r.outcome, 'Connected', r.message);
  });

  it('lag: the first attempt connects before the new pod’s rules arrive, the settled answer is Blocked', async () => {
    const r = await outcome('lagged');
    assert.equal(r.attempts[0]?.outcome, 'Connected', attemptOutcomes(r));
    assert.equal(r.outcome, 'Blocked', attemptOutcomes(r));
    assert.equal(r.settled, true);
  });

  it('resolves Service and pod names through the FAKE resolver, and answers NXDOMAIN for others', async () => {
    const [service, pod, missing] = await resolved();
    assert.equal(service?.outcome, 'Connected', service?.message);
    assert.equal(pod?.outcome, 'Connected', pod?.message);
    assert.equal(missing?.outcome, 'DNSFailure', missing?.message);
    assert.equal(missing.detail, 'nxdomain');
  });

  it('met no errors in the background', () => {
    for (const c of clusters) assert.deepEqual(c.errors, []);
  });
});
