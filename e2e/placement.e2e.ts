/**
 * Node placement on a cluster (e2e/placement/, README "Node placement"): one web pod, and the same flow
 * placed SameNode, OtherNode and EachNode. The results must name the nodes: SameNode the web pod's node,
 * OtherNode another one, EachNode one sub-result per node flowprobe found. Where only one node can take
 * ordinary pods (kind with one worker: the control plane is tainted; the FAKE local cluster's one node),
 * OtherNode must be an Error with the scheduler's Unschedulable reason instead of running anywhere.
 * e2e/kind/kindnet.yaml has two workers, so the kindnet job proves the cross-node path.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import type { FlowResult } from '../src/api/types.js';
import { chooseProvider, type E2eCluster } from './providers/index.js';
import { waitForReadyPods, waitForRun } from './support/cluster-reads.js';
import { createAll, fixtureObjectsIn } from './support/fixtures.js';

const DIR = fileURLToPath(new URL('placement/', import.meta.url));
const READY_MS = 180_000;
const RUN_MS = 240_000;

describe('e2e: node placement on a cluster', function () {
  this.timeout(RUN_MS + 60_000);
  let cluster: E2eCluster | undefined;
  let results = new Map<string, FlowResult>();
  let webNode = '';

  before(async function () {
    const chosen = await chooseProvider();
    if ('skip' in chosen) {
      console.log(`      skipped: ${chosen.skip}`);
      this.skip();
    }
    cluster = chosen.cluster;
    console.log(`      cluster: ${cluster.description}`);
    const kc = cluster.kubeConfig();
    await createAll(kc, [
      ...fixtureObjectsIn(DIR, '00-namespace.yaml'),
      ...fixtureObjectsIn(DIR, '10-workloads.yaml'),
    ]);
    await waitForReadyPods(kc, 'placement', undefined, READY_MS);
    const web = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: 'placement', name: 'web' });
    webNode = web.spec?.nodeName ?? '';
    await createAll(kc, fixtureObjectsIn(DIR, '30-connectivity-tests.yaml'));
    const run = await waitForRun(kc, 'placement', 'placement', RUN_MS);
    results = new Map((run.status?.results ?? []).map((r) => [r.flow, r]));
  });

  after(async () => {
    await cluster?.stop();
  });

  const get = (flow: string): FlowResult => {
    const r = results.get(flow);
    assert.ok(r, `no result for ${flow}: ${JSON.stringify([...results.values()])}`);
    return r;
  };

  it('runs SameNode on the web pod’s node and says so', () => {
    const r = get('same-node');
    assert.ok(webNode, 'the web pod names its node');
    assert.deepEqual([r.verdict, r.outcome, r.node], ['Pass', 'Connected', webNode], JSON.stringify(r));
  });

  it('gives EachNode one passing sub-result per node it found, the web pod’s node among them', () => {
    const r = get('each-node');
    const nodes = r.nodes ?? [];
    assert.ok(nodes.length >= 1, JSON.stringify(r));
    assert.ok(
      nodes.some((n) => n.node === webNode),
      JSON.stringify(r),
    );
    assert.ok(
      nodes.every((n) => n.verdict === 'Pass' && n.outcome === 'Connected'),
      JSON.stringify(r),
    );
  });

  it('runs OtherNode on another node, or, with one schedulable node, reports it Unschedulable', () => {
    const r = get('other-node');
    // nodes[] has an entry per node and family (a dual-stack cluster: two per node): count the nodes.
    const found = new Set((get('each-node').nodes ?? []).map((n) => n.node)).size;
    if (found >= 2) {
      assert.deepEqual([r.verdict, r.outcome], ['Pass', 'Connected'], JSON.stringify(r));
      assert.ok(r.node && r.node !== webNode, JSON.stringify(r));
      return;
    }
    assert.deepEqual([r.verdict, r.detail], ['Error', 'pod-not-started'], JSON.stringify(r));
    assert.match(r.diagnosis, /Unschedulable: 0\/\d+ nodes are available/);
  });
});
