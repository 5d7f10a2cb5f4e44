// `npm run bench -- scale` (issue 13): the operator in a large cluster. For each size of
// FLOWPROBE_BENCH_PODS (default 10000; the figure is 100000, its goal "no OOM up to 150000"), a
// FAKE API server in a child process of its own (scale-server.ts) holds that many realistic pods (20 per
// namespace, managedFields, 2-3 containers, a ReplicaSet owner, a Running status), one NetworkPolicy per
// namespace, and then 1,000 ConnectivityTests × 10 flows (probe pods answer from a declared table: no
// network). The operator runs as the image runs it (shipped-launch.ts: the Dockerfile's ENTRYPOINT, the
// Deployment's args and env) inside a cgroup with the Deployment's memory limit, so an OOM kill is the
// kernel's, as in a pod. Prints figures, asserts none:
//   ready      spawn to /readyz (the initial list of every kind, synced)
//   peak RSS   VmHWM of the operator's processes; the cgroup's peak and OOM kills
//   heap/pod   (live heap after sync - the same with no pods) / pods; the live heap is the lowest
//              nodejs_heap_size_used_bytes of 10 scrapes over 5 s (a GC happens in between)
//   CPU/run    the operator's CPU time while it ran the tests once each / runs
//   idle hour  API requests in an hour with nothing to do, run as a time lapse (×120: both processes'
//              timers, after sync; the hour takes 30 s) and counted, not extrapolated
// A size whose operator exits or is not ready in time is reported with how it ended (OOM kill, V8 heap
// limit, a list that failed) and the next size runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PodCgroup } from '../test/support/netlab/pod-cgroup.js';
import type { RequestRecord } from './support/counting-proxy.js';
import { IDLE_SPEEDUP } from './support/idle-hour.js';
import { OperatorChild, OperatorNotReadyError } from './support/operator-child.js';
import { metricSum } from './support/operator-figures.js';
import { cpuSeconds, peakRssMb, processTree, treeSum } from './support/proc-stats.js';
import { scaleArgs, type ScaleArgs, type ScaleSize } from './support/scale-args.js';
import { ScaleServerChild } from './support/scale-server-child.js';
import { shippedLaunch, type ShippedLaunch } from './support/shipped-launch.js';

/** The shipped defaults (src/config/operator-config.ts), passed because the harness always passes them. */
const WORKERS = 4;
const MAX_CONCURRENT_RUNS = 4;
const HOUR_MS = 3_600_000;

/** The operator's side of the time lapse: its timers speed up on SIGUSR2 (after sync), not before. */
const PRELOAD = `
let speedup = 1;
process.on('SIGUSR2', () => { speedup = ${IDLE_SPEEDUP}; });
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
globalThis.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, (ms ?? 0) / speedup, ...args);
globalThis.setInterval = (fn, ms, ...args) => realSetInterval(fn, (ms ?? 0) / speedup, ...args);
`;

export interface ScaleResult {
  size: ScaleSize;
  listMbPerPod: number;
  populateS: number;
  serverHeapMb: number;
  /** How the operator ended up: 'ready', or why not. */
  outcome: string;
  readyS?: number;
  peakRssMb?: number;
  cgroupPeakMb?: number;
  oomKills?: number;
  heapUsedMb?: number;
  heapPerPodBytes?: number;
  testsDone?: number;
  testsS?: number;
  cpuMsPerRun?: number;
  idle?: { lists: number; watches: number; total: number; byRequest: [string, number][] };
  stderr: string[];
}

