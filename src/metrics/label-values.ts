// The closed sets of label values. Every label value the module exports comes from one of these lists or
// names a Kubernetes object (namespace, test, flow), so the number of series is bounded by the number of
// tests and flows, never by traffic (https://prometheus.io/docs/practices/naming/#labels: "do not use labels
// to store dimensions with high cardinality").
import type { Outcome, Verdict } from '../api/types.js';

export const OUTCOMES: readonly Outcome[] = [
  'Connected',
  'Refused',
  'Blocked',
  'Unreachable',
  'DNSFailure',
  'Error',
];

export const VERDICTS: readonly Verdict[] = ['Pass', 'Fail', 'Flaky', 'Error'];

/**
 * A run's result, in the verdict vocabulary: `Fail` when any flow failed or was flaky (as `summarize`
 * counts them), else `Error` when any probe erred, else `Pass`.
 */
export type RunResult = 'Pass' | 'Fail' | 'Error';
export const RUN_RESULTS: readonly RunResult[] = ['Pass', 'Fail', 'Error'];

/** Kubernetes API verbs the operator uses; anything else is counted as `other`. */
export type ApiVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'other';
export const API_VERBS: readonly ApiVerb[] = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'other',
];

export function apiVerb(verb: string): ApiVerb {
  return (API_VERBS as readonly string[]).includes(verb) ? (verb as ApiVerb) : 'other';
}

/** A ConnectivityTest, as the metrics name it. */
export interface TestRef {
  namespace: string;
  test: string;
}
