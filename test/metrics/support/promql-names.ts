// The metric names a PromQL expression reads, found by a small tokenizer rather than a full parser: enough
// for the expressions we ship (selectors, functions, aggregations, binary operators, label_replace).
// String literals, label matchers, grouping label lists, ranges, numbers and Grafana variables are removed
// first; what remains is a metric name unless it is followed by `(` (a function or aggregation) or is a
// keyword.

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(GROUPING, ' ') // label lists of aggregations and vector matching
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\$\{?\w+\}?/g, ' '); // Grafana variables
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const token = m[0];
    const rest = stripped.slice(m.index + token.length);
    if (/^\s*\(/.test(rest) || KEYWORDS.has(token.toLowerCase())) continue;
    if (/^\d/.test(token) || isNumberSuffix(stripped, m.index)) continue;
    names.add(token);
  }
  return [...names].sort();
}

/** `1e3` or `0x1f`: the letters belong to a number, not a name. */
function isNumberSuffix(text: string, index: number): boolean {
  return index > 0 && /[\d.]/.test(text.charAt(index - 1));
}

/** A histogram's series are read as `<family>_bucket`, `_sum` and `_count`. */
export function familyOf(name: string, histograms: ReadonlySet<string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && histograms.has(base) ? base : name;
}