export default async function bench(): Promise<void> {
  const args = scaleArgs(process.env);
  const launch = shippedLaunch();
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-scale-'));
  const preload = join(dir, 'time-lapse.mjs');
  writeFileSync(preload, PRELOAD);
  console.log(`scale: the operator as shipped: ${launch.description}`);
  console.log(
    `  (plus --kubeconfig, a loopback --metrics-addr, --log-level error, --workers ${WORKERS}, --max-concurrent-runs ${MAX_CONCURRENT_RUNS})`,
  );
  try {
    const empty: ScaleSize = { pods: 0, namespaces: 1, policies: 0, tests: 0, flowsPerTest: 10, seed: 0 };
    const baseline = await runSize(empty, args, launch, dir, preload, undefined);
    console.log(`  baseline (no pods): ${baseline.outcome}, live heap ${fmt(baseline.heapUsedMb, 1)} MB`);
    const results: ScaleResult[] = [];
    for (const size of args.sizes) {
      console.log(
        `\n  ${size.pods} pods in ${size.namespaces} namespaces, ${size.policies} policies, ${size.tests} tests × ${size.flowsPerTest} flows (load average ${load()})`,
      );
      const result = await runSize(size, args, launch, dir, preload, baseline.heapUsedMb);
      printDetails(result);
      results.push(result);
    }
    printTable(results, launch);
  } finally {
    launch.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSize(
  size: ScaleSize,
  args: ScaleArgs,
  launch: ShippedLaunch,
  dir: string,
  preload: string,
  baselineHeapMb: number | undefined,
): Promise<ScaleResult> {
  const server = await ScaleServerChild.start(size);
  const { population } = server.ready;
  const result: ScaleResult = {
    size,
    listMbPerPod: population.pods ? population.podBytes / population.pods / 2 ** 20 : 0,
    populateS: population.ms / 1000,
    serverHeapMb: server.ready.heapUsedMb,
    outcome: 'not started',
    stderr: [],
  };
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.ready.kubeconfig);
  const cgroup = PodCgroup.create(`flowprobe-bench-scale-${process.pid}`, {
    memoryBytes: launch.memoryLimitBytes,
  });
  if (typeof cgroup === 'string')
    console.log(`    no cgroup (${cgroup}): the memory limit is not enforced, only V8's`);
  let operator: OperatorChild | undefined;
  try {
    const t0 = performance.now();
    try {
      operator = await OperatorChild.start({
        kubeconfig,
        maxConcurrentRuns: MAX_CONCURRENT_RUNS,
        workers: WORKERS,
        leaderElect: true,
        env: {
          ...launch.env,
          NODE_OPTIONS: `${launch.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(preload).href}`.trim(),
        },
        launch: {
          command: launch.command,
          args: launch.args,
          cwd: launch.cwd,
          ...(typeof cgroup === 'string' ? {} : { prefix: cgroupPrefix(cgroup) }),
        },
        readyTimeoutMs: args.readyTimeoutMs,
      });
    } catch (err) {
      if (!(err instanceof OperatorNotReadyError)) throw err;
      const after = ((performance.now() - t0) / 1000).toFixed(1);
      result.outcome = `${notReady(err, typeof cgroup === 'string' ? undefined : cgroup)} (after ${after} s)`;
      result.stderr = [...err.stderr];
      readCgroup(result, cgroup);
      return result;
    }
    result.readyS = (performance.now() - t0) / 1000;
    result.outcome = 'ready';
    result.heapUsedMb = await liveHeapMb(operator);
    if (baselineHeapMb !== undefined && size.pods > 0)
      result.heapPerPodBytes = ((result.heapUsedMb - baselineHeapMb) * 2 ** 20) / size.pods;
    if (size.tests > 0) await runTests(server, operator, size, args, result);
    if (args.idleHour && size.pods > 0) result.idle = await idleHour(server, operator);
    result.peakRssMb = treeSum(operator.pid, peakRssMb);
    if (operator.exit)
      result.outcome = `exited after ready (${operator.exit.code ?? operator.exit.signal ?? '?'})`;
    result.stderr = [...operator.stderr];
    return result;
  } finally {
    await operator?.stop();
    readCgroup(result, cgroup);
    if (typeof cgroup !== 'string') await cgroup.remove();
    await server.stop();
  }
}

/** PodCgroup's prefix runs its constant script with a busybox `sh`; /bin/sh runs it as well. */
function cgroupPrefix(cgroup: PodCgroup): string[] {
  const [, , ...rest] = cgroup.prefix('/bin/sh');
  return ['/bin/sh', ...rest];
}

function readCgroup(result: ScaleResult, cgroup: PodCgroup | string): void {
  if (typeof cgroup === 'string') return;
  const f = cgroup.figures();
  result.cgroupPeakMb = f.peakMemoryMiB;
  result.oomKills = f.oomKills;
}

function notReady(err: OperatorNotReadyError, cgroup: PodCgroup | undefined): string {
  const text = err.stderr.join('\n');
  if (cgroup && cgroup.figures().oomKills > 0) return 'OOM-killed at the memory limit before ready';
  if (/heap out of memory|Reached heap limit/.test(text))
    return 'V8 heap limit reached before ready (JavaScript heap out of memory)';
  if (/string longer than|Invalid string length/.test(text))
    return 'the pod list is longer than one V8 string: not ready';
  return err.message;
}

/** The lowest live heap of 10 scrapes over 5 s: between scrapes a GC runs, so the lowest is near live. */
async function liveHeapMb(operator: OperatorChild): Promise<number> {
  let lowest = Infinity;
  for (let i = 0; i < 10; i++) {
    const used = metricSum(await operator.scrape(), 'nodejs_heap_size_used_bytes');
    if (used > 0) lowest = Math.min(lowest, used);
    await new Promise((r) => setTimeout(r, 500));
  }
  return lowest / 2 ** 20;
}

async function runTests(
  server: ScaleServerChild,
  operator: OperatorChild,
  size: ScaleSize,
  args: ScaleArgs,
  result: ScaleResult,
): Promise<void> {
  const cpu0 = treeSum(operator.pid, cpuSeconds);
  const t0 = performance.now();
  await server.request({ type: 'create-tests', count: size.tests }, 'created');
  let done = 0;
  while (done < size.tests && performance.now() - t0 < args.testsTimeoutMs && !operator.exit) {
    await new Promise((r) => setTimeout(r, 1000));
    done = (await server.request({ type: 'tests-done' }, 'tests-done')).done;
  }
  result.testsDone = done;
  result.testsS = (performance.now() - t0) / 1000;
  const cpu = operator.exit ? NaN : treeSum(operator.pid, cpuSeconds) - cpu0;
  result.cpuMsPerRun = done > 0 ? (cpu * 1000) / done : NaN;
}

async function idleHour(server: ScaleServerChild, operator: OperatorChild): Promise<ScaleResult['idle']> {
  await server.request({ type: 'lapse', speedup: IDLE_SPEEDUP }, 'ok');
  // Every node process of the operator (a launcher's child too) loaded the preload through NODE_OPTIONS;
  // anything else in the tree would die of SIGUSR2, so it gets none.
  for (const pid of processTree(operator.pid)) if (isNode(pid)) process.kill(pid, 'SIGUSR2');
  // The watches the lapse closed are reopened first; the hour counts from then.
  await new Promise((r) => setTimeout(r, 2000));
  const from = (await server.request({ type: 'request-count' }, 'request-count')).count;
  await new Promise((r) => setTimeout(r, HOUR_MS / IDLE_SPEEDUP));
  const { records } = await server.request({ type: 'requests', from }, 'requests');
  return idleFigures(records);
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return false;
  }
}

