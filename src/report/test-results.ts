// One ConnectivityTest's results from `flowprobe run`, as the reports see them.
import type { FlowResult } from '../api/types.js';

export interface TestResults {
  namespace: string;
  test: string;
  results: FlowResult[];
  /** Wall time of the test's run, from its start to its last result (its probe pods run in parallel). */
  durationMs: number;
}

export function passed(r: FlowResult): boolean {
  return r.verdict === 'Pass';
}
