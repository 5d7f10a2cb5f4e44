// Dual-stack in the local FAKE cluster (layer 3, test/support/fake-cluster/README.md, "Dual-stack"): pods
// get an IPv4 and an IPv6 address (status.podIPs), a Service that asks for both families gets a cluster IP
// of each (kube-apiserver pkg/registry/core/service/storage/alloc.go, `initIPFamilyFields`), the FAKE
// kube-proxy translates both (one proxier per family: pkg/proxy/nftables/proxier.go,
// `NewDualStackProxier`), and the FAKE CNI's inet tables enforce both families. A policy that allows
// egress only to an IPv4 ipBlock therefore blocks the flow's IPv6 half; the operator reports a result
// per family and predicts each family as the CNI enforced it (an IPv4 CIDR never matches an IPv6
// address: the NetworkPolicy API's ipBlock is "a particular CIDR").
import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus, Flow, FlowResult } from '../../src/api/types.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { isReadyPod, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import {
  clients,
  connectivityTest,
  createTest,
  OperatorUnderTest,
  startCluster,
  statusFor,
} from './harness.js';

const NS = 'dual';

/** Egress from role=client only to the IPv4 pod range (10.252.0.0/16), where the FAKE's pods live. */
const ipv4EgressOnly = {
  metadata: { name: 'client-egress-v4' },
  spec: {
    podSelector: { matchLabels: { role: 'client' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '10.252.0.0/16' } }] }],
  },
};

/**
 * Ingress to web from any pod with a role, by pod selector: the FAKE CNI must admit the peers' IPv6
 * addresses too (its table is inet; an `ip saddr` set alone would drop their IPv6 packets).
 */
const ingressFromRoles = {
  metadata: { name: 'web-from-roles' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Ingress'],
    ingress: [{ _from: [{ podSelector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] } }] }],
  },
};

/**
 * Port-limited allows, in both directions: api admits monitor and auditor on 8080 only; auditor may send
 * only to api on 8080. Over IPv6 every first packet needs neighbour discovery (ICMPv6), which no such
 * rule names; a real CNI does not filter it inside the pod, so the allowed flow must stay Connected.
 */
