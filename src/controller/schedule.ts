// When a test should next run (pure): at once for a spec it has not answered yet (a new generation, or
// never run), then every interval after the last run; a test without interval runs once per spec change.
import type { ConnectivityTestStatus } from '../api/types.js';

export interface ScheduleInput {
  generation: number;
  status: ConnectivityTestStatus | undefined;
  intervalMs: number | undefined;
  suspended: boolean;
  now: number;
}

/** Milliseconds until the next run: 0 means now, undefined means not until the spec changes. */
export function nextRunIn(input: ScheduleInput): number | undefined {
  if (input.suspended) return undefined;
  const { status } = input;
  const lastRun = status?.lastRunTime ? Date.parse(status.lastRunTime) : NaN;
  if (status?.observedGeneration !== input.generation || Number.isNaN(lastRun)) return 0;
  if (input.intervalMs === undefined) return undefined;
  return Math.max(0, lastRun + input.intervalMs - input.now);
}
