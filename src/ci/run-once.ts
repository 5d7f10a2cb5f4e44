// `flowprobe run`'s engine: each ConnectivityTest from the files, probed once against the current cluster
// through the operator's own runTest(). Nothing permanent is applied: per namespace, a temporary ConfigMap
// controls the probe pods (so no ReplicaSet adopts them and, should this process die, the garbage
// collector removes them with it), and every pod and ConfigMap is deleted at the end, also when
// interrupted or out of time.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { KubeCluster, PodObject, TestObject } from '../kube/index.js';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../plan/labels.js';
import type { PodOwner } from '../plan/probe-pod.js';
import type { TestResults } from '../report/test-results.js';
import { Predictor, runTest, type PodWaiter, type ProbePodApi } from '../run/index.js';

export interface RunOnceInput {
  tests: readonly TestObject[];
  image: string;
  concurrency: number;
  /** Aborting deletes every probe pod, so each waiting run ends at once with Error results. */
  signal: AbortSignal;
}

export async function runOnce(
  cluster: KubeCluster,
  waiter: PodWaiter,
  input: RunOnceInput,
): Promise<TestResults[]> {
  const runId = `run-${randomBytes(4).toString('hex')}`;
  const pods = new TrackedPods(cluster);
  const owners = new Map<string, PodOwner>();
  const cleanup = () =>
    Promise.all([pods.deleteAll(), ...[...owners].map(([ns, o]) => cluster.deleteOwner(ns, o.name))]);
  const onAbort = () => void pods.deleteAll();
  input.signal.addEventListener('abort', onAbort);
  try {
    for (const ns of new Set(input.tests.map(namespaceOf)))
      owners.set(ns, await createOwner(cluster, ns, runId));
    const limit = pLimit(input.concurrency);
    const deps = {
      api: pods,
      waiter,
      limit: <T>(fn: () => Promise<T>) => limit(fn),
      predictor: new Predictor(),
    };
    return await Promise.all(
      input.tests.map(async (test) => {
        const namespace = namespaceOf(test);
        const owner = owners.get(namespace);
        const results = await runTest(deps, {
          test,
          runId,
          cluster: () => cluster.cached(),
          image: input.image,
          ...(owner ? { owner } : {}),
        });
        return { namespace, test: test.metadata.name, results };
      }),
    );
  } finally {
    input.signal.removeEventListener('abort', onAbort);
    await cleanup();
  }
}

async function createOwner(cluster: KubeCluster, namespace: string, runId: string): Promise<PodOwner> {
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId };
  const cm = await cluster.createOwner(namespace, 'flowprobe-run-', labels);
  return { apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata.name, uid: cm.metadata.uid ?? '' };
}

function namespaceOf(test: TestObject): string {
  return test.metadata.namespace ?? 'default';
}

/** The cluster's pod calls, remembering every pod created until it is deleted. */
class TrackedPods implements ProbePodApi {
  private readonly live = new Map<string, { namespace: string; name: string }>();
  constructor(private readonly cluster: KubeCluster) {}

  async createPod(namespace: string, manifest: object): Promise<PodObject> {
    const pod = await this.cluster.createPod(namespace, manifest);
    this.live.set(`${namespace}/${pod.metadata.name}`, { namespace, name: pod.metadata.name });
    return pod;
  }

  podLog(namespace: string, name: string, container: string): Promise<string> {
    return this.cluster.podLog(namespace, name, container);
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.cluster.deletePod(namespace, name);
    this.live.delete(`${namespace}/${name}`);
  }

  async deleteAll(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map((p) => this.deletePod(p.namespace, p.name).catch(() => undefined)),
    );
  }
}
