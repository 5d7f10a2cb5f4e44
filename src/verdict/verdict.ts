// Outcome held against expectation: the verdict (DESIGN.md, "Vocabulary").
import type { Expectation, RefusedMeaning, Verdict } from '../api/types.js';
import { observedAccess, type Observation } from './observation.js';

/**
 * - An unsettled probe is `Flaky`: its attempts never agreed, so no single answer is honest.
 * - `DNSFailure` fails an `Allowed` expectation (the flow does not work) and is an `Error` for a `Denied`
 *   one: a name that does not resolve says nothing about whether the target is reachable.
 * - `Error` is never a pass.
 * - UDP that drew no rejection cannot prove a denial: nothing was learned, so it is an `Error` as well.
 */
/**
 * UDP without a reply: nothing rejected the datagram, but an open port and a dropping policy look the same
 * (busybox-probe.md, "UDP"). That is consistent with Allowed, and proves nothing for Denied.
 */
export const UDP_NO_REJECTION = 'udp-no-rejection';

export function judge(
  expected: Expectation,
  observation: Observation,
  refusedMeans: RefusedMeaning,
): Verdict {
  if (observation.outcome === 'Error') return 'Error';
  if (!observation.settled) return 'Flaky';
  if (observation.outcome === 'DNSFailure') return expected === 'Allowed' ? 'Fail' : 'Error';
  if (observation.detail === UDP_NO_REJECTION && expected === 'Denied') return 'Error';
  return observedAccess(observation.outcome, refusedMeans) === expected ? 'Pass' : 'Fail';
}
