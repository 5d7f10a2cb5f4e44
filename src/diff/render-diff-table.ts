// The terminal form of a diff: the declared flows whose prediction changed (breaks first, with their
// reasons underneath), then the undeclared paths (opened, closed, uncertain), then the headline. Plain
// text, no colour, as explain's table.
import { diffCounts, headline } from './diff-report.js';
import type { DeclaredChange, DiffResult, PathChange, UndeclaredChange } from './diff-types.js';
import { changeKind } from './undeclared-changes.js';

const DECLARED_HEADER = ['', 'NAMESPACE/TEST', 'FLOW', 'EXPECTED', 'BEFORE', 'AFTER', ''];
const UNDECLARED_HEADER = ['', 'FROM', 'TO', 'PORT', 'BEFORE', 'AFTER'];
const PATH_MARK: Record<PathChange, string> = { opened: '+', closed: '-', uncertain: '?' };

export function renderDiffTable(result: DiffResult): string {
  const { declared, undeclared } = result.report;
  const out: string[] = [];
  if (declared.length > 0) {
    out.push('Declared flows whose prediction or expectation changed:');
    const ordered = breaksFirst(declared);
    const rows = ordered.map((c) => [
      c.breaks ? '✗' : c.fixes ? '✓' : '?',
      `${c.namespace}/${c.test}`,
      c.flow,
      c.expected,
      c.before,
      c.after,
      c.breaks ? 'breaks' : c.fixes ? 'fixed' : '',
    ]);
    const line = columns([DECLARED_HEADER, ...rows]);
    out.push(line(DECLARED_HEADER));
    ordered.forEach((c, i) => {
      out.push(line(rows[i] ?? []));
      for (const reason of c.reasons) out.push(`     · ${reason}`);
    });
  }
  if (undeclared.length > 0) {
    if (out.length > 0) out.push('');
    out.push('Undeclared paths whose prediction changed (no ConnectivityTest probes them):');
    const rows = undeclared.map((u) => [
      PATH_MARK[changeKind(u.before, u.after)],
      u.from,
      u.to,
      `${u.port}/${u.protocol}`,
      u.before,
      u.after,
    ]);
    const line = columns([UNDECLARED_HEADER, ...rows]);
    out.push(line(UNDECLARED_HEADER), ...rows.map(line));
  }
  out.push(...omitted(result));
  if (out.length === 0) out.push('No declared flow and no undeclared path changes its prediction.');
  out.push('', headline(diffCounts(result)));
  return `${out.join('\n')}\n`;
}

/** Breaking flows first, then fixed ones, then the rest, each group in the report's order. */
export function breaksFirst(declared: readonly DeclaredChange[]): DeclaredChange[] {
  const rank = (c: DeclaredChange) => (c.breaks ? 0 : c.fixes ? 1 : 2);
  return [...declared].sort((a, b) => rank(a) - rank(b));
}

/** `… and 12 more opened paths (raise --max-undeclared to list them)`, per kind cut short. */
export function omitted(result: DiffResult): string[] {
  const listed = countKinds(result.report.undeclared);
  return (['opened', 'closed', 'uncertain'] as const).flatMap((kind) => {
    const more = result.undeclaredTotals[kind] - listed[kind];
    return more > 0 ? [`… and ${more} more ${kind} paths (raise --max-undeclared to list them)`] : [];
  });
}

function countKinds(list: readonly UndeclaredChange[]): Record<PathChange, number> {
  const counts: Record<PathChange, number> = { opened: 0, closed: 0, uncertain: 0 };
  for (const u of list) counts[changeKind(u.before, u.after)] += 1;
  return counts;
}

/** A function that pads each cell to its column's widest, the last column unpadded. */
function columns(table: readonly (readonly string[])[]): (cells: readonly string[]) => string {
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
}
