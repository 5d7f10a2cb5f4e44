// What a probe observed, reduced to what the verdict needs, and what that observation says about access.
import type { Expectation, Outcome } from '../api/types.js';

export interface Observation {
  outcome: Outcome;
  /** The classifier's machine-readable detail, e.g. `nxdomain`, `resolver-timeout`, `timeout`. */
  detail: string;
  /** False when the attempts never agreed (the probe could not settle). */
  settled: boolean;
  httpStatus?: number;
}

/**
 * What a test says a refusal means. `Allowed` (the default): a TCP reset proves the packet reached the
 * host, so the path is open. `Denied`: the cluster's CNI rejects denied flows with a reset, so a refusal
 * is how a policy denial looks there.
 */
export type RefusedMeans = Expectation;

/**
 * Whether the observation shows the network allowing or denying the flow, or nothing about it
 * (the name did not resolve, or the probe itself failed).
 */
export function observedAccess(outcome: Outcome, refusedMeans: RefusedMeans): Expectation | undefined {
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
