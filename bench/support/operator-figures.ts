// From what the counting proxy saw to the benchmark's figures (pure). Runs are identified by the run-id
// label the operator puts on every probe pod, so a test probed twice shows up as two runs, not as one run
// with twice the pods.
import { RUN_ID_LABEL, TEST_LABEL } from '../../src/plan/labels.js';
import type { RequestRecord } from './counting-proxy.js';

export interface RequestFigures {
  requests: number;
  /** Distinct (test, run id) among the probe pods created. */
  runs: number;
  podsCreated: number;
  maxPodsInRun: number;
  testsWithSeveralRuns: number;
  statusWrites: number;
  maxStatusWritesPerTest: number;
  /** Tests that got at least one status write (all of them, once a size completes). */
  testsWritten: number;
  testsWithSeveralStatusWrites: number;
  /** `verb resource` → count, most frequent first. */
  byKind: [string, number][];
  /** HTTP status → count, for answers that were not 2xx. */
  failures: [number, number][];
}

export function requestFigures(records: readonly RequestRecord[]): RequestFigures {
  const pods = records.filter((r) => r.verb === 'create' && r.resource === 'pods');
  const podsPerRun = countBy(
    pods,
    (r) => `${r.namespace}/${r.labels?.[TEST_LABEL] ?? '?'}#${r.labels?.[RUN_ID_LABEL] ?? '?'}`,
  );
  const runsPerTest = countBy([...podsPerRun.keys()], (k) => k.split('#')[0] ?? '');
  const writes = records.filter(
    (r) => (r.verb === 'patch' || r.verb === 'update') && r.resource === 'connectivitytests/status',
  );
  const writesPerTest = countBy(writes, (r) => `${r.namespace}/${r.name}`);
  const failures = countBy(
    records.filter((r) => r.code !== 0 && (r.code < 200 || r.code >= 300)),
    (r) => r.code,
  );
  return {
    requests: records.length,
    runs: podsPerRun.size,
    podsCreated: pods.length,
    maxPodsInRun: Math.max(0, ...podsPerRun.values()),
    testsWithSeveralRuns: [...runsPerTest.values()].filter((n) => n > 1).length,
    statusWrites: writes.length,
    maxStatusWritesPerTest: Math.max(0, ...writesPerTest.values()),
    testsWritten: writesPerTest.size,
    testsWithSeveralStatusWrites: [...writesPerTest.values()].filter((n) => n > 1).length,
    byKind: [...countBy(records, (r) => `${r.verb} ${r.resource}`)].sort((a, b) => b[1] - a[1]),
    failures: [...failures].sort((a, b) => a[0] - b[0]),
  };
}

function countBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, number> {
  const out = new Map<K, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

/** The value of an unlabelled-or-summed Prometheus series family in an exposition text. */
export function metricSum(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

/** The non-zero series of a family, as `labels=value` (e.g. `{verb="create"}=1`), for a report line. */
export function nonZeroSeries(exposition: string, name: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Number(line.slice(line.lastIndexOf(' ') + 1)) !== 0)
    .map((line) => line.slice(name.length).replace(/ (\S+)$/, '=$1'));
}
