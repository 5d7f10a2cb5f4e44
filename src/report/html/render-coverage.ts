// The coverage section of `flowprobe explain --coverage -o html`: the summary line explain prints, then what
// no declared flow covers as tables (rules and peers, isolations, workloads no test mentions, workloads
// without isolation), the same lists as the text output (src/coverage/render-coverage.ts).
import type { CoverageReport, RuleCoverage } from '../../coverage/coverage-types.js';
import { coverageSummaryLine } from '../../coverage/render-coverage.js';
import { renderFlowTable } from './flow-table.js';
import { html, type SafeHtml } from './html-escape.js';

export function renderCoverageHtml(report: CoverageReport): SafeHtml {
  const untested = report.workloads.filter((w) => w.testedBy.length === 0);
  const open = report.workloads.filter((w) => w.exposure.length > 0);
  return html`<h2>Coverage</h2>
    <p class="coverage-summary">${coverageSummaryLine(report.summary)}</p>
    ${table(
      'Rules and peers no declared flow exercises',
      ['policy', 'direction and rule', 'peers', 'ports'],
      report.rules.flatMap(unexercised),
    )}
    ${table(
      'Isolations no declared flow is denied by',
      ['policy', 'direction'],
      report.isolations
        .filter((i) => !i.exercised)
        .map((i) => [
          `${i.namespace}/${i.policy}`,
          `${i.direction} (policyTypes ${policyType(i.direction)})`,
        ]),
    )}
    ${table(
      'Workloads no ConnectivityTest mentions',
      ['workload'],
      untested.map((w) => [`${w.namespace}/${w.name}`]),
    )}
    ${table(
      'Workloads without isolation',
      ['workload', 'exposure'],
      open.map((w) => [`${w.namespace}/${w.name}`, w.exposure.join('; ')]),
    )}`;
}

function policyType(direction: 'ingress' | 'egress'): string {
  return direction === 'ingress' ? 'Ingress' : 'Egress';
}

/** The rule when nothing exercises it, else each of its peers that nothing does: one row each. */
function unexercised(r: RuleCoverage): string[][] {
  const policy =
    r.namespace === null ? `[${r.tier ?? ''}] ${r.kind} ${r.policy}` : `${r.namespace}/${r.policy}`;
  const rule = `${r.direction} rule ${r.rule}${r.name === undefined ? '' : ` '${r.name}'`}${r.action === undefined ? '' : ` ${r.action}`}`;
  if (!r.exercised) return [[policy, rule, r.peers.map((p) => p.description).join(' | ') || 'any', r.ports]];
  return r.peers
    .filter((p) => !p.exercised)
    .map((p) => [policy, rule, `peer ${p.peer ?? 'any'} ${p.description}`, r.ports]);
}

/** A table whose first cell per row is its header; a sentence when there is no row. */
function table(caption: string, columns: readonly string[], rows: readonly string[][]): SafeHtml {
  if (rows.length === 0)
    return html`<h3>${caption}</h3>
      <p class="none">None.</p>`;
  return renderFlowTable(
    caption,
    columns,
    rows.map(
      ([first, ...rest]) =>
        html`<tr>
          <th scope="row">${first ?? ''}</th>
          ${rest.map((c) => html`<td>${c}</td>`)}
        </tr>`,
    ),
  );
}
