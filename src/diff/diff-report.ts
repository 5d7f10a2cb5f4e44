// `flowprobe diff`: from the objects of two trees of manifests (the base and the head of a change) to the
// declared flows the change breaks or fixes and the undeclared paths it opens or closes. Pure: the CLI
// (src/cli/diff-action.ts) reads the files and renders the result.
import type { ExplainInputError, TestValidator } from '../explain/index.js';
import type { SourcedObject } from '../manifest/load.js';
import { declaredChanges } from './declared-changes.js';
import { buildSide } from './diff-side.js';
import type { DiffResult } from './diff-types.js';
import { undeclaredChanges } from './undeclared-changes.js';

/** The most undeclared changes listed per kind (opened, closed, uncertain) unless told otherwise. */
export const DEFAULT_MAX_UNDECLARED = 50;

export type DiffOutcome = { result: DiffResult } | { errors: ExplainInputError[] };

export function diffObjects(
  base: readonly SourcedObject[],
  head: readonly SourcedObject[],
  validate: TestValidator,
  maxUndeclared = DEFAULT_MAX_UNDECLARED,
): DiffOutcome {
  const once = validatedOnce(validate);
  const b = buildSide(base, once);
  const h = buildSide(head, once);
  const errors = [...('errors' in b ? b.errors : []), ...('errors' in h ? h.errors : [])];
  if (!('side' in b) || !('side' in h)) return { errors };
  const undeclared = undeclaredChanges(b.side, h.side, maxUndeclared);
  return {
    result: {
      report: { declared: declaredChanges(b.side.results, h.side.results), undeclared: undeclared.changes },
      undeclaredTotals: undeclared.totals,
      maxUndeclared,
    },
  };
}

/**
 * The sides share the objects of the files they hold byte for byte (ParsedFiles), so most tests are one
 * object on both: each is validated once. Validation is pure and its problems are only read.
 */
function validatedOnce(validate: TestValidator): TestValidator {
  const known = new WeakMap<object, ReturnType<TestValidator>>();
  return (obj) => {
    if (typeof obj !== 'object' || obj === null) return validate(obj);
    let problems = known.get(obj);
    if (problems === undefined) known.set(obj, (problems = validate(obj)));
    return problems;
  };
}

/** The figures every rendering leads with. */
export interface DiffCounts {
  breaks: number;
  fixes: number;
  /** Declared flows whose prediction or expectation changed without breaking or fixing (Unknown, Absent, no expectation met either way). */
  otherDeclared: number;
  opened: number;
  closed: number;
  uncertain: number;
}

export function diffCounts(result: DiffResult): DiffCounts {
  const d = result.report.declared;
  const breaks = d.filter((c) => c.breaks).length;
  const fixes = d.filter((c) => c.fixes).length;
  const t = result.undeclaredTotals;
  return {
    breaks,
    fixes,
    otherDeclared: d.length - breaks - fixes,
    opened: t.opened,
    closed: t.closed,
    uncertain: t.uncertain,
  };
}

/** `2 declared flows break, 0 fixed, 1 other change; 3 undeclared paths opened, 0 closed` */
export function headline(c: DiffCounts): string {
  const flows = c.breaks === 1 ? '1 declared flow breaks' : `${c.breaks} declared flows break`;
  const other =
    c.otherDeclared === 0 ? '' : `, ${c.otherDeclared} other ${c.otherDeclared === 1 ? 'change' : 'changes'}`;
  const paths = `${c.opened} undeclared ${c.opened === 1 ? 'path' : 'paths'} opened, ${c.closed} closed`;
  const uncertain = c.uncertain === 0 ? '' : `, ${c.uncertain} now or formerly Unknown`;
  return `${flows}, ${c.fixes} fixed${other}; ${paths}${uncertain}`;
}
