// What the operator remembers of each test it knows, and the per-test and per-flow series rendered from it
// at scrape time. prom-client would hold every series as a hash key string, an entry and a labels object
// (~250 bytes each): 14 series per flow with the one-hot families and ~17 per test, ~38 MB at 1,000 tests ×
// 10 flows. This state is one small record per test plus one small object per flow (flow-state.ts); the
// series exist only while a scrape is being written.
import type { Outcome, Verdict } from '../api/types.js';
import type { FlowState } from './flow-state.js';
import { OUTCOMES, RUN_RESULTS, VERDICTS, type RunResult, type TestRef } from './label-values.js';
import type { RunSeries } from './run-series.js';
import type { Sample } from './scrape-time-metric.js';

/**
 * A test the operator knows. Every field is always present (undefined when unknown) so that all records
 * share one shape. Counters start at 0 for every known label value, so that a query sees the first
 * increment rather than a missing series (https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics).
 */
export interface TestState {
  readonly ref: TestRef;
  /** The flows of the last run, in that run's order (none before a run). */
  flows: readonly FlowState[];
  /** Unix time of the last completed run: this process's, or status.lastRunTime until it has run it. */
  lastRunSeconds: number | undefined;
  /** Unix time of the last run this process started that ended, completed or not. */
  lastAttemptSeconds: number | undefined;
  /**
   * metadata.creationTimestamp: the stale alert's starting point for a test that has never completed a
   * run (it has no last-run series to be late by).
   */
  createdSeconds: number | undefined;
  /** spec.interval; undefined for a run-once or suspended test, which then has no interval series. */
  intervalSeconds: number | undefined;
  /** Flows by verdict in the last run in this process; undefined before one. */
  flowsByVerdict: Readonly<Record<Verdict, number>> | undefined;
  readonly runs: Record<RunResult, number>;
  readonly probes: Record<Outcome, number>;
  probeErrors: number;
  /** Runs that could not complete (the Ready condition's RunFailed). */
  runFailures: number;
}

export function newTestState(ref: TestRef): TestState {
  return {
    ref: { namespace: ref.namespace, test: ref.test },
    flows: [],
    lastRunSeconds: undefined,
    lastAttemptSeconds: undefined,
    createdSeconds: undefined,
    intervalSeconds: undefined,
    flowsByVerdict: undefined,
    runs: zeros(RUN_RESULTS),
    probes: zeros(OUTCOMES),
    probeErrors: 0,
    runFailures: 0,
  };
}

/** A completed run: flows absent from it are gone, and so are their series; the counters count on. */
export function recordTestRun(t: TestState, run: RunSeries): void {
  const s = run.test;
  t.flows = run.flows;
  t.lastRunSeconds = s.lastRunTimestampSeconds;
  t.lastAttemptSeconds = s.lastRunTimestampSeconds;
  t.intervalSeconds = s.intervalSeconds;
  t.flowsByVerdict = s.flowsByVerdict;
  t.runs[s.result] += 1;
  for (const outcome of OUTCOMES) t.probes[outcome] += s.probesByOutcome[outcome];
}

export type Emit = (labels: Record<string, string>, value: number) => void;
/** The series one test contributes to one family. */
export type SeriesOf = (t: TestState, emit: Emit) => void;

/** The per-test families. */
export const TEST_SERIES = {
  lastRun: (t, emit) => {
    if (t.lastRunSeconds !== undefined) emit(labelsOf(t), t.lastRunSeconds);
  },
  flows: (t, emit) => {
    if (t.flowsByVerdict) emitEach(t, emit, 'verdict', VERDICTS, t.flowsByVerdict);
  },
  interval: (t, emit) => {
    if (t.intervalSeconds !== undefined) emit(labelsOf(t), t.intervalSeconds);
  },
  runs: (t, emit) => {
    emitEach(t, emit, 'result', RUN_RESULTS, t.runs);
  },
  probes: (t, emit) => {
    emitEach(t, emit, 'outcome', OUTCOMES, t.probes);
  },
  probeErrors: (t, emit) => {
    emit(labelsOf(t), t.probeErrors);
  },
  lastAttempt: (t, emit) => {
    if (t.lastAttemptSeconds !== undefined) emit(labelsOf(t), t.lastAttemptSeconds);
  },
  created: (t, emit) => {
    if (t.createdSeconds !== undefined) emit(labelsOf(t), t.createdSeconds);
  },
  runFailures: (t, emit) => {
    emit(labelsOf(t), t.runFailures);
  },
} satisfies Record<string, SeriesOf>;

/**
 * One family's samples, tests in the order the operator first knew them, so the same state gives the same
 * text on every scrape; a forgotten test has no series simply because it is not in the state. A generator,
 * so that a streamed scrape never holds more than one test's lines before writing them.
 */
export function* testSamples(tests: Iterable<TestState>, seriesOf: SeriesOf): Generator<Sample> {
  const batch: Sample[] = [];
  const emit: Emit = (labels, value) => batch.push({ labels, value });
  for (const t of tests) {
    seriesOf(t, emit);
    yield* batch;
    batch.length = 0;
  }
}

function labelsOf(t: TestState): Record<string, string> {
  return { namespace: t.ref.namespace, test: t.ref.test };
}

/** One series per known label value, in the list's order. */
function emitEach<V extends string>(
  t: TestState,
  emit: Emit,
  label: string,
  values: readonly V[],
  counts: Readonly<Record<V, number>>,
): void {
  for (const v of values) emit({ ...labelsOf(t), [label]: v }, counts[v]);
}

function zeros<V extends string>(values: readonly V[]): Record<V, number> {
  return Object.fromEntries(values.map((v) => [v, 0])) as Record<V, number>;
}