const apiFrom8080 = {
  metadata: { name: 'api-from-roles-8080' },
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        _from: [
          {
            podSelector: {
              matchExpressions: [{ key: 'role', operator: 'In', values: ['monitor', 'auditor'] }],
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
};
const auditorTo8080 = {
  metadata: { name: 'auditor-egress-api-8080' },
  spec: {
    podSelector: { matchLabels: { role: 'auditor' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ],
  },
};

const toWeb = (name: string, over: Partial<Flow> = {}): Flow => ({
  name,
  from: { labels: { role: 'client' } },
  to: { podSelector: { matchLabels: { app: 'web' } } },
  port: 8080,
  expect: 'Allowed',
  ...over,
});

const toApi = (name: string, role: string): Flow =>
  toWeb(name, { from: { labels: { role } }, to: { podSelector: { matchLabels: { app: 'api' } } } });

describe('dual-stack flows in a local FAKE cluster', function () {
  this.timeout(180_000);
  let cluster: FakeCluster | undefined;
  let operator: OperatorUnderTest | undefined;
  let webIPs: string[] = [];
  let status: ConnectivityTestStatus;

  before(async function () {
    cluster = await startCluster('enforcing', 0, 'auto', { ipFamilies: ['IPv4', 'IPv6'] });
    // Declared outcomes have no addresses of their own (FLOWPROBE_REQUIRE_NETNS=1 fails instead).
    if (!cluster.real) {
      console.log('      skipped: dual-stack needs pods in network namespaces');
      this.skip();
    }
    operator = new OperatorUnderTest(cluster, 'operator', false);
    await operator.start();
    const { core, net } = clients(cluster);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await core.createNamespacedPod({ namespace: NS, body: workloadPod('web', { app: 'web' }) });
    const web = await waitForPod(core, NS, 'web', 'Ready', isReadyPod);
    webIPs = (web.status?.podIPs ?? []).map((p) => p.ip);
    await core.createNamespacedPod({ namespace: NS, body: workloadPod('api', { app: 'api' }) });
    await waitForPod(core, NS, 'api', 'Ready', isReadyPod);
    await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { app: 'web' },
          ipFamilyPolicy: 'PreferDualStack',
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
        },
      },
    });
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: ipv4EgressOnly });
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: ingressFromRoles });
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: apiFrom8080 });
    await net.createNamespacedNetworkPolicy({ namespace: NS, body: auditorTo8080 });
    await createTest(
      cluster,
      connectivityTest(NS, 'dual', [
        toWeb('client-to-web'),
        toWeb('client-to-web-v6', { ipFamily: 'IPv6', expect: 'Denied' }),
        toWeb('monitor-to-web', { from: { labels: { role: 'monitor' } } }),
        { ...toWeb('client-to-svc'), to: { service: 'web' }, port: 80 },
        toApi('monitor-to-api', 'monitor'),
        toApi('auditor-to-api', 'auditor'),
      ]),
    );
    status = await statusFor(cluster, NS, 'dual', 1, 90_000);
  });

  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  const result = (flow: string): FlowResult => {
    const r = status.results?.find((x) => x.flow === flow);
    assert.ok(r, `no result for ${flow}: ${JSON.stringify(status.results)}`);
    return r;
  };
  const families = (r: FlowResult) =>
    r.families?.map((f) => [f.ipFamily, f.target, f.outcome, f.verdict, f.predicted]);

  it('gives a dual-stack pod an address of each family', () => {
    assert.equal(webIPs.length, 2, JSON.stringify(webIPs));
    assert.deepEqual(
      webIPs.map((ip) => ip.includes(':')),
      [false, true],
    );
  });

  it('probes a flow to a dual-stack pod in each family: IPv4 Connected, IPv6 Blocked by the IPv4-only ipBlock, as predicted', () => {
    const r = result('client-to-web');
    assert.deepEqual(families(r), [
      ['IPv4', `${webIPs[0]}:8080`, 'Connected', 'Pass', 'Allowed'],
      ['IPv6', `[${webIPs[1]}]:8080`, 'Blocked', 'Fail', 'Denied'],
    ]);
    assert.deepEqual([r.verdict, r.outcome, r.predicted], ['Fail', 'Blocked', 'Denied']);
    assert.match(r.diagnosis, /^IPv6: /);
  });

  it('lets a pod-selector rule admit both families of a dual-stack peer: Connected over IPv4 and IPv6', () => {
    const r = result('monitor-to-web');
    assert.deepEqual(families(r), [
      ['IPv4', `${webIPs[0]}:8080`, 'Connected', 'Pass', 'Allowed'],
      ['IPv6', `[${webIPs[1]}]:8080`, 'Connected', 'Pass', 'Allowed'],
    ]);
    assert.equal(r.verdict, 'Pass');
  });

  it('probes only the family a flow names, and says which', () => {
    const r = result('client-to-web-v6');
    assert.deepEqual(
      [r.ipFamily, r.target, r.outcome, r.verdict, r.predicted, r.families],
      ['IPv6', `[${webIPs[1]}]:8080`, 'Blocked', 'Pass', 'Denied', undefined],
    );
  });

  // Linux conntrack leaves neighbour and router solicitations/advertisements untracked (never
  // `established,related`): net/netfilter/nf_conntrack_proto_icmpv6.c, `noct_valid_new` in
  // nf_conntrack_icmpv6_error. CNIs filter in the host (veth, tc/eBPF, host nftables), never the pod's
  // own neighbour discovery, so a port-limited allow holds over IPv6 as over IPv4.
  it('keeps a port-limited IPv6 allow Connected: neighbour discovery is not filtered, ingress or egress', () => {
    for (const flow of ['monitor-to-api', 'auditor-to-api']) {
      const r = result(flow);
      assert.deepEqual(
        r.families?.map((f) => [f.ipFamily, f.outcome, f.verdict, f.predicted]),
        [
          ['IPv4', 'Connected', 'Pass', 'Allowed'],
          ['IPv6', 'Connected', 'Pass', 'Allowed'],
        ],
        `${flow}: ${JSON.stringify(r)}`,
      );
    }
  });

  it("probes a dual-stack Service at each family's cluster IP, through the FAKE kube-proxy", () => {
    const r = result('client-to-svc');
    const seen = JSON.stringify(r);
    assert.deepEqual(
      r.families?.map((f) => [f.ipFamily, f.outcome, f.predicted]),
      [
        ['IPv4', 'Connected', 'Allowed'],
        ['IPv6', 'Blocked', 'Denied'],
      ],
      seen,
    );
    assert.match(JSON.stringify(r.families), /\[fd00:96::[0-9a-f]+\]:80/, seen);
  });
});
