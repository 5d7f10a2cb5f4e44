import { strict as assert } from 'node:assert';
import {
  compileSelector,
  describeSelector,
  PolicyInputError,
  type LabelSelector,
} from '../../src/policy/index.js';

const at = { object: 'ns/p', path: 'spec.podSelector' };
const cases: [string, LabelSelector, Record<string, string>, boolean][] = [
  ['an empty selector matches everything', {}, { a: '1' }, true],
  ['an empty selector matches an unlabelled pod', {}, {}, true],
  ['matchLabels needs every pair', { matchLabels: { a: '1', b: '2' } }, { a: '1' }, false],
  ['matchLabels matches a superset', { matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
  ['matchLabels compares values', { matchLabels: { a: '1' } }, { a: '2' }, false],
  [
    'In matches a listed value',
    { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] },
    { a: '2' },
    true,
  ],
  [
    'In does not match a missing key',
    { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] },
    {},
    false,
  ],
  [
    'NotIn rejects a listed value',
    { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
    { a: '1' },
    false,
  ],
  [
    'NotIn matches a missing key',
    { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
    {},
    true,
  ],
  ['Exists needs the key', { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }, true],
  ['Exists fails without the key', { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {}, false],
  [
    'DoesNotExist matches without the key',
    { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
    { b: '1' },
    true,
  ],
  [
    'DoesNotExist fails with the key',
    { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
    { a: '1' },
    false,
  ],
  [
    'matchLabels and matchExpressions are ANDed',
    { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'Exists' }] },
    { a: '1' },
    false,
  ],
];

describe('label selectors', () => {
  for (const [name, selector, labels, want] of cases) {
    it(name, () => {
      assert.equal(compileSelector(selector, at)(labels), want);
    });
  }

  it('reject an unknown operator with the field path', () => {
    const bad = { matchExpressions: [{ key: 'a', operator: 'Like' }] } as unknown as LabelSelector;
    assert.throws(
      () => compileSelector(bad, at),
      (e: unknown) => e instanceof PolicyInputError && e.path === 'spec.podSelector.matchExpressions[0]',
    );
  });

  it('describe themselves briefly', () => {
    assert.equal(describeSelector({}), 'all');
    assert.equal(
      describeSelector({
        matchLabels: { app: 'api' },
        matchExpressions: [{ key: 't', operator: 'In', values: ['a', 'b'] }],
      }),
      'app=api,t in (a,b)',
    );
  });
});
