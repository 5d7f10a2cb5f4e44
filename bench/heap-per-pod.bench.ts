// `npm run bench -- heap-per-pod`: the heap the operator keeps per pod — its pod cache (the informer, trimmed as it
// ships) and the prediction snapshot built from it — for a cluster of realistic pods (bench/support/
// realistic-pods.ts: managed fields, two containers with ports, eight labels, conditions and podIPs), 20
// pods in 4 ReplicaSets per namespace, a NetworkPolicy and a Service per namespace (compiled alone first:
// that part of the snapshot does not grow with pods, and is printed apart). Then the time to
// predict a test again after one pod changed. FLOWPROBE_BENCH_PODS=20000,100000 picks sizes (default
// 100000). Prints figures, asserts none.
//
// The pods reach the cache through the real ResilientInformer and client-node's ListWatch; the watch is
// opened against a FAKE API server (test/support/fake-apiserver) holding no pods, which then delivers the
// one changed pod. The list hands each pod over as it is parsed, so the raw pods never all exist at once
// (as with a paged list): what is measured is what the cache keeps, not the size of a list response.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ConnectivityTest } from '../src/api/types.js';
import { ResilientInformer } from '../src/kube/informer.js';
import { loadKubeConfig } from '../src/kube/kube-config.js';
import { CachedPods, podSourceOf } from '../src/kube/cached-pods.js';
import { Interner } from '../src/kube/interner.js';
import type { PodObject, WireObject } from '../src/kube/objects.js';
import { cachedPod } from '../src/kube/trim.js';
import { Predictor } from '../src/run/predict.js';
import type { KubeCluster } from '../src/kube/cluster.js';
import { FakeApiServer } from '../test/support/fake-apiserver/index.js';
import { namespaceOf, PODS_PER_NAMESPACE, podIp, realisticPodJson } from './support/realistic-pods.js';

type CachedPod = ReturnType<KubeCluster['pods']['list']>[number];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return getHeapStatistics().used_heap_size;
}

/** One Service and one NetworkPolicy per namespace: frontends may reach backends on `http`. */
function namespaceObjects(namespaces: number): {
  namespaces: WireObject[];
  services: WireObject[];
  policies: WireObject[];
} {
  const out = { namespaces: [] as WireObject[], services: [] as WireObject[], policies: [] as WireObject[] };
  for (let n = 0; n < namespaces; n++) {
    const ns = namespaceOf(n * PODS_PER_NAMESPACE);
    out.namespaces.push({ metadata: { name: ns, labels: { team: ns } } });
    out.services.push({
      metadata: { name: 'service-1', namespace: ns },
      spec: {
        selector: { app: 'service-1' },
        clusterIP: `172.20.${n >> 8}.${n & 255}`,
        ports: [{ port: 80, targetPort: 'http' }],
      },
    });
    out.policies.push({
      metadata: { name: 'backends', namespace: ns },
      spec: {
        podSelector: { matchLabels: { tier: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 'http' }] },
        ],
      },
    });
  }
  return out;
}

const TEST: ConnectivityTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 'shop', namespace: namespaceOf(0) },
  spec: {
    flows: [
      {
        name: 'front-to-back',
        from: { podSelector: { matchLabels: { app: 'service-0' } } },
        to: { podSelector: { matchLabels: { app: 'service-1' } } },
        port: 8080,
        expect: 'Allowed',
      },
      {
        name: 'back-to-front',
        from: { podSelector: { matchLabels: { app: 'service-1' } } },
        to: { podSelector: { matchLabels: { app: 'service-0' } } },
        port: 8080,
        expect: 'Allowed',
      },
      {
        name: 'to-service',
        from: { podSelector: { matchLabels: { app: 'service-2' } } },
        to: { service: 'service-1' },
        port: 80,
        expect: 'Allowed',
      },
      {
        name: 'to-ip',
        from: { podSelector: { matchLabels: { app: 'service-0' } } },
        to: { ip: podIp(PODS_PER_NAMESPACE * 7 + 6) },
        port: 8080,
        expect: 'Allowed',
      },
    ],
  },
};

