/**
 * A FAKE cluster of two nodes (FakeCluster.start({ nodes: 2 })): the FAKE scheduler binds pods to nodes as
 * their node affinity allows, each node's kubelet runs its own pods on its own bridge and subnet, and
 * traffic between nodes is routed through both nodes' namespaces — so breaking one node's forwarding cuts
 * only what crosses that node. Needs real network namespaces (skipped with the reason otherwise).
 */
import assert from 'node:assert/strict';
import { FakeCluster, detectPrerequisites } from '../support/fake-cluster/index.js';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { probeCommand } from '../../src/probe/command.js';
import { formatTarget } from '../../src/probe/args.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeResult, ProbeSpec } from '../../src/probe/types.js';
import { commandPod, condition, isDone, isReadyPod, waitForPod, workloadPod, type k8s } from './helpers.js';

// One node name per matchFields requirement, as kube-apiserver requires (ValidateNodeFieldSelectorRequirement,
// kubernetes pkg/apis/core/validation/validation.go): In is a term per node (ORed), NotIn a requirement per
// node in one term (ANDed), as flowprobe pins its probe pods (src/plan/node-placement.ts).
const pinnedBy = (operator: 'In' | 'NotIn', nodes: string[]): Partial<k8s.V1PodSpec> => {
  const field = (node: string) => ({ key: 'metadata.name', operator, values: [node] });
  const nodeSelectorTerms =
    operator === 'In' ? nodes.map((n) => ({ matchFields: [field(n)] })) : [{ matchFields: nodes.map(field) }];
  return {
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
  };
};

describe('a FAKE cluster of two nodes', function () {
  this.timeout(120_000);
  let cluster: FakeCluster;
  let started = false;
  let core: k8s.CoreV1Api;
  let web: k8s.V1Pod;

  before(async function () {
    const prereqs = detectPrerequisites();
    if (!prereqs.real) {
      console.log(
        `      skipped: nodes need real network namespaces (missing: ${prereqs.missing.join('; ')})`,
      );
      this.skip();
    }
    cluster = await FakeCluster.start({ cni: 'enforcing', nodes: 2 });
    started = true;
    core = cluster.core();
    await core.createNamespace({ body: { metadata: { name: 'n' } } });
    await core.createNamespacedPod({
      namespace: 'n',
      body: workloadPod('web', { app: 'web' }, { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-1' } }),
    });
    web = await waitForPod(core, 'n', 'web', 'Ready', isReadyPod);
  });

  after(async () => {
    if (started) await cluster.stop();
  });

  /** A probe pod placed by `spec`, run to the end: its node and its result. */
  async function probe(
    name: string,
    spec: Partial<k8s.V1PodSpec>,
  ): Promise<{ node: string; result: ProbeResult }> {
    const specs: ProbeSpec[] = [
      { kind: 'tcp', host: web.status?.podIP ?? '', port: 8080, timeoutSeconds: 2 },
    ];
    const command = probeCommand(specs, settleOptions(2));
    await core.createNamespacedPod({
      namespace: 'n',
      body: commandPod(name, { role: 'client' }, command, { activeDeadlineSeconds: 60, ...spec }),
    });
    const done = await waitForPod(core, 'n', name, 'Succeeded or Failed', isDone, 60_000);
    const log = await core.readNamespacedPodLog({ namespace: 'n', name, container: 'probe' });
    const [result] = parseProbeLog(log, specs.map(formatTarget));
    assert.ok(result);
    return { node: done.spec?.nodeName ?? '', result };
  }

  it('binds a pod to the node its nodeSelector names, with that node’s address as hostIP', () => {
    assert.equal(web.spec?.nodeName, 'fake-node-1');
    assert.equal(web.status?.hostIP, '10.252.0.1');
    assert.match(web.status.podIP ?? '', /^10\.252\.([1-9]|[1-5]\d|6[0-3])\.\d+$/, 'in fake-node-1’s /18');
  });

  it('binds a pod that names no node to the node with the fewest pods, in that node’s subnet', async () => {
    // fake-node-1 runs the resolver and web already.
    await core.createNamespacedPod({ namespace: 'n', body: workloadPod('free', { app: 'free' }) });
    const pod = await waitForPod(core, 'n', 'free', 'Ready', isReadyPod);
    assert.equal(pod.spec?.nodeName, 'fake-node-2');
    assert.equal(pod.status?.hostIP, '10.252.64.1');
    assert.match(
      pod.status.podIP ?? '',
      /^10\.252\.(6[5-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+$/,
      'in fake-node-2’s /18',
    );
  });

  it('runs a pod pinned In a node by matchFields metadata.name there, and NotIn elsewhere', async () => {
    const same = await probe('same', pinnedBy('In', ['fake-node-1']));
    const other = await probe('other', pinnedBy('NotIn', ['fake-node-1']));
    assert.deepEqual([same.node, same.result.outcome], ['fake-node-1', 'Connected']);
    assert.deepEqual(
      [other.node, other.result.outcome],
      ['fake-node-2', 'Connected'],
      'routed across the nodes',
    );
  });

  it('leaves a pod no node fits Pending, PodScheduled=False Unschedulable with kube-scheduler’s message', async () => {
    await core.createNamespacedPod({
      namespace: 'n',
      body: workloadPod('nowhere', { app: 'nowhere' }, pinnedBy('NotIn', ['fake-node-1', 'fake-node-2'])),
    });
    const pod = await waitForPod(
      core,
      'n',
      'nowhere',
      'Unschedulable',
      (p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable',
    );
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.spec?.nodeName, undefined);
    assert.match(
      condition(pod, 'PodScheduled')?.message ?? '',
      /^0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
  });

  it('cuts only what crosses a node whose forwarding is broken', async () => {
    await cluster.breakNodeForwarding('fake-node-2');
    try {
      const across = await probe('across', pinnedBy('In', ['fake-node-2']));
      const local = await probe('local', pinnedBy('In', ['fake-node-1']));
      assert.deepEqual([across.node, across.result.outcome], ['fake-node-2', 'Blocked']);
      assert.deepEqual([local.node, local.result.outcome], ['fake-node-1', 'Connected']);
    } finally {
      await cluster.repairNodeForwarding('fake-node-2');
    }
  });

  it('met no errors in the background', () => {
    assert.deepEqual(cluster.errors, []);
  });
});
