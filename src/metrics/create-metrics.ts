// The operator's metrics: one object owning its own Registry (never prom-client's global one, so that
// tests and embedders get exactly these families and nothing else), and the calls the operator makes:
//
//   const metrics = createMetrics({ processMetrics: true });
//   createMetricsServer({ registry: metrics.registry, readiness }).listen();
//   on informer add/update:  metrics.registerTest(ref, { intervalSeconds, lastRunAt })  // status.lastRunTime
//   after a run:             metrics.recordRun(ref, results, { finishedAt, intervalSeconds, previousResults })
//   on delete:               metrics.forgetTest(ref);     on losing the lease: metrics.forgetAllTests()
//
// `intervalSeconds` is spec.interval in seconds, and absent for a test that runs once per spec change or is
// suspended: such a test has no interval series and the stale alert ignores it (it has nothing to be late
// for). The operator keeps its own health current with the remaining calls.
import { getHeapStatistics } from 'node:v8';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { FlowResult } from '../api/types.js';
import type { NamespaceCoverage } from '../coverage/coverage-types.js';
import { createFamilies, type HeapFigures } from './families.js';
import { streaksOf } from './flow-state.js';
import { apiVerb, type ApiVerb, type TestRef } from './label-values.js';
import { shapeRun, type RunOptions } from './run-series.js';
import { initOperator, writeCoverage, writeProbeDurations } from './series-writer.js';
import { newTestState, recordTestRun, type TestState } from './test-state.js';

export interface MetricsOptions {
  /** Also export prom-client's process and Node.js metrics (unprefixed, as their conventions name them). */
  processMetrics?: boolean;
  /** Where the heap figures come from (default: v8.getHeapStatistics); a fixed one for golden files. */
  heapStatistics?: () => HeapFigures;
}

export interface RegisterTestOptions {
  intervalSeconds?: number;
  /** status.lastRunTime of a test this process has not run yet (after a restart): keeps staleness honest. */
  lastRunAt?: Date;
  /** metadata.creationTimestamp: where staleness starts for a test that never completed a run. */
  createdAt?: Date;
}

export interface FlowprobeMetrics {
  readonly registry: Registry;
  /** A test the operator knows of (informer add/update), before or between runs. */
  registerTest(ref: TestRef, opts: RegisterTestOptions): void;
  /** A completed run: replaces the test's flow series; flows absent from `results` vanish. */
  recordRun(ref: TestRef, results: readonly FlowResult[], opts: RunOptions): void;
  /** A deleted test takes all its series with it. */
  forgetTest(ref: TestRef): void;
  /** On losing the leader lease: another replica now owns the tests' series. */
  forgetAllTests(): void;
  countProbeError(ref: TestRef): void;
  /** A run that could not complete, at `at`: counted, and the test's last attempt. */
  recordRunFailure(ref: TestRef, at: Date): void;
  observeReconcile(seconds: number): void;
  setQueueDepth(n: number): void;
  setProbePodsAlive(n: number): void;
  setLeader(leading: boolean): void;
  countApiError(verb: ApiVerb): void;
  /** Policy coverage per namespace, replacing the last: namespaces not in `namespaces` lose their series. */
  setCoverage(namespaces: readonly NamespaceCoverage[]): void;
  /** On losing the leader lease: the new leader exports coverage. */
  forgetCoverage(): void;
}

export function createMetrics(options: MetricsOptions = {}): FlowprobeMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  // Known tests by `namespace/test`, in the order first known: the per-test and per-flow families render
  // from it at each scrape, so forgetting a test is deleting its entry.
  const tests = new Map<string, TestState>();
  const f = createFamilies(registry, () => tests.values(), options.heapStatistics ?? getHeapStatistics);
  initOperator(f);

  const key = (ref: TestRef) => `${ref.namespace}/${ref.test}`;
  const known = (ref: TestRef): TestState => {
    let t = tests.get(key(ref));
    if (!t) {
      t = newTestState(ref);
      tests.set(key(ref), t);
    }
    return t;
  };

  return {
    registry,
    registerTest(ref, opts) {
      const t = known(ref);
      t.intervalSeconds = opts.intervalSeconds;
      if (opts.lastRunAt) t.lastRunSeconds = opts.lastRunAt.getTime() / 1000;
      if (opts.createdAt) t.createdSeconds = opts.createdAt.getTime() / 1000;
    },
    recordRun(ref, results, opts) {
      const t = known(ref);
      const run = shapeRun(results, opts, streaksOf(t.flows));
      recordTestRun(t, run);
      writeProbeDurations(f, run);
    },
    forgetTest(ref) {
      tests.delete(key(ref));
    },
    forgetAllTests() {
      tests.clear();
    },
    countProbeError(ref) {
      known(ref).probeErrors += 1;
    },
    recordRunFailure(ref, at) {
      const t = known(ref);
      t.runFailures += 1;
      t.lastAttemptSeconds = at.getTime() / 1000;
    },
    observeReconcile(seconds) {
      f.reconcileDuration.observe(seconds);
    },
    setQueueDepth(n) {
      f.workQueueDepth.set(n);
    },
    setProbePodsAlive(n) {
      f.probePodsAlive.set(n);
    },
    setLeader(leading) {
      f.leader.set(leading ? 1 : 0);
    },
    countApiError(verb) {
      f.apiErrors.inc({ verb: apiVerb(verb) });
    },
    setCoverage(namespaces) {
      writeCoverage(f, namespaces);
    },
    forgetCoverage() {
      writeCoverage(f, []);
    },
  };
}
