// `npm run bench -- operator` (issue 5): the control plane at scale. 1,000 ConnectivityTests × 10 flows
// from 3 explicit identities, spread over 50 namespaces, against the FAKE API server with probe
// execution simulated (FAKE kubelet, declared outcome table: no network at all), and 100 tests first so
// the figures show scaling. The operator runs as a child process (`flowprobe operator`, admin kubeconfig:
// RBAC is the operator tests' concern, not this benchmark's) behind a counting proxy; the FAKE cluster runs
// here. Prints figures, asserts none. Read the wall time with the "FAKE cluster CPU" line: where that is
// about the wall time, the FAKE (one core, in this process) bounds throughput, not the operator. A size
// that does not finish in 3 minutes is cut and marked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectivityTest } from '../src/api/types.js';
import { FakeCluster } from '../test/support/fake-cluster/index.js';
import { CountingProxy } from './support/counting-proxy.js';
import { IDLE_SPEEDUP, idleHour, type IdleFigures } from './support/idle-hour.js';
import { OperatorChild } from './support/operator-child.js';
import { metricSum, nonZeroSeries, requestFigures, type RequestFigures } from './support/operator-figures.js';
import { benchTest, FLOWS_PER_TEST, namespaceName, outcomeTable } from './support/operator-workload.js';
import { cpuSeconds, peakRssMb } from './support/proc-stats.js';
import { buildShippedBundle, deployedEnv } from './support/shipped-operator.js';

/** FLOWPROBE_BENCH_SIZES=100,300 runs other sizes (a quick look, a profile); empty: only the idle hour. */
const SIZES = (process.env.FLOWPROBE_BENCH_SIZES ?? '100,300,1000')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number);
const NAMESPACES = 50;
/**
 * What runs: by default the image's bundle with the Deployment's env (shipped-operator.ts).
 * FLOWPROBE_BENCH_OPERATOR_ENTRY=tsx runs the sources under tsx instead, =/path/to/main.js another build.
 */
const ENTRY = process.env.FLOWPROBE_BENCH_OPERATOR_ENTRY;
/** Probe pods in flight across tests, and tests reconciled at once: enough to keep two cores busy. */
const MAX_CONCURRENT_RUNS = 32;
const WORKERS = 16;
/** A size that has not finished by then is reported as incomplete rather than waited for. */
const DONE_TIMEOUT_MS = 180_000;
/** After the last status: quiet this long means no late second run or write is coming. */
const QUIET_MS = 2_000;
const QUIET_TIMEOUT_MS = 20_000;

