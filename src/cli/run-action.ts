// What `flowprobe run -f FILE|DIR...` does once its flags are parsed (run.ts declares them): probe each
// ConnectivityTest's flows once against the current kubeconfig context, without the operator; print a
// table or JSON, write JUnit, exit 0 all pass / 1 any fails / 2 bad input or unreachable cluster.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { intervalSeconds } from '../api/duration.js';
import { DEFAULT_MAX_NAMESPACES } from '../api/cluster-schema.js';
import { withDefaults } from '../api/defaults.js';
import type { ClusterConnectivityTest } from '../api/types.js';
import { validateConnectivityTest } from '../api/validate.js';
import { validateClusterConnectivityTest } from '../api/validate-cluster.js';
import { reapExpiredRuns } from '../ci/reap-leftovers.js';
import { RunDeadline } from '../ci/run-deadline.js';
import { leftoverWarning, outOfTime, unreachable } from '../ci/run-messages.js';
import { runOnce, RunOnceError } from '../ci/run-once.js';
import { DEFAULT_PROBE_IMAGE } from '../config/operator-config.js';
import { KubeCluster, KubeConfigError, loadKubeConfig, type TestObject } from '../kube/index.js';
import { errorField } from '../log/logger.js';
import { clusterConnectivityTests } from '../manifest/cluster-connectivity-tests.js';
import { connectivityTests } from '../manifest/connectivity-tests.js';
import { instanceClash, type DeclaredAt } from '../manifest/instance-clash.js';
import { namespacedInstance } from '../plan/cluster-instances.js';
import { chooseNamespaces, describeChoice } from '../plan/namespace-choice.js';
import { loadManifests, ManifestError } from '../manifest/load.js';
import { renderJUnit } from '../report/junit.js';
import { renderResultsTable } from '../report/results-table.js';
import type { TestResults } from '../report/test-results.js';
import { PodWaiter } from '../run/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { reportPathProblem, writeRunReport } from './run-report.js';
import { abortReason } from '../utils/abort-reason.js';

export interface RunFlags {
  filename: string[];
  junit?: string;
  /** A self-contained HTML report (run-report.ts). */
  report?: string;
  output: string;
  timeout: string;
  kubeconfig?: string;
  context?: string;
  probeImage?: string;
  concurrency: string;
}

export async function run(flags: RunFlags): Promise<number> {
  const problem = flagProblem(flags);
  if (problem) return usage(problem);
  const reportProblem = flags.report === undefined ? undefined : await reportPathProblem(flags.report);
  if (reportProblem) return usage(reportProblem);
  const runId = `run-${randomBytes(4).toString('hex')}`;
  const session: Session = {};
  const deadline = new RunDeadline({
    timeoutMs: (intervalSeconds(flags.timeout) ?? 600) * 1000,
    label: flags.timeout,
    elapsedMs: performance.now(),
    // Something still holds the process at the deadline (a connection that will not close): end it.
    onExpired: () => {
      if (session.code === undefined)
        process.stderr.write(`flowprobe run: ${outOfTime(deadline.workSignal, runId)}\n`);
      process.exit(session.code ?? EXIT_USAGE);
    },
  });
  const stopOnSignals = onSignals((name) => {
    process.stderr.write(`flowprobe run: ${name}: stopping and cleaning up (again to skip clean-up)\n`);
    deadline.interrupt(name);
  });
  try {
    session.code = await runWithin(flags, deadline, runId, session);
    return session.code;
  } finally {
    await session.cluster?.stopCaches();
    stopOnSignals();
    deadline.dispose();
    // Done: a connect to a server that never answered can hold the process for undici's connect timeout
    // (10 s) even after its pool is destroyed. Let the output drain, then go.
    const code = session.code ?? EXIT_USAGE;
    setTimeout(() => process.exit(code), LINGER_MS).unref();
  }
}

/** How long a finished run waits for stray connections to close before it exits anyway. */
const LINGER_MS = 500;

/** What the deadline's last timer and the final clean-up need to know. */
interface Session {
  cluster?: KubeCluster;
  /** The exit code, once decided. */
  code?: number;
}

