// `flowprobe diff -o html`: what a change of manifests does, as a page. Written against the JSON contract
// of `flowprobe diff` (issue 15), declared here as a structural interface: the declared flows whose
// prediction changes (those it breaks first) in a table, and the undeclared paths it opens or closes as a
// matrix of before → after. A path is opened, closed or uncertain as the diff itself says (changeKind), and
// the counts are the diff's totals, not the length of the list `--max-undeclared` cut, so that the page
// agrees with the table, JSON and markdown outputs.
import { changeKind } from '../../diff/undeclared-changes.js';
import type { PathChange } from '../../diff/diff-types.js';
import { renderFlowTable } from './flow-table.js';
import { html, type SafeHtml } from './html-escape.js';
import type { MatrixEntry, Reach } from './reach-matrix.js';
import { reachLabel, renderLegend, renderMatrices } from './render-matrix.js';
import { renderPage } from './render-page.js';
import { plural, renderList } from './text.js';

/** A prediction on one side of the change; `Absent` where the flow or path exists on the other only. */
export type DiffPrediction = Reach;

export interface DiffDeclared {
  namespace: string;
  test: string;
  flow: string;
  expected: 'Allowed' | 'Denied';
  before: DiffPrediction;
  after: DiffPrediction;
  /** It agreed with its expectation before and does not after. */
  breaks: boolean;
  /** The reverse. */
  fixes: boolean;
  reasons: readonly string[];
}

export interface DiffUndeclared {
  from: string;
  to: string;
  port: number | string;
  protocol: string;
  before: DiffPrediction;
  after: DiffPrediction;
}

export interface DiffReport {
  declared: readonly DiffDeclared[];
  undeclared: readonly DiffUndeclared[];
}

/**
 * `totals`: every undeclared change the diff found per kind, listed or not (DiffResult.undeclaredTotals);
 * without it, the listed ones are counted.
 */
export function renderDiffHtml(report: DiffReport, totals?: Readonly<Record<PathChange, number>>): string {
  const breaks = report.declared.filter((d) => d.breaks).length;
  const fixes = report.declared.filter((d) => d.fixes).length;
  const t = totals ?? countKinds(report.undeclared);
  const all = t.opened + t.closed + t.uncertain;
  const uncertain = t.uncertain === 0 ? '' : `, ${t.uncertain} now or formerly Unknown`;
  const unlisted = all - report.undeclared.length;
  return renderPage({
    title: 'flowprobe diff',
    headline: `${plural(breaks, 'declared flow')} would break`,
    trouble: breaks > 0,
    counts:
      `${plural(report.declared.length, 'declared flow')} change prediction or expectation: ${breaks} break, ${fixes} fixed; ` +
      `${plural(all, 'undeclared path')} change: ${t.opened} opened, ${t.closed} closed${uncertain}.`,
    sections: [
      html`<h2>Declared flows whose prediction or expectation changes</h2>`,
      declaredTable(report.declared),
      html`<h2>Undeclared paths that change</h2>`,
      renderMatrices(report.undeclared.map(matrixEntry), 'Undeclared paths (before → after)'),
      unlisted > 0 ? html`<p class="none">${unlisted} more not listed (diff --max-undeclared).</p>` : html``,
      renderLegend(),
    ],
  });
}

function countKinds(undeclared: readonly DiffUndeclared[]): Record<PathChange, number> {
  const counts: Record<PathChange, number> = { opened: 0, closed: 0, uncertain: 0 };
  for (const u of undeclared) counts[changeKind(u.before, u.after)] += 1;
  return counts;
}

function matrixEntry(u: DiffUndeclared): MatrixEntry {
  const kind = changeKind(u.before, u.after);
  const problem =
    kind === 'opened' ? 'opened: no declared flow covers it' : kind === 'closed' ? 'closed' : undefined;
  return {
    label: `${u.from} → ${u.to} ${u.port}/${u.protocol}`,
    source: u.from,
    destination: u.to,
    port: `${u.port}/${u.protocol}`,
    shown: { what: 'after', reach: u.after },
    also: [{ what: 'before', reach: u.before }],
    ...(problem === undefined ? {} : { problem }),
  };
}

function effect(d: DiffDeclared): string {
  if (d.breaks) return `✗ breaks: expected ${d.expected}`;
  if (d.fixes) return `✓ fixes: expected ${d.expected}`;
  return 'changes';
}

function declaredTable(declared: readonly DiffDeclared[]): SafeHtml {
  if (declared.length === 0)
    return html`<p class="none">No declared flow changes its prediction or expectation.</p>`;
  // The ones the change breaks first: they are what a reviewer must see.
  const order = (d: DiffDeclared) => (d.breaks ? 0 : d.fixes ? 1 : 2);
  const rows = [...declared]
    .sort((a, b) => order(a) - order(b))
    .map(
      (d) =>
        html`<tr>
          <td>${d.namespace}/${d.test}</td>
          <th scope="row">${d.flow}</th>
          <td>${reachLabel(d.expected)}</td>
          <td>${reachLabel(d.before)}</td>
          <td>${reachLabel(d.after)}</td>
          <td class="${d.breaks ? 'problem s-denied' : ''}">${effect(d)}</td>
          <td class="reasons">${renderList(d.reasons, 'none')}</td>
        </tr> `,
    );
  return renderFlowTable(
    'Declared flows whose prediction or expectation changes, the ones the change breaks first',
    ['test', 'flow', 'expected', 'before', 'after', 'effect', 'reasons'],
    rows,
  );
}
