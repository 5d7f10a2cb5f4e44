// Connects the reconciler to ClusterConnectivityTests: the same run, verdicts, status, events and metrics
// as a ConnectivityTest's (reconciler-ports.ts), over the namespaces the test's selector chooses. Each
// probed namespace runs the test as a ConnectivityTest there would (src/plan/cluster-instances.ts); its
// probe pods name the ClusterConnectivityTest as their controller: a namespaced dependent may have a
// cluster-scoped owner (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/,
// "Namespaced dependents can specify cluster-scoped or namespaced owners"), so deleting the test
// garbage-collects them, and the reaper deletes those of a run no longer in flight.
import { withDefaults } from '../api/defaults.js';
import { DEFAULT_MAX_NAMESPACES } from '../api/cluster-schema.js';
import {
  API_VERSION,
  CLUSTER_KIND,
  type ClusterConnectivityTestSpec,
  type ClusterFlowResult,
  type FlowResult,
} from '../api/types.js';
import { validateClusterConnectivityTest } from '../api/validate-cluster.js';
import type { ClusterTestObject, KubeCluster, TestObject } from '../kube/index.js';
import { namespacedInstance } from '../plan/cluster-instances.js';
import { chooseNamespaces, describeChoice, type NamespaceChoice } from '../plan/namespace-choice.js';
import { POD_REJECTED, Predictor, repredict, runTest, type RunDeps } from '../run/index.js';
import { withNamespaces } from '../verdict/cluster-status.js';
import type { ReconcilerPorts } from './reconciler.js';
import type { PortsInput } from './reconciler-ports.js';

/**
 * The `test` label of a ClusterConnectivityTest's metric series; `namespace` is the probed namespace. The
 * kind in front keeps it apart from a ConnectivityTest of the same name there (object names hold no `/`).
 * Series per test: at most maxNamespaces (≤ 100) namespaces × its flows (flows × maxNamespaces ≤ 1,000,
 * cluster-schema.ts); a namespace no longer probed has its series removed.
 */
export function clusterMetricTest(name: string): string {
  return `${CLUSTER_KIND}/${name}`;
}

interface RunChoice {
  runId: string;
  choice: NamespaceChoice;
  description: string;
}

export function clusterReconcilerPorts(input: PortsInput): ReconcilerPorts<ClusterTestObject> {
  const { cluster, metrics } = input;
  const predictor = input.runDeps.predictor ?? new Predictor();
  /** The choice of each test's latest run, until its status is written. */
  const choices = new Map<string, RunChoice>();
  /** The namespaces each test's last written run probed (the cache may not show our write yet). */
  const lastProbed = new Map<string, readonly string[]>();
  /** The namespaces each test has metric series in. */
  const seriesIn = new Map<string, Set<string>>();

  const choose = (test: ClusterTestObject) => chooseFor(cluster, test);
  const ref = (name: string, namespace: string) => ({ namespace, test: clusterMetricTest(name) });
  const knownNamespaces = (test: ClusterTestObject): string[] => [
    ...(seriesIn.get(test.metadata.name) ?? test.status?.namespaces?.probed ?? []),
  ];

  return {
    validate: validateClusterConnectivityTest,
    // An identity that cannot be placed in a namespace (no source pod there) is normal for a cluster test and
    // stays an Error result there until the next interval or change; a refused probe pod is still retried.
    retriesIncomplete: (results) => results.some((r) => r.detail === POD_REJECTED),
    replanNeeded: (test) => {
      const probed = lastProbed.get(test.metadata.name) ?? test.status?.namespaces?.probed;
      if (probed === undefined || test.status?.observedGeneration !== test.metadata.generation) return false;
      return choose(test).choice.probed.join(',') !== probed.join(',');
    },
    cachedTest: (_namespace, name) => cluster.clusterTests.get(name),
    readTest: (_namespace, name) => cluster.getClusterTest(name),
    writeStatus: (test, status) => {
      const run = choices.get(test.name);
      if (run === undefined || status.runId !== run.runId)
        return cluster.patchClusterTestStatus(test, status);
      const generation = status.observedGeneration ?? 1;
      const now = status.lastRunTime ?? new Date().toISOString();
      const written = withNamespaces(status, run.choice, run.description, generation, now);
      return cluster.patchClusterTestStatus(test, written).then((obj) => {
        lastProbed.set(test.name, run.choice.probed);
        return obj;
      });
    },
    runProbes: async (test, runId) => {
      const { choice, max } = choose(test);
      const description = describeChoice(choice, max);
      choices.set(test.metadata.name, { runId, choice, description });
      const before = test.status?.namespaces?.probed;
      if (choice.sampled && before?.join(',') !== choice.probed.join(','))
        await recordEvent(test, { type: 'Normal', reason: 'NamespacesSampled', note: description });
      return runNamespaces(input, test, runId, choice.probed);
    },
    repredict: (test, results) => {
      const cached = cluster.cached();
      return byNamespace(results).flatMap(([namespace, group]) =>
        repredict(predictor, instance(test, namespace), group, cached).map((r) => ({ namespace, ...r })),
      );
    },
    recordEvent: (test, intent) => recordEvent(test, intent),
    recordRun: (test, results, previous, intervalSeconds) => {
      const { name } = test.metadata;
      const groups = byNamespace(results);
      const now = new Set(groups.map(([ns]) => ns));
      for (const gone of seriesIn.get(name) ?? []) if (!now.has(gone)) metrics.forgetTest(ref(name, gone));
      seriesIn.set(name, now);
      for (const [namespace, group] of groups) {
        const before = (previous ?? []).filter((r) => namespaceOf(r) === namespace);
        metrics.recordRun(ref(name, namespace), group, {
          finishedAt: new Date(),
          ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
          ...(previous ? { previousResults: before } : {}),
        });
      }
    },
    registerTest: (test, intervalSeconds) => {
      const last = test.status?.lastRunTime;
      const created = test.metadata.creationTimestamp;
      for (const namespace of knownNamespaces(test))
        metrics.registerTest(ref(test.metadata.name, namespace), {
          ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
          ...(last ? { lastRunAt: new Date(last) } : {}),
          ...(created ? { createdAt: new Date(created) } : {}),
        });
    },
    recordRunFailure: (test) => {
      for (const namespace of knownNamespaces(test))
        metrics.recordRunFailure(ref(test.metadata.name, namespace), new Date());
    },
    forgetTest: (_namespace, name) => {
      for (const namespace of seriesIn.get(name) ?? []) metrics.forgetTest(ref(name, namespace));
      seriesIn.delete(name);
      choices.delete(name);
      lastProbed.delete(name);
    },
    now: () => new Date(),
  };

  function recordEvent(test: ClusterTestObject, intent: Parameters<typeof input.recorder.record>[1]) {
    const { name, uid = '' } = test.metadata;
    // Cluster-scoped: the recorder writes the Event in `default`, as client-go does (event-recorder.ts).
    return input.recorder.record(
      { apiVersion: API_VERSION, kind: CLUSTER_KIND, namespace: '', name, uid },
      intent,
    );
  }
}

