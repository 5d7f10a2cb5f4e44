// Shapes a ConnectivityTest's status from a run's results (pure): the summary, the conditions, and the
// per-flow lastTransitionTime that moves only when a flow's verdict changes.
import type { ConnectivityTestStatus, FlowResult } from '../api/types.js';
import { setConditions, type ConditionInput } from './conditions.js';
import { ConditionType, Reason } from './reasons.js';
import { resultKey } from './result-key.js';

export interface CompletedRun {
  generation: number;
  runId: string;
  /** RFC 3339 time the run finished. */
  time: string;
  results: FlowResult[];
}

export function summarize(results: readonly FlowResult[]): NonNullable<ConnectivityTestStatus['summary']> {
  const count = (pred: (r: FlowResult) => boolean) => results.filter(pred).length;
  return {
    flows: results.length,
    passed: count((r) => r.verdict === 'Pass'),
    // A flaky flow did not hold; it is counted as failed and named by the Passing condition's reason.
    failed: count((r) => r.verdict === 'Fail' || r.verdict === 'Flaky'),
    errors: count((r) => r.verdict === 'Error'),
  };
}

export function statusAfterRun(
  previous: ConnectivityTestStatus | undefined,
  run: CompletedRun,
): ConnectivityTestStatus {
  const results = run.results.map((r) => withTransitionTime(r, previous?.results, run.time));
  const summary = summarize(results);
  const ready: ConditionInput = {
    type: ConditionType.Ready,
    status: 'True',
    reason: Reason.RunComplete,
    message: `run ${run.runId} complete`,
  };
  const conditions = setConditions(
    previous?.conditions ?? [],
    [ready, passingCondition(results, summary)].map((c) => ({ ...c, observedGeneration: run.generation })),
    run.time,
  );
  return {
    observedGeneration: run.generation,
    lastRunTime: run.time,
    runId: run.runId,
    summary,
    conditions,
    results,
  };
}

/** An invalid spec gets a clear condition and no probes; earlier results are dropped as no longer meaningful. */
export function statusForInvalidSpec(
  previous: ConnectivityTestStatus | undefined,
  generation: number,
  problems: readonly string[],
  now: string,
): ConnectivityTestStatus {
  const message = problems.join('; ');
  const conditions = setConditions(
    previous?.conditions ?? [],
    [
      {
        type: ConditionType.Ready,
        status: 'False',
        reason: Reason.InvalidSpec,
        message,
        observedGeneration: generation,
      },
      {
        type: ConditionType.Passing,
        status: 'Unknown',
        reason: Reason.InvalidSpec,
        message: 'no flow was probed: the spec is invalid',
        observedGeneration: generation,
      },
    ],
    now,
  );
  return { observedGeneration: generation, conditions };
}

function passingCondition(
  results: readonly FlowResult[],
  summary: ReturnType<typeof summarize>,
): ConditionInput {
  const names = (verdict: FlowResult['verdict']) =>
    firstOf(results.filter((r) => r.verdict === verdict).map(resultKey));
  const fails = names('Fail');
  if (fails)
    return {
      type: ConditionType.Passing,
      status: 'False',
      reason: Reason.Drift,
      message: `drift in ${fails}`,
    };
  const flaky = names('Flaky');
  if (flaky)
    return {
      type: ConditionType.Passing,
      status: 'False',
      reason: Reason.Flaky,
      message: `never settled: ${flaky}`,
    };
  const errors = names('Error');
  if (errors) {
    return {
      type: ConditionType.Passing,
      status: 'Unknown',
      reason: Reason.ProbeErrors,
      message: `probe errors in ${errors}`,
    };
  }
  return {
    type: ConditionType.Passing,
    status: 'True',
    reason: Reason.AllFlowsAsExpected,
    message: `all ${summary.flows} flows as expected`,
  };
}

/**
 * How many results a condition message names. A ClusterConnectivityTest holds up to 1,000 results, and the
 * API server refuses a condition message over 32,768 characters (status-schema.ts, as metav1.Condition) —
 * the whole status write with it; 20 names of at most 127 characters stay far below.
 */
const NAMED_IN_MESSAGE = 20;

/** The first names, then how many more: `a, b and 3 more`. */
function firstOf(keys: readonly string[]): string {
  const shown = keys.slice(0, NAMED_IN_MESSAGE).join(', ');
  return keys.length > NAMED_IN_MESSAGE ? `${shown} and ${keys.length - NAMED_IN_MESSAGE} more` : shown;
}

function withTransitionTime(
  result: FlowResult,
  previous: readonly FlowResult[] | undefined,
  now: string,
): FlowResult {
  const old = previous?.find((p) => resultKey(p) === resultKey(result));
  const lastTransitionTime =
    old?.verdict === result.verdict && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { ...result, lastTransitionTime };
}

/**
 * A run that could not complete: Ready turns False with why, and everything else stays (the last results
 * are still the latest answer). observedGeneration and lastRunTime stay too: they say which spec the
 * results answer, and the schedule reads them.
 */
export function statusForFailedRun(
  previous: ConnectivityTestStatus | undefined,
  generation: number,
  message: string,
  now: string,
): ConnectivityTestStatus {
  const ready = {
    type: ConditionType.Ready,
    status: 'False' as const,
    reason: Reason.RunFailed,
    message,
    observedGeneration: generation,
  };
  return { ...previous, conditions: setConditions(previous?.conditions ?? [], [ready], now) };
}

/** The Suspended condition: True while spec.suspend holds, False (Resumed) once it is cleared. */
export function statusForSuspension(
  previous: ConnectivityTestStatus | undefined,
  generation: number,
  suspended: boolean,
  now: string,
): ConnectivityTestStatus {
  const condition = suspended
    ? { status: 'True' as const, reason: Reason.Suspended, message: 'spec.suspend is set: no run starts' }
    : { status: 'False' as const, reason: Reason.Resumed, message: 'spec.suspend is not set' };
  const next = { type: ConditionType.Suspended, ...condition, observedGeneration: generation };
  return { ...previous, conditions: setConditions(previous?.conditions ?? [], [next], now) };
}
