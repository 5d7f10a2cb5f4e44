// Consecutive failing runs per flow: what "drift" means for paging. Prometheus sees gauges, not runs, so
// it cannot count runs itself (a `for:` of one interval fails when intervals differ or a scrape is missed);
// the operator knows where one run ends, so it counts and exports the streak and the alert says `>= 2`.
import type { FlowResult, Verdict } from '../api/types.js';

/**
 * Only `Fail` extends a streak: `Flaky` (attempts never agreed) and `Error` (nothing learned) are not
 * evidence of drift and have their own signals, so they reset it, as does `Pass`.
 */
export function nextStreak(previous: number, verdict: Verdict): number {
  return verdict === 'Fail' ? previous + 1 : 0;
}

/**
 * The streak a flow had before this run. In memory when this process saw the previous run; otherwise
 * (after a restart or a leader change) from the status results of the previous run: a `Fail` there counts
 * as one, so a drift already in progress pages on the next failing run instead of two runs later.
 */
export function previousStreak(
  flow: string,
  inMemory: ReadonlyMap<string, number> | undefined,
  previousResults: readonly FlowResult[] | undefined,
): number {
  const known = inMemory?.get(flow);
  if (known !== undefined) return known;
  return previousResults?.find((r) => r.flow === flow)?.verdict === 'Fail' ? 1 : 0;
}
