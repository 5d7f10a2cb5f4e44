// Settling: how many attempts a probe makes before it trusts an answer (DESIGN.md, "Probe pods").
//
// The rule (implemented by the script, script.ts): attempts start at most one per `intervalMs`; a probe
// is settled when its last `agree` attempts agree AND the first of them started at least `windowMs`
// before the last one started. The window is the point: fast answers (Connected, Refused) agree within
// milliseconds, so "the last K agree" alone would settle on Connected before a policy that an enforcer
// programs a moment after the pod starts has arrived. Requiring the agreeing run to span the window means
// the last attempt starts at least `windowMs` after the probe began, i.e. after a policy that lags by
// up to `windowMs`. It never retries "until the expected answer": agreement is all it looks for.
//
// Defaults: interval 1 s, window 2 s, agree 2. A fast answer settles after 3 attempts (0, 1, 2 s); a
// dropped one after 2 attempts (each takes the timeout, so with the default 2 s timeout they are 2 s
// apart); a Connected that turns Blocked at 1 s settles on Blocked after 4 attempts, about 6 s.
// The probe gives up (settled = false) after `maxAttempts` or once `budgetMs` has passed.
//
// Why 2 s: the window catches a policy that lands while the probe runs; a longer window costs every
// probe (dropped targets pay a whole timeout per extra attempt). The lag itself is waited out once per
// pod, before any attempt: the grace below.
//
// Grace (`graceMs`, the test's spec.startupGraceSeconds): the script sleeps that long at its start, then
// launches its probes. Enforcers program a fresh pod's rules late: "1-2 secs" on the AWS network policy
// agent (aws/aws-network-policy-agent#189, #345, which suggests a 2-5 s start-up delay), below 5 s on
// kube-router (cloudnativelabs/kube-router#873), a first request let through on kindnet
// (kubernetes-sigs/kube-network-policies#171). One wait per pod costs a run the grace once; a wait per
// attempt or per flow would cost it every time. With the default 3 s grace and the 2 s window, a policy
// that lands up to about 5 s after the container started is seen before the probe settles.
import { MAX_CONCURRENT_PROBES } from './script.js';

export interface SettleOptions {
  maxAttempts: number;
  agree: number;
  windowMs: number;
  intervalMs: number;
  budgetMs: number;
  /** The wait before the first attempt, once per script run (not per probe). */
  graceMs: number;
}

export const DEFAULT_MAX_ATTEMPTS = 6;
export const DEFAULT_AGREE = 2;
export const DEFAULT_WINDOW_MS = 2000;
export const DEFAULT_INTERVAL_MS = 1000;
/** The script refuses more (a result line must stay far below PIPE_BUF, see script.ts). */
export const MAX_ATTEMPTS_LIMIT = 10;

/** The script refuses more (settle() in script.ts); the API allows far less (spec.startupGraceSeconds). */
export const MAX_GRACE_MS = 600_000;

/**
 * The settle options for a run. `maxAttempts` 1 means no settling: one attempt, trusted as it is.
 * The budget leaves room for the slow case (Connected, then Blocked attempts of a full timeout each).
 * `graceMs` is the wait before the first attempt; a probe pod's run passes the test's
 * startupGraceSeconds, a local run (`flowprobe probe`, tests) none.
 */
export function settleOptions(
  timeoutSeconds: number,
  maxAttempts = DEFAULT_MAX_ATTEMPTS,
  graceMs = 0,
): SettleOptions {
  if (maxAttempts <= 1) {
    return { maxAttempts: 1, agree: 1, windowMs: 0, intervalMs: 0, budgetMs: 0, graceMs };
  }
  const agree = Math.min(DEFAULT_AGREE, maxAttempts);
  // Few attempts are spaced further apart, so that they can still span the window.
  const intervalMs = Math.max(DEFAULT_INTERVAL_MS, Math.ceil(DEFAULT_WINDOW_MS / (maxAttempts - 1)));
  const budgetMs = DEFAULT_WINDOW_MS + 4 * (timeoutSeconds * 1000 + intervalMs);
  return { maxAttempts, agree, windowMs: DEFAULT_WINDOW_MS, intervalMs, budgetMs, graceMs };
}

/**
 * How many probe lifetimes `probeCount` probes take at worst: the script runs at most
 * MAX_CONCURRENT_PROBES at once, and probe N waits for probe N - MAX_CONCURRENT_PROBES (script.ts).
 */
export function probeWaves(probeCount: number): number {
  return Math.max(1, Math.ceil(probeCount / MAX_CONCURRENT_PROBES));
}

/**
 * The longest a probe script can run: the grace (once per pod), then per probe: no attempt starts after
 * the budget (plus one interval of waiting) has passed, and that last attempt can be of the slowest kind
 * (resolve, connect, HTTP; each bounded by the timeout plus the `timeout` applet's 2 s backstop), plus
 * start-up. A probe beyond the first MAX_CONCURRENT_PROBES starts only once an earlier one has ended, so
 * probe k starts at most floor((k - 1) / MAX_CONCURRENT_PROBES) probe lifetimes late: the waves add up.
 * The operator sizes the pod's activeDeadlineSeconds (and so how long a run waits) from this.
 */
export function worstCaseMs(settle: SettleOptions, timeoutSeconds: number, probeCount: number): number {
  const attemptMs = 3 * (timeoutSeconds + 2) * 1000;
  const probeMs = settle.budgetMs + settle.intervalMs + attemptMs;
  return settle.graceMs + probeWaves(probeCount) * probeMs + 1000;
}

/** The script's first argument. */
export function settleArgument(s: SettleOptions): string {
  return ['settle', s.maxAttempts, s.agree, s.windowMs, s.intervalMs, s.budgetMs, s.graceMs].join('|');
}
