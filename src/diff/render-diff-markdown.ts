// A diff as a pull-request comment: a one-line headline, the breaking flows in the open, everything else
// in collapsed <details> sections. Bounded: at most MAX_ROWS rows per section (GitHub refuses comments over
// 65,536 characters), the rest counted. User text is escaped (markdown-text.ts).
import { diffCounts, headline } from './diff-report.js';
import type { DeclaredChange, DiffResult, PathChange, UndeclaredChange } from './diff-types.js';
import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { omitted } from './render-diff-table.js';
import { changeKind } from './undeclared-changes.js';

export const MAX_ROWS = 50;
/** Reasons shown per flow; explain shows them all. */
const MAX_REASONS = 8;

const UNKNOWN_NOTE =
  'A flow that becomes Unknown (or stops being Unknown, or exists on one side only) is neither a break nor a ' +
  'fix: the manifests do not say enough to be sure. Check these by hand, or make them decidable ' +
  '(e.g. `to.ip` instead of a host name).';

export function renderDiffMarkdown(result: DiffResult): string {
  const counts = diffCounts(result);
  const declared = result.report.declared;
  const breaking = declared.filter((c) => c.breaks);
  const out = ['### flowprobe diff', '', `**${headline(counts)}**`, ''];
  // The totals, not the listed paths: --max-undeclared 0 lists none of those it counts.
  const paths = counts.opened + counts.closed + counts.uncertain;
  if (declared.length === 0 && paths === 0) {
    out.push('No declared flow and no undeclared path changes its prediction.', '');
    return out.join('\n');
  }
  if (breaking.length > 0) {
    out.push('#### Declared flows this change breaks', '', ...flowTable(breaking), '');
    out.push(...details('Why they break', reasonList(breaking)));
  }
  const fixed = declared.filter((c) => c.fixes);
  if (fixed.length > 0)
    out.push(...details(`Declared flows this change fixes (${fixed.length})`, flowTable(fixed)));
  const other = declared.filter((c) => !c.breaks && !c.fixes);
  if (other.length > 0) {
    const body = [UNKNOWN_NOTE, '', ...flowTable(other), '', ...reasonList(other)];
    out.push(...details(`Other declared flows whose prediction changed (${other.length})`, body));
  }
  const titles: Record<PathChange, string> = {
    opened: 'Undeclared paths opened',
    closed: 'Undeclared paths closed',
    uncertain: 'Undeclared paths now or formerly Unknown',
  };
  for (const kind of ['opened', 'closed', 'uncertain'] as const) {
    const paths = result.report.undeclared.filter((u) => changeKind(u.before, u.after) === kind);
    const total = result.undeclaredTotals[kind];
    if (total > 0) out.push(...details(`${titles[kind]} (${total})`, pathTable(paths)));
  }
  const more = omitted(result);
  if (more.length > 0) out.push(...more.map((m) => `${m}.`), '');
  out.push(
    "<sub>Undeclared paths: source identity × destination workload × the declared ports and the destination's container ports, among workloads both sides know.</sub>",
    '',
  );
  return out.join('\n');
}

function flowTable(changes: readonly DeclaredChange[]): string[] {
  if (changes.length === 0) return ['None.'];
  const rows = changes
    .slice(0, MAX_ROWS)
    .map((c) => [`${c.namespace}/${c.test}`, c.flow, c.expected, c.before, c.after]);
  return [...markdownTable(['test', 'flow', 'expected', 'before', 'after'], rows), ...cut(changes.length)];
}

function reasonList(changes: readonly DeclaredChange[]): string[] {
  return changes
    .slice(0, MAX_ROWS)
    .flatMap((c) => [
      `- ${escapeMarkdown(`${c.namespace}/${c.test} ${c.flow}`)}`,
      ...c.reasons.slice(0, MAX_REASONS).map((r) => `  - ${escapeMarkdown(r)}`),
      ...(c.reasons.length > MAX_REASONS ? [`  - … ${c.reasons.length - MAX_REASONS} more`] : []),
    ]);
}

function pathTable(paths: readonly UndeclaredChange[]): string[] {
  if (paths.length === 0) return ['None.'];
  const rows = paths
    .slice(0, MAX_ROWS)
    .map((u) => [u.from, u.to, `${u.port}/${u.protocol}`, u.before, u.after]);
  return [...markdownTable(['from', 'to', 'port', 'before', 'after'], rows), ...cut(paths.length)];
}

function cut(total: number): string[] {
  return total > MAX_ROWS ? ['', `… and ${total - MAX_ROWS} more (see \`flowprobe diff -o table\`).`] : [];
}

/** A collapsed section; the blank lines let GitHub render the Markdown inside it. */
function details(summary: string, body: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}
