// A placed flow to a dual-stack target (node placement and IPv6 together): each placement slot's probe pod
// probes both families, each family's result is judged per node, and the status entry carries both views:
// families[] per family (with the node of its worst probe) and, for EachNode, nodes[] per node AND family.
// The verdict is the worst of them all, and the diagnosis names the family and the node that failed.
import { strict as assert } from 'node:assert';
import type { ConnectivityTest, Flow, FlowResult } from '../../src/api/types.js';
import { podSourceOf } from '../../src/kube/cached-pods.js';
import type { PodObject, TestObject } from '../../src/kube/objects.js';
import { planRun, type PlannedProbe } from '../../src/plan/run-plan.js';
import type { ProbeResult } from '../../src/probe/index.js';
import { withFamilies } from '../../src/run/family-flows.js';
import { observationKey } from '../../src/run/family-results.js';
import { flowResults, type FlowObservation } from '../../src/run/flow-results.js';
import { toLivePod } from '../../src/run/live-pods.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { repredict } from '../../src/run/repredict.js';

const V4 = '10.1.0.7';
const V6 = 'fd00:10:1::7';

const pod = (name: string, app: string, node: string, v4: string, v6: string): PodObject => ({
  metadata: { name, namespace: 'prod', labels: { app } },
  spec: { nodeName: node, containers: [{ name: app, ports: [{ containerPort: 8080 }] }] },
  status: { phase: 'Running', podIP: v4, podIPs: [{ ip: v4 }, { ip: v6 }] },
});
const api = pod('api-1', 'api', 'node-a', V4, V6);
const web = pod('web-1', 'web', 'node-b', '10.1.0.5', 'fd00:10:1::5');

const flow: Flow = {
  name: 'each',
  from: { labels: { app: 'web' } },
  to: { podSelector: { matchLabels: { app: 'api' } } },
  port: 8080,
  expect: 'Allowed',
  placement: 'EachNode',
};

const test: ConnectivityTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 't', namespace: 'prod' },
  spec: { timeoutSeconds: 2, flows: [flow] },
};

const cluster: ClusterObjects = {
  namespaces: [{ metadata: { name: 'prod' } }],
  pods: podSourceOf([api, web]),
  services: [],
  policies: [],
};

function plan() {
  return planRun({
    namespace: 'prod',
    spec: test.spec,
    pods: [api, web].map(toLivePod),
    clusterNodes: ['node-a', 'node-b'],
  });
}

/** What run-test.ts `observe` gathers: per family, one observation per node. */
function observations(
  probes: readonly PlannedProbe[],
  seen: (node: string, family: string) => ProbeResult['outcome'],
) {
  const out = new Map<string, FlowObservation>();
  for (const p of probes) {
    const node = p.slot?.node ?? '';
    const outcome = seen(node, p.ipFamily ?? '');
    const detail = outcome === 'Connected' ? 'tcp-open' : 'timeout';
    const result = {
      target: p.target,
      outcome,
      detail,
      message: '',
      durationMs: 5,
      settled: true,
      attempts: [],
    };
    const one = { flow: p.flow.name, target: p.target, result, node };
    const key = observationKey(p.flow.name, p.ipFamily);
    const each: FlowObservation = out.get(key) ?? { ...one, nodes: [] };
    each.nodes?.push(one);
    out.set(key, each);
  }
  return out;
}

function run(seen: (node: string, family: string) => ProbeResult['outcome']): FlowResult {
  const probes = plan().identities.flatMap((i) => i.probes);
  const observed = observations(probes, seen);
  const predictor = new Predictor();
  const common = { refusedMeans: 'Allowed', startupGraceMs: 0 } as const;
  const results = flowResults({
    ...common,
    flows: test.spec.flows,
    observations: observed,
    predictions: predictor.predict(test, cluster),
  });
  const [r] = withFamilies(results, {
    ...common,
    test,
    probes,
    observations: observed,
    predict: (t) => predictor.predict(t, cluster),
  });
  if (r === undefined) throw new Error('no result');
  return r;
}

describe('a placed flow to a dual-stack target', () => {
  it('plans one probe pod per node, each probing both families', () => {
    const pods = plan().identities.map((i) => [
      i.slot?.node,
      i.probes.map((p) => [p.ipFamily, p.target, p.slot?.node]),
    ]);
    assert.deepEqual(pods, [
      [
        'node-a',
        [
          ['IPv4', `${V4}:8080`, 'node-a'],
          ['IPv6', `[${V6}]:8080`, 'node-a'],
        ],
      ],
      [
        'node-b',
        [
          ['IPv4', `${V4}:8080`, 'node-b'],
          ['IPv6', `[${V6}]:8080`, 'node-b'],
        ],
      ],
    ]);
  });

  it('reports per family and per node and family; the one failing cell decides the verdict and the diagnosis', () => {
    const r = run((node, family) => (node === 'node-b' && family === 'IPv6' ? 'Blocked' : 'Connected'));
    assert.deepEqual([r.verdict, r.outcome, r.node], ['Fail', 'Blocked', 'node-b']);
    assert.deepEqual(
      r.families?.map((f) => [f.ipFamily, f.verdict, f.node]),
      [
        ['IPv4', 'Pass', 'node-a'],
        ['IPv6', 'Fail', 'node-b'],
      ],
    );
    assert.deepEqual(
      r.nodes?.map((n) => [n.node, n.ipFamily, n.outcome, n.verdict]),
      [
        ['node-a', 'IPv4', 'Connected', 'Pass'],
        ['node-a', 'IPv6', 'Connected', 'Pass'],
        ['node-b', 'IPv4', 'Connected', 'Pass'],
        ['node-b', 'IPv6', 'Blocked', 'Fail'],
      ],
    );
    assert.match(
      r.diagnosis,
      /^IPv6: only probes from node node-b fail \(Blocked from node-b; 1 other node passes\)/,
    );
  });

  it('passes only when every node passes in every family', () => {
    const r = run(() => 'Connected');
    assert.equal(r.verdict, 'Pass');
    assert.ok(r.nodes?.every((n) => n.verdict === 'Pass'));
    assert.equal(r.nodes?.length, 4);
  });

  it('keeps the per-family, per-node diagnosis when the prediction is made again', () => {
    const r = run((node, family) => (node === 'node-b' && family === 'IPv6' ? 'Blocked' : 'Connected'));
    const [again] = repredict(new Predictor(), test as TestObject, [r], cluster);
    assert.ok(again);
    assert.equal(again.diagnosis, r.diagnosis);
    assert.deepEqual(again.nodes, r.nodes);
    assert.deepEqual(again.families, r.families);
  });
});
