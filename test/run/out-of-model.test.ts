// The operator's path for a flow that a CNI-specific policy may decide: prediction → flow results →
// re-prediction. The case: NetworkPolicy denies web → api, a CiliumNetworkPolicy on api (which
// flowprobe does not model) allows it, and the probe connects. Blaming the CNI would be a falsehood.
//
// FAKE: ManifestPredictor predicts from explain's snapshot of the given objects plus the cluster's, as the
// operator does once it watches these kinds (branch i14-cnp-plumbing hands them to buildSnapshot).
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
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-api', namespace: 'prod' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
  },
];

const ciliumAllow: KubeObject = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'l7-api', namespace: 'prod' },
  spec: {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
  },
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

describe('a flow a CiliumNetworkPolicy may decide, through the operator’s results', () => {
  it('without the Cilium object the policies deny it, so a connection blames the CNI', () => {
    const r = run([]);
    assert.equal(r.predicted, 'Denied');
    assert.match(r.diagnosis, /the CNI is not enforcing NetworkPolicy/);
  });

  it('with it the result is Unknown and the diagnosis names the object, not the CNI', () => {
    const r = run([ciliumAllow]);
    assert.equal(r.verdict, 'Fail');
    assert.equal(r.predicted, 'Unknown');
    assert.equal(
      r.diagnosis,
      'expected Denied, observed Connected: the observation may come from CiliumNetworkPolicy prod/l7-api (it may select the destination, ingress), which flowprobe does not model',
    );
  });

  it('a re-prediction after the object appears changes the stored diagnosis, not the verdict', () => {
    const stored = run([]);
    const [after] = repredict(new ManifestPredictor([ciliumAllow]), TEST, [stored], EMPTY);
    assert.ok(after);
    assert.equal(after.verdict, stored.verdict);
    assert.equal(after.predicted, 'Unknown');
    assert.match(after.diagnosis, /may come from CiliumNetworkPolicy prod\/l7-api/);
    assert.doesNotMatch(after.diagnosis, /CNI/);
  });
});
