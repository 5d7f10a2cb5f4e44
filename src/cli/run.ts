// `flowprobe run -f FILE|DIR...`: probe each ConnectivityTest's flows once against the current kubeconfig
// context, without the operator; print a table or JSON, write JUnit, exit 0 all pass / 1 any fails /
// 2 bad input or unreachable cluster.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { intervalSeconds } from '../api/duration.js';
import { validateConnectivityTest } from '../api/validate.js';
import { runOnce } from '../ci/run-once.js';
import { DEFAULT_PROBE_IMAGE } from '../config/operator-config.js';
import { KubeCluster, loadKubeConfig, type TestObject } from '../kube/index.js';
import { errorField } from '../log/logger.js';
import { connectivityTests } from '../manifest/connectivity-tests.js';
import { loadManifests, ManifestError } from '../manifest/load.js';
import { renderJUnit } from '../report/junit.js';
import { renderResultsTable } from '../report/results-table.js';
import type { TestResults } from '../report/test-results.js';
import { PodWaiter } from '../run/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

interface RunFlags {
  filename: string[];
  junit?: string;
  output: string;
  timeout: string;
  kubeconfig?: string;
  context?: string;
  probeImage?: string;
  concurrency: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Probe every ConnectivityTest in the files once against the current cluster (CI mode).')
    .requiredOption('-f, --filename <path...>', 'manifest files or directories (- for stdin)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--timeout <duration>', 'give up (and clean up) after this long, e.g. 10m', '10m')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--probe-image <image>', 'busybox image of the probe pods', DEFAULT_PROBE_IMAGE)
    .option('--concurrency <n>', 'probe pods in flight at once', '4')
    .action(async (flags: RunFlags) => {
      process.exitCode = await run(flags);
    });
}

async function run(flags: RunFlags): Promise<number> {
  const problem = flagProblem(flags);
  if (problem) return usage(problem);
  let tests: TestObject[];
  try {
    tests = await readTests(flags.filename);
  } catch (err) {
    return usage(err instanceof ManifestError || err instanceof InputError ? err.message : errorField(err));
  }
  const watchErrors: string[] = [];
  const waiter = new PodWaiter();
  const cluster = connect(flags, waiter, watchErrors);
  if (typeof cluster === 'string') return usage(`cannot load the kubeconfig: ${cluster}`);
  try {
    await cluster.startCaches();
    if (!cluster.synced)
      return usage(`cannot reach the cluster: ${watchErrors[0] ?? 'the first list failed'}`);
    const results = await withDeadline(flags, (signal) =>
      runOnce(cluster, waiter, {
        tests,
        image: flags.probeImage ?? DEFAULT_PROBE_IMAGE,
        concurrency: Number(flags.concurrency),
        signal,
      }),
    );
    await report(flags, results);
    return results.every((t) => t.results.every((r) => r.verdict === 'Pass')) ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    return usage(errorField(err));
  } finally {
    await cluster.stopCaches();
  }
}

class InputError extends Error {}

async function readTests(paths: string[]): Promise<TestObject[]> {
  const objects = connectivityTests(await loadManifests(paths), paths);
  const problems = objects.flatMap(({ file, object }) =>
    validateConnectivityTest(object).map(
      (p) => `${file}: ${object.metadata?.name ?? '?'}: ${p.path}: ${p.message}`,
    ),
  );
  if (problems.length > 0) throw new InputError(`invalid ConnectivityTest:\n  ${problems.join('\n  ')}`);
  return objects.map(({ object }) => {
    const test = object as unknown as TestObject;
    return {
      ...test,
      metadata: { ...test.metadata, namespace: test.metadata.namespace ?? 'default', generation: 1 },
    };
  });
}

/** The cluster gateway, or why the kubeconfig could not be loaded. */
function connect(flags: RunFlags, waiter: PodWaiter, watchErrors: string[]): KubeCluster | string {
  try {
    const kc = loadKubeConfig({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
    });
    return new KubeCluster(kc, {
      kinds: ['Pod', 'Namespace', 'Service', 'NetworkPolicy'],
      onChange: (kind, type, obj) => {
        if (kind !== 'Pod') return;
        if (type === 'delete') waiter.forget(obj.metadata.namespace ?? '', obj.metadata.name);
        else waiter.observe(obj);
      },
      onWatchError: (_kind, err) => watchErrors.push(errorField(err)),
    });
  } catch (err) {
    return errorField(err);
  }
}

/** Runs `fn` with a signal that aborts at the deadline or on SIGINT/SIGTERM (the run then cleans up). */
async function withDeadline<T>(flags: RunFlags, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const seconds = intervalSeconds(flags.timeout) ?? 600;
  const timer = setTimeout(() => {
    controller.abort(new Error(`timed out after ${flags.timeout}`));
  }, seconds * 1000);
  timer.unref();
  const interrupt = () => {
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const result = await fn(controller.signal);
    if (controller.signal.aborted) throw controller.signal.reason;
    return result;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

async function report(flags: RunFlags, results: TestResults[]): Promise<void> {
  if (flags.junit) await writeFile(flags.junit, renderJUnit(results));
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
