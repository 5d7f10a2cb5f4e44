// What the caches keep of an object must answer every question the operator asks of it exactly as the
// whole object does, while dropping what it never reads (managed fields, the last-applied copy).
import { strict as assert } from 'node:assert';
import type { PodObject, WireObject } from '../../src/kube/objects.js';
import { podSourceOf } from '../../src/kube/cached-pods.js';
import { cachedPod, trimObject, trimPod } from '../../src/kube/trim.js';
import { Interner } from '../../src/kube/interner.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { explainObjects } from '../../src/explain/index.js';
import type { KubeObject } from '../../src/manifest/load.js';
import { stalePods } from '../../src/controller/reaper.js';
import { podProgress } from '../../src/run/pod-progress.js';
import { toLivePod } from '../../src/run/run-test.js';
import { predictFlows } from '../../src/run/predict.js';
import { WEB_TO_API } from '../support/web-to-api.js';

const MANAGED = [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': { 'f:phase': {} } } }];

/** A pod as kube-apiserver returns it, with everything the operator does not read. */
function fullPod(
  name: string,
  more: Record<string, unknown> = {},
  labels: Record<string, string> = {
    app: 'api',
    'flowprobe.dev/run-id': 'r1',
  },
): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'prod',
      uid: `uid-${name}`,
      resourceVersion: '42',
      labels,
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}', keep: 'me' },
      ownerReferences: [
        {
          apiVersion: 'flowprobe.dev/v1alpha1',
          kind: 'ConnectivityTest',
          name: 't',
          uid: 'u',
          controller: true,
        },
      ],
      managedFields: MANAGED,
    },
    spec: {
      serviceAccountName: 'api',
      containers: [
        {
          name: 'api',
          image: 'example/api:1',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'A', value: 'x'.repeat(500) }],
        },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
    },
    status: {
      phase: 'Running',
      podIP: '10.1.0.7',
      hostIP: '192.168.0.2',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-24T10:00:00Z' },
        { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'never ready' },
      ],
      containerStatuses: [
        {
          name: 'api',
          image: 'example/api:1',
          imageID: 'sha256:abc',
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed' } },
        },
      ],
      ...more,
    },
  } as unknown as PodObject;
}

describe('what the caches keep of an object', () => {
  it('drops managed fields and the last-applied copy, and keeps the rest', () => {
    const obj = fullPod('a') as WireObject;
    const trimmed = trimObject(obj);
    assert.equal('managedFields' in trimmed.metadata, false);
    assert.deepEqual(trimmed.metadata.annotations, { keep: 'me' });
    assert.deepEqual(trimmed.spec, obj.spec);
    assert.equal(trimmed.metadata.resourceVersion, '42');
    assert.ok('managedFields' in obj.metadata, 'the input is not changed');
  });

  it('keeps of a pod what planning, waiting, reaping and prediction read, and is much smaller; compact pods predict as whole ones', () => {
    const pods = [
      fullPod('done'),
      fullPod('pulling', {
        phase: 'Pending',
        containerStatuses: [
          { name: 'api', state: { waiting: { reason: 'ImagePullBackOff', message: 'no' } } },
        ],
      }),
      fullPod('unschedulable', {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' },
        ],
        containerStatuses: [],
      }),
    ];
    const trimmed = pods.map(trimPod);
    assert.deepEqual(trimmed.map(toLivePod), pods.map(toLivePod));
    assert.deepEqual(trimmed.map(podProgress), pods.map(podProgress));
    const now = new Date();
    assert.deepEqual(stalePods(trimmed, new Set(), now), stalePods(pods, new Set(), now).map(trimPod));
    // A policy that admits the named port `http` only: the prediction depends on the pods' container ports.
    const policy = {
      metadata: { name: 'api-ingress', namespace: 'prod' },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
      },
    };
    const test = WEB_TO_API;
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } };
    const workloads = [fullPod('api-1', {}, { app: 'api' }), fullPod('api-2', {}, { app: 'api' })];
    // The operator predicts from the cache (workload pods compact); explain reads the whole pods from files.
    const fromCache = predictFlows(test, {
      namespaces: [namespace],
      pods: podSourceOf(workloads.map((pod) => cachedPod(pod, new Interner()))),
      services: [],
      policies: [policy],
    });
    const fromFiles = explainObjects(
      [
        namespace,
        ...workloads,
        { ...policy, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
        test,
      ].map((object, index) => ({ file: 'f.yaml', index, object: object as KubeObject })),
      validateConnectivityTest,
    );
    assert.ok('report' in fromFiles);
    assert.deepEqual(
      [...fromCache.values()].map((e) => [e.predicted, e.reasons]),
      fromFiles.report.results.map((e) => [e.predicted, e.reasons]),
    );
    assert.deepEqual(
      [...fromCache.values()].map((e) => e.predicted),
      ['Allowed'],
    );
    const size = (p: PodObject[]) => JSON.stringify(p).length;
    assert.ok(size(trimmed) < size(pods) / 2, `${size(trimmed)} of ${size(pods)} bytes`);
  });
});