export function idleFigures(records: readonly RequestRecord[]): NonNullable<ScaleResult['idle']> {
  const counts = new Map<string, number>();
  for (const r of records)
    counts.set(`${r.verb} ${r.resource}`, (counts.get(`${r.verb} ${r.resource}`) ?? 0) + 1);
  const count = (verb: string) => records.filter((r) => r.verb === verb).length;
  return {
    lists: count('list'),
    watches: count('watch'),
    total: records.length,
    byRequest: [...counts].sort((a, b) => b[1] - a[1]),
  };
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function printDetails(r: ScaleResult): void {
  console.log(
    `    FAKE cluster: ${r.size.pods} pods of ${fmt((r.listMbPerPod * 2 ** 20) / 1024, 1)} KB JSON (a one-shot list: ${fmt(r.listMbPerPod * r.size.pods)} MB), made in ${fmt(r.populateS)} s, its heap ${fmt(r.serverHeapMb)} MB`,
  );
  console.log(
    `    operator: ${r.outcome}; ready in ${fmt(r.readyS, 1)} s, live heap ${fmt(r.heapUsedMb, 1)} MB (${fmt(r.heapPerPodBytes)} B/pod), peak RSS ${fmt(r.peakRssMb)} MB, cgroup peak ${fmt(r.cgroupPeakMb)} MB, OOM kills ${r.oomKills ?? '-'}`,
  );
  if (r.testsDone !== undefined)
    console.log(
      `    tests: ${r.testsDone}/${r.size.tests} with a status in ${fmt(r.testsS, 1)} s, CPU ${fmt(r.cpuMsPerRun, 1)} ms per run`,
    );
  if (r.idle) {
    const shown = r.idle.byRequest.map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(
      `    idle hour (lapsed): ${r.idle.total} requests, lists ${r.idle.lists}, watches ${r.idle.watches} (${shown || 'none'})`,
    );
  }
  for (const line of r.stderr.slice(-5)) console.log(`    operator stderr: ${line.slice(0, 300)}`);
}

function printTable(results: ScaleResult[], launch: ShippedLaunch): void {
  const head = [
    'pods',
    'namespaces',
    'operator',
    'ready s',
    'peak RSS MB',
    'heap B/pod',
    'CPU ms/run',
    'idle lists/h',
    'idle req/h',
  ];
  const rows = results.map((r) => [
    String(r.size.pods),
    String(r.size.namespaces),
    r.outcome === 'ready' ? (r.oomKills ? 'OOM-killed later' : 'ok') : r.outcome,
    fmt(r.readyS, 1),
    fmt(r.peakRssMb),
    fmt(r.heapPerPodBytes),
    fmt(r.cpuMsPerRun, 1),
    r.idle ? String(r.idle.lists) : '-',
    r.idle ? String(r.idle.total) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(
    `\n  goals (issue 13): ready < 60 s, peak RSS < 256 MB under the limit (${fmt(launch.memoryLimitBytes / 2 ** 20)} MiB here), no OOM up to 150,000 pods, no relist while idle`,
  );
  console.log(`  ${line(head)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}
