// The operator's path for a flow an Admin-tier ClusterNetworkPolicy denies: prediction → flow results →
// re-prediction. A probe that connects anyway says the CNI may not implement ClusterNetworkPolicy (flannel
// and kindnet do not; Cilium only behind a flag; Calico from 3.32 — network-policy-api
// site-src/implementations.md): "the CNI is not enforcing NetworkPolicy" would be a confident wrong
// diagnosis on a cluster whose NetworkPolicies work.
//
// FAKE: ManifestPredictor predicts from explain's snapshot of the given objects, as the operator does from
// its caches (test/run/out-of-model.test.ts does the same).
import { podSourceOf } from '../../src/kube/cached-pods.js';
import { strict as assert } from 'node:assert';
import type { ConnectivityTest, FlowResult } from '../../src/api/types.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { explainObjects, type FlowExplanation } from '../../src/explain/index.js';
import type { TestObject } from '../../src/kube/objects.js';
import type { KubeObject } from '../../src/manifest/load.js';
import type { ProbeResult } from '../../src/probe/index.js';
import { flowResults } from '../../src/run/flow-results.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { repredict } from '../../src/run/repredict.js';

const TEST: TestObject = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 't', namespace: 'prod' },
  spec: {
    flows: [
      {
        name: 'web-to-api',
        from: { labels: { app: 'web' } },
        to: { podSelector: { matchLabels: { app: 'api' } } },
        port: 8080,
        expect: 'Denied',
      },
    ],
  },
};

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-1', namespace: 'prod', labels: { app: 'api' } },
    spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] },
    status: { podIP: '10.1.0.7' },
  },
];

/** Admin tier: nothing may reach api (the destination's ingress). */
const freezeApi: KubeObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'freeze-api' },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
    ingress: [{ name: 'all', action: 'Deny', from: [{ namespaces: {} }] }],
  },
};

const denyApi: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-api', namespace: 'prod' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
};

class ManifestPredictor extends Predictor {
  constructor(private readonly extra: readonly KubeObject[]) {
    super();
  }

  override predict(test: ConnectivityTest, _cluster: ClusterObjects): Map<string, FlowExplanation> {
    const all = [...objects, ...this.extra, test as unknown as KubeObject];
    const outcome = explainObjects(
      all.map((object, index) => ({ file: 'cluster', index, object })),
      validateConnectivityTest,
    );
    if ('errors' in outcome) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
    return new Map(outcome.report.results.map((r) => [r.flow, r]));
  }
}

const EMPTY: ClusterObjects = { namespaces: [], pods: podSourceOf([]), services: [], policies: [] };

/** Connected on every attempt, the last one 6 s after the probe pod started: past any enforcement lag. */
const connected: ProbeResult = {
  target: '10.1.0.7:8080',
  outcome: 'Connected',
  detail: 'tcp-open',
  durationMs: 3000,
  settled: true,
  attempts: [0, 1000, 2000, 3000].map((atMs) => ({
    atMs,
    durationMs: 5,
    step: 'tcp',
    exitCode: 0,
    address: '10.1.0.7',
    message: 'open',
    outcome: 'Connected' as const,
    detail: 'tcp-open',
  })),
  message: 'open',
};

function run(extra: KubeObject[]): FlowResult {
  const [result] = flowResults({
    flows: TEST.spec.flows,
    observations: new Map([['web-to-api', { flow: 'web-to-api', result: connected }]]),
    predictions: new ManifestPredictor(extra).predict(TEST, EMPTY),
    refusedMeans: 'Allowed',
    startupGraceMs: 3000,
  });
  assert.ok(result);
  return result;
}

const NAMES_THE_CNP =
  /the ClusterNetworkPolicy cnp\/freeze-api \(Admin, priority 5\) denies it: the CNI may not implement ClusterNetworkPolicy/;

describe('a flow an Admin ClusterNetworkPolicy denies, through the operator’s results', () => {
  it('a connection says the CNI may not implement ClusterNetworkPolicy, not that it ignores NetworkPolicy', () => {
    const r = run([freezeApi]);
    assert.equal(r.predicted, 'Denied');
    assert.equal(r.verdict, 'Fail');
    assert.match(r.diagnosis, NAMES_THE_CNP);
    assert.doesNotMatch(r.diagnosis, /not enforcing NetworkPolicy/);
  });

  it('a NetworkPolicy that denies the same flow still blames NetworkPolicy enforcement', () => {
    assert.match(run([denyApi]).diagnosis, /the CNI is not enforcing NetworkPolicy/);
  });

  it('a re-prediction after the policy appears names it in the stored diagnosis', () => {
    const stored = run([]);
    const [after] = repredict(new ManifestPredictor([freezeApi]), TEST, [stored], EMPTY);
    assert.ok(after);
    assert.equal(after.verdict, stored.verdict);
    assert.equal(after.predicted, 'Denied');
    assert.match(after.diagnosis, NAMES_THE_CNP);
  });
});
