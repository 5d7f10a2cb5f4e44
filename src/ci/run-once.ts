// `flowprobe run`'s engine: each ConnectivityTest from the files, probed once against the current cluster
// through the operator's own runTest(). Nothing permanent is applied: per namespace, a temporary paused
// Deployment with no replicas controls the probe pods (so no ReplicaSet adopts them, PodDisruptionBudgets
// over their labels keep computing, and, should this process die, the garbage collector removes them with
// it: src/plan/run-owner.ts), and every pod and Deployment is deleted at the end, also when interrupted or
// out of time. The Deployments and pods carry the run's deadline, so that the leftovers of a run killed
// before its clean-up are found and deleted later (reap-leftovers.ts, the operator's reaper).
import pLimit from 'p-limit';
import type { KubeCluster, TestObject } from '../kube/index.js';
import type { PodOwner } from '../plan/probe-pod.js';
import { runOwnerDeployment } from '../plan/run-owner.js';
import type { TestResults } from '../report/test-results.js';
import { Predictor, runTest, type PodWaiter } from '../run/index.js';
import { TrackedPods, type RunSignals } from './tracked-pods.js';

export interface RunOnceInput {
  tests: readonly TestObject[];
  image: string;
  concurrency: number;
  runId: string;
  /** When the run is over for sure, clean-up included (RFC 3339 on its objects, for reapers). */
  expiresAt: Date;
  /** work: no pod is created once it aborts and waits end at once; cleanup: bounds the deletions. */
  signals: RunSignals;
}

export interface RunOnceOutcome {
  tests: TestResults[];
  /** What clean-up could not delete in its time (`pod NS/NAME`, `deployment NS/NAME`). */
  leftovers: string[];
}

/** The probing failed (the API server refused the run's objects, or it stopped); clean-up has run. */
export class RunOnceError extends Error {
  constructor(
    message: string,
    readonly leftovers: string[],
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'RunOnceError';
  }
}

export async function runOnce(
  cluster: KubeCluster,
  waiter: PodWaiter,
  input: RunOnceInput,
): Promise<RunOnceOutcome> {
  const pods = new TrackedPods(cluster, input.signals);
  const owners = new Map<string, PodOwner>();
  let tests: TestResults[];
  try {
    for (const ns of new Set(input.tests.map(namespaceOf))) {
      input.signals.work.throwIfAborted();
      owners.set(ns, await createOwner(cluster, ns, input));
    }
    tests = await probeAll(cluster, waiter, pods, owners, input);
  } catch (err) {
    const leftovers = await cleanUp(cluster, pods, owners, input.signals.cleanup);
    const message = err instanceof Error ? err.message : String(err);
    throw new RunOnceError(message, leftovers, { cause: err });
  }
  return { tests, leftovers: await cleanUp(cluster, pods, owners, input.signals.cleanup) };
}

function probeAll(
  cluster: KubeCluster,
  waiter: PodWaiter,
  pods: TrackedPods,
  owners: ReadonlyMap<string, PodOwner>,
  input: RunOnceInput,
): Promise<TestResults[]> {
  const limit = pLimit(input.concurrency);
  const deps = {
    api: pods,
    waiter,
    limit: <T>(fn: () => Promise<T>) => limit(fn),
    predictor: new Predictor(),
    signal: input.signals.work,
  };
  return Promise.all(
    input.tests.map(async (test) => {
      const started = performance.now();
      const namespace = namespaceOf(test);
      const owner = owners.get(namespace);
      const results = await runTest(deps, {
        test,
        runId: input.runId,
        cluster: () => cluster.cached(),
        image: input.image,
        ...(owner ? { owner } : {}),
      });
      const durationMs = Math.round(performance.now() - started);
      return { namespace, test: test.metadata.name, results, durationMs };
    }),
  );
}

/**
 * Deletes the pods, then the owners, whose deletion garbage-collects any pod left (also one whose create
 * was cut off before we learnt its name). A pod counts as left over only where its owner is left too.
 */
async function cleanUp(
  cluster: KubeCluster,
  pods: TrackedPods,
  owners: ReadonlyMap<string, PodOwner>,
  signal: AbortSignal,
): Promise<string[]> {
  const leftPods = await pods.deleteAll();
  const kept = await Promise.all(
    [...owners].map(([ns, owner]) =>
      cluster.deleteOwner('Deployment', ns, owner.name, { signal }).then(
        () => [],
        () => [{ namespace: ns, name: owner.name }],
      ),
    ),
  );
  const leftOwners = kept.flat();
  const orphans = leftPods.filter((p) => leftOwners.some((o) => o.namespace === p.namespace));
  return [
    ...leftOwners.map((o) => `deployment ${o.namespace}/${o.name}`),
    ...orphans.map((p) => `pod ${p.namespace}/${p.name}`),
  ];
}

async function createOwner(cluster: KubeCluster, namespace: string, input: RunOnceInput): Promise<PodOwner> {
  const expiresAt = input.expiresAt.toISOString();
  const manifest = runOwnerDeployment({ namespace, runId: input.runId, image: input.image, expiresAt });
  // Bounded by the clean-up signal, as pod creates are: one that completes after an interrupt is deleted.
  const created = await cluster.createOwner(namespace, manifest, { signal: input.signals.cleanup });
  const name = created.metadata.name;
  return { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: created.metadata.uid ?? '', expiresAt };
}

function namespaceOf(test: TestObject): string {
  return test.metadata.namespace ?? 'default';
}
