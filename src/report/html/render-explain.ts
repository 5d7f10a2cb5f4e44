// `flowprobe explain -o html`: the predictions of every declared flow as a page. The matrix shows each
// flow's prediction against its expectation; the table below gives each flow's reasons and diagnosis; with
// --coverage, a coverage section follows (render-coverage.ts).
import type { ExplainReport, FlowExplanation } from '../../explain/index.js';
import { renderFlowTable } from './flow-table.js';
import { html, type SafeHtml } from './html-escape.js';
import type { MatrixEntry } from './reach-matrix.js';
import { reachLabel, renderLegend, renderMatrices } from './render-matrix.js';
import { renderCoverageHtml } from './render-coverage.js';
import { renderPage } from './render-page.js';
import { plural, renderList } from './text.js';

export function renderExplainHtml(report: ExplainReport): string {
  const { flows, agree, contradict, unknown } = report.summary;
  const entries = report.results.map(matrixEntry);
  return renderPage({
    title: 'flowprobe explain',
    headline: `${contradict} of ${plural(flows, 'flow')} ${contradict === 1 ? 'contradicts its' : 'contradict their'} policies`,
    trouble: contradict > 0,
    counts: `${agree} agree ✓, ${contradict} contradict ✗, ${unknown} unknown ? — predicted from the manifests alone, no cluster was asked.`,
    sections: [
      html`<h2>Reachability</h2>`,
      renderMatrices(entries, 'Predicted reachability'),
      renderLegend(),
      html`<h2>Flows</h2>`,
      flowTable(report.results),
      findings(report),
      // explain --coverage: the same summary and lists as the text output.
      report.coverage === undefined ? html`` : renderCoverageHtml(report.coverage),
    ],
  });
}

function matrixEntry(r: FlowExplanation, i: number): MatrixEntry {
  const entry: MatrixEntry = {
    label: `${r.namespace}/${r.test} ${r.flow}`,
    anchor: `flow-${i}`,
    source: r.from,
    destination: r.to,
    port: `${r.port}/${r.protocol}`,
    shown: { what: 'predicted', reach: r.predicted },
    also: [{ what: 'expected', reach: r.expected }],
  };
  return r.agrees === false ? { ...entry, problem: `contradiction: expected ${r.expected}` } : entry;
}

function agreement(agrees: boolean | null): string {
  return agrees === null ? '? unknown' : agrees ? '✓ agrees' : '✗ contradicts';
}

function flowTable(results: readonly FlowExplanation[]): SafeHtml {
  const rows = results.map(
    (r, i) =>
      html`<tr id="flow-${i}">
        <td>${r.namespace}/${r.test}</td>
        <th scope="row">${r.flow}</th>
        <td>${r.from}</td>
        <td>${r.to}</td>
        <td>${r.port}/${r.protocol}</td>
        <td>${reachLabel(r.expected)}</td>
        <td>${reachLabel(r.predicted)}</td>
        <td>${agreement(r.agrees)}</td>
        <td class="diagnosis">${renderList(r.diagnosis, 'none')}</td>
        <td class="reasons">${renderList(r.reasons, 'none')}</td>
      </tr> `,
  );
  return renderFlowTable(
    'Every declared flow: its expectation, what the policies predict, and why',
    ['test', 'flow', 'from', 'to', 'port', 'expected', 'predicted', 'policies', 'diagnosis', 'reasons'],
    rows,
  );
}

function findings(report: ExplainReport): SafeHtml {
  if (report.findings.length === 0) return html``;
  return html`<h2>Policy findings</h2>
    <ul class="findings">
      ${report.findings.map((f) => html`<li><strong>${f.policy}</strong>: ${f.message}</li>`)}
    </ul>`;
}
