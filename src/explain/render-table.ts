// The human form of a report: one row per flow (agreement mark first, so contradictions stand out), its
// reasons indented underneath, the recognized failure modes marked `!`, then policy findings and a
// closing count. Plain text: no colour, so it reads the same in CI logs and terminals.
import type { ExplainReport } from './explain.js';
import type { FlowExplanation } from './explain-flow.js';

const HEADER = ['', 'NAMESPACE/TEST', 'FLOW', 'TO', 'PORT', 'EXPECTED', 'PREDICTED'];

export function mark(agrees: boolean | null): string {
  return agrees === null ? '?' : agrees ? '✓' : '✗';
}

export function renderTable(report: ExplainReport): string {
  const rows = report.results.map((r) => [
    mark(r.agrees),
    `${r.namespace}/${r.test}`,
    r.flow,
    r.to,
    `${r.port}/${r.protocol}`,
    r.expected,
    r.predicted,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const out: string[] = [line(HEADER)];
  report.results.forEach((r, i) => {
    const previous = report.results[i - 1];
    if (previous !== undefined && (previous.namespace !== r.namespace || previous.test !== r.test))
      out.push('');
    out.push(line(rows[i] ?? []));
    out.push(...details(r));
  });
  if (report.findings.length > 0) {
    out.push('', 'Policy findings:');
    for (const f of report.findings) out.push(`  ! ${f.policy}: ${f.message}`);
  }
  out.push('', summaryLine(report));
  return `${out.join('\n')}\n`;
}

function details(r: FlowExplanation): string[] {
  const indent = '     ';
  return [
    ...r.diagnosis.map((d) => `${indent}! ${d}`),
    ...r.reasons.map((reason) => `${indent}${reason.endsWith(':') ? reason : `· ${reason}`}`),
  ];
}

export function summaryLine(report: ExplainReport): string {
  const s = report.summary;
  const verdict = s.contradict > 0 ? 'the policies contradict' : 'the policies agree with';
  const scope = s.contradict > 0 ? `${s.contradict} expectation(s)` : `every expectation they decide`;
  return `${s.flows} flow(s): ${s.agree} agree ✓, ${s.contradict} contradict ✗, ${s.unknown} unknown ? — ${verdict} ${scope}`;
}
