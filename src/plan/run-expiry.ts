// When a `flowprobe run` is over for sure, so that its leftovers may be deleted (pure). A run writes its own
// deadline (start + --timeout, by which it has exited, clean-up included) on its owner Deployments and probe
// pods: a reaper that finds one past that deadline knows the run died (kill -9, a lost CI runner) without
// guessing how long runs take. The deadline comes from the run's clock and is read by another (the next
// run's, the operator's), so a reaper waits a minute more: clocks kept by NTP differ by far less, and a
// reaper whose clock runs ahead must not delete the objects of a run that is still cleaning up.
import { EXPIRES_AT_ANNOTATION } from './labels.js';

export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;
/**
 * Owner ConfigMaps and pods of releases before the annotation have only their age: their runs defaulted to
 * a 10 minute --timeout, and one longer than a day is not a CI job we know of.
 */
export const UNANNOTATED_MAX_AGE_MS = 24 * 3600_000;

export interface RunObjectMeta {
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

/** True once a run's object is past its deadline (or, without one, older than a day). */
export function runExpired(meta: RunObjectMeta, now: Date): boolean {
  const deadline = Date.parse(meta.annotations?.[EXPIRES_AT_ANNOTATION] ?? '');
  if (!Number.isNaN(deadline)) return now.getTime() > deadline + CLOCK_SKEW_ALLOWANCE_MS;
  const created = Date.parse(meta.creationTimestamp ?? '');
  return !Number.isNaN(created) && now.getTime() > created + UNANNOTATED_MAX_AGE_MS;
}
