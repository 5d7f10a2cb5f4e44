// The prom-client half of recording: writes a run's per-test series into the families and removes the
// series of a test that no longer exists, so that a deleted object does not linger. Per-flow series are not
// written here: they are rendered at scrape time from the flow state the operator keeps (flow-state.ts).
// Known label values start at 0 so that a query sees the first increment rather than a missing series
// (https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics).
import type { Families } from './families.js';
import { API_VERBS, OUTCOMES, RUN_RESULTS, VERDICTS, type TestRef } from './label-values.js';
import type { RunSeries, TestSeries } from './run-series.js';

/** A run's per-test gauges and counters, and its probe durations in the cluster-wide histogram. */
export function writeRun(f: Families, ref: TestRef, run: RunSeries): void {
  writeTest(f, ref, run.test);
  for (const o of run.probeDurations) f.probeDuration.observe({ outcome: o.outcome }, o.seconds);
}

export function writeTest(f: Families, ref: TestRef, s: TestSeries): void {
  f.testLastRun.set(ref, s.lastRunTimestampSeconds);
  for (const verdict of VERDICTS) f.testFlows.set({ ...ref, verdict }, s.flowsByVerdict[verdict]);
  writeInterval(f, ref, s.intervalSeconds);
  f.runs.inc({ ...ref, result: s.result });
  for (const outcome of OUTCOMES) f.probes.inc({ ...ref, outcome }, s.probesByOutcome[outcome]);
}

/** No interval, no series: the stale alert then cannot match the test (a run-once test is never stale). */
export function writeInterval(f: Families, ref: TestRef, intervalSeconds: number | undefined): void {
  if (intervalSeconds === undefined) f.testInterval.remove(ref);
  else f.testInterval.set(ref, intervalSeconds);
}

/** A test's counters exist from the moment it is known, so `rate()` and `increase()` see their first step. */
export function initTestCounters(f: Families, ref: TestRef): void {
  for (const result of RUN_RESULTS) f.runs.inc({ ...ref, result }, 0);
  for (const outcome of OUTCOMES) f.probes.inc({ ...ref, outcome }, 0);
  f.probeErrors.inc(ref, 0);
}

export function removeTest(f: Families, ref: TestRef): void {
  f.testLastRun.remove(ref);
  for (const verdict of VERDICTS) f.testFlows.remove({ ...ref, verdict });
  f.testInterval.remove(ref);
  for (const result of RUN_RESULTS) f.runs.remove({ ...ref, result });
  for (const outcome of OUTCOMES) f.probes.remove({ ...ref, outcome });
  f.probeErrors.remove(ref);
}

export function initOperator(f: Families): void {
  for (const outcome of OUTCOMES) f.probeDuration.zero({ outcome });
  for (const verb of API_VERBS) f.apiErrors.inc({ verb }, 0);
  f.workQueueDepth.set(0);
  f.probePodsAlive.set(0);
  f.leader.set(0);
}