interface SizeResult {
  tests: number;
  done: number;
  createMs: number;
  wallMs: number;
  cpuSeconds: number;
  startupCpuSeconds: number;
  clusterCpuSeconds: number;
  peakRssMb: number;
  /** VmHWM once the caches had synced, before any test existed. */
  startupPeakRssMb: number;
  requests: RequestFigures;
  startupRequests: number;
  verdicts: Record<string, number>;
  operatorRuns: number;
  /** The operator's flowprobe_api_errors_total series that are not 0 (by verb). */
  apiErrors: string[];
  /** Live V8 heap at the end (prom-client's process metrics), to set against the peak RSS. */
  heapUsedMb: number;
  /** Sample lines of flowprobe_* families in one scrape: what the operator keeps, and Prometheus stores. */
  flowprobeSeries: number;
  stderr: string[];
  load: string;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export default async function bench(): Promise<void> {
  console.log(
    `operator: N ConnectivityTests × ${FLOWS_PER_TEST} flows from 3 identities, ${NAMESPACES} namespaces, ` +
      `FAKE API server, declared outcomes (no network); operator as a child process with admin credentials, ` +
      `--max-concurrent-runs ${MAX_CONCURRENT_RUNS} --workers ${WORKERS} --log-level error`,
  );
  const operator = await whatRuns();
  const results: SizeResult[] = [];
  try {
    for (const tests of SIZES) {
      console.log(`\n  ${tests} tests (load average ${load()})`);
      const result = await runSize(tests, operator);
      printDetails(result);
      results.push(result);
    }
    if (results.length > 0) printTable(results);
    console.log(
      `\n  idle: one hour without ConnectivityTests, leader election on (time lapse ×${IDLE_SPEEDUP})`,
    );
    printIdle(await idleHour(operator));
  } finally {
    operator.cleanup();
  }
}

function printIdle(idle: IdleFigures): void {
  const shown = idle.byRequest.map(([request, n]) => `${request} ${n}`).join(', ');
  console.log(`    API requests in the idle hour: ${idle.total} (${shown || 'none'})`);
  const count = (verb: string) =>
    idle.byRequest.filter(([r]) => r.startsWith(`${verb} `)).reduce((s, [, n]) => s + n, 0);
  console.log(
    `    list (relists) ${count('list')}, watch (reopened watches) ${count('watch')}; ` +
      `${idle.startupRequests} requests before, at start-up (lists, watches, the lease)`,
  );
  for (const line of idle.stderr.slice(0, 5)) console.log(`    operator stderr: ${line.slice(0, 300)}`);
}

interface WhatRuns {
  entry: string | undefined;
  env: Record<string, string>;
  cleanup: () => void;
}

async function whatRuns(): Promise<WhatRuns> {
  if (ENTRY) {
    const entry = ENTRY === 'tsx' ? undefined : ENTRY;
    console.log(`  running ${entry ?? 'the sources under tsx'}, without the Deployment's environment`);
    return { entry, env: {}, cleanup: () => undefined };
  }
  const bundle = await buildShippedBundle();
  const run = { entry: bundle.file, env: deployedEnv(), cleanup: bundle.remove };
  const shown = Object.entries(run.env).map(([k, v]) => `${k}="${v}"`);
  console.log(
    `  running the image's bundle (scripts/bundle.ts) with the Deployment's env: ${shown.join(' ')}`,
  );
  return run;
}

/** One size, in a fresh FAKE cluster and a fresh operator, so that no figure carries over. */
async function runSize(tests: number, run: WhatRuns): Promise<SizeResult> {
  const namespaces = Array.from({ length: NAMESPACES }, (_, n) => namespaceName(n));
  const cluster = await FakeCluster.start({
    cni: 'none',
    crds: true,
    pods: 'declared',
    outcomes: outcomeTable(),
    announce: false,
    handleSignals: false,
    apiServer: { namespaces: ['default', 'kube-system', ...namespaces] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-op-'));
  let proxy: CountingProxy | undefined;
  let operator: OperatorChild | undefined;
  try {
    proxy = await CountingProxy.start(cluster.server.url);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, cluster.server.kubeconfig().replace(cluster.server.url, proxy.url));
    operator = await OperatorChild.start({
      kubeconfig,
      maxConcurrentRuns: MAX_CONCURRENT_RUNS,
      workers: WORKERS,
      ...run,
    });
    return await measure(cluster, proxy, operator, tests);
  } finally {
    const t0 = performance.now();
    const stopped = (await operator?.stop()) ?? 'not started';
    const t1 = performance.now();
    await proxy?.stop();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `    stop: operator ${stopped} after ${secs(t1 - t0)} (SIGTERM), FAKE cluster ${secs(performance.now() - t1)}`,
    );
  }
}

async function measure(
  cluster: FakeCluster,
  proxy: CountingProxy,
  operator: OperatorChild,
  size: number,
): Promise<SizeResult> {
  const pid = operator.pid;
  const startupCpu = cpuSeconds(pid);
  const startupPeak = peakRssMb(pid);
  const startupRequests = proxy.records.length;
  const clusterCpu0 = process.cpuUsage();
  const tests = Array.from({ length: size }, (_, t) => benchTest(t, NAMESPACES));
  const t0 = performance.now();
  for (const test of tests) await cluster.server.create({ ...test });
  const createMs = performance.now() - t0;
  const done = await waitAllDone(cluster, tests, t0 + DONE_TIMEOUT_MS);
  const wallMs = performance.now() - t0;
  await waitQuiet(proxy);
  const cpu = cpuSeconds(pid) - startupCpu;
  const clusterCpu = process.cpuUsage(clusterCpu0);
  // One scrape, as Prometheus makes every 30 s, before the peak is read: rendering the series is part of
  // what the operator's memory must hold.
  const exposition = await operator.scrape();
  const peak = peakRssMb(pid);
  const window = proxy.records.slice(startupRequests);
  return {
    tests: size,
    done,
    createMs,
    wallMs,
    cpuSeconds: cpu,
    startupCpuSeconds: startupCpu,
    clusterCpuSeconds: (clusterCpu.user + clusterCpu.system) / 1e6,
    peakRssMb: peak,
    startupPeakRssMb: startupPeak,
    requests: requestFigures(window),
    startupRequests,
    verdicts: verdicts(cluster, tests),
    operatorRuns: metricSum(exposition, 'flowprobe_runs_total'),
    apiErrors: nonZeroSeries(exposition, 'flowprobe_api_errors_total'),
    heapUsedMb: metricSum(exposition, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    flowprobeSeries: exposition.split('\n').filter((l) => l.startsWith('flowprobe_')).length,
    stderr: operator.stderr,
    load: load(),
  };
}

function current(cluster: FakeCluster, test: ConnectivityTest): ConnectivityTest | undefined {
  const { apiVersion, kind } = test;
  return cluster.server.get(apiVersion, kind, test.metadata.namespace ?? '', test.metadata.name ?? '') as
    ConnectivityTest | undefined;
}

/** Read in-process (no HTTP, nothing counted): a test is done with observedGeneration 1 and all results. */
function isDone(test: ConnectivityTest | undefined): boolean {
  return test?.status?.observedGeneration === 1 && test.status.results?.length === FLOWS_PER_TEST;
}

/**
 * Polls every 50 ms until every test is done or the deadline passes; returns how many are done. Each poll
 * stops at the first test not yet done (the operator's queue is roughly first in, first out), because
 * every read deep-copies the object: reading all 1,000 tests 20 times a second would make this loop,
 * not the FAKE API server, the busiest thing in this process.
 */
async function waitAllDone(
  cluster: FakeCluster,
  tests: ConnectivityTest[],
  deadline: number,
): Promise<number> {
  let pending = tests;
  while (pending.length > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const first = pending.findIndex((t) => !isDone(current(cluster, t)));
    pending = first < 0 ? [] : pending.slice(first);
  }
  // A final full pass: the cut above may have left finished tests behind the first unfinished one.
  return tests.length - pending.filter((t) => !isDone(current(cluster, t))).length;
}

/** Waits until the operator has sent nothing for QUIET_MS (its last pod deletions, any late extra run). */
async function waitQuiet(proxy: CountingProxy): Promise<void> {
  const deadline = performance.now() + QUIET_TIMEOUT_MS;
  let seen = proxy.records.length;
  let since = performance.now();
  while (performance.now() - since < QUIET_MS && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (proxy.records.length !== seen) {
      seen = proxy.records.length;
      since = performance.now();
    }
  }
}

function verdicts(cluster: FakeCluster, tests: ConnectivityTest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const test of tests) {
    for (const r of current(cluster, test)?.status?.results ?? []) out[r.verdict] = (out[r.verdict] ?? 0) + 1;
  }
  return out;
}

function printDetails(r: SizeResult): void {
  const q = r.requests;
  const perRun = (n: number): string => (q.runs > 0 ? (n / q.runs).toFixed(2) : '-');
  console.log(
    `    done ${r.done}/${r.tests} in ${(r.wallMs / 1000).toFixed(1)} s (creating the tests in-process: ` +
      `${(r.createMs / 1000).toFixed(1)} s of it); verdicts ${JSON.stringify(r.verdicts)}`,
  );
  console.log(
    `    runs seen ${q.runs} (by probe-pod run id; operator's flowprobe_runs_total ${r.operatorRuns}), ` +
      `tests run more than once ${q.testsWithSeveralRuns}, most pods in one run ${q.maxPodsInRun}`,
  );
  console.log(
    `    status writes ${q.statusWrites} to ${q.testsWritten} tests, tests written more than once ` +
      `${q.testsWithSeveralStatusWrites}, most for one test ${q.maxStatusWritesPerTest}`,
  );
  console.log(`    requests per run: ${q.byKind.map(([k, n]) => `${k} ${perRun(n)}`).join(', ')}`);
  console.log(
    `    before the tests (list + watch at start): ${r.startupRequests} requests, ` +
      `${r.startupCpuSeconds.toFixed(2)} s CPU (start-up included), peak RSS ${r.startupPeakRssMb.toFixed(0)} MB`,
  );
  const failed = q.failures.map(([code, n]) => `${code}×${n}`).join(', ') || 'none';
  console.log(
    `    non-2xx answers: ${failed}; operator's flowprobe_api_errors_total ${r.apiErrors.join(', ') || 'none'}; ` +
      `heap used at the end ${r.heapUsedMb.toFixed(0)} MB; flowprobe_* series ${r.flowprobeSeries}; FAKE cluster (this process) CPU ${r.clusterCpuSeconds.toFixed(1)} s; load average ${r.load}`,
  );
  for (const line of r.stderr.slice(0, 5)) console.log(`    operator stderr: ${line.slice(0, 300)}`);
  if (r.stderr.length > 5) console.log(`    operator stderr: ... ${r.stderr.length - 5} more lines`);
}

function printTable(results: SizeResult[]): void {
  const head = [
    'tests',
    'done',
    'pods/run',
    'API req/run',
    'status writes/test',
    'CPU ms/run',
    'peak RSS MB',
    'wall s',
    'tests/s',
  ];
  const rows = results.map((r) => {
    const q = r.requests;
    return [
      String(r.tests),
      r.done === r.tests ? String(r.done) : `${r.done} (incomplete)`,
      q.runs ? (q.podsCreated / q.runs).toFixed(2) : '-',
      q.runs ? (q.requests / q.runs).toFixed(1) : '-',
      q.testsWritten ? (q.statusWrites / q.testsWritten).toFixed(2) : '-',
      q.runs ? ((r.cpuSeconds * 1000) / q.runs).toFixed(1) : '-',
      r.peakRssMb.toFixed(0),
      (r.wallMs / 1000).toFixed(1),
      (r.done / (r.wallMs / 1000)).toFixed(1),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(`\n  goals: pods/run 3 (identities, not flows), status writes/test 1, peak RSS < 150 MB`);
  console.log(`  ${line(head)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}
