// The prom-client half of recording: the operator-level families, whose few series prom-client stores.
// Per-test and per-flow series are not written here: they are rendered at scrape time from the state the
// operator keeps per test (test-state.ts). Known label values start at 0 so that a query sees the first
// increment rather than a missing series (https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics).
import type { Families } from './families.js';
import { API_VERBS, OUTCOMES } from './label-values.js';
import type { RunSeries } from './run-series.js';

/** A run's probe durations, in the cluster-wide histogram. */
export function writeProbeDurations(f: Families, run: RunSeries): void {
  for (const o of run.probeDurations) f.probeDuration.observe({ outcome: o.outcome }, o.seconds);
}

export function initOperator(f: Families): void {
  for (const outcome of OUTCOMES) f.probeDuration.zero({ outcome });
  for (const verb of API_VERBS) f.apiErrors.inc({ verb }, 0);
  f.workQueueDepth.set(0);
  f.probePodsAlive.set(0);
  f.leader.set(0);
}
