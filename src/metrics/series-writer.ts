// The prom-client half of recording: the operator-level families, whose few series prom-client stores.
// Per-test and per-flow series are not written here: they are rendered at scrape time from the state the
// operator keeps per test (test-state.ts). Known label values start at 0 so that a query sees the first
// increment rather than a missing series (https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics).
import type { NamespaceCoverage } from '../coverage/coverage-types.js';
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

/** Coverage as a whole: every series is written afresh, so those of a namespace that has gone disappear. */
export function writeCoverage(f: Families, namespaces: readonly NamespaceCoverage[]): void {
  const families = [f.policyRules, f.policyRulesExercised, f.workloads, f.workloadsTested];
  for (const family of [...families, f.workloadsIsolated]) family.reset();
  for (const c of namespaces) {
    const namespace = c.namespace;
    f.policyRules.set({ namespace }, c.rules);
    f.policyRulesExercised.set({ namespace }, c.rulesExercised);
    if (namespace === '') continue; // cluster-scoped rules only: no workloads there
    f.workloads.set({ namespace }, c.workloads);
    f.workloadsTested.set({ namespace }, c.tested);
    f.workloadsIsolated.set({ namespace, direction: 'ingress' }, c.isolatedIngress);
    f.workloadsIsolated.set({ namespace, direction: 'egress' }, c.isolatedEgress);
  }
}
