// metav1.LabelSelector from an untyped manifest field.
import type { LabelSelector, LabelSelectorRequirement } from '../api/types.js';
import type { Problems } from './narrow.js';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export function readSelector(v: unknown, path: string, p: Problems): LabelSelector | undefined {
  const r = p.record(v, path);
  if (r === undefined) return undefined;
  const sel: LabelSelector = {};
  if (r.matchLabels !== undefined && r.matchLabels !== null)
    sel.matchLabels = p.stringMap(r.matchLabels, `${path}.matchLabels`);
  const exprs = p.array(r.matchExpressions, `${path}.matchExpressions`);
  if (exprs !== undefined) {
    sel.matchExpressions = exprs.flatMap((e, i) => {
      const req = readRequirement(e, `${path}.matchExpressions[${i}]`, p);
      return req === undefined ? [] : [req];
    });
  }
  return sel;
}

function readRequirement(v: unknown, path: string, p: Problems): LabelSelectorRequirement | undefined {
  const r = p.record(v, path);
  if (r === undefined) return undefined;
  const key = p.string(r.key, `${path}.key`);
  const operator = p.string(r.operator, `${path}.operator`);
  const values = (p.array(r.values, `${path}.values`) ?? []).map(
    (x, i) => p.string(x, `${path}.values[${i}]`) ?? '',
  );
  if (key === undefined) p.add(`${path}.key`, 'is required');
  if (operator === undefined || !OPERATORS.has(operator)) {
    p.add(`${path}.operator`, 'must be In, NotIn, Exists or DoesNotExist');
    return undefined;
  }
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0)
    p.add(`${path}.values`, `must be non-empty for ${operator}`);
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
    p.add(`${path}.values`, `must be empty for ${operator}`);
  return { key: key ?? '', operator: operator as LabelSelectorRequirement['operator'], values };
}
