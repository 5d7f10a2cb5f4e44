// The table `flowprobe run` prints: one row per flow, then a one-line summary.
import type { TestResults } from './test-results.js';

const HEADERS = ['TEST', 'FLOW', 'EXPECTED', 'OBSERVED', 'PREDICTED', 'VERDICT', 'DIAGNOSIS'];

export function renderResultsTable(tests: readonly TestResults[]): string {
  const rows = tests.flatMap((t) =>
    t.results.map((r) => [
      `${t.namespace}/${t.test}`,
      r.flow,
      r.expected,
      r.httpStatus === undefined ? r.outcome : `${r.outcome} ${r.httpStatus}`,
      r.predicted,
      r.verdict,
      r.diagnosis,
    ]),
  );
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  // The diagnosis is last and left unpadded: it is the long column.
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(HEADERS), ...rows.map(line), '', summary(tests), ''].join('\n');
}

export function summary(tests: readonly TestResults[]): string {
  const all = tests.flatMap((t) => t.results);
  const by = (v: string) => all.filter((r) => r.verdict === v).length;
  return `${all.length} flow(s): ${by('Pass')} passed, ${by('Fail')} failed, ${by('Flaky')} flaky, ${by('Error')} errors`;
}
