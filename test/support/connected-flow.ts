// The operator's path for one flow, web → api on 8080 expected Denied, observed Connected on every attempt
// (past any enforcement lag): the real Predictor fed the way the operator's caches feed it (ClusterObjects:
// namespaces, pods, NetworkPolicies, and the extra policy kinds raw with apiVersion and kind), then flow
// results and re-prediction. Shared by the tests of diagnoses that must not blame the CNI.
import { strict as assert } from 'node:assert';
import type { FlowResult } from '../../src/api/types.js';
import { podSourceOf } from '../../src/kube/cached-pods.js';
import type { TestObject, WireObject } from '../../src/kube/objects.js';
import type { KubeObject } from '../../src/manifest/load.js';
import type { ProbeResult } from '../../src/probe/index.js';
import { flowResults } from '../../src/run/flow-results.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { repredict } from '../../src/run/repredict.js';
import { WEB_TO_API } from './web-to-api.js';

/** WEB_TO_API's flow, expected Denied. */
export const WEB_TO_API_DENIED: TestObject = {
  ...WEB_TO_API,
  metadata: { name: 't', namespace: 'prod' },
  spec: { flows: WEB_TO_API.spec.flows.map((f) => ({ ...f, expect: 'Denied' as const })) },
};

/** The namespace prod and its api pod. */
export const PROD_API: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-1', namespace: 'prod', labels: { app: 'api' } },
    spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: '10.1.0.7' },
  },
];

/** What the operator's caches would hold for these objects. */
export function clusterOf(objects: readonly KubeObject[]): ClusterObjects {
  const of = (kind: string) => objects.filter((o) => o.kind === kind) as WireObject[];
  const isNetworkPolicy = (o: KubeObject) =>
    o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/');
  const builtIn = new Set(['Namespace', 'Pod', 'Service']);
  return {
    namespaces: of('Namespace'),
    pods: podSourceOf(of('Pod')),
    services: of('Service'),
    policies: objects.filter(isNetworkPolicy) as WireObject[],
    extraPolicies: objects.filter((o) => !builtIn.has(o.kind) && !isNetworkPolicy(o)) as WireObject[],
  };
}

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

/** The stored result of a run in a cluster of `objects` where web reached api. */
export function connectedResult(objects: readonly KubeObject[]): FlowResult {
  const test = WEB_TO_API_DENIED;
  const [result] = flowResults({
    flows: test.spec.flows,
    observations: new Map([['web-to-api', { flow: 'web-to-api', result: connected }]]),
    predictions: new Predictor().predict(test, clusterOf(objects)),
    refusedMeans: 'Allowed',
    startupGraceMs: 3000,
  });
  assert.ok(result);
  return result;
}

/** `stored` re-predicted once the cluster holds `objects`. */
export function repredicted(stored: FlowResult, objects: readonly KubeObject[]): FlowResult {
  const [after] = repredict(new Predictor(), WEB_TO_API_DENIED, [stored], clusterOf(objects));
  assert.ok(after);
  return after;
}
