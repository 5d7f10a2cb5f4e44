// The declared half of a diff: each ConnectivityTest flow predicted on both sides, matched by namespace,
// test and flow name. A flow is listed when its prediction or its expectation changed; a test only the base
// has is listed with `after: Absent`, one only the head has with `before: Absent`. Each side is held against
// its own expectation: a flow breaks when it agreed with the base's expectation and contradicts the head's
// (a PR that only flips `expect:` against an unchanged prediction breaks it), and fixes the reverse (a PR
// that flips expectation and policy together neither breaks nor fixes).
//
// How Unknown counts: a prediction of Unknown neither agrees nor contradicts (explain cannot know what the
// manifests do not say), so a flow that becomes Unknown, or stops being Unknown, is listed but is neither a
// break nor a fix. Only a confident contradiction after a confirmed agreement breaks (and the reverse fixes),
// so exit 1 never rests on a guess.
import type { FlowExplanation } from '../explain/index.js';
import type { DeclaredChange, DiffPrediction } from './diff-types.js';

export function declaredChanges(
  base: readonly FlowExplanation[],
  head: readonly FlowExplanation[],
): DeclaredChange[] {
  const before = new Map(base.map((r) => [flowKey(r), r]));
  const inHead = new Set<string>();
  const changes: DeclaredChange[] = [];
  for (const after of head) {
    const key = flowKey(after);
    inHead.add(key);
    const was = before.get(key);
    if (was?.predicted === after.predicted && was.expected === after.expected) continue;
    changes.push(change(after, was, was?.predicted ?? 'Absent', after.predicted, reasonsOf(after, was)));
  }
  for (const was of base) {
    if (inHead.has(flowKey(was))) continue;
    changes.push(change(was, was, was.predicted, 'Absent', reasonsOf(undefined, was)));
  }
  return changes;
}

/** `flow` is the head's explanation (the base's for a flow the head no longer has), `was` the base's. */
function change(
  flow: FlowExplanation,
  was: FlowExplanation | undefined,
  before: DiffPrediction,
  after: DiffPrediction,
  reasons: string[],
): DeclaredChange {
  const expected = flow.expected;
  const expectedBefore = was?.expected ?? expected;
  return {
    namespace: flow.namespace,
    test: flow.test,
    flow: flow.flow,
    expected,
    before,
    after,
    breaks: before === expectedBefore && contradicts(after, expected),
    fixes: contradicts(before, expectedBefore) && after === expected,
    reasons,
  };
}

/** A confident prediction that is not the expectation; Unknown and Absent are not confident. */
function contradicts(p: DiffPrediction, expected: string): boolean {
  return (p === 'Allowed' || p === 'Denied') && p !== expected;
}

/**
 * A changed expectation first (`expectation changed: Denied → Allowed`), then the head's diagnosis and
 * reasons, then the base's reasons the head no longer gives, marked `before: `.
 */
function reasonsOf(head: FlowExplanation | undefined, base: FlowExplanation | undefined): string[] {
  const flipped =
    head !== undefined && base !== undefined && head.expected !== base.expected
      ? [`expectation changed: ${base.expected} → ${head.expected}`]
      : [];
  const now = head === undefined ? [] : [...head.diagnosis, ...head.reasons];
  const kept = new Set(now);
  const gone = (base?.reasons ?? []).filter((r) => !kept.has(r)).map((r) => `before: ${r}`);
  return [...flipped, ...now, ...gone];
}

/** NUL never occurs in a Kubernetes name, so the key cannot be forged by a name holding the separator. */
function flowKey(r: FlowExplanation): string {
  return `${r.namespace}\0${r.test}\0${r.flow}`;
}