async function runWithin(
  flags: RunFlags,
  deadline: RunDeadline,
  runId: string,
  session: Session,
): Promise<number> {
  const work = deadline.workSignal;
  let tests: TestObject[];
  let clusterTests: ClusterConnectivityTest[];
  let files: InputFiles;
  try {
    ({ tests, clusterTests, files } = await untilAborted(readTests(flags.filename), work));
  } catch (err) {
    return usage(err instanceof ManifestError || err instanceof InputError ? err.message : errorField(err));
  }
  const watchErrors: string[] = [];
  const waiter = new PodWaiter();
  const cluster = connect(flags, waiter, watchErrors);
  if (typeof cluster === 'string') return usage(cluster);
  session.cluster = cluster;
  try {
    await cluster.startCaches(work);
    if (!cluster.synced) {
      // A policy kind the API server refuses to list is a missing grant, and a failed discovery leaves the
      // policy kinds unknown: neither is an unreachable cluster, so say which.
      const refused = cluster.extraPolicies.refusals();
      if (refused.length > 0) return usage(refused.join('\n'));
      const discovery = work.aborted || watchErrors.length > 0 ? undefined : cluster.discoveryProblem;
      return usage(discovery ?? unreachable(cluster.server, watchErrors, work));
    }
    const instances = clusterInstances(clusterTests, cluster, files);
    if (typeof instances === 'string') return usage(instances);
    tests = [...tests, ...instances];
    if (tests.length === 0) return usage('no flow to probe: no ClusterConnectivityTest matches a namespace');
    await reapLeftovers(cluster, tests, work);
    const outcome = await runOnce(cluster, waiter, {
      tests,
      runId,
      expiresAt: deadline.expiresAt,
      image: flags.probeImage ?? DEFAULT_PROBE_IMAGE,
      concurrency: Number(flags.concurrency),
      signals: { work, cleanup: deadline.cleanupSignal },
    });
    warnLeftovers(outcome.leftovers, runId, deadline.expiresAt);
    if (work.aborted) return usage(abortReason(work));
    await report(flags, outcome.tests, performance.now());
    if (flags.report !== undefined) await writeRunReport(flags.report, outcome.tests, tests);
    return outcome.tests.every((t) => t.results.every((r) => r.verdict === 'Pass')) ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    if (!(err instanceof RunOnceError)) return usage(errorField(err));
    warnLeftovers(err.leftovers, runId, deadline.expiresAt);
    // Its message is its cause's: errorField would say it twice.
    return usage(work.aborted ? abortReason(work) : err.message);
  }
}

class InputError extends Error {}

/** Where each test was declared: ConnectivityTests by `namespace/name`, ClusterConnectivityTests by name. */
interface InputFiles {
  tests: Map<string, DeclaredAt>;
  clusterTests: Map<string, string>;
}

async function readTests(
  paths: string[],
): Promise<{ tests: TestObject[]; clusterTests: ClusterConnectivityTest[]; files: InputFiles }> {
  const loaded = await loadManifests(paths);
  const objects = connectivityTests(loaded, paths);
  const clusterObjects = clusterConnectivityTests(loaded);
  const problems = objects.flatMap(({ file, object }) =>
    validateConnectivityTest(object).map(
      (p) => `${file}: ${object.metadata?.name ?? '?'}: ${p.path}: ${p.message}`,
    ),
  );
  if (problems.length > 0) throw new InputError(`invalid ConnectivityTest:\n  ${problems.join('\n  ')}`);
  const clusterProblems = clusterObjects.flatMap(({ file, object }) =>
    validateClusterConnectivityTest(object).map(
      (p) => `${file}: ${object.metadata?.name ?? '?'}: ${p.path}: ${p.message}`,
    ),
  );
  if (clusterProblems.length > 0)
    throw new InputError(`invalid ClusterConnectivityTest:\n  ${clusterProblems.join('\n  ')}`);
  const tests = objects.map(({ object }) => {
    const test = object as unknown as TestObject;
    return {
      ...test,
      metadata: { ...test.metadata, namespace: test.metadata.namespace ?? 'default', generation: 1 },
    };
  });
  const clusterTests = clusterObjects.map(({ object }) => {
    const test = object as unknown as ClusterConnectivityTest;
    return { ...test, spec: withDefaults(test.spec) as ClusterConnectivityTest['spec'] };
  });
  const files: InputFiles = {
    tests: new Map(
      objects.map(({ file }, i) => {
        const { name, namespace } = tests[i]?.metadata ?? {};
        return [`${namespace}/${name}`, { name: name ?? '', file }];
      }),
    ),
    clusterTests: new Map(clusterObjects.map(({ file, object }) => [object.metadata?.name ?? '', file])),
  };
  return { tests, clusterTests, files };
}

/**
 * Each ClusterConnectivityTest as the ConnectivityTests it stands for in the cluster's namespaces that its
 * selector chooses (as the operator chooses them); which, on stderr. Or why one cannot stand for a test in
 * a namespace where a ConnectivityTest of the files has its name (instance-clash.ts).
 */