/** The namespaces the reconciler probes for the test, from the cached namespaces. */
function chooseFor(
  cluster: Pick<KubeCluster, 'namespaces'>,
  test: ClusterTestObject,
): { choice: NamespaceChoice; max: number } {
  const spec = withDefaults(test.spec) as ClusterConnectivityTestSpec;
  const max = spec.maxNamespaces ?? DEFAULT_MAX_NAMESPACES;
  const candidates = cluster.namespaces.list().map((ns) => ({
    name: ns.metadata.name,
    ...(ns.metadata.labels ? { labels: ns.metadata.labels } : {}),
    terminating: ns.metadata.deletionTimestamp !== undefined,
  }));
  return { choice: chooseNamespaces(candidates, spec.namespaceSelector, max), max };
}

/**
 * Every ClusterConnectivityTest as the ConnectivityTests it stands for in the namespaces the reconciler
 * probes (coverage's input, so that the operator counts what `explain --coverage` counts). A test that
 * does not validate is left out, as the reconciler runs nothing for it.
 */
export function clusterTestInstances(
  cluster: Pick<KubeCluster, 'namespaces' | 'clusterTests'>,
): TestObject[] {
  return cluster.clusterTests.list().flatMap((test) => {
    if (validateClusterConnectivityTest(test).length > 0) return [];
    return chooseFor(cluster, test).choice.probed.map((namespace) => instance(test, namespace));
  });
}

/** The test as the ConnectivityTest it stands for in one namespace (the run's and prediction's input). */
function instance(test: ClusterTestObject, namespace: string): TestObject {
  const { metadata, ...rest } = namespacedInstance(test, namespace);
  return { ...rest, metadata: { ...metadata, name: test.metadata.name } };
}

/**
 * One run of every probed namespace, at once (the shared limit bounds the probe pods in flight). A namespace
 * that fails does not end the run early: the others' probe pods still run under this run id, and leaving
 * the in-flight set before they finish would let the reaper take them as stale and the retry start a second
 * run beside them. So every namespace settles first, then the first failure is thrown.
 */
async function runNamespaces(
  input: PortsInput,
  test: ClusterTestObject,
  runId: string,
  namespaces: readonly string[],
): Promise<ClusterFlowResult[]> {
  const { name, uid = '' } = test.metadata;
  const log = input.logger.child({ kind: CLUSTER_KIND, name, runId });
  const owner = { apiVersion: API_VERSION, kind: CLUSTER_KIND, name, uid };
  input.inFlight.add(runId);
  const started = Date.now();
  log.info('run started', { flows: test.spec.flows.length, namespaces: namespaces.length });
  try {
    const settled = await Promise.allSettled(
      namespaces.map(async (namespace) => {
        const deps: RunDeps = {
          ...input.runDeps,
          onPodFailure: (detail) => {
            // A test deleted mid-run takes its pods with it (garbage collection): expected, not a failure.
            if (!input.cluster.clusterTests.get(name)) return;
            input.metrics.countProbeError({ namespace, test: clusterMetricTest(name) });
            log.warn('probe pod failed', { namespace, detail });
          },
        };
        const cluster = () => input.cluster.cached();
        const results = await runTest(deps, {
          test: instance(test, namespace),
          runId,
          cluster,
          image: input.image,
          owner,
        });
        return results.map((r): ClusterFlowResult => ({ namespace, ...r }));
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    log.info('run finished', { durationMs: Date.now() - started });
    return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  } finally {
    input.inFlight.delete(runId);
  }
}

function namespaceOf(result: FlowResult): string | undefined {
  return (result as Partial<ClusterFlowResult>).namespace;
}

/** Results grouped by namespace, in the order the namespaces first appear. */
function byNamespace(results: readonly FlowResult[]): [string, FlowResult[]][] {
  const groups = new Map<string, FlowResult[]>();
  for (const r of results) {
    const namespace = namespaceOf(r) ?? '';
    const { namespace: _ns, ...plain } = r as Partial<ClusterFlowResult> & FlowResult;
    groups.set(namespace, [...(groups.get(namespace) ?? []), plain]);
  }
  return [...groups];
}
