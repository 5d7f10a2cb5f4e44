// Which series one completed run produces (pure): the shaping half of recording a run, kept apart from
// the prom-client calls so it can be tested as data.
import type { FlowResult, Outcome, Verdict } from '../api/types.js';
import { summarize } from '../verdict/index.js';
import { nextStreak, previousStreak } from './failure-streak.js';
import type { FlowState } from './flow-state.js';
import { OUTCOMES, VERDICTS, type RunResult } from './label-values.js';

export interface RunOptions {
  /** When the run completed. */
  finishedAt: Date;
  /** The test's spec.interval in seconds; absent when the test runs once per spec change (or is suspended). */
  intervalSeconds?: number;
  /** The status results before this run: seeds failure streaks this process has not seen (see failure-streak). */
  previousResults?: readonly FlowResult[];
}

export interface TestSeries {
  lastRunTimestampSeconds: number;
  flowsByVerdict: Record<Verdict, number>;
  intervalSeconds?: number;
  result: RunResult;
  /** Increments of the per-outcome probe counter. */
  probesByOutcome: Record<Outcome, number>;
}

/** One observation of the cluster-wide probe duration histogram. */
export interface ProbeObservation {
  outcome: Outcome;
  seconds: number;
}

export interface RunSeries {
  /** The flows as the operator keeps them; their series are rendered at scrape time (flow-state.ts). */
  flows: FlowState[];
  test: TestSeries;
  probeDurations: ProbeObservation[];
}

export function shapeRun(
  results: readonly FlowResult[],
  opts: RunOptions,
  streaks?: ReadonlyMap<string, number>,
): RunSeries {
  const flows = results.map((r) =>
    flowState(r, nextStreak(previousStreak(r.flow, streaks, opts.previousResults), r.verdict)),
  );
  const test: TestSeries = {
    lastRunTimestampSeconds: opts.finishedAt.getTime() / 1000,
    flowsByVerdict: countBy(VERDICTS, results, (r) => r.verdict),
    result: runResult(results),
    probesByOutcome: countBy(OUTCOMES, results, (r) => r.outcome),
  };
  if (opts.intervalSeconds !== undefined) test.intervalSeconds = opts.intervalSeconds;
  const probeDurations = results.flatMap((r) =>
    r.durationMs === undefined ? [] : [{ outcome: r.outcome, seconds: r.durationMs / 1000 }],
  );
  return { flows, test, probeDurations };
}

export function runResult(results: readonly FlowResult[]): RunResult {
  const summary = summarize(results);
  if (summary.failed > 0) return 'Fail';
  if (summary.errors > 0) return 'Error';
  return 'Pass';
}

/** A small plain object per flow: nothing of the FlowResult (detail, diagnosis) is kept alive by it. */
function flowState(r: FlowResult, consecutiveFailures: number): FlowState {
  const state: FlowState = {
    flow: r.flow,
    outcome: r.outcome,
    verdict: r.verdict,
    expected: r.expected,
    consecutiveFailures,
  };
  if (r.durationMs !== undefined) state.durationSeconds = r.durationMs / 1000;
  return state;
}

function countBy<T extends string>(
  values: readonly T[],
  results: readonly FlowResult[],
  key: (r: FlowResult) => T,
): Record<T, number> {
  const counts = Object.fromEntries(values.map((v) => [v, 0])) as Record<T, number>;
  for (const r of results) counts[key(r)] += 1;
  return counts;
}