const CHANGES = 7;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function measure(server: FakeApiServer, kubeconfig: string, pods: number): Promise<void> {
  const kc = loadKubeConfig({ kubeconfig });
  const objects = namespaceObjects(Math.ceil(pods / PODS_PER_NAMESPACE));
  let changed: (() => void) | undefined;
  const list = () => {
    // A stand-in for the list response: each pod is parsed when the informer trims it.
    const items = {
      map: <U>(trim: (pod: CachedPod) => U): U[] =>
        Array.from({ length: pods }, (_, i) => trim(JSON.parse(realisticPodJson(i)) as CachedPod)),
    } as unknown as CachedPod[];
    return Promise.resolve({ metadata: { resourceVersion: String(server.resourceVersion()) }, items });
  };
  const base = heapUsed();
  // The policies, Services and namespaces compiled alone: the snapshot's part that does not grow with pods.
  const policiesOnly = new Predictor();
  policiesOnly.predict(TEST, { ...objects, pods: podSourceOf([]) });
  const policies = heapUsed() - base;
  const interner = new Interner();
  const informer = new ResilientInformer<CachedPod>(kc, '/api/v1/pods', list, {
    onChange: (type, pod) => {
      source.record(type, pod);
      changed?.();
    },
    trim: ((pod: PodObject) => cachedPod(pod, interner)) as unknown as (pod: CachedPod) => CachedPod,
  });
  const source = new CachedPods(informer);
  let t = performance.now();
  await informer.start();
  const syncMs = performance.now() - t;
  const cached = heapUsed() - policies;
  const cluster = () => ({ ...objects, pods: source });
  const predictor = new Predictor();
  t = performance.now();
  const first = predictor.predict(TEST, cluster());
  const firstMs = performance.now() - t;
  // Less the policies' part again: what the snapshot holds for the pods.
  const snapshot = heapUsed() - 2 * policies;
  t = performance.now();
  predictor.predict(TEST, cluster());
  const sameMs = performance.now() - t;
  // One pod changes at a time (a new pod of service-1 in the test's namespace), through the watch.
  const changeMs: number[] = [];
  let after = first;
  for (let k = 0; k < CHANGES; k++) {
    const arrived = new Promise<void>((resolve) => (changed = resolve));
    const pod = JSON.parse(realisticPodJson(5)) as PodObject; // a pod of service-1 in the test's namespace
    const name = `service-1-new-${pods}-${k}`;
    pod.metadata = { name, namespace: namespaceOf(0), labels: pod.metadata.labels ?? {} };
    await server.create({ ...pod, apiVersion: 'v1', kind: 'Pod' });
    await arrived;
    t = performance.now();
    after = predictor.predict(TEST, cluster());
    changeMs.push(performance.now() - t);
  }
  await informer.stop();
  policiesOnly.predict(TEST, { ...objects, pods: podSourceOf([]) }); // kept alive until measured
  const perPod = (bytes: number) => Math.round(bytes / pods);
  console.log(
    `${String(pods).padStart(7)} pods | policies etc. ${(policies / 2 ** 20).toFixed(1)} MiB | heap/pod: cache ${perPod(cached - base)} B, + snapshot ${perPod(snapshot - cached)} B, total ${perPod(snapshot - base)} B | ` +
      `sync ${syncMs.toFixed(0)} ms, first predict ${firstMs.toFixed(0)} ms, unchanged ${sameMs.toFixed(1)} ms, after one pod changed ${median(changeMs).toFixed(1)} ms (median of ${CHANGES}) ` +
      `(${[...first.values()].map((e) => e.predicted).join(',')} → ${[...after.values()].map((e) => e.predicted).join(',')})`,
  );
}

export default async function bench(): Promise<void> {
  const sizes = (process.env.FLOWPROBE_BENCH_PODS ?? '100000').split(',').map(Number);
  const server = await FakeApiServer.start({ namespaces: ['default', namespaceOf(0)] });
  const account = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'service-1', namespace: namespaceOf(0) },
  };
  await server.create(account);
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-heap-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  try {
    console.log('heap per pod: pod cache + prediction snapshot, and re-predicting after one pod change');
    for (const pods of sizes) await measure(server, kubeconfig, pods);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
