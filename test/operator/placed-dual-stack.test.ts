// Node placement and dual-stack together in the local FAKE cluster: two FAKE nodes, each with its own IPv4
// and IPv6 pod subnet, and a fabric that routes both families between them (test/support/fake-cluster/
// README.md, "Dual-stack" and "Nodes"), as a dual-stack cluster's nodes route each family's pod CIDRs
// (kind's kindnet programs a route per node and family: kubernetes-sigs/kind images/kindnetd
// cmd/kindnetd/routes.go). An EachNode flow to a dual-stack pod runs one probe pod per node, each probing
// both families, and the status carries a result per family and one per node and family.
import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus, Flow, FlowResult } from '../../src/api/types.js';
import { isReadyPod, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import { clients, connectivityTest, createTest, statusFor, useFakeNodes } from './harness.js';

const each: Flow = {
  name: 'each',
  from: { labels: { role: 'client' } },
  to: { podSelector: { matchLabels: { app: 'web' } } },
  port: 8080,
  expect: 'Allowed',
  placement: 'EachNode',
};

function result(status: ConnectivityTestStatus): FlowResult {
  const r = status.results?.find((x) => x.flow === 'each');
  assert.ok(r, `no result: ${JSON.stringify(status.results)}`);
  return r;
}

const cells = (r: FlowResult) => r.nodes?.map((n) => [n.node, n.ipFamily, n.outcome, n.verdict]);

describe('an EachNode flow to a dual-stack pod in a FAKE cluster of two dual-stack nodes', function () {
  this.timeout(180_000);
  const env = useFakeNodes(2, ['operator'], { ipFamilies: ['IPv4', 'IPv6'] });

  /** `web` on fake-node-1 and an ordinary pod on fake-node-2 (so EachNode counts both nodes). */
  async function seed(ns: string): Promise<string[]> {
    if (!env.cluster.real) throw new Error('dual-stack needs pods in network namespaces');
    const { core } = clients(env.cluster);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedPod({
      namespace: ns,
      body: workloadPod('web', { app: 'web' }, { nodeName: 'fake-node-1' }),
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: workloadPod('other', { app: 'other' }, { nodeName: 'fake-node-2' }),
    });
    const web = await waitForPod(core, ns, 'web', 'Ready', isReadyPod);
    await waitForPod(core, ns, 'other', 'Ready', isReadyPod);
    return (web.status?.podIPs ?? []).map((p) => p.ip);
  }

  it('reaches the pod in both families from both nodes (the fabric routes IPv6 between nodes too)', async () => {
    const ips = await seed('pdual');
    assert.equal(ips.length, 2, JSON.stringify(ips));
    await createTest(env.cluster, connectivityTest('pdual', 'placed', [each]));
    const r = result(await statusFor(env.cluster, 'pdual', 'placed'));
    const seen = JSON.stringify(r);
    assert.deepEqual(
      cells(r),
      [
        ['fake-node-1', 'IPv4', 'Connected', 'Pass'],
        ['fake-node-1', 'IPv6', 'Connected', 'Pass'],
        ['fake-node-2', 'IPv4', 'Connected', 'Pass'],
        ['fake-node-2', 'IPv6', 'Connected', 'Pass'],
      ],
      seen,
    );
    assert.deepEqual(
      r.families?.map((f) => [f.ipFamily, f.target, f.verdict]),
      [
        ['IPv4', `${ips[0]}:8080`, 'Pass'],
        ['IPv6', `[${ips[1]}]:8080`, 'Pass'],
      ],
      seen,
    );
    assert.equal(r.verdict, 'Pass');
  });

  it('names the node whose forwarding broke, in each family, and fails the flow', async () => {
    await seed('pbroken');
    await env.cluster.breakNodeForwarding('fake-node-2');
    try {
      await createTest(env.cluster, connectivityTest('pbroken', 'placed', [each]));
      const r = result(await statusFor(env.cluster, 'pbroken', 'placed'));
      const seen = JSON.stringify(r);
      assert.deepEqual(
        cells(r),
        [
          ['fake-node-1', 'IPv4', 'Connected', 'Pass'],
          ['fake-node-1', 'IPv6', 'Connected', 'Pass'],
          ['fake-node-2', 'IPv4', 'Blocked', 'Fail'],
          ['fake-node-2', 'IPv6', 'Blocked', 'Fail'],
        ],
        seen,
      );
      assert.deepEqual(
        r.families?.map((f) => [f.ipFamily, f.verdict, f.node]),
        [
          ['IPv4', 'Fail', 'fake-node-2'],
          ['IPv6', 'Fail', 'fake-node-2'],
        ],
        seen,
      );
      assert.deepEqual([r.verdict, r.node], ['Fail', 'fake-node-2']);
      assert.match(r.diagnosis, /^IPv4: only probes from node fake-node-2 fail/);
    } finally {
      await env.cluster.repairNodeForwarding('fake-node-2');
    }
  });

  it('met no errors in the background', () => {
    assert.deepEqual(env.cluster.errors, []);
  });
});
