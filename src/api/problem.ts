// One thing wrong with a manifest, located the way `kubectl explain` names fields: spec.flows[2].to.port.

export interface Problem {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Appends a field to a path; keys that are not identifiers (label keys) are quoted in brackets. */
export function fieldPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Orders problems by where they are, flows[2] before flows[10]. */
export function byPath(a: Problem, b: Problem): number {
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}
