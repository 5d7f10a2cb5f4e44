// Coverage as people read it after explain's table: the summary line, then what no declared flow exercises
// and the workloads that are untested or open. Plain text, like the rest of explain's output.
import type { CoverageReport, CoverageSummary, RuleCoverage } from './coverage-types.js';

export function coverageSummaryLine(s: CoverageSummary): string {
  const w = s.workloads;
  return (
    `policy rules exercised: ${s.rules.exercised}/${s.rules.total} (peers ${s.peers.exercised}/${s.peers.total}); ` +
    `isolations exercised: ${s.isolations.exercised}/${s.isolations.total}; ` +
    `workloads isolated: ingress ${w.isolatedIngress}/${w.total}, egress ${w.isolatedEgress}/${w.total}; ` +
    `workloads tested: ${w.tested}/${w.total}`
  );
}

export function renderCoverage(report: CoverageReport): string {
  const out = ['Coverage:', `  ${coverageSummaryLine(report.summary)}`];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push('', `  ${title}:`, ...lines.map((l) => `    ${l}`));
  };
  section(
    'Rules and peers no declared flow exercises',
    report.rules.flatMap((r) => unexercised(r)),
  );
  section(
    'Isolations no declared flow is denied by',
    report.isolations
      .filter((i) => !i.exercised)
      .map(
        (i) =>
          `${i.namespace}/${i.policy} ${i.direction} (policyTypes ${i.direction === 'ingress' ? 'Ingress' : 'Egress'})`,
      ),
  );
  section(
    'Workloads no ConnectivityTest mentions',
    report.workloads.filter((w) => w.testedBy.length === 0).map((w) => `${w.namespace}/${w.name}`),
  );
  section(
    'Workloads without isolation',
    report.workloads
      .filter((w) => w.exposure.length > 0)
      .map((w) => `${w.namespace}/${w.name}: ${w.exposure.join('; ')}`),
  );
  return `${out.join('\n')}\n`;
}

function ruleName(r: RuleCoverage): string {
  const where =
    r.namespace === null ? `[${r.tier ?? ''}] ${r.kind} ${r.policy}` : `${r.namespace}/${r.policy}`;
  const name = r.name === undefined ? '' : ` '${r.name}'`;
  const action = r.action === undefined ? '' : ` ${r.action}`;
  return `${where} ${r.direction} rule ${r.rule}${name}${action}`;
}

/** The rule when nothing exercises it, else each of its peers that nothing does. */
function unexercised(r: RuleCoverage): string[] {
  if (!r.exercised) {
    const peers = r.peers.length === 0 ? '' : `, ${r.peers.map((p) => p.description).join(' | ')}`;
    return [`${ruleName(r)}${peers}, ${r.ports}`];
  }
  return r.peers
    .filter((p) => !p.exercised)
    .map((p) => `${ruleName(r)}, peer ${p.peer ?? 'any'} ${p.description}, ${r.ports}`);
}
