// What a probe observed, reduced to what the verdict needs, and what that observation says about access.
import type { Expectation, Outcome, RefusedMeaning } from '../api/types.js';

export interface Observation {
  outcome: Outcome;
  /** The classifier's machine-readable detail, e.g. `nxdomain`, `resolver-timeout`, `timeout`. */
  detail: string;
  /** False when the attempts never agreed (the probe could not settle). */
  settled: boolean;
  httpStatus?: number;
}

/**
 * Whether the observation shows the network allowing or denying the flow, or nothing about it
 * (the name did not resolve, or the probe itself failed).
 */
export function observedAccess(outcome: Outcome, refusedMeans: RefusedMeaning): Expectation | undefined {
  switch (outcome) {
    case 'Connected':
      return 'Allowed';
    case 'Blocked':
    case 'Unreachable':
      return 'Denied';
    case 'Refused':
      return refusedMeans;
    case 'DNSFailure':
    case 'Error':
      return undefined;
  }
}
