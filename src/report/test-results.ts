// One ConnectivityTest's results from `flowprobe run`, as the reports see them.
import type { FlowResult } from '../api/types.js';

export interface TestResults {
  namespace: string;
  test: string;
  results: FlowResult[];
}

export function passed(r: FlowResult): boolean {
  return r.verdict === 'Pass';
}
