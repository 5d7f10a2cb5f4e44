// breaks and fixes, row by row: only a confident prediction on the changed side counts, so a change to or
// from Unknown (or Absent) is listed and is never a break or a fix.
import { strict as assert } from 'node:assert';
import type { Expectation, Prediction } from '../../src/api/types.js';
import { declaredChanges } from '../../src/diff/declared-changes.js';
import type { FlowExplanation } from '../../src/explain/index.js';

const flow = (expected: Expectation, predicted: Prediction, reasons: string[] = []): FlowExplanation => ({
  namespace: 'shop',
  test: 't',
  flow: 'f',
  file: 'x.yaml',
  from: 'shop/a',
  to: 'shop/b',
  port: 80,
  protocol: 'TCP',
  expected,
  predicted,
  agrees: predicted === 'Unknown' ? null : predicted === expected,
  reasons,
  diagnosis: [],
});

const ROWS: [Expectation, Prediction, Prediction, { breaks: boolean; fixes: boolean }][] = [
  ['Allowed', 'Allowed', 'Denied', { breaks: true, fixes: false }],
  ['Denied', 'Denied', 'Allowed', { breaks: true, fixes: false }],
  ['Allowed', 'Denied', 'Allowed', { breaks: false, fixes: true }],
  ['Denied', 'Allowed', 'Denied', { breaks: false, fixes: true }],
  ['Allowed', 'Allowed', 'Unknown', { breaks: false, fixes: false }],
  ['Allowed', 'Unknown', 'Denied', { breaks: false, fixes: false }],
  ['Allowed', 'Denied', 'Unknown', { breaks: false, fixes: false }],
  ['Denied', 'Unknown', 'Denied', { breaks: false, fixes: false }],
];

describe('declared changes: breaks and fixes', () => {
  for (const [expected, before, after, want] of ROWS) {
    it(`expected ${expected}, ${before} → ${after}: ${want.breaks ? 'breaks' : want.fixes ? 'fixes' : 'listed only'}`, () => {
      const [c] = declaredChanges([flow(expected, before)], [flow(expected, after)]);
      assert.deepEqual(
        { before: c?.before, after: c?.after, breaks: c?.breaks, fixes: c?.fixes },
        { before, after, ...want },
      );
    });
  }

  it('an unchanged prediction is not listed, whatever the reasons say', () => {
    assert.deepEqual(
      declaredChanges([flow('Allowed', 'Allowed', ['old'])], [flow('Allowed', 'Allowed', ['new'])]),
      [],
    );
  });

  it("the head's reasons first, then the base's it no longer gives, marked before:", () => {
    const [c] = declaredChanges(
      [flow('Allowed', 'Allowed', ['same', 'gone'])],
      [flow('Allowed', 'Denied', ['same', 'new'])],
    );
    assert.deepEqual(c?.reasons, ['same', 'new', 'before: gone']);
  });

  it('a change of expectation alone that contradicts the unchanged prediction is listed and breaks', () => {
    const [c] = declaredChanges([flow('Denied', 'Denied')], [flow('Allowed', 'Denied')]);
    assert.deepEqual(
      { expected: c?.expected, before: c?.before, after: c?.after, breaks: c?.breaks, fixes: c?.fixes },
      { expected: 'Allowed', before: 'Denied', after: 'Denied', breaks: true, fixes: false },
    );
    assert.deepEqual(c?.reasons.slice(0, 1), ['expectation changed: Denied → Allowed']);
  });

  it('a change of expectation alone that the prediction already meets fixes the flow', () => {
    const [c] = declaredChanges([flow('Denied', 'Allowed')], [flow('Allowed', 'Allowed')]);
    assert.deepEqual([c?.breaks, c?.fixes], [false, true]);
  });

  it('flipping the expectation and the policy together is listed, neither a break nor a fix', () => {
    const changes = declaredChanges([flow('Allowed', 'Allowed')], [flow('Denied', 'Denied')]);
    assert.deepEqual(
      changes.map((c) => [c.expected, c.before, c.after, c.breaks, c.fixes]),
      [['Denied', 'Allowed', 'Denied', false, false]],
    );
  });

  it('a flow on one side only is Absent on the other, never a break or a fix', () => {
    assert.deepEqual(
      declaredChanges([], [flow('Allowed', 'Denied')]).map((c) => [c.before, c.after, c.breaks, c.fixes]),
      [['Absent', 'Denied', false, false]],
    );
    assert.deepEqual(
      declaredChanges([flow('Allowed', 'Allowed')], []).map((c) => [c.before, c.after, c.breaks, c.fixes]),
      [['Allowed', 'Absent', false, false]],
    );
  });
});