function clusterInstances(
  clusterTests: readonly ClusterConnectivityTest[],
  cluster: KubeCluster,
  files: InputFiles,
): TestObject[] | string {
  const namespaces = cluster.namespaces.list().map((ns) => ({
    name: ns.metadata.name,
    ...(ns.metadata.labels ? { labels: ns.metadata.labels } : {}),
    terminating: ns.metadata.deletionTimestamp !== undefined,
  }));
  const clashes: string[] = [];
  const instances = clusterTests.flatMap((test) => {
    const max = test.spec.maxNamespaces ?? DEFAULT_MAX_NAMESPACES;
    const choice = chooseNamespaces(namespaces, test.spec.namespaceSelector, max);
    const name = test.metadata.name ?? '';
    process.stderr.write(`flowprobe run: ClusterConnectivityTest ${name}: ${describeChoice(choice, max)}\n`);
    const file = files.clusterTests.get(name) ?? '?';
    for (const ns of choice.probed) {
      const clash = instanceClash({ name, file }, ns, files.tests);
      if (clash !== undefined) clashes.push(clash);
    }
    return choice.probed.map((ns) => {
      const instance = namespacedInstance(test, ns);
      return { ...instance, metadata: { ...instance.metadata, name, namespace: ns, generation: 1 } };
    });
  });
  return clashes.length > 0 ? clashes.join('\n') : instances;
}

/** The cluster gateway, or why the kubeconfig could not be loaded. */
function connect(flags: RunFlags, waiter: PodWaiter, watchErrors: string[]): KubeCluster | string {
  try {
    const kc = loadKubeConfig({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
    });
    return new KubeCluster(kc, {
      // ExtraPolicy: the policy kinds beyond NetworkPolicy that the cluster serves, discovered once (no CRD
      // watch: a run is over in minutes), so that predictions are the operator's.
      kinds: ['Pod', 'Namespace', 'Service', 'NetworkPolicy', 'ExtraPolicy'],
      onChange: (kind, type, obj) => {
        if (kind !== 'Pod') return;
        if (type === 'delete') waiter.forget(obj.metadata.namespace ?? '', obj.metadata.name);
        else waiter.observe(obj);
      },
      // The message only: a KubeApiError names the server and the system error; its cause adds nothing.
      onWatchError: (_kind, err) => watchErrors.push(err instanceof Error ? err.message : String(err)),
    });
  } catch (err) {
    // A KubeConfigError names the file, the context and the system error itself.
    return err instanceof KubeConfigError ? err.message : `cannot load the kubeconfig: ${errorField(err)}`;
  }
}

/** Calls `stop(name)` on SIGINT and SIGTERM (each time); returns what removes the handlers. */
function onSignals(stop: (name: string) => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      stop(name);
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  return () => {
    for (const off of handlers) off();
  };
}

/** `pending`, or the signal's reason as soon as it aborts (reading stdin cannot be cancelled). */
function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

async function reapLeftovers(
  cluster: KubeCluster,
  tests: readonly TestObject[],
  signal: AbortSignal,
): Promise<void> {
  const namespaces = [...new Set(tests.map((t) => t.metadata.namespace ?? 'default'))];
  const reaped = await reapExpiredRuns(cluster, namespaces, new Date(), signal);
  for (const name of reaped.deleted)
    process.stderr.write(`flowprobe run: deleted ${name}, left by a run past its deadline\n`);
  for (const problem of reaped.problems) process.stderr.write(`flowprobe run: warning: ${problem}\n`);
}

function warnLeftovers(leftovers: readonly string[], runId: string, expiresAt: Date): void {
  if (leftovers.length > 0)
    process.stderr.write(`flowprobe run: ${leftoverWarning(leftovers, runId, expiresAt)}\n`);
}

async function report(flags: RunFlags, results: TestResults[], wallMs: number): Promise<void> {
  if (flags.junit) await writeFile(flags.junit, renderJUnit(results, wallMs));
  if (flags.output === 'json') {
    const rows = results.flatMap((t) =>
      t.results.map((r) => ({ namespace: t.namespace, test: t.test, ...r })),
    );
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else process.stdout.write(renderResultsTable(results));
}

function flagProblem(flags: RunFlags): string | undefined {
  if (!['table', 'json'].includes(flags.output)) return `-o must be table or json, not ${flags.output}`;
  if (intervalSeconds(flags.timeout) === undefined)
    return `--timeout must be a duration like 90s or 10m, not ${flags.timeout}`;
  const n = Number(flags.concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    return `--concurrency must be 1..100, not ${flags.concurrency}`;
  return undefined;
}

function usage(message: string): number {
  process.stderr.write(`flowprobe run: ${message}\n`);
  return EXIT_USAGE;
}
