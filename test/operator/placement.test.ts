// Node placement in the local FAKE cluster (README, "Node placement"): the operator pins probe pods with
// node affinity on metadata.name (as the DaemonSet controller pins its pods: kubernetes
// pkg/controller/daemon/util/daemonset_util.go), the FAKE scheduler honours it across two FAKE nodes whose
// paths really differ (test/support/fake-cluster/README.md, "Nodes"), and the results name the nodes. A
// placement the scheduler cannot satisfy leaves the pod Pending with PodScheduled=False, reason
// Unschedulable (kube-scheduler pkg/scheduler/framework/types.go, FitError): the flow is an Error at once,
// not after the start allowance.
import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus, Flow, FlowResult } from '../../src/api/types.js';
import { isReadyPod, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import { clients, connectivityTest, createTest, statusFor, useFakeCluster, useFakeNodes } from './harness.js';

function placed(name: string, placement: Flow['placement']): Flow {
  return {
    name,
    from: { labels: { role: 'client' } },
    to: { podSelector: { matchLabels: { app: 'web' } } },
    port: 8080,
    expect: 'Allowed',
    ...(placement ? { placement } : {}),
  };
}

function byFlow(status: ConnectivityTestStatus): Map<string, FlowResult> {
  return new Map((status.results ?? []).map((r) => [r.flow, r]));
}

function get(results: Map<string, FlowResult>, flow: string): FlowResult {
  const r = results.get(flow);
  assert.ok(r, `no result for ${flow}`);
  return r;
}

describe('node placement in a FAKE cluster of two nodes', function () {
  this.timeout(180_000);
  const env = useFakeNodes(2, ['operator']);

  /** A namespace with `web` bound to fake-node-1 and an ordinary pod on fake-node-2 (so both run pods). */
  async function seed(ns: string): Promise<void> {
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
    await waitForPod(core, ns, 'web', 'Ready', isReadyPod);
    await waitForPod(core, ns, 'other', 'Ready', isReadyPod);
  }

  it('runs SameNode on the target’s node, OtherNode on the other, and EachNode once per node', async () => {
    await seed('place');
    const flows = [placed('same', 'SameNode'), placed('other', 'OtherNode'), placed('each', 'EachNode')];
    await createTest(env.cluster, connectivityTest('place', 'placement', flows));
    const results = byFlow(await statusFor(env.cluster, 'place', 'placement'));
    const same = get(results, 'same');
    const other = get(results, 'other');
    const each = get(results, 'each');
    assert.deepEqual([same.node, same.verdict, same.outcome], ['fake-node-1', 'Pass', 'Connected']);
    assert.deepEqual([other.node, other.verdict, other.outcome], ['fake-node-2', 'Pass', 'Connected']);
    assert.deepEqual(
      each.nodes?.map((n) => [n.node, n.verdict, n.outcome]),
      [
        ['fake-node-1', 'Pass', 'Connected'],
        ['fake-node-2', 'Pass', 'Connected'],
      ],
    );
    assert.equal(each.verdict, 'Pass');
    assert.match(each.diagnosis, /from all 2 nodes found running ordinary pods/);
  });

  it('names the node when only that node’s probes fail (its forwarding broken)', async () => {
    await seed('broken');
    await env.cluster.breakNodeForwarding('fake-node-2');
    try {
      await createTest(env.cluster, connectivityTest('broken', 'placement', [placed('each', 'EachNode')]));
      const each = get(byFlow(await statusFor(env.cluster, 'broken', 'placement')), 'each');
      assert.deepEqual(
        each.nodes?.map((n) => [n.node, n.verdict, n.outcome]),
        [
          ['fake-node-1', 'Pass', 'Connected'],
          ['fake-node-2', 'Fail', 'Blocked'],
        ],
      );
      assert.deepEqual([each.verdict, each.outcome, each.node], ['Fail', 'Blocked', 'fake-node-2']);
      assert.match(
        each.diagnosis,
        /^only probes from node fake-node-2 fail \(Blocked from fake-node-2; 1 other node passes\)/,
      );
    } finally {
      await env.cluster.repairNodeForwarding('fake-node-2');
    }
  });

  // kube-apiserver takes one value per node field selector requirement (ValidateNodeFieldSelectorRequirement,
  // kubernetes pkg/apis/core/validation/validation.go), so a Service whose pods run on both nodes is pinned
  // with one term per node (terms are ORed) or one requirement per node (requirements are ANDed).
  it('places probes to a Service whose pods run on both nodes: SameNode runs, OtherNode is Unschedulable', async () => {
    const { core } = clients(env.cluster);
    const ns = 'place-svc';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    for (const [pod, node] of [
      ['web-1', 'fake-node-1'],
      ['web-2', 'fake-node-2'],
    ] as const) {
      await core.createNamespacedPod({
        namespace: ns,
        body: workloadPod(pod, { app: 'web' }, { nodeName: node }),
      });
      await waitForPod(core, ns, pod, 'Ready', isReadyPod);
    }
    await core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    });
    const toService = (name: string, placement: Flow['placement']): Flow => ({
      ...placed(name, placement),
      to: { service: 'web' },
      port: 80,
    });
    const flows = [toService('same', 'SameNode'), toService('other', 'OtherNode')];
    await createTest(env.cluster, connectivityTest(ns, 'placement', flows));
    const results = byFlow(await statusFor(env.cluster, ns, 'placement'));
    const same = get(results, 'same');
    const other = get(results, 'other');
    assert.deepEqual([same.verdict, same.outcome], ['Pass', 'Connected']);
    assert.ok(['fake-node-1', 'fake-node-2'].includes(same.node ?? ''), `ran on ${same.node}`);
    assert.deepEqual([other.verdict, other.outcome, other.detail], ['Error', 'Error', 'pod-not-started']);
    assert.match(other.diagnosis, /Unschedulable: 0\/2 nodes are available/);
  });

  it('met no errors in the background', () => {
    assert.deepEqual(env.cluster.errors, []);
  });
});

describe('node placement in a FAKE cluster of one node', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing', ['operator']);

  it('makes OtherNode an Error with the scheduler’s reason as soon as the probe pod is Unschedulable', async () => {
    const { core } = clients(env.cluster);
    await core.createNamespace({ body: { metadata: { name: 'alone' } } });
    await core.createNamespacedPod({ namespace: 'alone', body: workloadPod('web', { app: 'web' }) });
    await waitForPod(core, 'alone', 'web', 'Ready', isReadyPod);
    await createTest(env.cluster, connectivityTest('alone', 'placement', [placed('other', 'OtherNode')]));
    // Well inside the start allowance (120 s) the operator would otherwise wait for the pod to start.
    const other = get(byFlow(await statusFor(env.cluster, 'alone', 'placement', 1, 60_000)), 'other');
    assert.deepEqual([other.verdict, other.outcome, other.detail], ['Error', 'Error', 'pod-not-started']);
    assert.match(
      other.diagnosis,
      /Unschedulable: 0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector/,
    );
  });
});
