// metav1.LabelSelector, compiled once into a predicate. Semantics (Kubernetes "Labels and Selectors"):
// matchLabels and every matchExpressions requirement are AND'ed; an empty selector ({}) matches every
// label set. Whether an *absent* selector means "everything" or "nothing" depends on the field, so
// callers decide that (a NetworkPolicy peer's absent namespaceSelector means "the policy's namespace").
import { PolicyInputError } from './errors.js';
import type { LabelSelector } from './types.js';

export type Labels = Readonly<Record<string, string>>;
export type LabelMatcher = (labels: Labels) => boolean;

type Requirement = (labels: Labels) => boolean;

const matchAll: LabelMatcher = () => true;

/** Compiles a selector; `where` names it in errors (object and field path). */
export function compileSelector(
  selector: LabelSelector,
  where: { object: string; path: string },
): LabelMatcher {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push((l) => l[key] === value);
  }
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    reqs.push(compileRequirement(expr, { ...where, path: `${where.path}.matchExpressions[${i}]` }));
  });
  if (reqs.length === 0) return matchAll;
  const [only] = reqs;
  if (reqs.length === 1 && only !== undefined) return only;
  return (labels) => reqs.every((r) => r(labels));
}

function compileRequirement(
  expr: NonNullable<LabelSelector['matchExpressions']>[number],
  where: { object: string; path: string },
): Requirement {
  const { key } = expr;
  const values = new Set(expr.values ?? []);
  switch (expr.operator) {
    case 'In':
      // An In with no values is rejected by the API server; were it accepted it could match nothing.
      return (l) => l[key] !== undefined && values.has(l[key]);
    case 'NotIn':
      // NotIn also matches label sets without the key (apimachinery labels.Requirement.Matches).
      return (l) => l[key] === undefined || !values.has(l[key]);
    case 'Exists':
      return (l) => l[key] !== undefined;
    case 'DoesNotExist':
      return (l) => l[key] === undefined;
    default:
      throw new PolicyInputError(
        where.object,
        where.path,
        `unknown operator ${JSON.stringify(expr.operator)}`,
      );
  }
}

/** A short, readable form: `app=api,tier in (a,b)`; `{}` reads "all". */
export function describeSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length === 0 ? 'all' : parts.join(',');
}
