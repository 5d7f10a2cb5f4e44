// Enforcement lag or a CNI that does not enforce: what the timing of a probe's attempts can tell apart.
//
// Every probe pod is new, and several enforcers program a new pod's rules late (src/probe/settle.ts cites
// them). Until they do, a flow the policies deny gets through (the pod's own egress rules are missing),
// and a flow they allow may be dropped (the target's allow rules do not list the new address yet). The
// probe waits out a grace, then settles; a lag longer than both still gives a steady wrong answer, which
// looks exactly like a CNI that ignores policy. So before a diagnosis blames the CNI, it asks the attempts:
//
// - Did they change from allowed to denied (or back) exactly once? Then a policy arrived while the probe
//   ran: the lag was seen happening.
// - Did the last one start less than LAG_BOUND_MS after the probe pod's script started (the grace plus
//   its offset from the first attempt)? Then the evidence is too short to tell a late enforcer from none.
//
// LAG_BOUND_MS is the lag the defaults are built to cover: the default grace plus the settle window, 5 s
// (the AWS agent's "1-2 secs", kube-router's "below 5 seconds"). A probe with the default grace or more
// reaches it whenever it settles, so a CNI that truly does not enforce is still named as such; a test that
// lowered spec.startupGraceSeconds gets the lag named instead, with the remedy. A lag beyond the bound
// under the defaults remains indistinguishable from no enforcement, so the sentence that blames the CNI
// says how long after the pod's start the flow was still open, and the runbook (README) says what to do.
import { DEFAULT_STARTUP_GRACE_SECONDS } from '../api/spec-schema.js';
import type { Expectation, Outcome, RefusedMeaning } from '../api/types.js';
import { DEFAULT_WINDOW_MS } from '../probe/settle.js';
import { observedAccess } from './observation.js';

export const LAG_BOUND_MS = DEFAULT_STARTUP_GRACE_SECONDS * 1000 + DEFAULT_WINDOW_MS;

/** A probe's attempts in time: enough to judge the evidence against a late enforcer. */
export interface ProbeTiming {
  /** The probe pod's wait before its first attempt (spec.startupGraceSeconds). */
  graceMs: number;
  /** Every attempt, oldest first; `atMs` counts from the first attempt's start. */
  attempts: readonly TimedAttempt[];
}

export interface TimedAttempt {
  atMs: number;
  outcome: Outcome;
  detail: string;
  httpStatus?: number;
}

export const LAG_REMEDY = 'enforcement lag; raise startupGraceSeconds';

/** When the last attempt started, counted from the probe pod's script start; undefined without attempts. */
export function lastAttemptSincePodStartMs(timing: ProbeTiming): number | undefined {
  const last = timing.attempts.at(-1);
  return last === undefined ? undefined : timing.graceMs + last.atMs;
}

/** The last attempt started before the lag bound: a late enforcer and none would look the same. */
export function shortOfLagBound(timing: ProbeTiming): boolean {
  const since = lastAttemptSincePodStartMs(timing);
  return since !== undefined && since < LAG_BOUND_MS;
}

/**
 * The first and the last attempt, when the attempts' access changed exactly once (allowed, then denied,
 * or the reverse) and every attempt said something about access: a policy that arrived mid-probe.
 */
export function lateArrival(
  timing: ProbeTiming,
  refusedMeans: RefusedMeaning,
): { first: TimedAttempt; last: TimedAttempt } | undefined {
  const access: (Expectation | undefined)[] = timing.attempts.map((a) =>
    observedAccess(a.outcome, refusedMeans),
  );
  if (access.length < 2 || access.includes(undefined)) return undefined;
  const changes = access.filter((a, i) => i > 0 && a !== access[i - 1]).length;
  const first = timing.attempts[0];
  const last = timing.attempts.at(-1);
  return changes === 1 && first && last ? { first, last } : undefined;
}
