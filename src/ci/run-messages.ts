// What `flowprobe run` tells the user when it cannot keep going: an API server it cannot use, leftovers it
// could not delete in time (and how they go), an end forced by the deadline (pure).
import { RUN_ID_LABEL } from '../plan/labels.js';
import { abortReason } from '../utils/abort-reason.js';

/** Why the first lists failed, naming the server (and, for no answer, the system error). */
export function unreachable(server: string, watchErrors: string[], work: AbortSignal): string {
  if (work.aborted) return `${abortReason(work)} before the API server at ${server} answered`;
  const why = watchErrors[0] ?? 'the first list failed';
  return why.includes(server)
    ? `cannot reach the cluster: ${why}`
    : `cannot reach the cluster at ${server}: ${why}`;
}

/** Objects clean-up could not delete in its time, and how they go. */
export function leftoverWarning(leftovers: readonly string[], runId: string, expiresAt: Date): string {
  return `could not delete in time: ${leftovers.join(', ')}. ${reapHint(runId, expiresAt)}`;
}

/** The process is ended before clean-up finished: why it stopped, and how its leftovers go. */
export function outOfTime(work: AbortSignal, runId: string): string {
  const why = work.aborted ? abortReason(work) : 'out of time';
  return `${why}; clean-up did not finish in time. ${reapHint(runId)}`;
}

function reapHint(runId: string, expiresAt?: Date): string {
  const after = expiresAt ? ` after ${expiresAt.toISOString()}` : ' after its deadline';
  return (
    `The next flowprobe run in the namespace deletes them${after} (the operator deletes the probe pods), ` +
    `or now: kubectl delete deployment,pod -A -l ${RUN_ID_LABEL}=${runId}`
  );
}
