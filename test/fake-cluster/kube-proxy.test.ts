/**
 * The FAKE kube-proxy against real probes: Services get cluster IPs that their DNS names resolve to, and
 * each pod's namespace translates a cluster IP and port to a ready endpoint and its target port, or
 * rejects it when there is none — as kube-proxy's nftables mode does (kubernetes
 * pkg/proxy/nftables/proxier.go: `service-ips` → endpoint chains with `dnat to`; `no-endpoint-services` →
 * `reject-chain`). The FAKE CNI must see the translated packet (real CNIs filter after DNAT). Needs root,
 * ip, nft, dnsmasq and the official-image busybox: skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { FakeCluster, detectPrerequisites } from '../support/fake-cluster/index.js';
import type { ProbeResult } from '../../src/probe/types.js';
import {
  commandPod,
  createNamespace,
  createPolicy,
  isDone,
  isReadyPod,
  probeFrom,
  startWeb,
  waitForPod,
  workloadPod,
  type k8s,
} from './helpers.js';
import { started } from '../support/started.js';

const CLIENT = { role: 'client' };

/** A Service `web` on port 80 whose target port is the pods' container port named http. */
function webService(selector: Record<string, string> = { app: 'web' }, headless = false): k8s.V1Service {
  return {
    metadata: { name: 'web' },
    spec: {
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      ...(headless ? { clusterIP: 'None' } : {}),
    },
  };
}

const denyIngressToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};

/** The client may reach web pods on 8080 and kube-dns, nothing else: not the Service's port 80. */
const clientEgressToWebPods: k8s.V1NetworkPolicy = {
  metadata: { name: 'client-egress' },
  spec: {
    podSelector: { matchLabels: CLIENT },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [{ protocol: 'UDP', port: 53 }],
      },
    ],
  },
};

async function probeService(cluster: FakeCluster, ns: string, name = 'client'): Promise<ProbeResult> {
  const [r] = await probeFrom(cluster, ns, name, CLIENT, [
    { kind: 'tcp', host: `web.${ns}.svc.cluster.local`, port: 80, timeoutSeconds: 2 },
  ]);
  assert.ok(r !== undefined);
  return r;
}

/** A namespace with web pods, the Service, the policies; then one probe to the Service by name. */
async function serviceScenario(
  cluster: FakeCluster,
  ns: string,
  policies: k8s.V1NetworkPolicy[],
): Promise<ProbeResult> {
  await createNamespace(cluster, ns);
  await startWeb(cluster.core(), ns);
  await cluster.core().createNamespacedService({ namespace: ns, body: webService() });
  for (const p of policies) await createPolicy(cluster, ns, p);
  return probeService(cluster, ns);
}

/** Two ready pods whose port named http is 8080 on one and 8081 on the other; 20 HTTP GETs to the Service. */
async function spread(cluster: FakeCluster, ns: string): Promise<string> {
  const core = cluster.core();
  await createNamespace(cluster, ns);
  for (const [name, port] of [
    ['web-a', 8080],
    ['web-b', 8081],
  ] as const) {
    const pod = workloadPod(name, { app: 'web' });
    pod.spec!.containers[0]!.ports = [{ name: 'http', containerPort: port, protocol: 'TCP' }];
    await core.createNamespacedPod({ namespace: ns, body: pod });
  }
  for (const name of ['web-a', 'web-b']) await waitForPod(core, ns, name, 'Ready', isReadyPod);
  await core.createNamespacedService({ namespace: ns, body: webService() });
  const url = `http://web.${ns}.svc.cluster.local:80/`;
  const script = 'i=0; while [ $i -lt 20 ]; do wget -q -O- -T 2 "$0"; i=$((i+1)); done';
  await core.createNamespacedPod({
    namespace: ns,
    body: commandPod('client', CLIENT, ['sh', '-c', script, url], { activeDeadlineSeconds: 60 }),
  });
  await waitForPod(core, ns, 'client', 'Succeeded or Failed', isDone, 60_000);
  return core.readNamespacedPodLog({ namespace: ns, name: 'client', container: 'probe' });
}

