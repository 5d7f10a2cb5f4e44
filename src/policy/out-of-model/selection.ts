// Three-valued selection with a reason for "unknown", and a metav1.LabelSelector evaluated over labels
// some of which flowprobe cannot see (a service account, a node's labels). An unknown label makes a
// requirement on it unknown; AND/OR keep unknown only where it could change the answer (tri.ts), so an
// object "may select" a pod only when what flowprobe cannot see actually decides it.
import type { LabelSelector } from '../types.js';
import type { Selection } from './types.js';

export const YES: Selection = { tri: 'yes' };
export const NO: Selection = { tri: 'no' };

export function unknown(why: string): Selection {
  return { tri: 'unknown', why };
}

export function selectionOf(b: boolean): Selection {
  return b ? YES : NO;
}

/** AND: a 'no' decides; otherwise the first 'unknown' (with its reason); otherwise 'yes'. */
export function allOf(items: readonly Selection[]): Selection {
  if (items.some((s) => s.tri === 'no')) return NO;
  return items.find((s) => s.tri === 'unknown') ?? YES;
}

/** OR: a 'yes' decides; otherwise the first 'unknown'; otherwise 'no' (also for no items at all). */
export function anyOf(items: readonly Selection[]): Selection {
  if (items.some((s) => s.tri === 'yes')) return YES;
  return items.find((s) => s.tri === 'unknown') ?? NO;
}

export function not(s: Selection): Selection {
  return s.tri === 'unknown' ? s : selectionOf(s.tri === 'no');
}

/** A label's value: the string, undefined when the label is absent, or UNSEEN when flowprobe cannot know. */
export const UNSEEN = Symbol('unseen');
export type LabelLookup = (key: string) => string | undefined | typeof UNSEEN;

/** Labels that are all known: a plain label map. */
export function knownLabels(labels: Readonly<Record<string, string>>): LabelLookup {
  return (key) => labels[key];
}

/**
 * metav1.LabelSelector semantics (Kubernetes "Labels and Selectors"; apimachinery labels.Requirement):
 * all requirements AND'ed, `{}` matches everything, NotIn and DoesNotExist match a missing label. An
 * operator outside the four is not guessed at: the requirement is unknown.
 */
export function selectLabels(selector: LabelSelector, lookup: LabelLookup): Selection {
  const out: Selection[] = [];
  for (const [key, want] of Object.entries(selector.matchLabels ?? {})) {
    const v = lookup(key);
    out.push(v === UNSEEN ? unseen(key) : selectionOf(v === want));
    if (out.at(-1)?.tri === 'no') return NO;
  }
  for (const req of selector.matchExpressions ?? []) {
    const v = lookup(req.key);
    if (v === UNSEEN) {
      out.push(unseen(req.key));
      continue;
    }
    const values = req.values ?? [];
    const op: string = req.operator;
    if (op === 'In') out.push(selectionOf(v !== undefined && values.includes(v)));
    else if (op === 'NotIn') out.push(selectionOf(v === undefined || !values.includes(v)));
    else if (op === 'Exists') out.push(selectionOf(v !== undefined));
    else if (op === 'DoesNotExist') out.push(selectionOf(v === undefined));
    else out.push(unknown(`its selector uses the operator ${JSON.stringify(op)}`));
    if (out.at(-1)?.tri === 'no') return NO;
  }
  return allOf(out);
}

function unseen(key: string): Selection {
  return unknown(`its selector reads ${key}, which flowprobe cannot see`);
}