/** A Service that selects no ready pod: probed, then probed again once a matching pod is ready. */
async function noEndpointsThenOne(cluster: FakeCluster, ns: string): Promise<[ProbeResult, ProbeResult]> {
  await createNamespace(cluster, ns);
  await cluster.core().createNamespacedService({ namespace: ns, body: webService() });
  const before = await probeService(cluster, ns, 'client-before');
  await startWeb(cluster.core(), ns);
  const after = await probeService(cluster, ns, 'client-after');
  return [before, after];
}

async function headlessWithoutEndpoints(cluster: FakeCluster, ns: string): Promise<ProbeResult> {
  await createNamespace(cluster, ns);
  await cluster.core().createNamespacedService({ namespace: ns, body: webService({ app: 'web' }, true) });
  return probeService(cluster, ns);
}

describe('FakeKubeProxy: Services with cluster IPs against real probes', function () {
  this.timeout(120_000);
  let cluster: FakeCluster | undefined;
  const notStarted = () => Promise.reject(new Error('not started'));
  let plain: () => Promise<ProbeResult> = notStarted;
  let denied: () => Promise<ProbeResult> = notStarted;
  let egress: () => Promise<ProbeResult> = notStarted;
  let bodies: () => Promise<string> = notStarted;
  let empty: () => Promise<[ProbeResult, ProbeResult]> = notStarted;
  let headless: () => Promise<ProbeResult> = notStarted;

  before(async function () {
    const prereqs = detectPrerequisites();
    if (!prereqs.real) {
      console.log(
        `      skipped: the FAKE kube-proxy needs real network namespaces (missing: ${prereqs.missing.join('; ')})`,
      );
      this.skip();
    }
    const c = await FakeCluster.start({ cni: 'enforcing' });
    cluster = c;
    plain = started(() => serviceScenario(c, 'svc-plain', []));
    denied = started(() => serviceScenario(c, 'svc-denied', [denyIngressToWeb]));
    egress = started(() => serviceScenario(c, 'svc-egress', [clientEgressToWebPods]));
    bodies = started(() => spread(c, 'svc-spread'));
    empty = started(() => noEndpointsThenOne(c, 'svc-empty'));
    headless = started(() => headlessWithoutEndpoints(c, 'svc-headless'));
  });

  after(async () => {
    await cluster?.stop();
  });

  it('gives a Service a cluster IP from the service range (kube-apiserver allocates it)', async () => {
    await plain();
    const svc = await cluster!.core().readNamespacedService({ namespace: 'svc-plain', name: 'web' });
    assert.match(svc.spec?.clusterIP ?? '', /^10\.96\./);
  });

  it('connects to the Service port through DNAT to the ready pod’s named target port (80 → http = 8080)', async () => {
    const r = await plain();
    assert.equal(r.outcome, 'Connected', r.message);
  });

  it('spreads connections over the ready endpoints at random, each on its own named target port', async () => {
    const log = await bodies();
    assert.match(log, /ok on 8080/);
    assert.match(log, /ok on 8081/);
  });

  it('lets the FAKE CNI see the translated packet: an ingress deny on the pods blocks the Service flow', async () => {
    const r = await denied();
    assert.equal(r.outcome, 'Blocked', r.message);
  });

  it('lets the FAKE CNI see the translated packet: egress allowed to the pods on 8080 reaches the Service on 80', async () => {
    const r = await egress();
    assert.equal(r.outcome, 'Connected', r.message);
  });

  it('rejects a Service without ready endpoints, as kube-proxy does (Refused), and routes once a pod is ready', async () => {
    const [before, after] = await empty();
    assert.equal(before.outcome, 'Refused', before.message);
    assert.equal(after.outcome, 'Connected', after.message);
  });

  it('answers NXDOMAIN for a headless Service without ready endpoints (no A record)', async () => {
    const r = await headless();
    assert.equal(r.outcome, 'DNSFailure', r.message);
    assert.equal(r.detail, 'nxdomain');
  });

  it('met no errors in the background', async () => {
    await Promise.allSettled([plain(), denied(), egress(), bodies(), empty(), headless()]);
    assert.deepEqual(cluster?.errors ?? [], []);
  });
});
